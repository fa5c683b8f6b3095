/**
 * The BGP-4 FSM reducer (RFC 4271 §8): `step(state, event, env) -> { state, actions }`. Peer-level events
 * (start, stop, ConnectRetryTimer, IdleHoldTimer, a new inbound connection) are handled here; events of one
 * connection go to connection.ts. Every change of the peer's RFC state is reported as a `stateChange`
 * action carrying a typed reason.
 *
 * Deliberate choices, all within the RFC's latitude:
 * - Automatic restart after an error uses the IdleHoldTimer (DampPeerOscillations) with a doubling,
 *   capped, jittered delay that is forgotten after a quiet period (BIRD "error amnesia"). Every error
 *   counts, including a refused TCP connection.
 * - Passive mode never connects (RFC 4271 would connect when the ConnectRetryTimer expires in Active).
 * - Inbound connections are refused while Idle (stopped, or holding off after an error).
 * - The optional DelayOpen and TCP collision-on-SYN features (RFC 4271 §8.1.1) are not offered.
 */
import { connectionEvent, type ConnectionEvent } from './connection.js';
import {
  acceptInbound,
  dropConnection,
  findConnection,
  openOutbound,
  settle,
  stopTimer,
  update,
  type Draft,
} from './draft.js';
import { COLLISION_NOTIFICATION } from './collision.js';
import {
  ceaseNotification,
  CONNECTION_REJECTED_NOTIFICATION,
  FSM_ERROR_UNSPECIFIED,
} from './notification.js';
import type { BgpState, FsmConfig, FsmEnv, FsmEvent, FsmState, StepResult } from './types.js';

const STATE_RANK: Record<BgpState, number> = {
  Idle: 0,
  Active: 1,
  Connect: 2,
  OpenSent: 3,
  OpenConfirm: 4,
  Established: 5,
};

export function initialState(config: FsmConfig): FsmState {
  return {
    config,
    admin: 'stopped',
    passive: false,
    rest: 'Idle',
    connections: [],
    nextConnId: 1,
    connectRetryCounter: 0,
  };
}

/** The peer's RFC 4271 state: that of its most advanced connection, else Idle or Active. */
export function peerState(s: FsmState): BgpState {
  let best: BgpState = s.rest;
  for (const c of s.connections) if (STATE_RANK[c.state] > STATE_RANK[best]) best = c.state;
  return best;
}

export function step(state: FsmState, event: FsmEvent, env: FsmEnv): StepResult {
  const d: Draft = { state, actions: [], env };
  dispatch(d, event);
  const from = peerState(state);
  const to = peerState(d.state);
  if (from !== to) {
    // Every handler that can change the state sets a reason; a missing one is a bug in this module.
    if (d.reason === undefined)
      throw new Error(`bgp fsm: ${from} -> ${to} on ${event.type} without a reason`);
    // First, so an observer sees the new state before its consequences (routes sent, sockets closed).
    d.actions.unshift({ type: 'stateChange', from, to, reason: d.reason });
  }
  return { state: d.state, actions: d.actions };
}

function dispatch(d: Draft, event: FsmEvent): void {
  switch (event.type) {
    case 'ManualStart':
      return manualStart(d, false);
    case 'ManualStart_with_PassiveTcpEstablishment':
      return manualStart(d, true);
    case 'ManualStop':
      return manualStop(d, event);
    case 'AutomaticStop':
      return automaticStop(d, event);
    case 'IdleHoldTimer_Expires':
      return idleHoldExpired(d);
    case 'ConnectRetryTimer_Expires':
      return connectRetryExpired(d);
    case 'TcpConnection_Valid':
      return; // RFC 4271 Event 14: the TCP flags are processed, the state does not change.
    case 'TcpConnectionConfirmed':
      return inboundConnection(d);
    default:
      return routeToConnection(d, event);
  }
}

function routeToConnection(d: Draft, event: ConnectionEvent): void {
  const conn = findConnection(d.state, event.conn);
  // Input from a connection the FSM already closed (or never opened) is stale: ignore it.
  if (conn !== undefined) connectionEvent(d, conn, event);
}

