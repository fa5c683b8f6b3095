/**
 * Builds a LeaderTerm over a FakeCluster and drains its queue, plus the invariants every scenario row
 * checks: no address held by two Services unless all of them share one sharing key, and what the
 * Allocator holds equals what the Services' status says.
 */
import { expect } from 'vitest';
import { formatIp } from '../../../src/core/ip/index.js';
import { ConfigState } from '../../../src/controller/config-state.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { LeaderTerm, type SyncResult } from '../../../src/controller/term.js';
import { FakeCluster, NS, RecordingQueue, silentLog } from './fake-cluster.js';

export interface Harness {
  readonly cluster: FakeCluster;
  readonly term: LeaderTerm;
  readonly queue: RecordingQueue;
  readonly metrics: ControllerMetrics;
  readonly configState: ConfigState;
  readonly abort: AbortController;
  /** Processes queue items until none is left; returns each item's result in order. */
  drain(): Promise<{ key: string; result: SyncResult }[]>;
}

const MAX_ITEMS = 10_000;

export function makeHarness(cluster = new FakeCluster(), configState = new ConfigState(NS)): Harness {
  const queue = new RecordingQueue();
  const metrics = new ControllerMetrics({ processMetrics: false });
  const abort = new AbortController();
  const term = new LeaderTerm({
    services: cluster,
    configSource: cluster,
    configState,
    writers: cluster.writers,
    metrics,
    log: silentLog,
    requeue: queue,
    signal: abort.signal,
    delay: async () => true,
  });
  const drain = async (): Promise<{ key: string; result: SyncResult }[]> => {
    const results: { key: string; result: SyncResult }[] = [];
    for (let i = 0; i < MAX_ITEMS; i++) {
      const key = queue.take();
      if (key === undefined) {
        await term.eventsIdle();
        return results;
      }
      const result = await term.sync(key, abort.signal);
      results.push({ key, result });
      if (result === 'retry') queue.add(key);
    }
    throw new Error('queue did not drain');
  };
  return { cluster, term, queue, metrics, configState, abort, drain };
}

/** Every address in status is held by one Service, or only by Services with one shared sharing key. */
export function expectNoDoubleAssignment(cluster: FakeCluster): void {
  const holders = new Map<string, { key: string; sharingKey: string }[]>();
  for (const key of cluster.keys()) {
    const view = cluster.get(key)!;
    const sharingKey = view.kind === 'request' ? (view.request.sharingKey ?? '') : '';
    for (const ip of view.current.ips) holders.set(ip, [...(holders.get(ip) ?? []), { key, sharingKey }]);
  }
  for (const [ip, users] of holders) {
    if (users.length < 2) continue;
    const keys = new Set(users.map((u) => u.sharingKey));
    expect(keys.size === 1 && !keys.has(''), `${ip} held by ${users.map((u) => u.key).join(', ')}`).toBe(
      true,
    );
  }
}

/** The Allocator and the written status agree for every Service the controller handles. */
export function expectAllocatorMatchesStatus(h: Harness): void {
  for (const key of h.cluster.keys()) {
    const view = h.cluster.get(key)!;
    if (view.kind === 'ignored') {
      expect(h.term.assignmentOf(key), `${key} is ignored but holds addresses`).toBeUndefined();
      continue;
    }
    const held = h.term.assignmentOf(key);
    const written = [...view.current.ips].sort();
    expect((held?.ips.map(formatIp) ?? []).sort(), `${key}: addresses`).toEqual(written);
    if (held) expect(view.current.pool, `${key}: pool annotation`).toBe(held.pool);
  }
}
