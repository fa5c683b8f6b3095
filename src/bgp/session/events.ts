/**
 * The typed events of a BgpSession (subscribe with `session.on(type, listener)`), its statistics, and the
 * options of `stop()`.
 */
import type { BgpState, Negotiated, StateReason } from '../fsm/types.js';
import type { Skipped } from '../rib/adj-rib-out.js';
import type { AfiSafi, NotificationMessage, RouteRefreshMessage, UpdateMessage } from '../types.js';

export interface BgpSessionEvents {
  /** The peer's RFC 4271 state changed. */
  state: { readonly from: BgpState; readonly to: BgpState; readonly reason: StateReason };
  /** A valid OPEN was received and accepted: the peer's capabilities and what was negotiated. */
  open: { readonly negotiated: Negotiated };
  /** The session is Established; the initial routes and End-of-RIB follow. */
  established: { readonly negotiated: Negotiated };
  /** A NOTIFICATION was sent or received (with its RFC 9003 shutdown communication, if any). */
  notification: {
    readonly direction: 'sent' | 'received';
    readonly message: NotificationMessage;
    readonly communication?: string;
  };
  /** An UPDATE was received (Herald installs nothing; counts are kept for status and metrics). */
  update: {
    readonly message: UpdateMessage;
    readonly announced: number;
    readonly withdrawn: number;
    /** Set when the UPDATE is an End-of-RIB marker. */
    readonly endOfRib?: AfiSafi;
    /** Prefixes the peer currently announces to us. */
    readonly receivedPrefixes: number;
  };
  /** A ROUTE-REFRESH was received (RFC 2918, RFC 7313 subtypes). */
  routeRefresh: { readonly message: RouteRefreshMessage };
  /** Routes were sent (initial set, a change from setRoutes, or a refresh). */
  routesSent: {
    readonly updates: number;
    readonly announced: number;
    readonly withdrawn: number;
    readonly endOfRib: readonly AfiSafi[];
    readonly refresh?: AfiSafi;
  };
  /** Desired routes that could not be sent on this session, and why. */
  routesSkipped: { readonly skipped: readonly Skipped[] };
  /** Something went wrong that the FSM handles by itself (connect failure, RFC 7606 repair, ...). */
  warning: { readonly message: string; readonly cause?: unknown };
}

export interface BgpSessionStats {
  readonly state: BgpState;
  readonly lastReason?: StateReason;
  /** How many times the session reached Established. */
  readonly establishedCount: number;
  readonly updatesReceived: number;
  readonly updatesSent: number;
  /** Prefixes the peer currently announces to us. */
  readonly receivedPrefixes: number;
  /** Prefixes we currently announce to the peer. */
  readonly advertisedPrefixes: number;
  readonly notificationsSent: number;
  readonly notificationsReceived: number;
}

/** The TCP endpoints of an Established session (addresses in canonical form). */
export interface ConnectionInfo {
  readonly direction: 'outbound' | 'inbound';
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface StopOptions {
  /** RFC 9003 shutdown communication sent with Cease / Administrative Shutdown (at most 255 octets). */
  readonly shutdownCommunication?: string;
  /** Cease subcode; default Administrative Shutdown (2). */
  readonly subcode?: number;
  /**
   * Close without a NOTIFICATION, so a peer with the graceful restart capability keeps our routes for the
   * restart time (RFC 4724): use it when this process is about to restart.
   */
  readonly gracefulRestart?: boolean;
  /** Stops waiting for the connections to close (they are destroyed). */
  readonly signal?: AbortSignal;
}
