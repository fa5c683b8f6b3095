/**
 * Layer2Controller with a recording announcer, a scriptable status port and a FakeClock: takeover once
 * (no repeated bursts on unrelated updates), withdrawal when another node wins, interface changes,
 * ServiceL2Status writes (content, single flight, retry after a failure), nodeAssigned/announceFailed
 * events, the split-brain policy (yield, keep and re-assert, unknown MAC pending then resolved, hold-off)
 * and stop(). No sleeps: time moves through the fake clock, promises through `settle`.
 */
import { describe, expect, it } from 'vitest';
import type { L2StatusDesired } from '../../../src/k8s/index.js';
import type { AnnouncerConflict, AnnouncerInterface } from '../../../src/l2/index.js';
import { Layer2Controller, type L2StatusView, type SpeakerSnapshot } from '../../../src/speaker/layer2.js';
import { SpeakerMetrics } from '../../../src/speaker/metrics.js';
import type { ServiceRef, SpeakerEvent } from '../../../src/speaker/ports.js';
import { FakeClock } from '../../fakes/clock.js';
import { BASIC, configWith, ipRankedFor, node, readyOn, service, threeNodes } from './l2-fixtures.js';

const MAC = {
  'node-1': '02:00:00:00:01:01',
  'node-2': '02:00:00:00:02:01',
  'node-3': '02:00:00:00:03:01',
} as const;
const FOREIGN_MAC = '02:aa:bb:cc:dd:ee';

class FakeAnnouncer {
  readonly calls: string[] = [];
  readonly interfaceLists: (readonly AnnouncerInterface[])[] = [];
  #listener: ((c: AnnouncerConflict) => void) | undefined;
  setInterfaces(list: readonly AnnouncerInterface[]): void {
    this.interfaceLists.push(list);
    this.calls.push(`setInterfaces ${list.map((i) => i.name).join(',')}`);
  }
  announce(ip: string, interfaces?: readonly string[]): void {
    this.calls.push(`announce ${ip} ${interfaces === undefined ? '*' : interfaces.join(',')}`);
  }
  withdraw(ip: string): void {
    this.calls.push(`withdraw ${ip}`);
  }
  on(_event: 'conflict', listener: (c: AnnouncerConflict) => void): this {
    this.#listener = listener;
    return this;
  }
  conflict(c: AnnouncerConflict): void {
    this.#listener?.(c);
  }
  /** Calls other than setInterfaces, then forgets them. */
  take(): string[] {
    const out = this.calls.filter((c) => !c.startsWith('setInterfaces'));
    this.calls.length = 0;
    return out;
  }
}

