/**
 * Leader election failover between two electors on a real coordination.k8s.io Lease in the embedded
 * API server (real timers, short durations): when the leader is cut off from the API server (its
 * requests hang), its term signal aborts before its lease can expire, and the other elector takes over
 * within the lease duration after the last renew (plus its polling granularity); a clean stop() releases the lease for an
 * immediate takeover. The Lease is read back through client-node's CoordinationV1Api.
 */
import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { apiLeaseClient, JITTER_FACTOR, LeaderElector, type LeaseClient } from '../../../src/k8s/index.js';
import { startCluster, waitFor, type Cluster } from './harness.js';

const TIMING = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
/** Timer and scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 400;

let cluster: Cluster | undefined;
const electors: LeaderElector[] = [];
afterEach(async () => {
  await Promise.all(electors.splice(0).map((e) => e.stop()));
  await cluster?.close();
  cluster = undefined;
});

/** A LeaseClient that can be cut off (requests hang until aborted) and records successful writes. */
function partitionable(inner: LeaseClient) {
  const state = { cut: false, lastWriteStart: 0 };
  const hang = (signal: AbortSignal) =>
    new Promise<never>((_resolve, reject) =>
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
    );
  const client: LeaseClient = {
    get: (signal) => (state.cut ? hang(signal) : inner.get(signal)),
    create: (record, signal) => (state.cut ? hang(signal) : inner.create(record, signal)),
    update: async (record, rv, signal) => {
      if (state.cut) return hang(signal);
      const started = performance.now();
      const result = await inner.update(record, rv, signal);
      state.lastWriteStart = started;
      return result;
    },
  };
  return { client, state };
}

function elector(client: LeaseClient, identity: string) {
  const times = { started: [] as number[], stopped: [] as number[] };
  const e = new LeaderElector({
    client,
    identity,
    ...TIMING,
    onStartedLeading: () => void times.started.push(performance.now()),
    onStoppedLeading: () => void times.stopped.push(performance.now()),
  });
  electors.push(e);
  return { e, times };
}

describe('lease failover against the embedded API server', () => {
  it('a cut-off leader stops before its lease expires; the other takes over within the lease duration', async () => {
    cluster = await startCluster('k8s-lease');
    const rest = cluster.client.rest;
    const a = partitionable(apiLeaseClient(rest, 'default', 'herald-test'));
    const A = elector(a.client, 'a');
    const B = elector(apiLeaseClient(rest, 'default', 'herald-test'), 'b');
    A.e.start();
    await waitFor('a leads', () => A.e.isLeader());
    B.e.start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(B.e.isLeader()).toBe(false);
    expect(B.e.leader).toBe('a');

    a.state.cut = true;
    const cutAt = performance.now();
    const lastRenewStart = a.state.lastWriteStart;
    await waitFor('b leads', () => B.e.isLeader(), 10_000);
    const aStop = A.times.stopped[0]!;
    const bStart = B.times.started[0]!;
    expect(A.e.isLeader()).toBe(false);
    // the old leader's signal ended at its renew deadline, before anyone could take over
    expect(aStop).toBeLessThanOrEqual(lastRenewStart + TIMING.renewDeadlineMs + SLACK_MS);
    expect(aStop).toBeLessThan(lastRenewStart + TIMING.leaseDurationMs);
    expect(aStop).toBeLessThan(bStart);
    // The follower took over within the lease duration after the last renew, plus its polling
    // granularity: up to one jittered retry period to see that renew, one more to act after expiry.
    const poll = (1 + JITTER_FACTOR) * TIMING.retryPeriodMs;
    expect(bStart - lastRenewStart).toBeGreaterThanOrEqual(TIMING.leaseDurationMs);
    expect(bStart - lastRenewStart).toBeLessThanOrEqual(TIMING.leaseDurationMs + 2 * poll + SLACK_MS);
    expect(bStart).toBeGreaterThan(cutAt);

    const lease = await cluster.kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: 'herald-test', namespace: 'default' });
    expect(lease.spec?.holderIdentity).toBe('b');
    expect(lease.spec?.leaseTransitions).toBe(1);
    expect(lease.spec?.leaseDurationSeconds).toBe(2);
  });

  it('stop() releases the lease and the follower takes over at its next attempt', async () => {
    cluster = await startCluster('k8s-lease-release');
    const rest = cluster.client.rest;
    const A = elector(apiLeaseClient(rest, 'default', 'herald-test'), 'a');
    const B = elector(apiLeaseClient(rest, 'default', 'herald-test'), 'b');
    A.e.start();
    await waitFor('a leads', () => A.e.isLeader());
    B.e.start();
    await new Promise((r) => setTimeout(r, 500));
    const stoppedAt = performance.now();
    await A.e.stop();
    await waitFor('b leads', () => B.e.isLeader(), 5000);
    // Without the release B would wait at least leaseDuration − retryPeriod (1300 ms) after the stop.
    expect(B.times.started[0]! - stoppedAt).toBeLessThanOrEqual(
      (1 + JITTER_FACTOR) * TIMING.retryPeriodMs + SLACK_MS,
    );
  });
});
