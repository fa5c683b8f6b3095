/**
 * RFC 5880 §6.8.6: what a session does with a control packet that passed the codec's checks and was
 * demultiplexed to it — remote variables, Poll Sequence termination, the state table, the Final reply
 * and the detection timer.
 */
import { BfdDiagnostic, type BfdControlPacket, type BfdState } from '../codec/index.js';
import { controlPacket, enterState } from './transitions.js';
import { detectionTimeUs } from './timers.js';
import type { BfdFsmAction, BfdFsmState, BfdStepResult } from './types.js';

/** §6.8.6 state table: the next local state and its diagnostic, or undefined to stay. */
export function nextStateOnReceive(
  local: BfdState,
  remote: BfdState,
): { state: BfdState; diagnostic: number } | undefined {
  if (remote === 'AdminDown') {
    return local === 'Init' || local === 'Up'
      ? { state: 'Down', diagnostic: BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN }
      : undefined;
  }
  switch (local) {
    case 'Down':
      if (remote === 'Down') return { state: 'Init', diagnostic: BfdDiagnostic.NO_DIAGNOSTIC };
      if (remote === 'Init') return { state: 'Up', diagnostic: BfdDiagnostic.NO_DIAGNOSTIC };
      return undefined;
    case 'Init':
      return remote === 'Init' || remote === 'Up'
        ? { state: 'Up', diagnostic: BfdDiagnostic.NO_DIAGNOSTIC }
        : undefined;
    case 'Up':
      return remote === 'Down'
        ? { state: 'Down', diagnostic: BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN }
        : undefined;
    case 'AdminDown':
      return undefined;
  }
}

export function receivePacket(s: BfdFsmState, p: BfdControlPacket, nowMs: number): BfdStepResult {
  if (p.auth !== undefined) {
    return { state: s, actions: [{ type: 'discard', reason: 'authentication-not-configured' }] };
  }
  const actions: BfdFsmAction[] = [];
  let next: BfdFsmState = {
    ...s,
    remoteDiscr: p.myDiscriminator,
    remoteState: p.state,
    remoteDemand: p.demand,
    remoteMinRxUs: p.requiredMinRxUs,
    remoteDesiredMinTxUs: p.desiredMinTxUs,
    remoteDetectMult: p.detectMult,
  };
  if (p.final && next.pollActive) {
    next = { ...next, pollActive: false, inUse: next.advertised };
    actions.push({ type: 'poll-complete', inUse: next.inUse });
  }
  if (next.sessionState === 'AdminDown') {
    actions.push({ type: 'discard', reason: 'session-admin-down' });
    return { state: next, actions };
  }
  const change = nextStateOnReceive(next.sessionState, p.state);
  if (change !== undefined) next = enterState(next, change.state, change.diagnostic, actions);
  if (p.poll) actions.push({ type: 'send', packet: controlPacket(next, { poll: false, final: true }) });
  return restartDetectTimer(next, nowMs, actions);
}

function restartDetectTimer(s: BfdFsmState, nowMs: number, actions: BfdFsmAction[]): BfdStepResult {
  const delayUs = detectionTimeUs(s);
  if (delayUs <= 0) {
    if (s.detectDeadlineMs !== undefined) actions.push({ type: 'cancel-detect-timer' });
    return { state: { ...s, detectDeadlineMs: undefined }, actions };
  }
  actions.push({ type: 'arm-detect-timer', delayUs });
  return { state: { ...s, detectDeadlineMs: nowMs + delayUs / 1000 }, actions };
}
