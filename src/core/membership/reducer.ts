/**
 * The membership reducer: `step(state, event, now) -> { state, actions }`. SWIM (Das, Gupta, Motivala
 * 2002) with a shared rotating probe ring (ring.ts; shuffled round robin as fallback), direct then
 * indirect (ping-req) probes, suspicion with a timeout and refutation by incarnation, infection-style
 * dissemination piggybacked on every message plus short gossip bursts while news is fresh, and a
 * graceful leave sent to every member.
 * The roster comes from the Kubernetes API (peerSetChanged); time comes only from `now`.
 */
import { sample, shuffled } from './random.js';
import { ringTarget } from './ring.js';
import {
  deleteMember,
  draftOf,
  isUp,
  nextSeq,
  putMember,
  rebuildRing,
  send,
  type Draft,
  type MembershipState,
} from './state.js';
import { applyUpdate } from './updates.js';
import type { Member, MembershipAction, MembershipEvent, Message, Peer } from './types.js';

export interface StepResult {
  readonly state: MembershipState;
  readonly actions: readonly MembershipAction[];
}

export function step(state: MembershipState, event: MembershipEvent, now: number): StepResult {
  if (state.left) return { state, actions: [] };
  const d = draftOf(state, now);
  switch (event.type) {
    case 'peerSetChanged':
      onPeers(d, event.peers);
      break;
    case 'messageReceived':
      onMessage(d, event.message);
      break;
    case 'tick':
      onTick(d);
      break;
    case 'leave':
      onLeave(d);
      break;
  }
  return { state: d.s, actions: d.actions };
}

function onPeers(d: Draft, peers: readonly Peer[]): void {
  const listed = new Map(peers.filter((p) => p.name !== d.s.self).map((p) => [p.name, p]));
  for (const m of d.s.members.values()) {
    if (listed.has(m.name)) continue;
    deleteMember(d, m.name);
    if (isUp(m)) d.actions.push({ type: 'memberLeft', name: m.name, reason: 'removed' });
  }
  for (const p of listed.values()) {
    const m = d.s.members.get(p.name);
    if (!m) {
      putMember(d, { name: p.name, address: p.address, status: 'alive', incarnation: 0 });
      d.actions.push({ type: 'memberUp', name: p.name });
    } else if (m.address !== p.address) putMember(d, { ...m, address: p.address });
  }
  rebuildRing(d);
}

function onMessage(d: Draft, msg: Message): void {
  const sender = d.s.members.get(msg.from);
  // Unknown senders are not in our roster; a lower incarnation than we know is a stale or replayed packet.
  if (!sender || msg.incarnation < sender.incarnation) return;
  if (sender.status === 'dead' && msg.incarnation === sender.incarnation) {
    // It is alive but does not know we declared it dead: tell it, so it refutes with a higher incarnation.
    // Its news about us still counts (it may be telling us the same thing), so we can refute too.
    for (const u of msg.updates) if (u.name === d.s.self) applyUpdate(d, u);
    send(d, sender, 'gossip', {
      extra: [{ kind: 'dead', name: sender.name, incarnation: sender.incarnation }],
    });
    return;
  }
  const newIncarnation = applyUpdate(d, { kind: 'alive', name: msg.from, incarnation: msg.incarnation });
  for (const u of msg.updates) applyUpdate(d, u);
  const from = d.s.members.get(msg.from) ?? sender;
  if (newIncarnation) sendFailed(d, from);
  switch (msg.type) {
    case 'ping':
      send(d, from, 'ack', { seq: msg.seq });
      break;
    case 'ack':
      onAck(d, msg.seq);
      break;
    case 'ping-req':
      onPingReq(d, from, msg);
      break;
    case 'gossip':
      break;
  }
}

