/**
 * The data of the BGP-4 finite state machine (RFC 4271 §8): its configuration, state, events (RFC 4271
 * §8.1 names), actions and the typed reasons attached to every state change. Everything is immutable plain
 * data; `step` (reducer.ts) is the only code that produces new states.
 *
 * One FSM runs per configured peer. It tracks at most one outbound and one inbound TCP connection at a time,
 * so that a connection collision (RFC 4271 §6.8) is resolved inside the reducer rather than by the I/O
 * adapter. The RFC state of the peer is derived from its connections (`peerState`).
 */
import type {
  CodecContext,
  AfiSafi,
  Capability,
  KeepaliveMessage,
  NotificationMessage,
  OpenMessage,
  RouteRefreshMessage,
  UpdateMessage,
} from '../types.js';

/** RFC 4271 §8.2.2 states. */
export type BgpState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** States a single TCP connection can be in; `Connect` is an outbound attempt still in progress. */
export type ConnectionState = 'Connect' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** Who initiated the TCP connection: us (`outbound`) or the peer (`inbound`). */
export type Direction = 'outbound' | 'inbound';

/** Connection ids are allocated by the FSM (`connect` and `accept` actions) and never reused. */
export type ConnId = number;

/** Restart back-off (RFC 4271 §8.1.1 DampPeerOscillations / IdleHoldTimer; BIRD "error amnesia"). */
export interface IdleHoldPolicy {
  /** Delay after the first failure. */
  readonly minMs: number;
  /** Cap of the doubling delay. */
  readonly maxMs: number;
  /** A failure this long after the previous one starts the back-off over. */
  readonly amnesiaMs: number;
}

export interface FsmConfig {
  /** Our AS number (4-octet value; the OPEN carries AS_TRANS when it does not fit in 2 octets). */
  readonly localAs: number;
  /** The AS the peer must announce (RFC 4271 §6.2 Bad Peer AS otherwise). */
  readonly peerAs: number;
  /** Our BGP Identifier as an unsigned 32-bit integer. */
  readonly bgpId: number;
  /** Hold Time we propose, seconds: 0 (no keepalives, no hold timer) or >= 3. */
  readonly holdTimeS: number;
  /** Configured keepalive interval, seconds; default a third of the negotiated hold time. */
  readonly keepaliveTimeS?: number;
  /** Smallest non-zero hold time accepted from the peer (local policy); default 3 (RFC 4271 §4.2). */
  readonly minHoldTimeS?: number;
  /** ConnectRetryTimer initial value (RFC 4271 §10, default 120 s), jittered. */
  readonly connectRetryTimeMs: number;
  readonly idleHold: IdleHoldPolicy;
  /** The OPEN we send (see buildLocalOpen). */
  readonly open: OpenMessage;
  /** Families we offer (multiprotocol capabilities in `open`). */
  readonly families: readonly AfiSafi[];
}

export interface Connection {
  readonly id: ConnId;
  readonly direction: Direction;
  readonly state: ConnectionState;
  /** Set once a valid OPEN was received on this connection. */
  readonly negotiated?: Negotiated;
}

export interface FsmState {
  readonly config: FsmConfig;
  /** ManualStart/ManualStop state (RFC 4271 §8.1.2 administrative events). */
  readonly admin: 'started' | 'stopped';
  /** PassiveTcpEstablishment: wait for the peer to connect, never connect ourselves. */
  readonly passive: boolean;
  /** The peer's state while it has no connection: Idle (stopped or holding off) or Active (listening). */
  readonly rest: 'Idle' | 'Active';
  /** At most one per direction. */
  readonly connections: readonly Connection[];
  readonly nextConnId: ConnId;
  /** RFC 4271 ConnectRetryCounter; drives the IdleHoldTimer back-off. */
  readonly connectRetryCounter: number;
  /** When the counter was last incremented (clock ms), for error amnesia. */
  readonly lastFailureAt?: number;
}

