/**
 * Membership state and the copy-on-write draft the reducer works on: a step copies the top-level
 * record, and the member map only when a member actually changes, so the reducer stays pure without
 * copying 1000 members on every ping. Also the gossip queue (retransmission counts) and piggybacking.
 */
import { buildRing, probePhase } from './ring.js';
import { DEFAULT_MEMBERSHIP_CONFIG } from './types.js';
import type { Member, MembershipAction, MembershipConfig, Message, MessageType, Update } from './types.js';

export interface ProbeState {
  readonly target: string;
  readonly seq: number;
  readonly startedAt: number;
  readonly indirectSent: boolean;
}

/** A ping we send on behalf of a ping-req; its ack is forwarded to the requester. */
export interface Relay {
  readonly requester: string;
  readonly requesterSeq: number;
  readonly expiresAt: number;
}

export interface QueuedUpdate {
  readonly update: Update;
  readonly remaining: number;
}

export interface MembershipState {
  readonly config: MembershipConfig;
  readonly self: string;
  readonly incarnation: number;
  readonly seq: number;
  readonly seed: number;
  readonly members: ReadonlyMap<string, Member>;
  /** Suspect members and when their suspicion expires (kept apart so ticks do not scan every member). */
  readonly suspicions: ReadonlyMap<string, number>;
  readonly probe: ProbeState | undefined;
  readonly nextProbeAt: number;
  /** This member's offset inside every protocol period (staggers probes across members). */
  readonly phase: number;
  /** The shared probe ring (roster, self included) and our position in it. */
  readonly ring: readonly string[];
  readonly ringIndex: number;
  /** Fallback order (shuffled round robin) when the ring target is down. */
  readonly probeOrder: readonly string[];
  readonly probeIndex: number;
  readonly relays: ReadonlyMap<number, Relay>;
  readonly queue: readonly QueuedUpdate[];
  readonly nextGossipAt: number;
  readonly nextDeadProbeAt: number;
  readonly left: boolean;
}

export interface MembershipInit {
  readonly self: string;
  /** Must grow across restarts of the same node (e.g. start time in seconds), uint32. */
  readonly incarnation: number;
  readonly seed: number;
  readonly now: number;
  readonly config?: Partial<MembershipConfig>;
}

export function createMembership(init: MembershipInit): MembershipState {
  const config = { ...DEFAULT_MEMBERSHIP_CONFIG, ...init.config };
  const phase = probePhase(init.self, config.probeIntervalMs);
  return {
    config,
    self: init.self,
    incarnation: init.incarnation >>> 0,
    seq: 0,
    seed: init.seed >>> 0,
    members: new Map(),
    suspicions: new Map(),
    probe: undefined,
    nextProbeAt: periodStart(init.now, phase, config.probeIntervalMs),
    phase,
    ring: [init.self],
    ringIndex: 0,
    probeOrder: [],
    probeIndex: 0,
    relays: new Map(),
    queue: [],
    nextGossipAt: init.now,
    nextDeadProbeAt: init.now + config.deadProbeIntervalMs,
    left: false,
  };
}

/** The first probe time at or after `now` for a member with this phase. */
export function periodStart(now: number, phase: number, intervalMs: number): number {
  const p = Math.ceil((now - phase) / intervalMs);
  return p * intervalMs + phase;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface Draft {
  readonly s: Mutable<MembershipState>;
  readonly now: number;
  readonly actions: MembershipAction[];
  membersCopied: boolean;
}

export function draftOf(state: MembershipState, now: number): Draft {
  return { s: { ...state }, now, actions: [], membersCopied: false };
}

export function putMember(d: Draft, member: Member): void {
  if (!d.membersCopied) {
    d.s.members = new Map(d.s.members);
    d.membersCopied = true;
  }
  (d.s.members as Map<string, Member>).set(member.name, member);
}

export function deleteMember(d: Draft, name: string): void {
  if (!d.membersCopied) {
    d.s.members = new Map(d.s.members);
    d.membersCopied = true;
  }
  (d.s.members as Map<string, Member>).delete(name);
  setSuspicion(d, name, undefined);
}

export function setSuspicion(d: Draft, name: string, deadline: number | undefined): void {
  if (deadline === undefined && !d.s.suspicions.has(name)) return;
  const next = new Map(d.s.suspicions);
  if (deadline === undefined) next.delete(name);
  else next.set(name, deadline);
  d.s.suspicions = next;
}

/** Rebuilds the probe ring from self and every member not known to be dead or gone. */
export function rebuildRing(d: Draft): void {
  const names = [d.s.self];
  for (const m of d.s.members.values()) if (m.status !== 'dead' && m.status !== 'left') names.push(m.name);
  d.s.ring = buildRing(names);
  d.s.ringIndex = d.s.ring.indexOf(d.s.self);
}

export function isUp(m: Member): boolean {
  return m.status === 'alive' || m.status === 'suspect';
}

/** memberlist's retransmit limit: mult * ceil(log10(n + 1)). */
export function retransmitLimit(config: MembershipConfig, members: number): number {
  return config.retransmitMult * Math.max(1, Math.ceil(Math.log10(members + 1)));
}

/** Queues an update for dissemination, replacing older news about the same member. */
export function enqueue(d: Draft, update: Update): void {
  const rest = d.s.queue.filter((q) => q.update.name !== update.name);
  const remaining = retransmitLimit(d.s.config, d.s.members.size + 1);
  d.s.queue = [{ update, remaining }, ...rest];
}

/** Takes up to `room` queued updates to ride on one outgoing message, spending one retransmission of each. */
function piggyback(d: Draft, room: number, skip: readonly Update[]): Update[] {
  const taken: QueuedUpdate[] = [];
  const rest: QueuedUpdate[] = [];
  for (const q of d.s.queue) {
    if (taken.length < room && !skip.some((u) => u.name === q.update.name)) taken.push(q);
    else rest.push(q);
  }
  if (taken.length === 0) return [];
  const spent = taken
    .map((q) => ({ update: q.update, remaining: q.remaining - 1 }))
    .filter((q) => q.remaining > 0);
  d.s.queue = [...spent, ...rest];
  return taken.map((q) => q.update);
}

export interface SendOptions {
  readonly seq?: number;
  readonly target?: string;
  /** Updates sent in addition to (before) the piggybacked queue. */
  readonly extra?: readonly Update[];
}

export function send(d: Draft, to: Member, type: MessageType, options: SendOptions = {}): void {
  const max = d.s.config.maxUpdatesPerMessage;
  const extra = (options.extra ?? []).slice(0, max);
  const updates = [...extra, ...piggyback(d, max - extra.length, extra)];
  const message: Message = {
    type,
    from: d.s.self,
    incarnation: d.s.incarnation,
    seq: options.seq ?? 0,
    ...(options.target !== undefined ? { target: options.target } : {}),
    updates,
  };
  d.actions.push({ type: 'send', to: to.name, address: to.address, message });
}

/** The next probe sequence number (uint32, wraps). */
export function nextSeq(d: Draft): number {
  d.s.seq = (d.s.seq + 1) >>> 0;
  return d.s.seq;
}
