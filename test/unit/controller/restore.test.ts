/**
 * Restore before allocate: a new leadership term takes back every address written in Service status
 * (oldest Service first) before it allocates anything, so a restart changes no address and writes
 * nothing, and a Service without status never steals an address another Service holds.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_KEY } from '../../../src/controller/term.js';
import type { CurrentStatus } from '../../../src/controller/ports.js';
import { FakeCluster, NO_STATUS, poolObject, request } from './fake-cluster.js';
import { expectAllocatorMatchesStatus, expectNoDoubleAssignment, makeHarness } from './harness.js';

const T1 = '2026-01-01T00:00:01Z';
const T2 = '2026-01-01T00:00:02Z';

function status(ips: string[], pool = 'a'): CurrentStatus {
  return { ips, pool, condition: undefined };
}

function clusterWithPool(): FakeCluster {
  const c = new FakeCluster();
  c.setPools(
    poolObject('a', ['192.0.2.1-192.0.2.8']),
    poolObject('dual', ['203.0.113.0/28', '2001:db8::/124']),
  );
  return c;
}

async function start(c: FakeCluster): Promise<ReturnType<typeof makeHarness>> {
  const h = makeHarness(c);
  h.queue.add(CONFIG_KEY);
  await h.drain();
  return h;
}

describe('restore before allocate', () => {
  it('an older Service without status does not take an address held in status', async () => {
    const c = clusterWithPool();
    c.apply('ns/new', { createdAt: T1 });
    c.apply('ns/old', { createdAt: T2 }, status(['192.0.2.1']));
    const h = await start(c);
    expect(c.current('ns/old')?.ips).toEqual(['192.0.2.1']);
    expect(c.current('ns/new')?.ips).toEqual(['192.0.2.2']);
    expect(c.reasons('ns/old')).toEqual([]);
    expectAllocatorMatchesStatus(h);
  });

  it('a status written without a condition (e.g. by MetalLB) keeps its address and gains the condition', async () => {
    const c = clusterWithPool();
    c.apply('ns/svc', {}, status(['192.0.2.5']));
    await start(c);
    expect(c.current('ns/svc')).toMatchObject({
      ips: ['192.0.2.5'],
      pool: 'a',
      condition: { status: 'True' },
    });
    expect(c.recorded.writes).toHaveLength(1);
    expect(c.reasons('ns/svc')).toEqual([]);
  });

  it('two Services claiming one address: the older keeps it, the younger is cleared and reallocated', async () => {
    const c = clusterWithPool();
    c.apply('ns/young', { createdAt: T2 }, status(['192.0.2.3']));
    c.apply('ns/elder', { createdAt: T1 }, status(['192.0.2.3']));
    const h = await start(c);
    expect(c.current('ns/elder')?.ips).toEqual(['192.0.2.3']);
    expect(c.current('ns/young')?.ips).toEqual(['192.0.2.1']);
    expect(c.reasons('ns/young')).toEqual(['ClearAssignment', 'IPAllocated']);
    expect((await h.metrics.restoreConflicts.get()).values[0]?.value).toBe(1);
    expectNoDoubleAssignment(c);
  });

  it('an address held by a Service whose request became invalid is not handed to another', async () => {
    const c = clusterWithPool();
    c.applyView('ns/broken', {
      kind: 'invalid',
      ref: { namespace: 'ns', name: 'broken' },
      problem: { reason: 'LoadBalancerFailed', message: 'bad loadBalancerIPs', action: 'keep' },
      hold: request('ns/broken', {}, ['192.0.2.1']),
      deprecated: [],
      current: status(['192.0.2.1']),
      createdAt: T2,
    });
    c.apply('ns/other', { createdAt: T1 });
    await start(c);
    expect(c.current('ns/broken')?.ips).toEqual(['192.0.2.1']);
    expect(c.current('ns/other')?.ips).toEqual(['192.0.2.2']);
  });

  it('an invalid Service that cannot hold its addresses (no hold request) has its stale status cleared', async () => {
    const c = clusterWithPool();
    c.apply('ns/owner', { createdAt: T1 }, status(['192.0.2.1']));
    c.applyView('ns/unreadable', {
      kind: 'invalid',
      ref: { namespace: 'ns', name: 'unreadable' },
      problem: { reason: 'InvalidService', message: 'spec.ports: must be a list', action: 'keep' },
      deprecated: [],
      current: status(['192.0.2.1']),
      createdAt: T2,
    });
    const h = await start(c);
    expect(c.current('ns/owner')?.ips).toEqual(['192.0.2.1']);
    expect(c.current('ns/unreadable')).toMatchObject({
      ips: [],
      pool: undefined,
      condition: { status: 'False' },
    });
    expect(c.reasons('ns/unreadable')).toEqual(['InvalidService', 'ClearAssignment']);
    expectNoDoubleAssignment(c);
    expect(h.term.assignmentOf('ns/unreadable')).toBeUndefined();
  });

  it('a restart (new term, new config state) changes no address, writes nothing, records no event', async () => {
    const c = clusterWithPool();
    for (let i = 0; i < 30; i++) {
      const spec =
        i % 3 === 0
          ? { policy: 'RequireDualStack' as const, families: ['IPv4', 'IPv6'] as ('IPv4' | 'IPv6')[] }
          : i % 3 === 1
            ? { sharingKey: 'k', ports: [{ protocol: 'TCP' as const, port: 1000 + i }] }
            : {};
      c.apply(`ns/s${i}`, { ...spec, createdAt: i % 2 === 0 ? T1 : T2 });
    }
    const first = await start(c);
    expectNoDoubleAssignment(c);
    const before = new Map([...c.keys()].map((k) => [k, c.current(k)]));
    const writes = c.recorded.writes.length;
    const events = c.recorded.events.length;

    const second = await start(c);
    expect(c.recorded.writes.length - writes).toBe(0);
    expect(c.recorded.events.length - events).toBe(0);
    for (const [key, was] of before) expect(c.current(key), key).toEqual(was);
    expect((await second.metrics.restoredServices.get()).values[0]?.value).toBe(
      [...c.keys()].filter((k) => (c.current(k) ?? NO_STATUS).ips.length > 0).length,
    );
    expectAllocatorMatchesStatus(second);
    expect(first.term.ready && second.term.ready).toBe(true);
  });
});