/** What both OPENs agreed on (RFC 4271 §4.2, RFC 5492 capabilities). */
export interface Negotiated {
  readonly peerOpen: OpenMessage;
  /** The peer's real AS (from the 4-octet AS capability when present). */
  readonly peerAs: number;
  readonly peerBgpId: number;
  /** Negotiated hold time, seconds; 0 means no hold timer and no keepalives. */
  readonly holdTimeS: number;
  /** Keepalive interval, ms; 0 when hold time is 0. */
  readonly keepaliveMs: number;
  readonly fourOctetAs: boolean;
  readonly extendedMessage: boolean;
  /** The peer can receive ROUTE-REFRESH (RFC 2918). */
  readonly peerRouteRefresh: boolean;
  /** Both sides advertised enhanced route refresh (RFC 7313). */
  readonly enhancedRouteRefresh: boolean;
  /** Families both sides support (IPv4 unicast implied when the peer sends no multiprotocol capability). */
  readonly families: readonly AfiSafi[];
  /** The peer's graceful restart capability, if any (RFC 4724). */
  readonly peerGracefulRestart?: Extract<Capability, { kind: 'graceful-restart' }>;
  readonly codec: CodecContext;
}

export type TimerName = 'ConnectRetryTimer' | 'IdleHoldTimer' | 'HoldTimer' | 'KeepaliveTimer';

