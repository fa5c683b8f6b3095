/**
 * SupervisedInformer through client-node against the embedded API server (loopback only): it sees
 * adds, updates and deletes; it survives an API server restart (stop + start on the same port with the
 * same state file) and catches up on changes made while it was disconnected; and a 410 Expired (a
 * watch window smaller than the changes missed) makes it relist, ending with the exact server state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  collectionPath,
  createInformer,
  objectPath,
  RESOURCES,
  CONTENT_MERGE_PATCH,
  type InformerError,
  type KubeObject,
  type SupervisedInformer,
} from '../../../src/k8s/index.js';
import { loadBalancer, startCluster, waitFor, type Cluster } from './harness.js';

const FAST = {
  backoff: { initialMs: 50, maxMs: 400, jitter: 0.2 },
  watchTimeoutSeconds: 30,
  shortWatchMs: 50,
};

let cluster: Cluster | undefined;
let informer: SupervisedInformer | undefined;
afterEach(async () => {
  await informer?.stop();
  await cluster?.close();
  informer = undefined;
  cluster = undefined;
});

async function setup(options: Parameters<typeof startCluster>[1] = {}) {
  cluster = await startCluster('k8s-informer', options);
  const c = cluster;
  const log: string[] = [];
  const errors: InformerError[] = [];
  informer = createInformer<KubeObject>(c.client, RESOURCES.services, { namespace: 'default', ...FAST });
  informer.on('add', (o) => log.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => log.push(`update ${o.metadata?.name}`));
  informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`));
  informer.on('relist', () => log.push('relist'));
  informer.on('error', (e) => errors.push(e));
  const create = (name: string) =>
    c.client.rest.request({
      method: 'POST',
      path: collectionPath(RESOURCES.services, 'default'),
      body: loadBalancer(name),
    });
  return { c, inf: informer, log, errors, create };
}

const names = (inf: SupervisedInformer) =>
  inf
    .list()
    .map((o) => o.metadata?.name)
    .sort();

describe('informer against the embedded API server', () => {
  it('sees adds, updates and deletes, after listing what already existed', async () => {
    const { c, inf, log, create } = await setup();
    await create('pre');
    inf.start();
    await inf.synced;
    expect(log).toEqual(['add pre']);
    await create('web');
    await waitFor('add web', () => log.includes('add web'));
    const path = objectPath(RESOURCES.services, 'default', 'web');
    await c.client.rest.request({
      method: 'PATCH',
      path,
      body: { metadata: { labels: { tier: 'front' } } },
      contentType: CONTENT_MERGE_PATCH,
    });
    await waitFor('update web', () => log.includes('update web'));
    expect(inf.get('web', 'default')?.metadata?.labels).toEqual({ tier: 'front' });
    await c.client.rest.request({ method: 'DELETE', path });
    await waitFor('delete web', () => log.includes('delete web'));
    expect(names(inf)).toEqual(['pre']);
  });

  it('survives an API server restart and catches up with changes made meanwhile', async () => {
    const { c, inf, log, errors, create } = await setup();
    await create('a');
    inf.start();
    await inf.synced;
    await c.restart(300);
    await create('b');
    await waitFor('add b after the restart', () => log.includes('add b'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.phase === 'watch' || e.phase === 'list')).toBe(true);
    expect(inf.isRunning).toBe(true);
    await create('c');
    await waitFor('add c', () => log.includes('add c'));
    expect(names(inf)).toEqual(['a', 'b', 'c']);
  });

  it('relists on 410 Expired and ends with exactly the server state', async () => {
    const { c, inf, log, create } = await setup({ watchWindow: 3 });
    await create('keep');
    await create('gone');
    inf.start();
    await inf.synced;
    c.server.faults.set({ verbs: ['watch'], failNext: 1_000_000, failCode: 503 });
    c.server.faults.dropWatches();
    for (let i = 0; i < 8; i++) await create(`n${i}`);
    await c.client.rest.request({
      method: 'DELETE',
      path: objectPath(RESOURCES.services, 'default', 'gone'),
    });
    c.server.faults.clear();
    await waitFor('relist', () => log.includes('relist'));
    await waitFor('all new services', () => names(inf).length === 9);
    expect(names(inf)).toEqual(['keep', 'n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    expect(log).toContain('delete gone');
    expect(inf.stats().relists).toBeGreaterThanOrEqual(1);
  });
});
