/**
 * @kubernetes/client-node 1.4 against `herald apiserver` on 127.0.0.1 (port 0): typed and custom-object
 * CRUD with Status errors, patch types, status subresources and conflicts, and the informer's list/watch
 * including recovery from a 410 Expired watch (forced with injected watch latency and a small window).
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../src/apiserver/index.js';

let server: ApiServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;

beforeAll(async () => {
  server = await startApiServer({ port: 0, watchWindow: 10 });
  kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfig());
  core = kc.makeApiClient(k8s.CoreV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});
afterAll(async () => {
  await server?.stop();
});

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function statusOf(err: unknown): { code: number; body: Record<string, unknown> } {
  const e = err as { code: number; body: string };
  return { code: e.code, body: JSON.parse(e.body) as Record<string, unknown> };
}

describe('client-node typed API', () => {
  it('creates a dual-stack LoadBalancer Service and reads it back', async () => {
    const svc = await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'cn1', labels: { app: 'cn' } },
        spec: { type: 'LoadBalancer', ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] },
      },
    });
    expect(svc.spec?.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(svc.spec?.clusterIPs).toHaveLength(2);
    expect(svc.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    const listed = await core.listNamespacedService({ namespace: 'default', labelSelector: 'app=cn' });
    expect(listed.items.map((s) => s.metadata?.name)).toEqual(['cn1']);
    expect(Number(listed.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(svc.metadata?.resourceVersion),
    );
  });

  it('surfaces Status errors with code, reason and message', async () => {
    const err = await core
      .readNamespacedService({ name: 'nope', namespace: 'default' })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({
      code: 404,
      body: { kind: 'Status', reason: 'NotFound', message: 'services "nope" not found' },
    });
  });

  it('writes status through the subresource and reports a stale resourceVersion as 409', async () => {
    const cur = await core.readNamespacedService({ name: 'cn1', namespace: 'default' });
    cur.status = { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }] } };
    const written = await core.replaceNamespacedServiceStatus({
      name: 'cn1',
      namespace: 'default',
      body: cur,
    });
    expect(written.status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual(['192.0.2.1', '2001:db8::1']);
    expect(written.metadata?.generation).toBe(1);
    const err = await core
      .replaceNamespacedServiceStatus({ name: 'cn1', namespace: 'default', body: cur })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
    const patched = await core.patchNamespacedServiceStatus(
      {
        name: 'cn1',
        namespace: 'default',
        body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.status?.loadBalancer?.ingress).toEqual([{ ip: '192.0.2.2' }]);
  });

  it('works with custom objects: create with generateName, merge patch, status, list', async () => {
    const created = (await custom.createNamespacedCustomObject({
      group: 'metallb.io',
      version: 'v1beta1',
      namespace: 'metallb-system',
      plural: 'servicel2statuses',
      body: {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceL2Status',
        metadata: { generateName: 'l2-', labels: { 'metallb.io/node': 'n1' } },
      },
    })) as { metadata: { name: string } };
    expect(created.metadata.name).toMatch(/^l2-.{5}$/);
    const name = created.metadata.name;
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      {
        group: 'metallb.io',
        version: 'v1beta1',
        namespace: 'metallb-system',
        plural: 'servicel2statuses',
        name,
        body: { status: { node: 'n1', serviceName: 'cn1', serviceNamespace: 'default' } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    )) as { status: Record<string, unknown> };
    expect(withStatus.status).toMatchObject({ node: 'n1', serviceName: 'cn1' });
    const listed = (await custom.listNamespacedCustomObject({
      group: 'metallb.io',
      version: 'v1beta1',
      namespace: 'metallb-system',
      plural: 'servicel2statuses',
      labelSelector: 'metallb.io/node=n1',
    })) as { items: unknown[] };
    expect(listed.items).toHaveLength(1);
  });
});

describe('client-node informer', () => {
  it('lists, then watches add/update/delete', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/kube-system/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'kube-system' }),
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${JSON.stringify(o.data)}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await core.createNamespacedConfigMap({
      namespace: 'kube-system',
      body: { metadata: { name: 'before' } },
    });
    await informer.start();
    try {
      await core.createNamespacedConfigMap({
        namespace: 'kube-system',
        body: { metadata: { name: 'i1' }, data: { a: '1' } },
      });
      await core.patchNamespacedConfigMap({
        name: 'i1',
        namespace: 'kube-system',
        body: [{ op: 'replace', path: '/data/a', value: '2' }],
      });
      await core.deleteNamespacedConfigMap({ name: 'i1', namespace: 'kube-system' });
      await until(() => seen.length >= 4, 'four informer events');
      expect(seen).toEqual(['add before', 'add i1', 'update i1 {"a":"2"}', 'delete i1']);
      expect(informer.list().map((o) => o.metadata?.name)).toEqual(['before']);
    } finally {
      await informer.stop();
    }
  });

  it('relists after a 410 Expired watch and converges on the server state', async () => {
    let lists = 0;
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'default' });
    });
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      expect(lists).toBe(1);
      server.faults.set({ delayMs: 400, verbs: ['watch'] });
      server.faults.dropWatches();
      for (let i = 0; i < 15; i++)
        await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `g${i}` } } });
      server.faults.clear();
      await until(() => lists >= 2, 'a relist after 410');
      await until(() => informer.list().length === 15, 'the informer cache to hold all 15 objects');
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
      server.faults.clear();
    }
  });
});