/** A peer with a new incarnation (it restarted, or refuted) learns which members we believe failed. */
function sendFailed(d: Draft, from: Member): void {
  const failed = [...d.s.members.values()]
    .filter((m) => m.status !== 'alive' && m.name !== from.name)
    .map((m) => ({ kind: m.status, name: m.name, incarnation: m.incarnation }));
  const chunk = d.s.config.maxUpdatesPerMessage;
  for (let i = 0; i < failed.length; i += chunk)
    send(d, from, 'gossip', { extra: failed.slice(i, i + chunk) });
}

function onAck(d: Draft, seq: number): void {
  if (d.s.probe?.seq === seq) {
    d.s.probe = undefined;
    return;
  }
  const relay = d.s.relays.get(seq);
  if (!relay) return;
  const relays = new Map(d.s.relays);
  relays.delete(seq);
  d.s.relays = relays;
  const requester = d.s.members.get(relay.requester);
  if (requester) send(d, requester, 'ack', { seq: relay.requesterSeq });
}

function onPingReq(d: Draft, from: Member, msg: Message): void {
  const target = msg.target === undefined ? undefined : d.s.members.get(msg.target);
  if (!target || target.status === 'dead' || target.status === 'left') return;
  const seq = nextSeq(d);
  const relays = new Map(d.s.relays);
  relays.set(seq, {
    requester: from.name,
    requesterSeq: msg.seq,
    expiresAt: d.now + d.s.config.probeIntervalMs,
  });
  d.s.relays = relays;
  send(d, target, 'ping', { seq });
}

function onLeave(d: Draft): void {
  const news = { kind: 'left' as const, name: d.s.self, incarnation: d.s.incarnation };
  for (const m of d.s.members.values()) {
    if (m.status !== 'dead' && m.status !== 'left') send(d, m, 'gossip', { extra: [news] });
  }
  d.s.left = true;
  d.s.probe = undefined;
  d.s.queue = [];
}

function onTick(d: Draft): void {
  // The clock went backwards (periods use wall-clock time): probe again now rather than wait it out.
  if (d.s.nextProbeAt - d.now > d.s.config.probeIntervalMs) d.s.nextProbeAt = d.now;
  if (d.s.nextDeadProbeAt - d.now > d.s.config.deadProbeIntervalMs) d.s.nextDeadProbeAt = d.now;
  expireRelays(d);
  expireSuspicions(d);
  advanceProbe(d);
  if (d.now >= d.s.nextProbeAt) startProbe(d);
  if (d.now >= d.s.nextDeadProbeAt) probeDead(d);
  gossip(d);
}

/**
 * Pings one member we believe dead. If it is in fact alive (a healed partition, or a false positive
 * nobody told it about), each side tells the other it was declared dead, both refute with a higher
 * incarnation, and the refutations spread: the two sides merge again.
 */
function probeDead(d: Draft): void {
  d.s.nextDeadProbeAt = d.now + d.s.config.deadProbeIntervalMs;
  const dead = [...d.s.members.values()].filter((m) => m.status === 'dead');
  const picked = sample(dead, 1, d.s.seed);
  d.s.seed = picked.seed;
  for (const m of picked.items) send(d, m, 'ping', { seq: nextSeq(d) });
}

function expireRelays(d: Draft): void {
  if (d.s.relays.size === 0) return;
  const live = [...d.s.relays].filter(([, r]) => r.expiresAt > d.now);
  if (live.length !== d.s.relays.size) d.s.relays = new Map(live);
}

function expireSuspicions(d: Draft): void {
  for (const [name, deadline] of d.s.suspicions) {
    const m = d.s.members.get(name);
    if (m && d.now >= deadline) applyUpdate(d, { kind: 'dead', name, incarnation: m.incarnation });
  }
}

function helpersFor(d: Draft, target: string): Member[] {
  return [...d.s.members.values()].filter((m) => m.status === 'alive' && m.name !== target);
}

