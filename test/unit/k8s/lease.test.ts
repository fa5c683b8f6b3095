/**
 * LeaderElector logic with a fake clock and an in-memory Lease API: acquire, renew, take-over after
 * expiry, loss when renewals fail or hang (the term's signal aborts at lastRenew + renewDeadline, before
 * anyone else can take the lease), loss to another holder, release on stop, create races, option
 * validation; and the invariant checked on every simulated millisecond step: never two leaders.
 */
import { describe, expect, it } from 'vitest';
import { LeaderElector, type Clock, type LeaderElectorOptions } from '../../../src/k8s/index.js';
import { FakeClock } from '../../fakes/clock.js';
import { FakeLeaseServer } from './fake-lease.js';
import { flush } from './helpers.js';

const TIMING = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };

interface Candidate {
  readonly elector: LeaderElector;
  readonly client: ReturnType<FakeLeaseServer['client']>;
  readonly log: string[];
  starts: number[];
  stops: number[];
  signals: AbortSignal[];
}

function candidate(
  server: FakeLeaseServer,
  clock: Clock,
  identity: string,
  extra: Partial<LeaderElectorOptions> = {},
): Candidate {
  const client = server.client(identity);
  const c: Candidate = {
    client,
    log: [],
    starts: [],
    stops: [],
    signals: [],
    elector: undefined as unknown as LeaderElector,
  };
  (c as { elector: LeaderElector }).elector = new LeaderElector({
    client,
    identity,
    clock,
    random: () => 0,
    wallClock: () => new Date(Date.UTC(2024, 0, 1) + clock.now()),
    ...TIMING,
    onStartedLeading: (signal) => {
      c.starts.push(clock.now());
      c.signals.push(signal);
    },
    onStoppedLeading: (reason) => {
      c.stops.push(clock.now());
      c.log.push(reason);
    },
    ...extra,
  });
  return c;
}

/** A candidate acts as leader while the signal of its latest term is not aborted. */
const acting = (c: Candidate): boolean => c.signals.length > 0 && !c.signals.at(-1)!.aborted;

/**
 * Advances the clock in `step` ms increments, asserting after each that at most one candidate acts as
 * leader (judged by the term signals alone, not by isLeader(), which would itself end a late term).
 */
async function run(clock: FakeClock, ms: number, candidates: Candidate[], step = 10): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await clock.advanceAsync(step);
    await flush(1);
    expect(candidates.filter(acting).length, `leaders at ${clock.now()} ms`).toBeLessThanOrEqual(1);
  }
}

describe('LeaderElector acquire and renew', () => {
  it('creates the lease when none exists and renews it every retryPeriod', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    expect(a.elector.isLeader()).toBe(true);
    expect(a.starts).toEqual([0]);
    expect(server.stored?.record).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 2,
      acquireTime: '2024-01-01T00:00:00.000000Z',
      renewTime: '2024-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    await run(clock, 1000, [a]);
    expect(server.writes.filter((w) => w.by === 'a')).toHaveLength(6);
    expect(server.stored?.record.renewTime).toBe('2024-01-01T00:00:01.000000Z');
    expect(server.stored?.record.acquireTime).toBe('2024-01-01T00:00:00.000000Z');
    expect(a.signals[0]!.aborted).toBe(false);
    await a.elector.stop();
  });

  it('a second candidate waits while the leader renews', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    const b = candidate(server, clock, 'b');
    const newLeaders: string[] = [];
    const c = candidate(server, clock, 'c', { onNewLeader: (id) => newLeaders.push(id) });
    a.elector.start();
    await flush();
    b.elector.start();
    c.elector.start();
    await run(clock, 10_000, [a, b, c]);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.starts).toEqual([]);
    expect(c.starts).toEqual([]);
    expect(newLeaders).toEqual(['a']);
    expect(b.elector.leader).toBe('a');
    await Promise.all([a, b, c].map((x) => x.elector.stop()));
  });

  it('candidates racing to create the lease: exactly one wins', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const all = ['a', 'b', 'c', 'd'].map((id) => candidate(server, clock, id));
    all.forEach((x) => x.elector.start());
    await flush();
    await run(clock, 3000, all);
    expect(all.filter((x) => x.elector.isLeader())).toHaveLength(1);
    expect(all.flatMap((x) => x.starts)).toHaveLength(1);
    await Promise.all(all.map((x) => x.elector.stop()));
  });

  it('takes over a lease whose holder stopped renewing, after leaseDuration of its own observation', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    server.put({ holderIdentity: 'ghost', leaseDurationSeconds: 1, renewTime: 'x', leaseTransitions: 4 });
    const b = candidate(server, clock, 'b');
    b.elector.start();
    await flush();
    expect(b.elector.isLeader()).toBe(false);
    await run(clock, 990, [b]);
    expect(b.starts).toEqual([]);
    await run(clock, 300, [b]);
    expect(b.starts).toHaveLength(1);
    expect(b.starts[0]).toBeGreaterThanOrEqual(1000);
    expect(server.stored?.record).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 5,
      leaseDurationSeconds: 2,
    });
    await b.elector.stop();
  });

  it('a malformed lease (no holder, no duration) is taken at once', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    server.put({ holderIdentity: '', leaseDurationSeconds: 0, leaseTransitions: 0 });
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    expect(a.elector.isLeader()).toBe(true);
    expect(server.stored?.record.leaseTransitions).toBe(1);
    await a.elector.stop();
  });
});

