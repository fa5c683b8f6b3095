/**
 * L2StatusWriter against the embedded API server: objects are created with generateName `l2-`, the
 * three metallb.io labels, the herald.io/announcing-macs annotation and the status subresource; sync()
 * creates, updates and deletes only this node's objects (duplicates removed, identical state not
 * rewritten even with the keys in another order, a vanished object tolerated or re-created, no duplicate
 * while the cache lags behind its own creations); deleteAll() removes only this node's objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANNOUNCING_MACS_ANNOTATION,
  collectionPath,
  isAlreadyExists,
  L2_STATUS_NODE_LABEL,
  L2StatusWriter,
  objectPath,
  RESOURCES,
  type KubeObject,
  type L2StatusDesired,
} from '../../../src/k8s/index.js';
import { startCluster, type Cluster } from './harness.js';

const NS = 'metallb-system';
const RESOURCE = RESOURCES.serviceL2Statuses;
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster('k8s-l2-status');
  const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
  await cluster.client.rest
    .request({ method: 'POST', path: '/api/v1/namespaces', body })
    .catch((err: unknown) => {
      if (!isAlreadyExists(err)) throw err;
    });
});
afterAll(async () => {
  await cluster.close();
});

async function list(): Promise<KubeObject[]> {
  const out = (await cluster.client.rest.request({
    method: 'GET',
    path: collectionPath(RESOURCE, NS),
  })) as { items?: KubeObject[] };
  return out.items ?? [];
}

async function clear(): Promise<void> {
  for (const o of await list()) {
    await cluster.client.rest.request({
      method: 'DELETE',
      path: objectPath(RESOURCE, NS, o.metadata?.name ?? ''),
    });
  }
}

const writer = (node: string) => new L2StatusWriter({ rest: cluster.client.rest, namespace: NS, node });

function desired(
  name: string,
  interfaces: string[],
  macs = interfaces.map((i) => `${i}=02:00:00:00:00:01`).join(','),
): [string, L2StatusDesired] {
  return [`default/${name}`, { serviceNamespace: 'default', serviceName: name, interfaces, macs }];
}

const byNode = (objects: KubeObject[], node: string) =>
  objects.filter((o) => o.metadata?.labels?.[L2_STATUS_NODE_LABEL] === node);
const summary = (o: KubeObject) => ({
  service: `${o.metadata?.labels?.['metallb.io/service-namespace']}/${o.metadata?.labels?.['metallb.io/service-name']}`,
  macs: o.metadata?.annotations?.[ANNOUNCING_MACS_ANNOTATION],
  status: (o as { status?: unknown }).status,
});

describe('L2StatusWriter against the embedded API server', () => {
  it('creates objects with generateName, labels, the MAC annotation and the status', async () => {
    await clear();
    const result = await writer('node-1').sync(
      new Map([desired('web', ['eth0']), desired('api', ['eth0', 'eth1'])]),
      [],
    );
    expect(result).toEqual({ created: 2, updated: 0, deleted: 0 });
    const objects = await list();
    expect(objects).toHaveLength(2);
    for (const o of objects) {
      expect(o.metadata?.name).toMatch(/^l2-[a-z0-9]{5}$/);
      expect(o.metadata?.generateName).toBe('l2-');
    }
    const web = objects.find((o) => o.metadata?.labels?.['metallb.io/service-name'] === 'web');
    expect(web?.metadata?.labels).toEqual({
      'metallb.io/node': 'node-1',
      'metallb.io/service-name': 'web',
      'metallb.io/service-namespace': 'default',
    });
    expect(summary(web as KubeObject)).toEqual({
      service: 'default/web',
      macs: 'eth0=02:00:00:00:00:01',
      status: {
        node: 'node-1',
        serviceName: 'web',
        serviceNamespace: 'default',
        interfaces: [{ name: 'eth0' }],
      },
    });
    const api = objects.find((o) => o.metadata?.labels?.['metallb.io/service-name'] === 'api');
    expect((api as { status?: { interfaces?: unknown } }).status?.interfaces).toEqual([
      { name: 'eth0' },
      { name: 'eth1' },
    ]);
  });

  it('updates, deletes and leaves alone only what differs, and never touches another node’s objects', async () => {
    await clear();
    await writer('node-2').sync(new Map([desired('web', ['eth0'], 'eth0=02:00:00:00:02:01')]), []);
    await writer('node-1').sync(new Map([desired('web', ['eth0']), desired('api', ['eth0'])]), await list());
    const before = await list();
    expect(before).toHaveLength(3);
    const node2Before = byNode(before, 'node-2');

    // Nothing changed: no write at all (resourceVersions stay).
    const same = await writer('node-1').sync(
      new Map([desired('web', ['eth0']), desired('api', ['eth0'])]),
      before,
    );
    expect(same).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect((await list()).map((o) => o.metadata?.resourceVersion).sort()).toEqual(
      before.map((o) => o.metadata?.resourceVersion).sort(),
    );

    // web moves to eth1 with a new MAC, api is no longer announced, db is new.
    const result = await writer('node-1').sync(
      new Map([desired('web', ['eth1'], 'eth1=02:00:00:00:01:02'), desired('db', ['eth0'])]),
      before,
    );
    expect(result).toEqual({ created: 1, updated: 1, deleted: 1 });
    const after = await list();
    expect(
      byNode(after, 'node-1')
        .map(summary)
        .sort((a, b) => a.service.localeCompare(b.service)),
    ).toEqual([
      {
        service: 'default/db',
        macs: 'eth0=02:00:00:00:00:01',
        status: {
          node: 'node-1',
          serviceName: 'db',
          serviceNamespace: 'default',
          interfaces: [{ name: 'eth0' }],
        },
      },
      {
        service: 'default/web',
        macs: 'eth1=02:00:00:00:01:02',
        status: {
          node: 'node-1',
          serviceName: 'web',
          serviceNamespace: 'default',
          interfaces: [{ name: 'eth1' }],
        },
      },
    ]);
    expect(byNode(after, 'node-2')).toEqual(node2Before);
  });

  it('rewrites the annotation alone when only the MACs changed', async () => {
    await clear();
    await writer('node-1').sync(new Map([desired('web', ['eth0'])]), []);
    const result = await writer('node-1').sync(
      new Map([desired('web', ['eth0'], 'eth0=02:00:00:00:00:99')]),
      await list(),
    );
    expect(result).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect((await list()).map(summary)[0]?.macs).toBe('eth0=02:00:00:00:00:99');
  });

  it('removes duplicates for one Service and tolerates objects already gone', async () => {
    await clear();
    // Two writers for one node (a restarted speaker whose cache had not caught up) create a duplicate.
    await writer('node-1').sync(new Map([desired('web', ['eth0'])]), []);
    await writer('node-1').sync(new Map([desired('web', ['eth0'])]), []);
    const two = await list();
    expect(two).toHaveLength(2);
    const result = await writer('node-1').sync(new Map([desired('web', ['eth0'])]), two);
    expect(result).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(await list()).toHaveLength(1);
    // A stale cache still lists the deleted one: the 404 is not an error and not counted.
    const again = await writer('node-1').sync(new Map(), two);
    expect(again).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(await list()).toHaveLength(0);
  });

  it('does not create a duplicate when the cache has not seen its own creation yet', async () => {
    await clear();
    const w = writer('node-1');
    const want = new Map([desired('web', ['eth0'])]);
    expect(await w.sync(want, [])).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(await w.sync(want, [])).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(await list()).toHaveLength(1);
    // Changes and deletions reach the object the cache does not show yet.
    expect(await w.sync(new Map([desired('web', ['eth1'])]), [])).toEqual({
      created: 0,
      updated: 1,
      deleted: 0,
    });
    expect((await list()).map(summary)[0]?.status).toMatchObject({ interfaces: [{ name: 'eth1' }] });
    // Once the cache shows it, it is the cache that counts.
    expect(await w.sync(new Map([desired('web', ['eth1'])]), await list())).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(await w.sync(new Map([desired('api', ['eth0'])]), [])).toEqual({
      created: 1,
      updated: 0,
      deleted: 0,
    });
    expect(await w.deleteAll([])).toBe(1);
    expect((await list()).map((o) => o.metadata?.labels?.['metallb.io/service-name'])).toEqual(['web']);
  });

  it('compares the status field by field (a real API server sorts the keys)', async () => {
    await clear();
    await writer('node-1').sync(new Map([desired('web', ['eth0'])]), []);
    const sorted = (await list()).map((o) => {
      const s = (o as { status: Record<string, unknown> }).status;
      const keys = Object.keys(s).sort();
      return { ...o, status: Object.fromEntries(keys.map((k) => [k, s[k]])) } as KubeObject;
    });
    expect(Object.keys((sorted[0] as { status: object }).status)).toEqual([
      'interfaces',
      'node',
      'serviceName',
      'serviceNamespace',
    ]);
    expect(await writer('node-1').sync(new Map([desired('web', ['eth0'])]), sorted)).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
    });
  });

  it('re-creates an object deleted behind the cache’s back when it has to change', async () => {
    await clear();
    await writer('node-1').sync(new Map([desired('web', ['eth0'])]), []);
    const stale = await list();
    await clear();
    const result = await writer('node-1').sync(new Map([desired('web', ['eth1'])]), stale);
    expect(result).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect((await list()).map(summary)).toEqual([
      {
        service: 'default/web',
        macs: 'eth1=02:00:00:00:00:01',
        status: {
          node: 'node-1',
          serviceName: 'web',
          serviceNamespace: 'default',
          interfaces: [{ name: 'eth1' }],
        },
      },
    ]);
  });

  it('deleteAll removes only this node’s objects', async () => {
    await clear();
    await writer('node-1').sync(new Map([desired('web', ['eth0']), desired('api', ['eth0'])]), []);
    await writer('node-2').sync(new Map([desired('db', ['eth0'])]), []);
    expect(await writer('node-1').deleteAll(await list())).toBe(2);
    const left = await list();
    expect(left.map((o) => o.metadata?.labels?.[L2_STATUS_NODE_LABEL])).toEqual(['node-2']);
    expect(await writer('node-1').deleteAll(await list())).toBe(0);
  });

  it('honours an aborted signal', async () => {
    await clear();
    const controller = new AbortController();
    controller.abort();
    await expect(
      writer('node-1').sync(new Map([desired('web', ['eth0'])]), [], controller.signal),
    ).rejects.toThrow();
    expect(await list()).toHaveLength(0);
  });
});
