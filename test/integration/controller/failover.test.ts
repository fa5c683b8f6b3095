/**
 * Leader failover under churn: two `herald controller` child processes elect a leader on a Lease while
 * Services are created, deleted and re-created (some requesting the same addresses, some sharing); the
 * leader is SIGKILLed repeatedly and a new replica started each time. A watch replays every Service
 * write in order: no address may be held by two Services that do not share it, at any moment, and in the
 * final state every Service holds an address (0 double assignments). A standby takes over within the
 * lease duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  serviceBody,
  spawnController,
  startCluster,
  waitFor,
  type Cluster,
  type ControllerProcess,
  type ServiceOptions,
} from './cluster.js';
import { StatusLog } from './status-log.js';

const KILLS = 4;
const CHURN_NAMES = 40;
const LEASE_MS = 3000;
let c: Cluster;
let log: StatusLog;
const replicas: ControllerProcess[] = [];
let spawned = 0;

/** A quarter request their own fixed address, a quarter share one address, the rest take any. */
function specFor(n: number): ServiceOptions {
  if (n % 4 === 0) return { annotations: { 'metallb.io/loadBalancerIPs': `192.0.2.${128 + n}` } };
  if (n % 4 === 1) {
    return {
      annotations: { 'metallb.io/allow-shared-ip': 'web', 'metallb.io/loadBalancerIPs': '192.0.2.250' },
      ports: [{ port: 8000 + n }],
    };
  }
  return {};
}

async function leader(): Promise<ControllerProcess | undefined> {
  for (const r of replicas) {
    if (r.child.exitCode !== null || r.child.signalCode !== null) continue;
    try {
      const ready = await r.readyz();
      if (ready.role === 'leader' && ready.restored) return r;
    } catch {
      // a replica that is starting or dying does not answer
    }
  }
  return undefined;
}

async function addReplica(): Promise<ControllerProcess> {
  const r = await spawnController(c, {
    identity: `failover-${spawned++}`,
    leaseDuration: '3s',
    renewDeadline: '2s',
    retryPeriod: '500ms',
  });
  replicas.push(r);
  return r;
}

/** Creates and deletes Services in the background until stopped. */
function churn(signal: AbortSignal): Promise<number> {
  return (async () => {
    let ops = 0;
    for (let round = 0; !signal.aborted && round < 10_000; round++) {
      const n = round % CHURN_NAMES;
      const name = `churn-${n}`;
      try {
        if (round % 3 === 2) await c.core.deleteNamespacedService({ name, namespace: 'default' });
        else
          await c.core.createNamespacedService({
            namespace: 'default',
            body: serviceBody('default', name, specFor(n)),
          });
        ops++;
      } catch {
        // exists / not found: churn goes on
      }
      await new Promise((r) => setTimeout(r, 15));
    }
    return ops;
  })();
}

beforeAll(async () => {
  c = await startCluster({ watchWindow: 100_000 });
  await createPool(c, 'main', ['192.0.2.0/25']);
  await createPool(c, 'fixed', ['192.0.2.128/25'], { autoAssign: false });
  log = new StatusLog(c.api.url);
  await log.start();
});

afterAll(async () => {
  await log?.stop();
  for (const r of replicas) await r.kill('SIGKILL');
  await c?.stop();
});

describe('leader failover while Services churn', () => {
  it('never assigns one address to two Services, across repeated leader kills', async () => {
    await addReplica();
    await addReplica();
    await waitFor(leader, 20_000, 'a first leader');
    const stop = new AbortController();
    const churning = churn(stop.signal);
    const takeovers: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 1500));
      const current = await waitFor(leader, 20_000, 'a leader');
      await current.kill('SIGKILL');
      const killedAt = Date.now();
      await addReplica();
      const next = await waitFor(
        async () => {
          const l = await leader();
          return l !== undefined && l !== current ? l : undefined;
        },
        20_000,
        'a new leader',
      );
      takeovers.push(Date.now() - killedAt);
      expect(next.pid).not.toBe(current.pid);
    }
    stop.abort();
    const ops = await churning;
    expect(ops).toBeGreaterThan(50);

    // Every Service left ends with an address, and none is double-assigned.
    await waitFor(
      async () => {
        const list = await c.core.listNamespacedService({ namespace: 'default' });
        return list.items.every((s) => (s.status?.loadBalancer?.ingress ?? []).length > 0);
      },
      30_000,
      'every remaining Service assigned',
    );
    await waitFor(
      () => (log.conflictsNow().length === 0 && log.state.size > 0 ? true : undefined),
      5_000,
      'watch caught up',
    );
    expect(log.gaps).toBe(0);
    expect(log.violations).toEqual([]);
    expect(log.conflictsNow()).toEqual([]);
    expect(log.ingressWrites).toBeGreaterThan(ops / 3);
    // The work was really shared out: IPAllocated Events were recorded by several replicas.
    const events = await c.core.listNamespacedEvent({ namespace: 'default' });
    const writers = new Set(
      events.items.filter((e) => e.reason === 'IPAllocated').map((e) => e.reportingInstance),
    );
    expect(writers.size).toBeGreaterThanOrEqual(3);
    // A standby takes over within the lease duration (plus a retry period and process scheduling).
    for (const ms of takeovers) expect(ms).toBeLessThan(LEASE_MS + 3000);
  });
});