describe('LeaderElector loses leadership safely', () => {
  for (const link of ['fail', 'hang'] as const) {
    it(`renewals that ${link}: the term ends at lastRenew + renewDeadline, before the follower takes over`, async () => {
      const clock = new FakeClock();
      const server = new FakeLeaseServer();
      const a = candidate(server, clock, 'a');
      const b = candidate(server, clock, 'b');
      a.elector.start();
      await flush();
      b.elector.start();
      await run(clock, 1000, [a, b]);
      const lastRenew = clock.now() - (clock.now() % TIMING.retryPeriodMs);
      a.client.link = link;
      await run(clock, 3000, [a, b]);
      expect(a.stops).toHaveLength(1);
      expect(a.log).toEqual(['renew deadline passed']);
      expect(a.stops[0]!).toBeLessThanOrEqual(lastRenew + TIMING.renewDeadlineMs);
      expect(a.signals[0]!.aborted).toBe(true);
      expect(b.starts).toHaveLength(1);
      expect(b.starts[0]!).toBeGreaterThan(a.stops[0]!);
      expect(b.starts[0]!).toBeGreaterThanOrEqual(lastRenew + TIMING.leaseDurationMs);
      expect(server.stored?.record.holderIdentity).toBe('b');
      // a comes back: it polls again, sees b renewing, and stays a follower
      a.client.link = 'ok';
      const callsBefore = a.client.calls;
      await run(clock, 3000, [a, b]);
      expect(a.client.calls).toBeGreaterThan(callsBefore + 5);
      expect(a.starts).toHaveLength(1);
      expect(a.elector.leader).toBe('b');
      await Promise.all([a.elector.stop(), b.elector.stop()]);
    });
  }

  it('a renew that finds another holder ends the term at once', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    server.put({ holderIdentity: 'usurper', leaseDurationSeconds: 15, leaseTransitions: 1 });
    await run(clock, 200, [a], 200);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.log).toEqual(['lease taken by usurper']);
    expect(server.stored?.record.holderIdentity).toBe('usurper');
    await a.elector.stop();
  });

  it('isLeader() is false past the deadline even when the timer is late (stalled event loop)', async () => {
    const fake = new FakeClock();
    let skew = 0;
    const clock: Clock = {
      now: () => fake.now() + skew,
      setTimeout: (f, ms) => fake.setTimeout(f, ms),
      clearTimeout: (h) => fake.clearTimeout(h),
    };
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    expect(a.elector.isLeader()).toBe(true);
    skew = TIMING.renewDeadlineMs;
    expect(a.elector.isLeader()).toBe(false);
    expect(a.signals[0]!.aborted).toBe(true);
    await a.elector.stop();
  });
});

describe('LeaderElector stop and options', () => {
  it('stop() ends the term and releases the lease; the follower takes it without waiting', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    const b = candidate(server, clock, 'b');
    a.elector.start();
    await flush();
    b.elector.start();
    await run(clock, 500, [a, b]);
    await a.elector.stop();
    expect(a.signals[0]!.aborted).toBe(true);
    expect(a.log).toEqual(['stopped']);
    expect(server.stored?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    const stoppedAt = clock.now();
    await run(clock, 500, [a, b]);
    expect(b.starts).toHaveLength(1);
    expect(b.starts[0]! - stoppedAt).toBeLessThanOrEqual(TIMING.retryPeriodMs * 2.2);
    await b.elector.stop();
  });

  it('stop() still releases when a renew reached the server unobserved (409 on release, re-read)', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    expect(server.stored?.record.holderIdentity).toBe('a');
    // The server applied a write the elector never saw (an aborted renew): its resourceVersion is stale.
    server.put({ ...server.stored!.record });
    await a.elector.stop();
    expect(server.stored?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });

  it('stop() leaves a Lease that another replica took meanwhile alone', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a');
    a.elector.start();
    await flush();
    server.put({ ...server.stored!.record, holderIdentity: 'b' });
    await a.elector.stop();
    expect(server.stored?.record.holderIdentity).toBe('b');
  });

  it('releaseOnStop: false leaves the record alone', async () => {
    const clock = new FakeClock();
    const server = new FakeLeaseServer();
    const a = candidate(server, clock, 'a', { releaseOnStop: false });
    a.elector.start();
    await flush();
    await a.elector.stop();
    expect(server.stored?.record.holderIdentity).toBe('a');
  });

  it.each([
    {
      name: 'renewDeadline >= leaseDuration',
      o: { leaseDurationMs: 1000, renewDeadlineMs: 1000, retryPeriodMs: 100 },
    },
    {
      name: 'renewDeadline <= 1.2 × retryPeriod',
      o: { leaseDurationMs: 3000, renewDeadlineMs: 1200, retryPeriodMs: 1000 },
    },
    { name: 'empty identity', o: { identity: '' } },
  ])('rejects $name', ({ o }) => {
    const server = new FakeLeaseServer();
    expect(() => new LeaderElector({ client: server.client('x'), identity: 'x', ...o })).toThrow(RangeError);
  });
});
