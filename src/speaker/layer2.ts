/**
 * The speaker's Layer 2 controller: on every change of its inputs (a snapshot of the API caches, the
 * live speaker set and this node's selected interfaces) it computes the plan (plan.ts), applies the
 * difference to the announcer at once (takeover = gratuitous burst), and then, off the fast path, writes
 * this node's ServiceL2Status objects, `nodeAssigned` events and the announced gauge. It also owns the
 * split-brain policy (split-brain.ts): conflicts reported by the announcer are resolved by ranking, the
 * loser yields, the winner re-announces. Synchronous apart from the status writes; no timers of its own
 * except the status retry, through the injected clock.
 */
import type { Config } from '../config/index.js';
import type { AnnouncerConflict, AnnouncerInterface } from '../l2/index.js';
import type { L2StatusDesired, SpeakerService } from '../k8s/index.js';
import type { SpeakerMetrics } from './metrics.js';
import { electionNodes, planLayer2, serviceElection, type Plan, type PlanInput } from './plan.js';
import type { AnnouncerPort, Log, StatusPort } from './ports.js';
import { activeYields, decideConflict, formatAnnouncingMacs } from './split-brain.js';
import { macOwner, staleStatuses, yieldContext, type SpeakerSnapshot } from './snapshot.js';

export type { L2StatusView, SpeakerSnapshot } from './snapshot.js';

export interface TimerClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface Layer2ControllerOptions {
  readonly node: string;
  readonly announcer: AnnouncerPort;
  readonly status: StatusPort;
  readonly log: Log;
  readonly metrics: SpeakerMetrics;
  readonly clock: TimerClock;
  readonly ignoreExcludeLb?: boolean;
  /** A conflict for the same address and MAC is acted on at most once per this many ms (default 2000). */
  readonly conflictHoldoffMs?: number;
  /** How long a conflict with an unknown MAC waits for that MAC to be published (default 60 000). */
  readonly pendingConflictMs?: number;
  /** Retry delay after a failed status write (default 1000). */
  readonly statusRetryMs?: number;
}

interface Announced {
  readonly key: string;
  readonly interfaces: readonly string[] | undefined;
}

const PROTOCOL = 'layer2';

export class Layer2Controller {
  readonly #o: Layer2ControllerOptions;
  #snapshot: SpeakerSnapshot | undefined;
  #plan: Plan | undefined;
  #ifaceKey = '';
  readonly #announced = new Map<string, Announced>();
  readonly #assigned = new Set<string>();
  #yields = new Map<string, string>();
  readonly #lastConflict = new Map<string, number>();
  readonly #pending = new Map<string, { mac: string; at: number; iface: string }>();
  #desired: ReadonlyMap<string, L2StatusDesired> = new Map();
  #stale: readonly string[] = [];
  #writing = false;
  #dirty = false;
  #retry: unknown;
  #stopped = false;

