/**
 * The working copy a single `step` builds: the next state, the actions so far and the reason for a state
 * change. Helpers here are the only places that open, enter and drop connections, so entry and exit
 * actions live in one spot (BIRD bgp_conn_enter_*_state), and `dropConnection` is the one "send
 * NOTIFICATION, then close" path (BIRD bgp_error).
 */
import type { NotificationMessage } from '../types.js';
import {
  countFailure,
  idleHoldDelayMs,
  jitter,
  jitteredKeepaliveMs,
  MS_PER_SECOND,
  OPEN_SENT_HOLD_TIME_S,
} from './timers.js';
import type {
  Connection,
  ConnId,
  Direction,
  FsmAction,
  FsmEnv,
  FsmState,
  StateReason,
  TimerName,
} from './types.js';

export interface Draft {
  state: FsmState;
  readonly actions: FsmAction[];
  reason?: StateReason;
  readonly env: FsmEnv;
}

export function update(d: Draft, patch: Partial<FsmState>): void {
  d.state = { ...d.state, ...patch };
}

export function startTimer(d: Draft, timer: TimerName, durationMs: number, conn?: ConnId): void {
  d.actions.push({ type: 'startTimer', timer, durationMs, ...(conn !== undefined ? { conn } : {}) });
}

export function stopTimer(d: Draft, timer: TimerName, conn?: ConnId): void {
  d.actions.push({ type: 'stopTimer', timer, ...(conn !== undefined ? { conn } : {}) });
}

export function findConnection(s: FsmState, id: ConnId): Connection | undefined {
  return s.connections.find((c) => c.id === id);
}

export function replaceConnection(d: Draft, conn: Connection): void {
  update(d, { connections: d.state.connections.map((c) => (c.id === conn.id ? conn : c)) });
}

function addConnection(d: Draft, direction: Direction, state: Connection['state']): ConnId {
  const id = d.state.nextConnId;
  update(d, { nextConnId: id + 1, connections: [...d.state.connections, { id, direction, state }] });
  return id;
}

/** Starts an outbound attempt: Connect state, ConnectRetryTimer running (RFC 4271 §8.2.2 Idle, Event 1). */
export function openOutbound(d: Draft): void {
  const id = addConnection(d, 'outbound', 'Connect');
  startTimer(d, 'ConnectRetryTimer', jitter(d.state.config.connectRetryTimeMs, d.env.random));
  d.actions.push({ type: 'connect', conn: id });
}

/** Adopts the peer's connection: send OPEN, HoldTimer at the OpenSent value (Events 16/17). */
export function acceptInbound(d: Draft): void {
  const id = addConnection(d, 'inbound', 'OpenSent');
  d.actions.push({ type: 'accept', conn: id, direction: 'inbound' });
  enterOpenSent(d, id);
}

export function enterOpenSent(d: Draft, conn: ConnId): void {
  stopTimer(d, 'ConnectRetryTimer');
  d.actions.push({ type: 'send', conn, message: d.state.config.open });
  startTimer(d, 'HoldTimer', OPEN_SENT_HOLD_TIME_S * MS_PER_SECOND, conn);
}

/** Sends a KEEPALIVE and re-arms the KeepaliveTimer (no timer when the hold time is 0). */
export function sendKeepalive(d: Draft, conn: Connection): void {
  d.actions.push({ type: 'send', conn: conn.id, message: { type: 'keepalive' } });
  restartKeepaliveTimer(d, conn);
}

export function restartKeepaliveTimer(d: Draft, conn: Connection): void {
  const interval = conn.negotiated?.keepaliveMs ?? 0;
  if (interval > 0) startTimer(d, 'KeepaliveTimer', jitteredKeepaliveMs(interval, d.env.random), conn.id);
}

/** Re-arms the HoldTimer at the negotiated value; with a zero hold time there is no HoldTimer. */
export function restartHoldTimer(d: Draft, conn: Connection): void {
  const holdS = conn.negotiated?.holdTimeS ?? OPEN_SENT_HOLD_TIME_S;
  if (holdS > 0) startTimer(d, 'HoldTimer', holdS * MS_PER_SECOND, conn.id);
  else stopTimer(d, 'HoldTimer', conn.id);
}

/**
 * What happens to the peer when the last connection goes:
 * - `failure`: Idle, ConnectRetryCounter + 1, IdleHoldTimer back-off before the automatic restart;
 * - `no-penalty`: Idle and back-off without counting a failure (NotifMsgVerErr);
 * - `active`: Active, ConnectRetryTimer restarted (RFC 4271 OpenSent, Event 18);
 * - `quiet`: nothing (a connection among others, or a manual stop that handles the peer itself).
 */
export type DropOutcome = 'failure' | 'no-penalty' | 'active' | 'quiet';

/** The one closing path: NOTIFICATION (if any), close, forget the connection, settle the peer state. */
export function dropConnection(
  d: Draft,
  conn: Connection,
  reason: StateReason,
  outcome: DropOutcome,
  notification?: NotificationMessage,
): void {
  d.actions.push({
    type: 'close',
    conn: conn.id,
    ...(notification !== undefined && conn.state !== 'Connect' ? { notification } : {}),
  });
  update(d, { connections: d.state.connections.filter((c) => c.id !== conn.id) });
  d.reason = reason;
  if (d.state.connections.length > 0 || d.state.admin !== 'started' || outcome === 'quiet') return;
  settle(d, outcome);
}

/** The peer has no connection left: Active (ConnectRetryTimer) or Idle (IdleHoldTimer back-off). */
export function settle(d: Draft, outcome: Exclude<DropOutcome, 'quiet'>): void {
  if (outcome === 'active') {
    update(d, { rest: 'Active' });
    if (!d.state.passive) {
      startTimer(d, 'ConnectRetryTimer', jitter(d.state.config.connectRetryTimeMs, d.env.random));
    }
    return;
  }
  const s = d.state;
  const counter =
    outcome === 'failure'
      ? countFailure(s.connectRetryCounter, s.lastFailureAt, d.env.now, s.config.idleHold)
      : Math.max(s.connectRetryCounter, 1);
  update(d, {
    rest: 'Idle',
    connectRetryCounter: counter,
    ...(outcome === 'failure' ? { lastFailureAt: d.env.now } : {}),
  });
  startTimer(d, 'IdleHoldTimer', idleHoldDelayMs(counter, s.config.idleHold, d.env.random));
}