/** The NOTIFICATION fields an error calls for (from a BgpWireError or the FSM itself). */
export interface ErrorNotification {
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

/** RFC 4271 §8.1 events (plus RouteRefreshMsg, UpdateSent and IdleHoldTimer_Expires). */
export type FsmEvent =
  | { readonly type: 'ManualStart' }
  | { readonly type: 'ManualStart_with_PassiveTcpEstablishment' }
  | {
      readonly type: 'ManualStop';
      /** Cease subcode; default Administrative Shutdown (RFC 4486). */
      readonly subcode?: number;
      /** RFC 9003 shutdown communication (UTF-8, at most 255 octets). */
      readonly communication?: string;
      /** Drop the connections without a NOTIFICATION (a graceful restart of ours, RFC 4724). */
      readonly silent?: boolean;
    }
  /**
   * Event 8: the local system stops the session on its own (e.g. too many prefixes received): Cease with
   * `subcode`, then Idle and an automatic restart after the IdleHoldTimer.
   */
  | { readonly type: 'AutomaticStop'; readonly subcode: number; readonly communication?: string }
  | { readonly type: 'ConnectRetryTimer_Expires' }
  | { readonly type: 'IdleHoldTimer_Expires' }
  | { readonly type: 'HoldTimer_Expires'; readonly conn: ConnId }
  | { readonly type: 'KeepaliveTimer_Expires'; readonly conn: ConnId }
  /** Event 14: the listener got a SYN from the peer's address; informational, no state change. */
  | { readonly type: 'TcpConnection_Valid' }
  | { readonly type: 'Tcp_CR_Acked'; readonly conn: ConnId }
  /** Event 17: the peer connected to us; answered by an `accept` or `reject` action. */
  | { readonly type: 'TcpConnectionConfirmed' }
  | { readonly type: 'TcpConnectionFails'; readonly conn: ConnId }
  | { readonly type: 'BGPOpen'; readonly conn: ConnId; readonly open: OpenMessage }
  | { readonly type: 'BGPHeaderErr'; readonly conn: ConnId; readonly error: ErrorNotification }
  | { readonly type: 'BGPOpenMsgErr'; readonly conn: ConnId; readonly error: ErrorNotification }
  | { readonly type: 'OpenCollisionDump'; readonly conn: ConnId }
  | { readonly type: 'NotifMsgVerErr'; readonly conn: ConnId; readonly notification: NotificationMessage }
  | { readonly type: 'NotifMsg'; readonly conn: ConnId; readonly notification: NotificationMessage }
  | { readonly type: 'KeepAliveMsg'; readonly conn: ConnId }
  | { readonly type: 'UpdateMsg'; readonly conn: ConnId; readonly message: UpdateMessage }
  | { readonly type: 'UpdateMsgErr'; readonly conn: ConnId; readonly error: ErrorNotification }
  | { readonly type: 'RouteRefreshMsg'; readonly conn: ConnId; readonly message: RouteRefreshMessage }
  /** We sent an UPDATE: restart the KeepaliveTimer (RFC 4271 §8.2.2, Established). */
  | { readonly type: 'UpdateSent'; readonly conn: ConnId };

export type FsmEventType = FsmEvent['type'];

/** Why the peer changed state (GoBGP fsmStateReason); feeds logs, metrics and status. */
export type StateReason =
  | { readonly kind: 'manual-start'; readonly passive: boolean }
  | { readonly kind: 'manual-stop' }
  | { readonly kind: 'automatic-stop'; readonly subcode: number }
  | { readonly kind: 'idle-hold-expired' }
  | { readonly kind: 'connect-retry-expired' }
  | { readonly kind: 'tcp-connected'; readonly direction: Direction }
  | { readonly kind: 'tcp-failed'; readonly direction: Direction }
  | { readonly kind: 'open-received' }
  | { readonly kind: 'keepalive-received' }
  | { readonly kind: 'hold-timer-expired' }
  | ({ readonly kind: 'notification-received' } & ErrorNotification)
  | ({ readonly kind: 'notification-sent' } & ErrorNotification)
  | { readonly kind: 'collision-resolved'; readonly dumped: Direction }
  | { readonly kind: 'peer-restarted' };

export type StateReasonKind = StateReason['kind'];

export type FsmAction =
  /** Open an outbound TCP connection; answer with Tcp_CR_Acked or TcpConnectionFails for `conn`. */
  | { readonly type: 'connect'; readonly conn: ConnId }
  /** Adopt the inbound connection of the TcpConnectionConfirmed event just stepped, as `conn`. */
  | { readonly type: 'accept'; readonly conn: ConnId; readonly direction: 'inbound' }
  /** Refuse that inbound connection: send the NOTIFICATION, then close it. */
  | { readonly type: 'reject'; readonly notification: NotificationMessage }
  | { readonly type: 'send'; readonly conn: ConnId; readonly message: OpenMessage | KeepaliveMessage }
  /**
   * The one closing path (BIRD bgp_error): send the NOTIFICATION if any, then close the connection (or
   * abort the attempt). The adapter cancels the connection's timers and ignores its later input.
   */
  | { readonly type: 'close'; readonly conn: ConnId; readonly notification?: NotificationMessage }
  | {
      readonly type: 'startTimer';
      readonly timer: TimerName;
      readonly conn?: ConnId;
      readonly durationMs: number;
    }
  | { readonly type: 'stopTimer'; readonly timer: TimerName; readonly conn?: ConnId }
  | {
      readonly type: 'stateChange';
      readonly from: BgpState;
      readonly to: BgpState;
      readonly reason: StateReason;
    }
  /** A valid OPEN was accepted on `conn` (it is now in OpenConfirm). */
  | { readonly type: 'openReceived'; readonly conn: ConnId; readonly negotiated: Negotiated }
  | { readonly type: 'established'; readonly conn: ConnId; readonly negotiated: Negotiated }
  /** An UPDATE or ROUTE-REFRESH the Established session must process. */
  | {
      readonly type: 'deliver';
      readonly conn: ConnId;
      readonly message: UpdateMessage | RouteRefreshMessage;
    };

export type FsmActionType = FsmAction['type'];

export interface StepResult {
  readonly state: FsmState;
  readonly actions: readonly FsmAction[];
}

/** The reducer's view of the outside world: the clock reading and a uniform random source in [0, 1). */
export interface FsmEnv {
  readonly now: number;
  readonly random: () => number;
}