function advanceProbe(d: Draft): void {
  const probe = d.s.probe;
  if (!probe) return;
  const { probeTimeoutMs, indirectTimeoutMs, indirectChecks } = d.s.config;
  const target = d.s.members.get(probe.target);
  if (!target || target.status === 'dead' || target.status === 'left') {
    d.s.probe = undefined;
    return;
  }
  if (d.now >= probe.startedAt + probeTimeoutMs + indirectTimeoutMs) {
    d.s.probe = undefined;
    const news = { kind: 'suspect' as const, name: target.name, incarnation: target.incarnation };
    // Tell the suspect directly so it can refute within the suspicion timeout.
    if (applyUpdate(d, news)) send(d, target, 'gossip', { extra: [news] });
    return;
  }
  if (!probe.indirectSent && d.now >= probe.startedAt + probeTimeoutMs) {
    const picked = sample(helpersFor(d, target.name), indirectChecks, d.s.seed);
    d.s.seed = picked.seed;
    for (const helper of picked.items) send(d, helper, 'ping-req', { seq: probe.seq, target: target.name });
    d.s.probe = { ...probe, indirectSent: true };
  }
}

function probeable(m: Member | undefined): m is Member {
  return m !== undefined && m.status !== 'dead' && m.status !== 'left';
}

/** The ring target of this period; when it is down, the next member of a shuffled round robin. */
function nextTarget(d: Draft, period: number): Member | undefined {
  const ring = d.s.members.get(ringTarget(d.s.ring, d.s.ringIndex, period) ?? '');
  return probeable(ring) ? ring : roundRobinTarget(d);
}

/** The next target in a shuffled round-robin order (SWIM §4.3). */
function roundRobinTarget(d: Draft): Member | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    while (d.s.probeIndex < d.s.probeOrder.length) {
      const m = d.s.members.get(d.s.probeOrder[d.s.probeIndex]!);
      d.s.probeIndex++;
      if (probeable(m)) return m;
    }
    const names = [...d.s.members.values()].filter(probeable).map((m) => m.name);
    const order = shuffled(names, d.s.seed);
    d.s.seed = order.seed;
    d.s.probeOrder = order.items;
    d.s.probeIndex = 0;
  }
  return undefined;
}

function startProbe(d: Draft): void {
  const interval = d.s.config.probeIntervalMs;
  const period = Math.floor((d.now - d.s.phase) / interval);
  d.s.nextProbeAt = (period + 1) * interval + d.s.phase;
  if (d.s.probe) return;
  const target = nextTarget(d, period);
  if (!target) return;
  const seq = nextSeq(d);
  d.s.probe = { target: target.name, seq, startedAt: d.now, indirectSent: false };
  send(d, target, 'ping', { seq });
}

function gossip(d: Draft): void {
  if (d.s.queue.length === 0 || d.now < d.s.nextGossipAt) return;
  d.s.nextGossipAt = d.now + d.s.config.gossipIntervalMs;
  const up = [...d.s.members.values()].filter(isUp);
  if (up.length === 0) {
    d.s.queue = []; // nobody to tell; a later peer learns what matters from its own probes
    return;
  }
  const picked = sample(up, d.s.config.gossipFanout, d.s.seed);
  d.s.seed = picked.seed;
  for (const m of picked.items) send(d, m, 'gossip');
}

/** The earliest time the reducer wants a tick (the adapter arms one timer for it). */
export function nextWakeup(state: MembershipState): number {
  const c = state.config;
  let at = Math.min(state.nextProbeAt, state.nextDeadProbeAt);
  if (state.probe) {
    const p = state.probe;
    at = Math.min(
      at,
      p.indirectSent ? p.startedAt + c.probeTimeoutMs + c.indirectTimeoutMs : p.startedAt + c.probeTimeoutMs,
    );
  }
  if (state.queue.length > 0) at = Math.min(at, state.nextGossipAt);
  for (const r of state.relays.values()) at = Math.min(at, r.expiresAt);
  for (const deadline of state.suspicions.values()) at = Math.min(at, deadline);
  return at;
}

/** Names of the members currently up (alive or suspect), self included unless it has left. */
export function liveMembers(state: MembershipState): string[] {
  const up = [...state.members.values()].filter(isUp).map((m) => m.name);
  return state.left ? up : [state.self, ...up];
}
