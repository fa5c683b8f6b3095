/**
 * API faults, with `herald controller` as a child process against the embedded API server: an API
 * server restart (state file; a short one and one longer than the renew deadline, which ends the
 * leadership term), watches that expire (410 → relist), slow requests and failing writes. After each
 * fault the controller recovers: every Service that held an address still holds the same one, and
 * Services created during or after the fault get addresses no other Service holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  metricValue,
  serviceBody,
  spawnController,
  startCluster,
  waitFor,
  type Cluster,
  type ControllerProcess,
} from './cluster.js';

const WAIT_MS = 30_000;
let c: Cluster;
let ctl: ControllerProcess;
let created = 0;

async function assignments(): Promise<Map<string, string>> {
  const list = await c.core.listNamespacedService({ namespace: 'default' });
  return new Map(
    list.items.map((s) => [
      s.metadata!.name!,
      (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).join(','),
    ]),
  );
}

async function createSome(n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${created++}`;
    await waitFor(
      async () => {
        await c.core.createNamespacedService({ namespace: 'default', body: serviceBody('default', name) });
        return true;
      },
      WAIT_MS,
      `create ${name}`,
      200,
    );
    names.push(name);
  }
  return names;
}

/** Waits until every Service holds an address, then checks that `before` is unchanged and no address repeats. */
async function expectRecovered(before: Map<string, string>): Promise<Map<string, string>> {
  const after = await waitFor(
    async () => {
      const a = await assignments();
      return [...a.values()].every((ips) => ips !== '') ? a : undefined;
    },
    WAIT_MS,
    'every Service assigned',
  );
  for (const [name, ips] of before) if (ips !== '') expect(after.get(name), name).toBe(ips);
  const all = [...after.values()];
  expect(new Set(all).size).toBe(all.length);
  return after;
}

async function leading(): Promise<boolean> {
  try {
    const r = await ctl.readyz();
    return r.ok && r.role === 'leader' && r.restored === true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  c = await startCluster({ stateful: true, watchWindow: 50 });
  await createPool(c, 'main', ['192.0.2.0/24']);
  ctl = await spawnController(c, { identity: 'faults' });
  await waitFor(leading, WAIT_MS, 'leader');
  await createSome(10);
  await expectRecovered(new Map());
});

afterAll(async () => {
  await ctl?.kill('SIGKILL');
  await c?.stop();
});

describe('API faults', () => {
  it('an API server restart (state kept) changes nothing and allocation resumes', async () => {
    const before = await assignments();
    await c.restartServer();
    await createSome(3);
    await expectRecovered(before);
  });

  it('an outage longer than the renew deadline ends the term; the new term restores, changes nothing', async () => {
    const before = await assignments();
    await c.stopServer();
    await waitFor(
      async () => ctl.lines.some((l) => l.includes('stopped leading')),
      WAIT_MS,
      'the term to end',
    );
    await new Promise((r) => setTimeout(r, 500));
    await c.restartServer();
    await waitFor(leading, WAIT_MS, 'leading again');
    await createSome(3);
    await expectRecovered(before);
  });

  it('expired watches (410) make the caches relist and nothing is lost', async () => {
    const before = await assignments();
    const relists = ctl.lines.filter((l) => l.includes('relisting')).length;
    // Push the Service watch's resourceVersion out of the server's 50-event window, then cut the watches.
    for (let i = 0; i < 60; i++) {
      await c.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: `filler-${i}` } },
      });
    }
    c.api.faults.dropWatches();
    await waitFor(
      () => ctl.lines.filter((l) => l.includes('relisting')).length > relists || undefined,
      WAIT_MS,
      'a relist',
    );
    await createSome(3);
    await expectRecovered(before);
  });

  it('slow requests (300 ms each) delay but do not disturb allocation', async () => {
    const before = await assignments();
    c.api.faults.set({ delayMs: 300, resources: ['services', 'events'] });
    try {
      await createSome(3);
      await expectRecovered(before);
    } finally {
      c.api.faults.clear();
    }
  });

  it('failing status writes are retried until they succeed', async () => {
    const before = await assignments();
    const errors = metricValue(await ctl.metrics(), 'metallb_k8s_client_update_errors_total') ?? 0;
    c.api.faults.set({ failNext: 3, failCode: 503, verbs: ['patch'], resources: ['services'] });
    try {
      await createSome(5);
      await expectRecovered(before);
    } finally {
      c.api.faults.clear();
    }
    expect(await leading()).toBe(true);
    expect(metricValue(await ctl.metrics(), 'metallb_k8s_client_update_errors_total')).toBeGreaterThan(
      errors,
    );
  });
});