class FakeStatus {
  readonly writes: Map<string, L2StatusDesired>[] = [];
  readonly events: { service: ServiceRef; event: SpeakerEvent }[] = [];
  failures = 0;
  /** When set, writes wait for `release()`. */
  hold = false;
  #waiting: (() => void)[] = [];
  readonly staleDeletes: (readonly string[])[] = [];
  async syncL2Statuses(
    desired: ReadonlyMap<string, L2StatusDesired>,
    stale: readonly string[],
  ): Promise<void> {
    this.writes.push(new Map(desired));
    this.staleDeletes.push([...stale]);
    if (this.hold) await new Promise<void>((r) => this.#waiting.push(r));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('apiserver unavailable');
    }
  }
  release(): void {
    for (const r of this.#waiting.splice(0)) r();
  }
  async event(service: ServiceRef, event: SpeakerEvent): Promise<void> {
    this.events.push({ service, event });
  }
  reasons(): string[] {
    return this.events.map((e) => e.event.reason);
  }
  last(): Map<string, L2StatusDesired> | undefined {
    return this.writes.at(-1);
  }
}

interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

function setup(node = 'node-1', options: { statusRetryMs?: number } = {}) {
  const announcer = new FakeAnnouncer();
  const status = new FakeStatus();
  const clock = new FakeClock(1_000_000);
  const lines: LogLine[] = [];
  const rec = (level: string) => (obj: object, msg: string) => lines.push({ level, obj, msg });
  const log = { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
  const metrics = new SpeakerMetrics({ defaultMetrics: false });
  const controller = new Layer2Controller({ node, announcer, status, log, metrics, clock, ...options });
  return { announcer, status, clock, lines, metrics, controller };
}

const eth = (name: string, ifindex: number, node = 'node-1'): AnnouncerInterface => ({
  name,
  ifindex,
  mac: `${MAC[node as keyof typeof MAC].slice(0, -2)}${ifindex.toString(16).padStart(2, '0')}`,
});

function statusOf(node: keyof typeof MAC, serviceKey: string): L2StatusView {
  return { name: `l2-${node}-${serviceKey.replace('/', '-')}`, node, serviceKey, macs: [MAC[node]] };
}

function snapshot(over: Partial<SpeakerSnapshot> & Pick<SpeakerSnapshot, 'services'>): SpeakerSnapshot {
  return {
    config: BASIC(),
    endpoints: readyOn(over.services),
    nodes: threeNodes(),
    live: undefined,
    interfaces: [eth('eth0', 1)],
    l2Statuses: [],
    ...over,
  };
}

/** Lets promise chains (status writes, their retries) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

async function counter(metrics: SpeakerMetrics, name: string): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  const out: Record<string, number> = {};
  for (const v of (await metric?.get())?.values ?? []) out[JSON.stringify(v.labels)] = v.value;
  return out;
}

// node-1 ranks first, node-2 second for A; node-2 first for B.
const A = ipRankedFor('node-1', 'node-2');
const B = ipRankedFor('node-2', 'node-1');

describe('Layer2Controller: takeover and withdrawal', () => {
  it('announces an owned address once, and not again on unrelated updates', async () => {
    const { announcer, status, controller, lines, metrics } = setup();
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web] }));
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    expect(controller.announced()).toEqual([A]);
    expect(lines.find((l) => l.msg === 'announcing')?.obj).toMatchObject({ ip: A, interfaces: 'all' });
    // Unrelated changes: another service owned elsewhere, membership, node labels, statuses.
    const other = service('other', [B]);
    controller.update(snapshot({ services: [web, other] }));
    controller.update(snapshot({ services: [web, other], live: new Set(['node-1', 'node-2', 'node-3']) }));
    controller.update(snapshot({ services: [web, other], l2Statuses: [statusOf('node-2', other.key)] }));
    expect(announcer.take()).toEqual([]);
    await settle();
    expect(status.reasons()).toEqual(['nodeAssigned']);
    expect(status.events[0]).toEqual({
      service: { namespace: 'default', name: 'web', uid: 'uid-web' },
      event: {
        type: 'Normal',
        reason: 'nodeAssigned',
        message: 'announcing from node "node-1" with protocol "layer2"',
      },
    });
    expect(await counter(metrics, 'herald_speaker_l2_takeovers_total')).toEqual({ '{}': 1 });
  });

  it('writes the ServiceL2Status with interfaces and MACs, and the announced gauge', async () => {
    const { status, controller, metrics } = setup();
    const config = configWith({ p: ['192.0.2.0/24'] }, { a: { interfaces: ['eth1'] } });
    const interfaces = [eth('eth0', 1), eth('eth1', 2)];
    controller.update(snapshot({ services: [service('web', [A])], config, interfaces }));
    await settle();
    expect(status.last()).toEqual(
      new Map([
        [
          'default/web',
          {
            serviceNamespace: 'default',
            serviceName: 'web',
            interfaces: ['eth1'],
            macs: `eth1=${eth('eth1', 2).mac}`,
          },
        ],
      ]),
    );
    expect(await counter(metrics, 'metallb_speaker_announced')).toEqual({
      [JSON.stringify({ service: 'default/web', protocol: 'layer2', node: 'node-1', ip: A })]: 1,
    });
  });

  it('withdraws when another node wins, and clears the status and the gauge', async () => {
    const { announcer, status, controller, lines, metrics } = setup();
    const web = service('web', [A], { externalTrafficPolicy: 'Local' });
    controller.update(snapshot({ services: [web], endpoints: readyOn([web], ['node-1', 'node-2']) }));
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    controller.update(snapshot({ services: [web], endpoints: readyOn([web], ['node-2']) }));
    expect(announcer.take()).toEqual([`withdraw ${A}`]);
    expect(controller.announced()).toEqual([]);
    expect(lines.find((l) => l.msg === 'withdrawn')?.obj).toEqual({ ip: A, reason: 'owner is node-2' });
    await settle();
    expect(status.last()?.size).toBe(0);
    expect(await counter(metrics, 'metallb_speaker_announced')).toEqual({});
  });

  it('withdraws when the Service goes away', () => {
    const { announcer, controller, lines } = setup();
    controller.update(snapshot({ services: [service('web', [A])] }));
    controller.update(snapshot({ services: [] }));
    expect(announcer.take()).toEqual([`announce ${A} *`, `withdraw ${A}`]);
    expect(lines.find((l) => l.msg === 'withdrawn')?.obj).toEqual({ ip: A, reason: 'service gone' });
  });

  it('sends nodeAssigned once per takeover', async () => {
    const { status, controller } = setup();
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web] }));
    controller.update(snapshot({ services: [web] }));
    controller.update(snapshot({ services: [web], live: new Set(['node-2']) }));
    controller.update(snapshot({ services: [web], live: new Set(['node-1', 'node-2']) }));
    controller.update(snapshot({ services: [web], live: new Set(['node-1', 'node-2']) }));
    await settle();
    expect(status.reasons()).toEqual(['nodeAssigned', 'nodeAssigned']);
  });

  it('announces nothing before a configuration has parsed', () => {
    const { announcer, controller } = setup();
    controller.update(snapshot({ services: [service('web', [A])], config: undefined }));
    expect(announcer.calls).toEqual(['setInterfaces eth0']);
    expect(controller.plan()).toBeUndefined();
  });
});

describe('Layer2Controller: interfaces', () => {
  it('calls setInterfaces once per change of the interface list', async () => {
    const { announcer, controller, metrics } = setup();
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web] }));
    controller.update(snapshot({ services: [web] }));
    expect(announcer.interfaceLists).toEqual([[eth('eth0', 1)]]);
    controller.update(snapshot({ services: [web], interfaces: [eth('eth0', 1), eth('eth1', 2)] }));
    controller.update(snapshot({ services: [web], interfaces: [eth('eth0', 1), eth('eth1', 2)] }));
    expect(announcer.interfaceLists).toHaveLength(2);
    // Same name, new ifindex (the link was recreated) is a change.
    controller.update(snapshot({ services: [web], interfaces: [eth('eth0', 7), eth('eth1', 2)] }));
    expect(announcer.interfaceLists).toHaveLength(3);
    expect(await counter(metrics, 'herald_speaker_l2_interfaces')).toEqual({ '{}': 2 });
    expect(announcer.take()).toEqual([`announce ${A} *`]);
  });

  it('passes the advertisement’s interfaces, and re-announces when they change', () => {
    const { announcer, controller } = setup();
    const web = service('web', [A]);
    const one = configWith({ p: ['192.0.2.0/24'] }, { a: { interfaces: ['eth0'] } });
    const two = configWith({ p: ['192.0.2.0/24'] }, { a: { interfaces: ['eth0', 'eth1'] } });
    controller.update(snapshot({ services: [web], config: one }));
    controller.update(snapshot({ services: [web], config: one }));
    controller.update(snapshot({ services: [web], config: two }));
    expect(announcer.take()).toEqual([`announce ${A} eth0`, `announce ${A} eth0,eth1`]);
  });

  it('a node that loses all its interfaces withdraws', () => {
    const { announcer, controller } = setup();
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web] }));
    controller.update(snapshot({ services: [web], interfaces: [] }));
    expect(announcer.take()).toEqual([`announce ${A} *`, `withdraw ${A}`]);
  });

  it('warns announceFailed when an advertised interface does not exist on the node', async () => {
    const { status, controller } = setup();
    const config = configWith({ p: ['192.0.2.0/24'] }, { a: { interfaces: ['eth0', 'eth9'] } });
    controller.update(snapshot({ services: [service('web', [A])], config }));
    await settle();
    expect(status.events.map((e) => e.event)).toEqual([
      expect.objectContaining({ reason: 'nodeAssigned' }),
      { type: 'Warning', reason: 'announceFailed', message: 'node "node-1": interfaces eth9 not found' },
    ]);
  });
});

describe('Layer2Controller: status writes', () => {
  it('retries a failed write after statusRetryMs, through the clock', async () => {
    const { status, controller, clock, metrics } = setup('node-1', { statusRetryMs: 500 });
    status.failures = 1;
    controller.update(snapshot({ services: [service('web', [A])] }));
    await settle();
    expect(status.writes).toHaveLength(1);
    expect(clock.pending().map((t) => t.delayMs)).toEqual([500]);
    clock.advance(499);
    await settle();
    expect(status.writes).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(status.writes).toHaveLength(2);
    expect(status.writes[1]).toEqual(status.writes[0]);
    expect(clock.pending()).toEqual([]);
    expect(await counter(metrics, 'herald_speaker_reconciles_total')).toEqual({
      '{"result":"status-error"}': 1,
      '{"result":"ok"}': 1,
    });
  });

  it('keeps one write in flight and then writes the latest state', async () => {
    const { status, controller } = setup();
    status.hold = true;
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web] }));
    controller.update(snapshot({ services: [web, service('api', [ipRankedFor('node-1', 'node-3')])] }));
    controller.update(snapshot({ services: [service('api', [ipRankedFor('node-1', 'node-3')])] }));
    await settle();
    expect(status.writes).toHaveLength(1);
    status.hold = false;
    status.release();
    await settle();
    expect(status.writes.map((w) => [...w.keys()])).toEqual([['default/web'], ['default/api']]);
    await controller.idle();
  });
});

describe('Layer2Controller: statuses left by dead nodes', () => {
  it('deletes another node’s status for a Service it took over once that node is dead and not Ready', async () => {
    const { status, controller } = setup();
    const web = service('web', [A]);
    const leftover = statusOf('node-2', web.key);
    const nodes = [node('node-1'), node('node-2', {}, false), node('node-3')];
    controller.update(
      snapshot({ services: [web], nodes, live: new Set(['node-1', 'node-3']), l2Statuses: [leftover] }),
    );
    await settle();
    expect(status.staleDeletes.at(-1)).toEqual([leftover.name]);
  });

  it('keeps it while that node is Ready (a split brain reads it) or a live speaker', async () => {
    const { status, controller } = setup();
    const web = service('web', [A]);
    const leftover = statusOf('node-2', web.key);
    const notReady = [node('node-1'), node('node-2', {}, false), node('node-3')];
    controller.update(snapshot({ services: [web], live: new Set(['node-1']), l2Statuses: [leftover] }));
    await settle();
    expect(status.staleDeletes.at(-1)).toEqual([]);
    controller.update(
      snapshot({
        services: [web],
        nodes: notReady,
        live: new Set(['node-1', 'node-2']),
        l2Statuses: [leftover],
      }),
    );
    await settle();
    expect(status.staleDeletes.at(-1)).toEqual([]);
  });

  it('never deletes statuses of Services it does not announce', async () => {
    const { status, controller } = setup('node-3');
    const other = service('other', [B]);
    const theirs = statusOf('node-2', other.key);
    const nodes = [node('node-1'), node('node-2', {}, false), node('node-3')];
    controller.update(
      snapshot({ services: [other], nodes, live: new Set(['node-1', 'node-3']), l2Statuses: [theirs] }),
    );
    await settle();
    expect(status.staleDeletes.every((d) => d.length === 0)).toBe(true);
  });
});

describe('Layer2Controller: split brain', () => {
  it('yields (withdraws) when a higher-ranked speaker claims the address, and keeps yielding', async () => {
    // node-2 does not see node-1 in membership, so it owns A; node-1 still announces A.
    const { announcer, status, controller, metrics } = setup('node-2');
    const web = service('web', [A]);
    const partitioned = snapshot({
      services: [web],
      live: new Set(['node-2', 'node-3']),
      interfaces: [eth('eth0', 1, 'node-2')],
      l2Statuses: [statusOf('node-1', web.key)],
    });
    controller.update(partitioned);
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    announcer.conflict({ ip: A, mac: MAC['node-1'].toUpperCase(), interface: 'eth0' });
    expect(announcer.take()).toEqual([`withdraw ${A}`]);
    expect(controller.plan()?.services.get(web.key)?.skip).toBe('yielded');
    controller.update(partitioned);
    expect(announcer.take()).toEqual([]);
    await settle();
    expect(status.events.at(-1)?.event).toMatchObject({ type: 'Warning', reason: 'l2Conflict' });
    expect(status.events.at(-1)?.event.message).toContain('node "node-1", ranked higher');
    expect(status.last()?.size).toBe(0);
    expect(await counter(metrics, 'herald_speaker_l2_conflicts_total')).toEqual({
      [JSON.stringify({ ip: A, resolution: 'yielded' })]: 1,
    });
  });

  it('drops the yield when the winner stops announcing, or is not Ready', () => {
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2', 'node-3']),
      interfaces: [eth('eth0', 1, 'node-2')],
      l2Statuses: [statusOf('node-1', web.key)],
    });
    const stops = setup('node-2');
    stops.controller.update(base);
    stops.announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    stops.announcer.take();
    stops.controller.update({ ...base, l2Statuses: [] });
    expect(stops.announcer.take()).toEqual([`announce ${A} *`]);

    const notReady = setup('node-2');
    notReady.controller.update(base);
    notReady.announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    notReady.announcer.take();
    const nodes = threeNodes().map((n) =>
      n.name === 'node-1' ? { ...n, conditions: [{ type: 'Ready', status: 'False' as const }] } : n,
    );
    notReady.controller.update({ ...base, nodes });
    expect(notReady.announcer.take()).toEqual([`announce ${A} *`]);
  });

  it('after the winner is live again the election decides (and keeps it withdrawn here)', () => {
    const { announcer, controller } = setup('node-2');
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2', 'node-3']),
      interfaces: [eth('eth0', 1, 'node-2')],
      l2Statuses: [statusOf('node-1', web.key)],
    });
    controller.update(base);
    announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    controller.update({ ...base, live: new Set(['node-1', 'node-2', 'node-3']) });
    expect(announcer.take()).toEqual([`announce ${A} *`, `withdraw ${A}`]);
    // node-1 dies for real later: node-2 takes over (the yield is gone, nothing blocks it).
    controller.update({ ...base, l2Statuses: [] });
    expect(announcer.take()).toEqual([`announce ${A} *`]);
  });

  it('keeps and re-asserts when the claimant ranks lower', async () => {
    const { announcer, status, controller, metrics } = setup('node-1');
    const web = service('web', [A]);
    controller.update(
      snapshot({ services: [web], live: new Set(['node-1']), l2Statuses: [statusOf('node-2', web.key)] }),
    );
    announcer.take();
    announcer.conflict({ ip: A, mac: MAC['node-2'], interface: 'eth0' });
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    expect(controller.announced()).toEqual([A]);
    await settle();
    expect(status.events.at(-1)?.event.message).toContain('node "node-2", ranked lower');
    expect(await counter(metrics, 'herald_speaker_l2_conflicts_total')).toEqual({
      [JSON.stringify({ ip: A, resolution: 'kept' })]: 1,
    });
  });

  it('acts on the same address and MAC at most once per hold-off', () => {
    const { announcer, controller, clock } = setup('node-1');
    const web = service('web', [A]);
    controller.update(snapshot({ services: [web], l2Statuses: [statusOf('node-2', web.key)] }));
    announcer.take();
    const c = { ip: A, mac: MAC['node-2'], interface: 'eth0' };
    announcer.conflict(c);
    clock.advance(1999);
    announcer.conflict(c);
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    clock.advance(1);
    announcer.conflict(c);
    expect(announcer.take()).toEqual([`announce ${A} *`]);
  });

  it('ignores its own frames heard on another of its interfaces', async () => {
    const { announcer, status, controller } = setup('node-1');
    const web = service('web', [A]);
    const interfaces = [eth('eth0', 1), eth('eth1', 2)];
    controller.update(snapshot({ services: [web], interfaces }));
    announcer.take();
    announcer.conflict({ ip: A, mac: eth('eth1', 2).mac.toUpperCase(), interface: 'eth0' });
    await settle();
    expect(announcer.take()).toEqual([]);
    expect(status.reasons()).toEqual(['nodeAssigned']);
  });

  it('ignores conflicts for addresses it does not announce', () => {
    const { announcer, status, controller } = setup('node-1');
    controller.update(snapshot({ services: [service('web', [B])] }));
    announcer.take();
    announcer.conflict({ ip: B, mac: MAC['node-2'], interface: 'eth0' });
    expect(announcer.take()).toEqual([]);
    expect(status.reasons()).toEqual([]);
  });

  it('keeps on an unknown MAC, then yields once that MAC is published by a higher-ranked speaker', async () => {
    const { announcer, status, controller, metrics } = setup('node-2');
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2']),
      interfaces: [eth('eth0', 1, 'node-2')],
    });
    controller.update(base);
    announcer.take();
    announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    await settle();
    expect(status.events.at(-1)?.event.message).toContain('not a known speaker');
    controller.update(base);
    expect(announcer.take()).toEqual([]);
    controller.update({ ...base, l2Statuses: [statusOf('node-1', web.key)] });
    expect(announcer.take()).toEqual([`withdraw ${A}`]);
    expect(controller.plan()?.services.get(web.key)?.skip).toBe('yielded');
    await settle();
    expect(await counter(metrics, 'herald_speaker_l2_conflicts_total')).toEqual({
      [JSON.stringify({ ip: A, resolution: 'unknown' })]: 1,
      [JSON.stringify({ ip: A, resolution: 'yielded' })]: 1,
    });
  });

  it('once a pending MAC resolves to a yield, the status, gauge and events agree with the withdrawal', async () => {
    const { announcer, status, controller, metrics } = setup('node-2');
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2']),
      interfaces: [eth('eth0', 1, 'node-2')],
    });
    controller.update(base);
    announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    controller.update({ ...base, l2Statuses: [statusOf('node-1', web.key)] });
    await settle();
    await controller.idle();
    await settle();
    expect(status.last()?.size).toBe(0);
    expect(await counter(metrics, 'metallb_speaker_announced')).toEqual({});
    expect(status.reasons().filter((r) => r === 'nodeAssigned')).toHaveLength(1);
  });

  it('a yield sticks even when the winner has not yet published a status for this address', async () => {
    // node-1 just took A over (its membership view differs); its MAC is known from another Service's
    // status, but its ServiceL2Status for web is not written yet.
    const { announcer, status, controller, metrics } = setup('node-2');
    const web = service('web', [A]);
    const other = service('other', [ipRankedFor('node-1', 'node-3')]);
    const base = snapshot({
      services: [web, other],
      live: new Set(['node-2', 'node-3']),
      interfaces: [eth('eth0', 1, 'node-2')],
      l2Statuses: [statusOf('node-1', other.key)],
    });
    controller.update(base);
    announcer.take();
    announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    await settle();
    // Whatever it decides now, it must not claim to have stopped while still announcing.
    const claimedStop = status.events.some((e) => e.event.message.includes('stopped announcing'));
    expect(claimedStop).toBe(!controller.announced().includes(A));
    // Once node-1's status for web appears, node-2 yields and stays yielded.
    controller.update({ ...base, l2Statuses: [statusOf('node-1', other.key), statusOf('node-1', web.key)] });
    controller.update({ ...base, l2Statuses: [statusOf('node-1', other.key), statusOf('node-1', web.key)] });
    expect(controller.announced()).toEqual([]);
    const conflicts = await counter(metrics, 'herald_speaker_l2_conflicts_total');
    expect(conflicts[JSON.stringify({ ip: A, resolution: 'yielded' })]).toBe(1);
  });

  it('forgets an unknown MAC after the pending window', () => {
    const { announcer, controller, clock } = setup('node-2');
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2']),
      interfaces: [eth('eth0', 1, 'node-2')],
    });
    controller.update(base);
    announcer.take();
    announcer.conflict({ ip: A, mac: MAC['node-1'], interface: 'eth0' });
    announcer.take();
    clock.advance(60_001);
    controller.update(base);
    controller.update({ ...base, l2Statuses: [statusOf('node-1', web.key)] });
    expect(announcer.take()).toEqual([]);
    expect(controller.announced()).toEqual([A]);
  });

  it('a foreign MAC nobody publishes never makes it yield', () => {
    const { announcer, controller } = setup('node-2');
    const web = service('web', [A]);
    const base = snapshot({
      services: [web],
      live: new Set(['node-2']),
      interfaces: [eth('eth0', 1, 'node-2')],
    });
    controller.update(base);
    announcer.take();
    announcer.conflict({ ip: A, mac: FOREIGN_MAC, interface: 'eth0' });
    controller.update({ ...base, l2Statuses: [statusOf('node-1', web.key)] });
    expect(announcer.take()).toEqual([`announce ${A} *`]);
    expect(controller.announced()).toEqual([A]);
  });
});

describe('Layer2Controller: stop', () => {
  it('withdraws everything, cancels the retry, and ignores later updates', async () => {
    const { announcer, status, controller, clock } = setup();
    status.failures = 1;
    const services = [service('a', [A]), service('c', [ipRankedFor('node-1', 'node-3')])];
    controller.update(snapshot({ services }));
    await settle();
    expect(clock.pending()).toHaveLength(1);
    announcer.take();
    controller.stop();
    expect(announcer.take().sort()).toEqual(services.map((s) => `withdraw ${s.ips[0]}`).sort());
    expect(controller.announced()).toEqual([]);
    expect(clock.pending()).toEqual([]);
    controller.update(snapshot({ services }));
    expect(announcer.take()).toEqual([]);
  });
});
