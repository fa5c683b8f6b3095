/**
 * Events that belong to one TCP connection, handled per connection state (GoBGP one-function-per-state,
 * RFC 4271 §8.2.2 Connect/OpenSent/OpenConfirm/Established). Unexpected messages get the RFC 6608 subcode
 * of the state; every error goes through dropConnection.
 */
import type { NotificationMessage, OpenMessage } from '../types.js';
import { COLLISION_NOTIFICATION, collisionSurvivor } from './collision.js';
import {
  dropConnection,
  enterOpenSent,
  replaceConnection,
  restartHoldTimer,
  restartKeepaliveTimer,
  sendKeepalive,
  stopTimer,
  update,
  type Draft,
} from './draft.js';
import {
  FSM_ERROR_UNSPECIFIED,
  fromError,
  HOLD_TIMER_EXPIRED_NOTIFICATION,
  unexpectedMessage,
} from './notification.js';
import { checkPeerOpen, negotiate, withoutRestartState } from './open.js';
import type { Connection, FsmEvent, Negotiated } from './types.js';

export type ConnectionEvent = Extract<FsmEvent, { conn: number }>;

export function connectionEvent(d: Draft, conn: Connection, event: ConnectionEvent): void {
  switch (conn.state) {
    case 'Connect':
      return inConnect(d, conn, event);
    case 'OpenSent':
      return inOpenSent(d, conn, event);
    case 'OpenConfirm':
      return inOpenConfirm(d, conn, event);
    case 'Established':
      return inEstablished(d, conn, event);
  }
}

function inConnect(d: Draft, conn: Connection, event: ConnectionEvent): void {
  if (event.type === 'Tcp_CR_Acked') {
    replaceConnection(d, { ...conn, state: 'OpenSent' });
    d.reason = { kind: 'tcp-connected', direction: conn.direction };
    enterOpenSent(d, conn.id);
  } else if (event.type === 'TcpConnectionFails') {
    dropConnection(d, conn, { kind: 'tcp-failed', direction: conn.direction }, 'failure');
  }
  // Nothing else can arrive on a connection that is not open yet.
}

/** Events every open connection (OpenSent, OpenConfirm, Established) handles alike. Returns true if handled. */
function common(d: Draft, conn: Connection, event: ConnectionEvent): boolean {
  switch (event.type) {
    case 'TcpConnectionFails':
      dropConnection(d, conn, { kind: 'tcp-failed', direction: conn.direction }, 'failure');
      return true;
    case 'BGPHeaderErr':
      sendError(d, conn, fromError(event.error));
      return true;
    case 'NotifMsg':
    case 'NotifMsgVerErr': {
      const { code, subcode, data } = event.notification;
      const versionError = event.type === 'NotifMsgVerErr' && conn.state !== 'Established';
      dropConnection(
        d,
        conn,
        { kind: 'notification-received', code, subcode, data },
        versionError ? 'no-penalty' : 'failure',
      );
      return true;
    }
    case 'HoldTimer_Expires':
      dropConnection(d, conn, { kind: 'hold-timer-expired' }, 'failure', HOLD_TIMER_EXPIRED_NOTIFICATION);
      return true;
    case 'OpenCollisionDump':
      dumpForCollision(d, conn, 'failure');
      return true;
    case 'Tcp_CR_Acked':
    case 'UpdateSent':
      return true; // a duplicate acknowledgement, or nothing to restart outside Established
    default:
      return false;
  }
}

/** Sends the NOTIFICATION an error calls for, then closes (Idle, counted as a failure). */
function sendError(d: Draft, conn: Connection, notification: NotificationMessage): void {
  const { code, subcode, data } = notification;
  dropConnection(d, conn, { kind: 'notification-sent', code, subcode, data }, 'failure', notification);
}

function dumpForCollision(d: Draft, conn: Connection, outcome: 'failure' | 'quiet'): void {
  dropConnection(
    d,
    conn,
    { kind: 'collision-resolved', dumped: conn.direction },
    outcome,
    COLLISION_NOTIFICATION,
  );
}

function inOpenSent(d: Draft, conn: Connection, event: ConnectionEvent): void {
  if (event.type === 'TcpConnectionFails') {
    // RFC 4271 OpenSent, Event 18: back to Active, ConnectRetryTimer restarted.
    dropConnection(d, conn, { kind: 'tcp-failed', direction: conn.direction }, 'active');
  } else if (event.type === 'BGPOpen') {
    receiveOpen(d, conn, event.open);
  } else if (event.type === 'BGPOpenMsgErr') {
    sendError(d, conn, fromError(event.error));
  } else if (!common(d, conn, event)) {
    unexpected(d, conn, event);
  }
}

