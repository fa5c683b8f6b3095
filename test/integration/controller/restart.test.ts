/**
 * Restart recovery against the embedded API server with `herald controller` as a child process: after a
 * graceful stop (SIGTERM, Lease released) and after SIGKILL (the successor waits out the Lease), the
 * new controller restores every assignment from Service status before allocating anything: no address
 * changes, no status is rewritten, and Services created while no controller ran get fresh addresses
 * that no existing Service holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  metricValue,
  parallel,
  serviceBody,
  spawnController,
  startCluster,
  waitFor,
  type Cluster,
  type ControllerProcess,
  type ServiceOptions,
} from './cluster.js';

const COUNT = 60;
let c: Cluster;
const running: ControllerProcess[] = [];

function specFor(i: number): ServiceOptions {
  if (i % 5 === 0) return { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] };
  if (i % 5 === 1)
    return { annotations: { 'metallb.io/allow-shared-ip': 'shared' }, ports: [{ port: 1000 + i }] };
  if (i % 5 === 2) return { annotations: { 'metallb.io/address-pool': 'manual' } };
  return {};
}

async function assignments(): Promise<Map<string, string>> {
  const list = await c.core.listNamespacedService({ namespace: 'default' });
  return new Map(
    list.items.map((s) => [
      s.metadata!.name!,
      (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).join(','),
    ]),
  );
}

async function start(identity: string): Promise<ControllerProcess> {
  const ctl = await spawnController(c, { identity });
  running.push(ctl);
  await waitFor(
    async () => {
      const r = await ctl.readyz();
      return r.ok && r.role === 'leader' && r.restored;
    },
    30_000,
    `${identity} leading and restored`,
  );
  return ctl;
}

/** Waits until the controller has processed at least `n` queue items (its pass over every Service). */
async function settled(ctl: ControllerProcess, n: number): Promise<string> {
  return waitFor(
    async () => {
      const text = await ctl.metrics();
      return (metricValue(text, 'metallb_k8s_client_updates_total') ?? 0) >= n ? text : undefined;
    },
    30_000,
    `${ctl.identity} to process ${n} items`,
  );
}

beforeAll(async () => {
  c = await startCluster();
  await createPool(c, 'main', ['192.0.2.0/25', '2001:db8:1::/120']);
  await createPool(c, 'manual', ['198.51.100.0/26'], { autoAssign: false });
});

afterAll(async () => {
  for (const ctl of running) await ctl.kill('SIGKILL');
  await c?.stop();
});

describe('restart recovery', () => {
  it('restores every assignment: 0 changed addresses, 0 status writes, after SIGTERM and after SIGKILL', async () => {
    const first = await start('restart-1');
    await parallel([...Array(COUNT).keys()], 8, async (i) => {
      await c.core.createNamespacedService({
        namespace: 'default',
        body: serviceBody('default', `s${i}`, specFor(i)),
      });
    });
    const before = await waitFor(
      async () => {
        const a = await assignments();
        return [...a.values()].every((ips) => ips !== '') && a.size === COUNT ? a : undefined;
      },
      30_000,
      'every Service assigned',
    );

    await first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const second = await start('restart-2');
    const text = await settled(second, COUNT);
    expect(await assignments()).toEqual(before);
    expect(metricValue(text, 'herald_controller_status_writes_total{result="ok"}') ?? 0).toBe(0);
    expect(metricValue(text, 'herald_controller_restored_services')).toBe(COUNT);
    expect(metricValue(text, 'herald_controller_restore_conflicts')).toBe(0);

    await second.kill('SIGKILL');
    const third = await start('restart-3');
    const text3 = await settled(third, COUNT);
    expect(await assignments()).toEqual(before);
    expect(metricValue(text3, 'herald_controller_status_writes_total{result="ok"}') ?? 0).toBe(0);
    await third.kill('SIGTERM');
  });

  it('Services created while no controller runs get addresses no existing Service holds', async () => {
    const before = await assignments();
    const held = new Set([...before.values()].flatMap((ips) => ips.split(',')));
    for (let i = 0; i < 10; i++) {
      await c.core.createNamespacedService({
        namespace: 'default',
        body: serviceBody('default', `late${i}`),
      });
    }
    await start('restart-4');
    const after = await waitFor(
      async () => {
        const a = await assignments();
        return [...a.values()].every((ips) => ips !== '') ? a : undefined;
      },
      30_000,
      'the late Services assigned',
    );
    for (const [name, ips] of before) expect(after.get(name), name).toBe(ips);
    for (let i = 0; i < 10; i++) expect(held.has(after.get(`late${i}`)!), `late${i}`).toBe(false);
  });
});
