/**
 * Types of the speaker membership protocol (a SWIM-style failure detector): configuration with its
 * defaults, member records, gossip updates, wire messages, reducer events and actions. Pure data.
 */

export interface MembershipConfig {
  /** Protocol period: each member starts one probe per period (SWIM T'). */
  readonly probeIntervalMs: number;
  /** Wait for a direct ack before asking helpers to probe indirectly. */
  readonly probeTimeoutMs: number;
  /** Wait after the indirect probes before suspecting the target. */
  readonly indirectTimeoutMs: number;
  /** Helpers asked to probe an unresponsive target (SWIM k). */
  readonly indirectChecks: number;
  /** A suspect that does not refute within this time is declared down. */
  readonly suspicionTimeoutMs: number;
  /** While updates are pending, send a gossip message to this many members... */
  readonly gossipFanout: number;
  /** ...every this many milliseconds. */
  readonly gossipIntervalMs: number;
  /** Each update is retransmitted retransmitMult * ceil(log10(n + 1)) times (memberlist's rule). */
  readonly retransmitMult: number;
  /** At most this many updates ride on one message. */
  readonly maxUpdatesPerMessage: number;
  /** Ping one random member believed dead this often, so that both sides of a healed partition meet again. */
  readonly deadProbeIntervalMs: number;
}

/** Defaults: detection of a dead speaker in well under 1 s at 1000 nodes, about 10 messages/s/node sent. */
export const DEFAULT_MEMBERSHIP_CONFIG: MembershipConfig = {
  probeIntervalMs: 200,
  probeTimeoutMs: 50,
  indirectTimeoutMs: 100,
  indirectChecks: 3,
  suspicionTimeoutMs: 300,
  gossipFanout: 3,
  gossipIntervalMs: 50,
  retransmitMult: 3,
  maxUpdatesPerMessage: 16,
  deadProbeIntervalMs: 2_000,
};

/**
 * alive/suspect: up (a peer listed by the API starts alive at incarnation 0: optimistic admission, see
 * docs/membership.md); dead: failed (memberDown was reported); left: announced a graceful leave.
 */
export type MemberStatus = 'alive' | 'suspect' | 'dead' | 'left';

export interface Member {
  readonly name: string;
  readonly address: string;
  readonly status: MemberStatus;
  readonly incarnation: number;
  /** Clock time the member became suspect (status 'suspect' only). */
  readonly suspectSince?: number;
}

export type UpdateKind = 'alive' | 'suspect' | 'dead' | 'left';

/** A piece of gossip: what some member believes about `name` at `incarnation`. */
export interface Update {
  readonly kind: UpdateKind;
  readonly name: string;
  readonly incarnation: number;
}

export type MessageType = 'ping' | 'ack' | 'ping-req' | 'gossip';

/**
 * A decoded, authenticated message. `incarnation` is the sender's own; `seq` is the probe sequence
 * (ping: the sender's; ack: echoed from the ping; ping-req: the requester's; gossip: 0).
 */
export interface Message {
  readonly type: MessageType;
  readonly from: string;
  readonly incarnation: number;
  readonly seq: number;
  /** ping-req only: the member to probe on the sender's behalf. */
  readonly target?: string;
  readonly updates: readonly Update[];
}

export interface Peer {
  readonly name: string;
  readonly address: string;
}

export type MembershipEvent =
  /** The speaker set as listed by the Kubernetes API (self may be included; it is ignored). */
  | { readonly type: 'peerSetChanged'; readonly peers: readonly Peer[] }
  | { readonly type: 'messageReceived'; readonly message: Message }
  | { readonly type: 'tick' }
  /** Graceful shutdown: tell everyone at once, then go quiet. */
  | { readonly type: 'leave' };

export type MembershipAction =
  | { readonly type: 'send'; readonly to: string; readonly address: string; readonly message: Message }
  | { readonly type: 'memberUp'; readonly name: string }
  | { readonly type: 'memberDown'; readonly name: string }
  | { readonly type: 'memberLeft'; readonly name: string; readonly reason: 'leave' | 'removed' };