function inOpenConfirm(d: Draft, conn: Connection, event: ConnectionEvent): void {
  if (event.type === 'KeepAliveMsg') {
    enterEstablished(d, conn);
  } else if (event.type === 'KeepaliveTimer_Expires') {
    sendKeepalive(d, conn);
  } else if (event.type === 'BGPOpenMsgErr') {
    sendError(d, conn, fromError(event.error));
  } else if (!common(d, conn, event)) {
    unexpected(d, conn, event);
  }
}

function inEstablished(d: Draft, conn: Connection, event: ConnectionEvent): void {
  switch (event.type) {
    case 'KeepAliveMsg':
      return restartHoldTimer(d, conn);
    case 'UpdateMsg':
      restartHoldTimer(d, conn);
      d.actions.push({ type: 'deliver', conn: conn.id, message: event.message });
      return;
    case 'RouteRefreshMsg':
      d.actions.push({ type: 'deliver', conn: conn.id, message: event.message });
      return;
    case 'UpdateMsgErr':
      return sendError(d, conn, fromError(event.error));
    case 'KeepaliveTimer_Expires':
      return sendKeepalive(d, conn);
    case 'UpdateSent':
      return restartKeepaliveTimer(d, conn);
    default:
      if (!common(d, conn, event)) unexpected(d, conn, event);
  }
}

/** RFC 6608 for messages (OPEN twice, KEEPALIVE/UPDATE too early); FSM error, unspecified, for timers. */
function unexpected(d: Draft, conn: Connection, event: ConnectionEvent): void {
  const isMessage = event.type !== 'KeepaliveTimer_Expires';
  sendError(d, conn, isMessage ? unexpectedMessage(conn.state) : FSM_ERROR_UNSPECIFIED);
}

/** OpenSent, Event 19: validate, resolve collisions (RFC 4271 §6.8), then KEEPALIVE and OpenConfirm. */
function receiveOpen(d: Draft, conn: Connection, open: OpenMessage): void {
  const error = checkPeerOpen(open, d.state.config);
  if (error !== undefined) {
    sendError(d, conn, fromError(error));
    return;
  }
  const negotiated = negotiate(d.state.config, open);
  const outcome = resolveCollisions(d, conn, negotiated);
  if (outcome === 'lost') return;
  const next: Connection = { ...conn, state: 'OpenConfirm', negotiated };
  replaceConnection(d, next);
  stopTimer(d, 'ConnectRetryTimer');
  d.actions.push({ type: 'openReceived', conn: conn.id, negotiated });
  d.reason = outcome === 'peer-restarted' ? { kind: 'peer-restarted' } : { kind: 'open-received' };
  sendKeepalive(d, next);
  restartHoldTimer(d, next);
}

/**
 * Compares `conn`, which just received a valid OPEN, with every other connection to the peer. The loser
 * is closed with Cease / Connection Collision Resolution; an outbound attempt still in Connect is only
 * abandoned when it would lose. An Established session is kept against a new connection, unless the peer
 * connected to us with the graceful restart capability: then it restarted (RFC 4724 §4.2) and the old
 * session goes.
 */
function resolveCollisions(
  d: Draft,
  conn: Connection,
  negotiated: Negotiated,
): 'won' | 'lost' | 'peer-restarted' {
  let outcome: 'won' | 'peer-restarted' = 'won';
  for (const other of d.state.connections) {
    if (other.id === conn.id) continue;
    if (other.state === 'Established') {
      if (conn.direction !== 'inbound' || negotiated.peerGracefulRestart === undefined) {
        dumpForCollision(d, conn, 'quiet');
        return 'lost';
      }
      dropConnection(d, other, { kind: 'peer-restarted' }, 'quiet');
      outcome = 'peer-restarted';
      continue;
    }
    const survivor = collisionSurvivor({
      localBgpId: d.state.config.bgpId,
      remoteBgpId: negotiated.peerBgpId,
      localAs: d.state.config.localAs,
      remoteAs: negotiated.peerAs,
    });
    if (survivor === conn.direction) {
      dumpForCollision(d, other, 'quiet');
    } else if (other.state !== 'Connect') {
      dumpForCollision(d, conn, 'quiet');
      return 'lost';
    }
  }
  return outcome;
}

/** OpenConfirm, Event 26: Established. Outbound attempts still in progress are abandoned. */
function enterEstablished(d: Draft, conn: Connection): void {
  const next: Connection = { ...conn, state: 'Established' };
  replaceConnection(d, next);
  restartHoldTimer(d, next);
  for (const other of d.state.connections) {
    if (other.state === 'Connect') dropConnection(d, other, { kind: 'keepalive-received' }, 'quiet');
  }
  update(d, { config: { ...d.state.config, open: withoutRestartState(d.state.config.open) } });
  d.reason = { kind: 'keepalive-received' };
  if (next.negotiated !== undefined) {
    d.actions.push({ type: 'established', conn: conn.id, negotiated: next.negotiated });
  }
}
