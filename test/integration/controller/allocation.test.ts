/**
 * Every allocator behaviour reached through real Service objects: the embedded API server, client-node
 * for every object, and `herald controller` running in this process. One ordered table: each row changes
 * the cluster and waits until the Services say what the row expects (status ingress with ipMode VIP, the
 * pool annotation, the allocation condition, Events). Also the configuration paths (bad config kept
 * out, ConfigurationState, stale metric), IPAddressPool status, the memberlist Secret and /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Service } from '@kubernetes/client-node';
import {
  createPool,
  metricValue,
  NS,
  runInProcess,
  serviceBody,
  startCluster,
  waitFor,
  type Cluster,
  type InProcessController,
  type ServiceOptions,
} from './cluster.js';

const WAIT_MS = 15_000;
const CONDITION = 'metallb.io/IPAllocated';
const POOL_API = { group: 'metallb.io', version: 'v1beta1', namespace: NS, plural: 'ipaddresspools' };

let c: Cluster;
let ctl: InProcessController;

async function service(name: string, namespace = 'default'): Promise<V1Service | undefined> {
  try {
    return await c.core.readNamespacedService({ name, namespace });
  } catch {
    return undefined;
  }
}

function ipsOf(s: V1Service | undefined): string[] {
  return (s?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
}

async function create(name: string, o: ServiceOptions = {}, namespace = 'default'): Promise<void> {
  await c.core.createNamespacedService({ namespace, body: serviceBody(namespace, name, o) as V1Service });
}

async function waitIps(name: string, ips: string[], namespace = 'default'): Promise<V1Service> {
  return waitFor(
    async () => {
      const s = await service(name, namespace);
      return ipsOf(s).join(',') === ips.join(',') ? s : undefined;
    },
    WAIT_MS,
    `${namespace}/${name} to hold [${ips.join(', ')}]`,
  );
}

async function reasons(name: string, namespace = 'default'): Promise<string[]> {
  const list = await c.core.listNamespacedEvent({ namespace });
  return list.items.filter((e) => e.involvedObject.name === name).map((e) => e.reason ?? '');
}

async function waitEvent(name: string, reason: string, namespace = 'default'): Promise<void> {
  await waitFor(
    async () => (await reasons(name, namespace)).includes(reason),
    WAIT_MS,
    `${reason} on ${name}`,
  );
}

function condition(s: V1Service | undefined): { status?: string; reason?: string } | undefined {
  return s?.status?.conditions?.find((x) => x.type === CONDITION);
}

async function setPool(name: string, addresses: string[], spec: Record<string, unknown> = {}): Promise<void> {
  const current = (await c.custom.getNamespacedCustomObject({ ...POOL_API, name })) as {
    spec: Record<string, unknown>;
  };
  await c.custom.replaceNamespacedCustomObject({
    ...POOL_API,
    name,
    body: { ...(current as object), spec: { ...current.spec, addresses, ...spec } },
  });
}

async function configurationState(): Promise<{ result?: string; errorSummary?: string } | undefined> {
  const obj = (await c.custom.getNamespacedCustomObject({
    ...POOL_API,
    plural: 'configurationstates',
    name: 'controller',
  })) as {
    status?: { result?: string; errorSummary?: string };
  };
  return obj.status;
}

beforeAll(async () => {
  c = await startCluster();
  await c.core.createNamespace({ body: { metadata: { name: 'team', labels: { team: 'a' } } } });
  await createPool(c, 'a', ['192.0.2.0/29'], { avoidBuggyIPs: true });
  await createPool(c, 'b', ['198.51.100.0/30'], { autoAssign: false });
  await createPool(c, 'dual', ['203.0.113.0/30', '2001:db8::/126']);
  await createPool(c, 'team', ['203.0.113.64/30'], {
    serviceAllocation: { priority: 1, namespaces: ['team'] },
  });
  ctl = await runInProcess(c, 'alloc-test');
  await waitFor(
    async () => (await ctl.readyz()).ok && (await ctl.readyz()).role === 'leader',
    WAIT_MS,
    'leader',
  );
});

afterAll(async () => {
  await ctl?.stop();
  await c?.stop();
});

describe('allocation through real Service objects', () => {
  it('a new Service gets the lowest usable address (avoidBuggyIPs skips .0), the pool annotation and a True condition', async () => {
    await create('web');
    const s = await waitIps('web', ['192.0.2.1']);
    expect(s.status?.loadBalancer?.ingress?.[0]?.ipMode).toBe('VIP');
    expect(s.metadata?.annotations?.['metallb.io/ip-allocated-from-pool']).toBe('a');
    expect(condition(s)).toMatchObject({ status: 'True', reason: 'IPAllocated' });
    await waitEvent('web', 'IPAllocated');
  });

  it('metallb.io/loadBalancerIPs and spec.loadBalancerIP are honoured', async () => {
    await create('fixed', { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5' } });
    await create('legacy-ip', { loadBalancerIP: '192.0.2.6' });
    await waitIps('fixed', ['192.0.2.5']);
    await waitIps('legacy-ip', ['192.0.2.6']);
  });

  it('metallb.io/address-pool picks an autoAssign=false pool', async () => {
    await create('from-b', { annotations: { 'metallb.io/address-pool': 'b' } });
    const s = await waitIps('from-b', ['198.51.100.0']);
    expect(s.metadata?.annotations?.['metallb.io/ip-allocated-from-pool']).toBe('b');
  });

  it('metallb.io/allow-shared-ip lets TCP/53 and UDP/53 share one address', async () => {
    const shared = { 'metallb.io/allow-shared-ip': 'dns', 'metallb.io/loadBalancerIPs': '192.0.2.7' };
    await create('dns-tcp', { annotations: shared, ports: [{ port: 53, protocol: 'TCP' }] });
    await create('dns-udp', { annotations: shared, ports: [{ port: 53, protocol: 'UDP' }] });
    await waitIps('dns-tcp', ['192.0.2.7']);
    await waitIps('dns-udp', ['192.0.2.7']);
  });

  it('a requested address in use fails: AllocationFailed event, False condition, no ingress', async () => {
    await create('taken', { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5' } });
    await waitEvent('taken', 'AllocationFailed');
    const s = await waitFor(
      async () => {
        const svc = await service('taken');
        return condition(svc)?.status === 'False' ? svc : undefined;
      },
      WAIT_MS,
      'False condition on taken',
    );
    expect(condition(s)?.reason).toBe('AllocationFailed');
    expect(ipsOf(s)).toEqual([]);
  });

  it('RequireDualStack gets one address of each family from one pool', async () => {
    await create('dual', { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    const s = await waitIps('dual', ['203.0.113.0', '2001:db8::']);
    expect(s.metadata?.annotations?.['metallb.io/ip-allocated-from-pool']).toBe('dual');
  });

  it('serviceAllocation pins a namespace to its pool', async () => {
    await create('app', {}, 'team');
    await waitIps('app', ['203.0.113.64'], 'team');
  });

  it('PreferDualStack with IPv6 primary gets both families, IPv6 first', async () => {
    await create('prefer', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] });
    await waitIps('prefer', ['2001:db8::1', '203.0.113.1']);
  });

  it('externalTrafficPolicy Local shares only with the same pod selector', async () => {
    const annotations = { 'metallb.io/allow-shared-ip': 'loc', 'metallb.io/loadBalancerIPs': '192.0.2.3' };
    const local = { externalTrafficPolicy: 'Local' as const, annotations };
    await create('local-a', { ...local, selector: { app: 'a' }, ports: [{ port: 80 }] });
    await waitIps('local-a', ['192.0.2.3']);
    await create('local-b', { ...local, selector: { app: 'b' }, ports: [{ port: 81 }] });
    await waitEvent('local-b', 'AllocationFailed');
    await create('local-a2', { ...local, selector: { app: 'a' }, ports: [{ port: 82 }] });
    await waitIps('local-a2', ['192.0.2.3']);
    expect(ipsOf(await service('local-b'))).toEqual([]);
  });

  it('deleting a Service frees its address for a waiting one', async () => {
    await c.core.deleteNamespacedService({ name: 'fixed', namespace: 'default' });
    await waitIps('taken', ['192.0.2.5']);
    await waitEvent('taken', 'IPAllocated');
  });

  it('a Service of another loadBalancerClass is never written to', async () => {
    await create('other-class', { loadBalancerClass: 'other.io/lb' });
    await create('after-class');
    await waitIps('after-class', ['192.0.2.2']);
    const s = await service('other-class');
    expect(ipsOf(s)).toEqual([]);
    expect(condition(s)).toBeUndefined();
    expect(await reasons('other-class')).toEqual([]);
  });

  it('a deprecated metallb.universe.tf annotation is read and warned about', async () => {
    await create('old-ann', { annotations: { 'metallb.universe.tf/address-pool': 'b' } });
    await waitIps('old-ann', ['198.51.100.1']);
    await waitEvent('old-ann', 'deprecatedAnnotation');
  });

  it('a Service that stops being a LoadBalancer loses ingress, annotation and condition', async () => {
    await c.core.patchNamespacedService({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'replace', path: '/spec/type', value: 'ClusterIP' }],
    });
    const s = await waitIps('web', []);
    await waitFor(
      async () => {
        const svc = await service('web');
        return (
          svc?.metadata?.annotations?.['metallb.io/ip-allocated-from-pool'] === undefined &&
          condition(svc) === undefined
        );
      },
      WAIT_MS,
      'web cleared',
    );
    expect(s.spec?.type).toBe('ClusterIP');
  });

  it('a pool change that drops an address clears that Service only (ClearAssignment)', async () => {
    await setPool('a', ['192.0.2.0/30', '192.0.2.4/31', '192.0.2.7/32']);
    await waitEvent('legacy-ip', 'ClearAssignment');
    const s = await waitIps('legacy-ip', []);
    expect(condition(s)).toMatchObject({ status: 'False', reason: 'AllocationFailed' });
    expect(ipsOf(await service('taken'))).toEqual(['192.0.2.5']);
    expect(ipsOf(await service('dns-tcp'))).toEqual(['192.0.2.7']);
  });

  it('a bad configuration is rejected whole, reported, and withdraws nothing', async () => {
    await createPool(c, 'bad', ['192.0.2.0/24']);
    await waitFor(
      async () => (await configurationState())?.result === 'Invalid',
      WAIT_MS,
      'ConfigurationState Invalid',
    );
    expect((await configurationState())?.errorSummary).toContain('bad');
    await waitFor(
      async () => {
        const events = await c.core.listNamespacedEvent({ namespace: NS });
        return events.items.some(
          (e) =>
            e.involvedObject.kind === 'IPAddressPool' &&
            e.reason === 'InvalidConfiguration' &&
            e.type === 'Warning' &&
            (e.message ?? '').includes('192.0.2.0/24'),
        );
      },
      WAIT_MS,
      'InvalidConfiguration event naming the overlap',
    );
    expect(metricValue(await ctl.metrics(), 'metallb_k8s_client_config_stale_bool')).toBe(1);
    await create('during-bad');
    await waitIps('during-bad', ['192.0.2.1']);
    expect(ipsOf(await service('taken'))).toEqual(['192.0.2.5']);
    expect(ipsOf(await service('dual'))).toEqual(['203.0.113.0', '2001:db8::']);

    await c.custom.deleteNamespacedCustomObject({ ...POOL_API, name: 'bad' });
    await waitFor(
      async () => (await configurationState())?.result === 'Valid',
      WAIT_MS,
      'ConfigurationState Valid',
    );
    expect(metricValue(await ctl.metrics(), 'metallb_k8s_client_config_stale_bool')).toBe(0);
  });

  it('writes IPAddressPool status counters', async () => {
    await waitFor(
      async () => {
        const pool = (await c.custom.getNamespacedCustomObject({ ...POOL_API, name: 'dual' })) as {
          status?: Record<string, number>;
        };
        const s = pool.status;
        return (
          s?.assignedIPv4 === 2 && s.assignedIPv6 === 2 && s.availableIPv4 === 2 && s.availableIPv6 === 2
        );
      },
      WAIT_MS,
      'pool dual status',
    );
  });

  it('creates the memberlist Secret and serves MetalLB metric names', async () => {
    const secret = await c.core.readNamespacedSecret({ name: 'memberlist', namespace: NS });
    expect(secret.data?.secretkey).toBeTruthy();
    const text = await ctl.metrics();
    expect(metricValue(text, 'metallb_k8s_client_config_loaded_bool')).toBe(1);
    expect(metricValue(text, 'metallb_allocator_addresses_in_use_total{pool="b"}')).toBe(2);
    expect(metricValue(text, 'herald_controller_leader')).toBe(1);
  });
});
