/**
 * The Controller component with fake caches and a hand-driven election (no API server): a standby
 * writes nothing; a new leader restores and allocates, then follows cache events through the work
 * queue; losing the lease stops every write at once and drops the term; readiness and health follow.
 */
import { describe, expect, it } from 'vitest';
import { Controller, type CacheSet, type ElectionCallbacks } from '../../../src/controller/app.js';
import { ConfigState } from '../../../src/controller/config-state.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { WorkQueue } from '../../../src/k8s/index.js';
import { FakeCluster, NS, poolObject, silentLog } from './fake-cluster.js';

class FakeCaches implements CacheSet {
  synced = false;
  started = false;
  private readonly subscribers = new Set<{ onService: (key: string) => void; onConfig: () => void }>();
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.started = false;
  }
  private waiters: (() => void)[] = [];
  async waitForSync(): Promise<boolean> {
    if (!this.synced) await new Promise<void>((r) => this.waiters.push(r));
    return true;
  }
  syncNow(): void {
    this.synced = true;
    for (const w of this.waiters.splice(0)) w();
  }
  subscribe(onService: (key: string) => void, onConfig: () => void): () => void {
    const entry = { onService, onConfig };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }
  onService(key: string): void {
    for (const s of this.subscribers) s.onService(key);
  }
  onConfig(): void {
    for (const s of this.subscribers) s.onConfig();
  }
}

function setup(): {
  controller: Controller;
  cluster: FakeCluster;
  caches: FakeCaches;
  metrics: ControllerMetrics;
  configState: ConfigState;
  election: () => ElectionCallbacks;
} {
  const cluster = new FakeCluster();
  cluster.setPools(poolObject('a', ['192.0.2.0/29']));
  const caches = new FakeCaches();
  const metrics = new ControllerMetrics({ processMetrics: false });
  let callbacks: ElectionCallbacks | undefined;
  const configState = new ConfigState(NS);
  const controller = new Controller({
    caches,
    services: cluster,
    configSource: cluster,
    configState,
    writers: cluster.writers,
    metrics,
    log: silentLog,
    election: (cb) => {
      callbacks = cb;
      return { start: () => undefined, stop: async () => undefined };
    },
    queue: (handler) => new WorkQueue({ handler, concurrency: 4 }),
  });
  return { controller, cluster, caches, metrics, configState, election: () => callbacks! };
}

async function until(check: () => boolean, label: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${label}`);
}

describe('Controller', () => {
  it('a standby starts the caches and writes nothing', async () => {
    const { controller, cluster, caches } = setup();
    cluster.apply('ns/a');
    controller.start();
    expect(caches.started).toBe(true);
    expect(controller.readyz()).toMatchObject({ ok: false, detail: { role: 'standby', synced: false } });
    caches.syncNow();
    expect(controller.readyz()).toMatchObject({ ok: true, detail: { role: 'standby' } });
    expect(controller.healthz().ok).toBe(true);
    expect(cluster.recorded.writes).toEqual([]);
    await controller.stop();
    expect(controller.healthz().ok).toBe(false);
  });

  it('a standby parses the configuration: true config metrics, and the last good Config after a takeover', async () => {
    const { controller, cluster, caches, metrics, configState, election } = setup();
    cluster.apply('ns/svc');
    controller.start();
    caches.syncNow();
    await until(() => configState.loaded, 'standby parse after sync');
    expect((await metrics.configLoaded.get()).values[0]?.value).toBe(1);
    expect(cluster.recorded.reports).toEqual([]);

    cluster.setPools(poolObject('a', ['not-an-address']));
    caches.onConfig();
    await until(() => configState.stale, 'standby sees the bad config');
    expect((await metrics.configStale.get()).values[0]?.value).toBe(1);
    expect(cluster.recorded.objectEvents).toEqual([]);

    const term = new AbortController();
    void election().onStartedLeading(term.signal);
    await until(() => cluster.current('ns/svc')?.ips.length === 1, 'allocation from the last good Config');
    expect(cluster.current('ns/svc')?.ips).toEqual(['192.0.2.0']);
    expect(cluster.recorded.reports.at(-1)?.result).toBe('Invalid');
    term.abort();
    await controller.stop();
  });

  it('a leader restores, allocates, follows cache events, and stops writing the moment it loses the lease', async () => {
    const { controller, cluster, caches, metrics, election } = setup();
    cluster.apply('ns/held', {}, { ips: ['192.0.2.3'], pool: 'a', condition: undefined });
    cluster.apply('ns/new');
    controller.start();
    caches.syncNow();
    const term = new AbortController();
    void election().onStartedLeading(term.signal);
    await until(() => controller.readyz().ok && controller.readyz().detail.role === 'leader', 'ready leader');
    await until(() => cluster.current('ns/new')?.ips.length === 1, 'allocation');
    expect(cluster.current('ns/held')?.ips).toEqual(['192.0.2.3']);
    expect(cluster.current('ns/new')?.ips).toEqual(['192.0.2.0']);
    expect(cluster.recorded.secrets).toBe(1);
    expect((await metrics.leader.get()).values[0]?.value).toBe(1);

    cluster.apply('ns/later');
    caches.onService('ns/later');
    await until(() => cluster.current('ns/later')?.ips.length === 1, 'allocation of a new Service');

    term.abort();
    election().onStoppedLeading('renew deadline passed');
    const writes = cluster.recorded.writes.length;
    cluster.apply('ns/too-late');
    caches.onService('ns/too-late');
    await new Promise((r) => setTimeout(r, 30));
    expect(cluster.recorded.writes.length).toBe(writes);
    expect(controller.currentTerm).toBeUndefined();
    expect(controller.readyz().detail.role).toBe('standby');
    expect((await metrics.leader.get()).values[0]?.value).toBe(0);
    expect(await metrics.registry.metrics()).not.toContain('pool="a"');
    await controller.stop();
  });

  it('a new term starts from scratch and keeps every address', async () => {
    const { controller, cluster, caches, election } = setup();
    for (let i = 0; i < 5; i++) cluster.apply(`ns/s${i}`);
    controller.start();
    caches.syncNow();
    const first = new AbortController();
    void election().onStartedLeading(first.signal);
    await until(() => [...cluster.keys()].every((k) => cluster.current(k)?.ips.length === 1), 'first term');
    const before = [...cluster.keys()].map((k) => cluster.current(k)?.ips[0]);
    first.abort();
    election().onStoppedLeading('lease taken by other');
    const writes = cluster.recorded.writes.length;

    const second = new AbortController();
    void election().onStartedLeading(second.signal);
    await until(() => controller.currentTerm?.ready === true, 'second term ready');
    await new Promise((r) => setTimeout(r, 20));
    expect([...cluster.keys()].map((k) => cluster.current(k)?.ips[0])).toEqual(before);
    expect(cluster.recorded.writes.length).toBe(writes);
    second.abort();
    await controller.stop();
  });
});