/** Idle, Event 1/4 (and the automatic restart): start connecting, or wait passively in Active. */
function startConnecting(d: Draft): void {
  update(d, { rest: 'Active' });
  if (!d.state.passive) openOutbound(d);
}

function manualStart(d: Draft, passive: boolean): void {
  if (d.state.admin === 'started') return; // RFC 4271: ignored outside Idle
  update(d, { admin: 'started', passive, connectRetryCounter: 0, lastFailureAt: undefined });
  d.reason = { kind: 'manual-start', passive };
  startConnecting(d);
}

/** Event 2: Cease to every open connection, abort attempts, stop all timers, Idle, counter reset. */
function manualStop(d: Draft, event: Extract<FsmEvent, { type: 'ManualStop' }>): void {
  if (d.state.admin === 'stopped') return;
  const cease = event.silent === true ? undefined : ceaseNotification(event.subcode, event.communication);
  update(d, { admin: 'stopped' });
  for (const conn of d.state.connections) dropConnection(d, conn, { kind: 'manual-stop' }, 'quiet', cease);
  stopTimer(d, 'ConnectRetryTimer');
  stopTimer(d, 'IdleHoldTimer');
  update(d, { rest: 'Idle', connectRetryCounter: 0, lastFailureAt: undefined });
  d.reason = { kind: 'manual-stop' };
}

/** Event 8: Cease on every open connection, then Idle with the failure counted (RFC 4271 §8.2.2). */
function automaticStop(d: Draft, event: Extract<FsmEvent, { type: 'AutomaticStop' }>): void {
  const s = d.state;
  if (s.admin !== 'started' || peerState(s) === 'Idle') return;
  const cease = ceaseNotification(event.subcode, event.communication);
  const reason = { kind: 'automatic-stop', subcode: event.subcode } as const;
  stopTimer(d, 'ConnectRetryTimer');
  if (s.connections.length === 0) {
    d.reason = reason;
    settle(d, 'failure');
    return;
  }
  for (const conn of s.connections) dropConnection(d, conn, reason, 'failure', cease);
}

function idleHoldExpired(d: Draft): void {
  const s = d.state;
  if (s.admin !== 'started' || s.rest !== 'Idle' || s.connections.length > 0) return;
  d.reason = { kind: 'idle-hold-expired' };
  startConnecting(d);
}

function connectRetryExpired(d: Draft): void {
  const s = d.state;
  const state = peerState(s);
  if (state === 'Idle' || s.admin !== 'started') return; // RFC 4271 Idle: ignored
  if (state === 'Connect' || state === 'Active') {
    if (s.passive) return;
    // Connect: drop the attempt and try again; Active: initiate a connection (RFC 4271 Event 9).
    for (const conn of s.connections) {
      if (conn.state === 'Connect') dropConnection(d, conn, { kind: 'connect-retry-expired' }, 'quiet');
    }
    d.reason = { kind: 'connect-retry-expired' };
    openOutbound(d);
    return;
  }
  // OpenSent/OpenConfirm/Established: the timer should not be running (RFC 4271: FSM error).
  for (const conn of s.connections) {
    if (conn.state === 'Connect') continue;
    const { code, subcode, data } = FSM_ERROR_UNSPECIFIED;
    dropConnection(
      d,
      conn,
      { kind: 'notification-sent', code, subcode, data },
      'failure',
      FSM_ERROR_UNSPECIFIED,
    );
  }
}

/**
 * Event 17 on the listener. Refused while Idle (Cease / Connection Rejected). A second inbound connection
 * replaces an earlier one that is not Established (the peer gave up on it); collisions with our own
 * connection are resolved when the OPEN arrives.
 */
function inboundConnection(d: Draft): void {
  const s = d.state;
  if (s.admin !== 'started' || peerState(s) === 'Idle') {
    d.actions.push({ type: 'reject', notification: CONNECTION_REJECTED_NOTIFICATION });
    return;
  }
  for (const conn of s.connections) {
    if (conn.direction === 'inbound' && conn.state !== 'Established') {
      dropConnection(
        d,
        conn,
        { kind: 'tcp-connected', direction: 'inbound' },
        'quiet',
        COLLISION_NOTIFICATION,
      );
    }
  }
  d.reason = { kind: 'tcp-connected', direction: 'inbound' };
  acceptInbound(d);
}
