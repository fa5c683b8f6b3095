/**
 * SWIM's update rules (Das et al. 2002 §4.2, with memberlist's `left`): which piece of gossip overrides
 * what we know, the memberUp/memberDown/memberLeft actions it produces, and refutation of suspicion
 * about ourselves by raising our incarnation. Every accepted update is queued for re-dissemination.
 */
import { enqueue, isUp, putMember, rebuildRing, setSuspicion, type Draft } from './state.js';
import type { Member, MemberStatus, Update } from './types.js';

function isGone(status: MemberStatus): boolean {
  return status === 'dead' || status === 'left';
}

function setStatus(d: Draft, m: Member, status: MemberStatus, incarnation: number): void {
  const wasUp = isUp(m);
  const base = { name: m.name, address: m.address, status, incarnation };
  const next: Member = status === 'suspect' ? { ...base, suspectSince: d.now } : base;
  putMember(d, next);
  setSuspicion(d, m.name, status === 'suspect' ? d.now + d.s.config.suspicionTimeoutMs : undefined);
  if (isGone(m.status) !== isGone(status)) rebuildRing(d);
  if (!wasUp && isUp(next)) d.actions.push({ type: 'memberUp', name: m.name });
  if (wasUp && status === 'dead') d.actions.push({ type: 'memberDown', name: m.name });
  if (wasUp && status === 'left') d.actions.push({ type: 'memberLeft', name: m.name, reason: 'leave' });
}

/** Suspicion or death of ourselves at our incarnation (or later) is refuted with a higher one. */
function refute(d: Draft, u: Update): void {
  if (d.s.left || u.kind === 'alive' || u.incarnation < d.s.incarnation) return;
  d.s.incarnation = (u.incarnation + 1) >>> 0;
  enqueue(d, { kind: 'alive', name: d.s.self, incarnation: d.s.incarnation });
}

function accepts(m: Member, u: Update): boolean {
  switch (u.kind) {
    case 'alive':
      return u.incarnation > m.incarnation;
    case 'suspect':
      if (m.status === 'alive') return u.incarnation >= m.incarnation;
      return m.status === 'suspect' && u.incarnation > m.incarnation;
    case 'dead':
      return m.status !== 'dead' && m.status !== 'left' && u.incarnation >= m.incarnation;
    case 'left':
      return m.status !== 'left' && u.incarnation >= m.incarnation;
  }
}

/** Applies one update; returns whether it changed anything. Unknown members are ignored (the API is the roster). */
export function applyUpdate(d: Draft, u: Update): boolean {
  if (u.name === d.s.self) {
    refute(d, u);
    return false;
  }
  const m = d.s.members.get(u.name);
  if (!m || !accepts(m, u)) return false;
  setStatus(d, m, u.kind, u.incarnation);
  enqueue(d, u);
  return true;
}
