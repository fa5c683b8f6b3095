/**
 * The BFD state machine as a pure reducer (RFC 5880 §6.2, §6.8): `step(state, event, nowMs)` returns the
 * next state and the actions (packets to send, timers to arm or cancel, state changes to report). The
 * caller owns sockets, timers and randomness. Asynchronous mode only: this side never asks for Demand
 * mode and never runs the Echo function, but it honours a remote system's Demand bit.
 */
import { BfdDiagnostic, BFD_INITIAL_REMOTE_MIN_RX_US } from '../codec/index.js';
import { checkTimerParameters } from './config.js';
import { receivePacket } from './reception.js';
import { applyTargetIntervals, enterState, periodicPacket } from './transitions.js';
import { armTxTimer, mayTransmitPeriodically, remoteDetectionTimeUs, txIntervalUs } from './timers.js';
import type { BfdFsmAction, BfdFsmEvent, BfdFsmState, BfdStepResult, BfdTimerParameters } from './types.js';

export function step(state: BfdFsmState, event: BfdFsmEvent, nowMs: number): BfdStepResult {
  const result = handle(state, event, nowMs);
  return reconcileTxTimer(result.state, [...result.actions], nowMs);
}

function handle(s: BfdFsmState, event: BfdFsmEvent, nowMs: number): BfdStepResult {
  switch (event.type) {
    case 'packet-received':
      return receivePacket(s, event.packet, nowMs);
    case 'detect-timer-expired':
      return onDetectTimer(s, nowMs);
    case 'tx-timer-expired':
      return onTxTimer(s, nowMs);
    case 'admin-up':
      return onAdminUp(s);
    case 'admin-down':
      return onAdminDown(s, nowMs);
    case 'set-parameters':
      return onSetParameters(s, event.parameters);
  }
}

/** §6.8.4: no packet for a Detection Time: Init/Up go Down with diagnostic 1; the remote is forgotten. */
function onDetectTimer(s: BfdFsmState, nowMs: number): BfdStepResult {
  if (s.detectDeadlineMs === undefined) return { state: s, actions: [] };
  if (nowMs < s.detectDeadlineMs) {
    const delayUs = (s.detectDeadlineMs - nowMs) * 1000;
    return { state: s, actions: [{ type: 'arm-detect-timer', delayUs }] };
  }
  const actions: BfdFsmAction[] = [];
  let next: BfdFsmState = {
    ...s,
    detectDeadlineMs: undefined,
    remoteDiscr: 0,
    remoteState: 'Down',
    remoteMinRxUs: BFD_INITIAL_REMOTE_MIN_RX_US,
    remoteDesiredMinTxUs: 0,
    remoteDetectMult: 0,
    remoteDemand: false,
  };
  if (s.sessionState === 'Init' || s.sessionState === 'Up') {
    next = enterState(next, 'Down', BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED, actions);
  }
  return { state: next, actions };
}

/** §6.8.7: the periodic packet; `reconcileTxTimer` re-arms the timer if sending is still allowed. */
function onTxTimer(s: BfdFsmState, nowMs: number): BfdStepResult {
  if (!s.txRunning) return { state: s, actions: [] };
  const stopped = { ...s, txRunning: false };
  if (!mayTransmitPeriodically(stopped, nowMs)) return { state: stopped, actions: [] };
  return { state: { ...stopped, lastTxMs: nowMs }, actions: [periodicPacket(stopped)] };
}

/** §6.8.16: leaving AdminDown enters Down. */
function onAdminUp(s: BfdFsmState): BfdStepResult {
  if (s.sessionState !== 'AdminDown') return { state: s, actions: [] };
  const actions: BfdFsmAction[] = [];
  const next = enterState(s, 'Down', BfdDiagnostic.NO_DIAGNOSTIC, actions);
  return { state: { ...next, adminDownUntilMs: undefined }, actions };
}

/**
 * §6.8.16: enter AdminDown with diagnostic 7, stop detection, tell the remote at once and keep sending
 * AdminDown for one of its detection times.
 */
function onAdminDown(s: BfdFsmState, nowMs: number): BfdStepResult {
  if (s.sessionState === 'AdminDown') return { state: s, actions: [] };
  const actions: BfdFsmAction[] = [];
  let next = enterState(s, 'AdminDown', BfdDiagnostic.ADMINISTRATIVELY_DOWN, actions);
  if (next.detectDeadlineMs !== undefined) actions.push({ type: 'cancel-detect-timer' });
  next = {
    ...next,
    detectDeadlineMs: undefined,
    adminDownUntilMs: nowMs + remoteDetectionTimeUs(next) / 1000,
  };
  if (mayTransmitPeriodically(next, nowMs)) {
    actions.push(periodicPacket(next));
    next = { ...next, lastTxMs: nowMs };
  }
  return { state: next, actions };
}

/** §6.8.3: new timer parameters; a change of the advertised intervals while Up starts a Poll Sequence. */
function onSetParameters(s: BfdFsmState, parameters: Partial<BfdTimerParameters>): BfdStepResult {
  checkTimerParameters(parameters);
  const defined = Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== undefined));
  const next = applyTargetIntervals({ ...s, config: { ...s.config, ...defined } });
  return { state: next, actions: [] };
}

/**
 * After every event: start the transmit timer when sending became allowed (sending one packet at once
 * unless the last one went out less than an interval ago), stop it when it became forbidden, and re-arm
 * it when the negotiated interval changed.
 */
function reconcileTxTimer(s: BfdFsmState, actions: BfdFsmAction[], nowMs: number): BfdStepResult {
  const allowed = mayTransmitPeriodically(s, nowMs);
  const interval = txIntervalUs(s);
  if (!allowed) {
    if (s.txRunning) actions.push({ type: 'cancel-tx-timer' });
    return { state: { ...s, txRunning: false }, actions };
  }
  if (s.txRunning && interval === s.txIntervalUs) return { state: s, actions };
  let next = s;
  const intervalElapsed = s.lastTxMs === undefined || nowMs - s.lastTxMs >= interval / 1000;
  if (!s.txRunning && intervalElapsed) {
    actions.push(periodicPacket(s));
    next = { ...next, lastTxMs: nowMs };
  }
  actions.push(armTxTimer(next));
  return { state: { ...next, txRunning: true, txIntervalUs: interval }, actions };
}