  constructor(options: Layer2ControllerOptions) {
    this.#o = options;
    options.announcer.on('conflict', (c) => this.#onConflict(c));
  }

  /** The addresses announced now (canonical text). */
  announced(): string[] {
    return [...this.#announced.keys()];
  }

  plan(): Plan | undefined {
    return this.#plan;
  }

  /** Recomputes and applies the plan for a new snapshot. */
  update(snapshot: SpeakerSnapshot): void {
    if (this.#stopped) return;
    this.#snapshot = snapshot;
    this.#applyInterfaces(snapshot.interfaces);
    if (snapshot.config === undefined) return;
    this.#yields = activeYields(this.#yields, yieldContext(snapshot));
    const plan = planLayer2(this.#planInput(snapshot, snapshot.config));
    this.#plan = plan;
    this.#applyAnnouncements(plan);
    this.#recheckPending();
    // A pending conflict may have resolved into a yield, whose nested update() applied a newer plan.
    if (this.#plan !== plan) return;
    this.#afterPlan(plan, snapshot);
  }

  /** Withdraws everything and stops writing (graceful shutdown; the caller deletes the statuses). */
  stop(): void {
    this.#stopped = true;
    for (const ip of [...this.#announced.keys()]) this.#withdraw(ip, 'shutdown');
    if (this.#retry !== undefined) this.#o.clock.clearTimeout(this.#retry);
    this.#o.metrics.announced.reset();
  }

  /** Resolves when no status write is in flight. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && this.#writing; i++) await new Promise((r) => setImmediate(r));
  }

  #planInput(snapshot: SpeakerSnapshot, config: Config): PlanInput {
    return {
      myNode: this.#o.node,
      config,
      services: snapshot.services,
      endpoints: snapshot.endpoints,
      nodes: snapshot.nodes,
      live: snapshot.live,
      myInterfacesUp: snapshot.interfaces.length > 0,
      ignoreExcludeLb: this.#o.ignoreExcludeLb ?? false,
      yields: this.#yields,
    };
  }

  #applyInterfaces(list: readonly AnnouncerInterface[]): void {
    const key = list.map((i) => `${i.name}/${i.ifindex}/${i.mac}`).join(',');
    if (key === this.#ifaceKey) return;
    this.#ifaceKey = key;
    this.#o.announcer.setInterfaces(list);
    this.#o.metrics.interfaces.set(list.length);
    this.#o.log.info({ interfaces: list.map((i) => i.name) }, 'layer 2 interfaces selected');
  }

  #applyAnnouncements(plan: Plan): void {
    for (const ip of [...this.#announced.keys()]) {
      if (!plan.announce.has(ip)) this.#withdraw(ip, this.#withdrawReason(ip, plan));
    }
    for (const [ip, a] of plan.announce) {
      const interfaces = a.interfaces === 'all' ? undefined : a.interfaces;
      const key = interfaces === undefined ? '*' : interfaces.join(',');
      if (this.#announced.get(ip)?.key === key) continue;
      this.#o.announcer.announce(ip, interfaces);
      this.#announced.set(ip, { key, interfaces });
      this.#o.metrics.takeovers.inc();
      this.#o.log.info({ ip, services: a.services, interfaces: interfaces ?? 'all' }, 'announcing');
    }
  }

  #withdrawReason(ip: string, plan: Plan): string {
    for (const sp of plan.services.values()) {
      if (sp.service.ips.includes(ip))
        return sp.skip ?? (sp.owner !== undefined ? `owner is ${sp.owner}` : 'unknown');
    }
    return 'service gone';
  }

  #withdraw(ip: string, reason: string): void {
    this.#o.announcer.withdraw(ip);
    this.#announced.delete(ip);
    this.#o.log.info({ ip, reason }, 'withdrawn');
  }

  #afterPlan(plan: Plan, snapshot: SpeakerSnapshot): void {
    const desired = new Map<string, L2StatusDesired>();
    const gauge = this.#o.metrics.announced;
    gauge.reset();
    const assigned = new Set<string>();
    for (const sp of plan.services.values()) {
      if (sp.interfaces === undefined) continue;
      const used = snapshot.interfaces.filter(
        (i) => sp.interfaces === 'all' || sp.interfaces?.includes(i.name),
      );
      desired.set(sp.service.key, {
        serviceNamespace: sp.service.namespace,
        serviceName: sp.service.name,
        interfaces: used.map((i) => i.name),
        macs: formatAnnouncingMacs(used),
      });
      assigned.add(sp.service.key);
      for (const ip of sp.service.ips)
        gauge.set({ service: sp.service.key, protocol: PROTOCOL, node: this.#o.node, ip }, 1);
      if (!this.#assigned.has(sp.service.key)) this.#nodeAssigned(sp.service, used, sp.interfaces);
    }
    this.#assigned.clear();
    for (const key of assigned) this.#assigned.add(key);
    this.#desired = desired;
    this.#stale = staleStatuses(snapshot, desired, this.#o.node);
    this.#writeStatuses();
  }

  #nodeAssigned(
    service: SpeakerService,
    used: readonly AnnouncerInterface[],
    wanted: readonly string[] | 'all',
  ): void {
    const ref = { namespace: service.namespace, name: service.name, uid: service.uid };
    const message = `announcing from node "${this.#o.node}" with protocol "${PROTOCOL}"`;
    void this.#o.status.event(ref, { type: 'Normal', reason: 'nodeAssigned', message });
    const missing = wanted === 'all' ? [] : wanted.filter((n) => !used.some((i) => i.name === n));
    if (missing.length > 0 || used.length === 0) {
      const detail =
        missing.length > 0 ? `interfaces ${missing.join(', ')} not found` : 'no interface selected';
      void this.#o.status.event(ref, {
        type: 'Warning',
        reason: 'announceFailed',
        message: `node "${this.#o.node}": ${detail}`,
      });
    }
  }

  #writeStatuses(): void {
    if (this.#writing) {
      this.#dirty = true;
      return;
    }
    this.#writing = true;
    this.#dirty = false;
    const desired = this.#desired;
    this.#o.status
      .syncL2Statuses(desired, this.#stale)
      .then(() => this.#o.metrics.reconciles.inc({ result: 'ok' }))
      .catch((err: unknown) => {
        this.#o.metrics.reconciles.inc({ result: 'status-error' });
        this.#o.log.warn({ err }, 'writing ServiceL2Status failed; retrying');
        this.#scheduleRetry();
      })
      .finally(() => {
        this.#writing = false;
        if (this.#dirty && !this.#stopped) this.#writeStatuses();
      });
  }

  #scheduleRetry(): void {
    if (this.#retry !== undefined || this.#stopped) return;
    this.#retry = this.#o.clock.setTimeout(() => {
      this.#retry = undefined;
      this.#writeStatuses();
    }, this.#o.statusRetryMs ?? 1000);
  }

  #onConflict(conflict: AnnouncerConflict): void {
    // Our own frames heard on another of our interfaces on the same segment are not a conflict.
    const mac = conflict.mac.toLowerCase();
    if (this.#snapshot?.interfaces.some((i) => i.mac.toLowerCase() === mac)) return;
    const now = this.#o.clock.now();
    const id = `${conflict.ip}|${conflict.mac}`;
    const last = this.#lastConflict.get(id);
    const holdoff = this.#o.conflictHoldoffMs ?? 2000;
    if (last !== undefined && now - last < holdoff) return;
    for (const [key, at] of this.#lastConflict) if (now - at >= holdoff) this.#lastConflict.delete(key);
    this.#lastConflict.set(id, now);
    this.#resolve(conflict.ip, conflict.mac, conflict.interface);
  }

  #resolve(ip: string, mac: string, iface: string): void {
    const snapshot = this.#snapshot;
    const service = this.#plan?.announce.get(ip)?.services[0];
    const sp = service === undefined ? undefined : this.#plan?.services.get(service);
    if (snapshot?.config === undefined || sp === undefined) return;
    const claimant = macOwner(
      snapshot.l2Statuses,
      mac,
      this.#o.node,
      this.#plan?.announce.get(ip)?.services ?? [],
    );
    const input = this.#planInput(snapshot, snapshot.config);
    const elected = serviceElection(input, electionNodes(input, true), sp.service);
    if (elected === undefined) return;
    const decision = decideConflict({ myNode: this.#o.node, claimant, election: elected.election });
    const ref = { namespace: sp.service.namespace, name: sp.service.name, uid: sp.service.uid };
    const fields = { ip, mac, interface: iface, claimant: claimant ?? 'unknown' };
    if (decision.action === 'yield') {
      this.#pending.delete(ip);
      this.#yields.set(elected.election.ip, decision.winner);
      this.#o.metrics.conflicts.inc({ ip, resolution: 'yielded' });
      this.#o.log.warn(
        { ...fields, winner: decision.winner },
        'split brain: a higher-ranked node announces this address; yielding',
      );
      void this.#o.status.event(ref, {
        type: 'Warning',
        reason: 'l2Conflict',
        message: `node "${this.#o.node}" saw ${ip} claimed by ${mac} (node "${decision.winner}", ranked higher) and stopped announcing it`,
      });
      this.update(snapshot);
      return;
    }
    if (decision.reason === 'unknown-claimant')
      this.#pending.set(ip, { mac, at: this.#o.clock.now(), iface });
    this.#o.metrics.conflicts.inc({
      ip,
      resolution: decision.reason === 'unknown-claimant' ? 'unknown' : 'kept',
    });
    this.#o.log.warn(
      { ...fields, reason: decision.reason },
      'address conflict: another MAC claims this address; keeping it',
    );
    void this.#o.status.event(ref, {
      type: 'Warning',
      reason: 'l2Conflict',
      message: `node "${this.#o.node}" saw ${ip} claimed by ${mac} (${claimant === undefined ? 'not a known speaker' : `node "${claimant}", ranked lower`}) and keeps announcing it`,
    });
    this.#reassert(ip);
  }

  /** Re-sends the gratuitous burst so that the other claimant and the clients hear this node. */
  #reassert(ip: string): void {
    const a = this.#announced.get(ip);
    if (a !== undefined) this.#o.announcer.announce(ip, a.interfaces);
  }

  #recheckPending(): void {
    const now = this.#o.clock.now();
    for (const [ip, p] of [...this.#pending]) {
      this.#pending.delete(ip);
      const expired = now - p.at > (this.#o.pendingConflictMs ?? 60_000);
      if (expired || !this.#announced.has(ip) || this.#snapshot === undefined) continue;
      const services = this.#plan?.announce.get(ip)?.services ?? [];
      if (macOwner(this.#snapshot.l2Statuses, p.mac, this.#o.node, services) === undefined)
        this.#pending.set(ip, p);
      else this.#resolve(ip, p.mac, p.iface);
    }
  }
}
