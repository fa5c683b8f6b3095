/**
 * Options of the membership agent and their validation (typed errors naming the field), plus the peer
 * list check for `setPeers`. No I/O.
 */
import { isIP } from 'node:net';
import type { MembershipConfig } from '../../core/membership/index.js';
import { MembershipAgentError } from './errors.js';
import type { SocketFactory } from './udp.js';

/** How long the previous key still verifies after `setKey` (the Secret reaches speakers at about once). */
export const DEFAULT_KEY_GRACE_MS = 60_000;
const MAX_PORT = 65_535;
const MAX_UINT32 = 0xffff_ffff;

/** The logger the agent logs through (pino's Logger satisfies it). */
export interface MembershipLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MembershipTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * Runs the tick after the I/O already pending (Node's check phase comes after the poll phase), so that
   * after an event-loop stall acks waiting in the socket buffer are read before probe deadlines are
   * judged. Without it (fake timers) the tick runs inline.
   */
  setImmediate?(callback: () => void): void;
}

export interface MembershipAgentOptions {
  /** This speaker's member name (the node name). */
  readonly self: string;
  /** Where the UDP socket binds; port 0 picks a free port (see `address()`). */
  readonly bind: { readonly address: string; readonly port: number };
  /** The Secret's raw bytes; the HMAC key is SHA-256 of them. */
  readonly key: Uint8Array;
  readonly config?: Partial<MembershipConfig>;
  /** Wall-clock milliseconds (probe periods are aligned across nodes). Default Date.now. */
  readonly now?: () => number;
  readonly timers?: MembershipTimers;
  /** Must grow across restarts of this node; default: start time in seconds (uint32). */
  readonly incarnation?: number;
  /** PRNG seed of the reducer; default random. */
  readonly seed?: number;
  readonly log?: MembershipLog;
  readonly socket?: SocketFactory;
  /** Grace period of the previous key after `setKey`; default DEFAULT_KEY_GRACE_MS. */
  readonly keyGraceMs?: number;
}

export interface MembershipPeer {
  readonly name: string;
  readonly address: string;
  /** Default: this agent's own bound port (every speaker uses the same port). */
  readonly port?: number;
}

function checkPort(port: unknown, field: string, allowZero: boolean): void {
  const min = allowZero ? 0 : 1;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > MAX_PORT)
    throw new MembershipAgentError(field, `must be an integer ${min}-${MAX_PORT}, got ${String(port)}`);
}

export function checkOptions(options: MembershipAgentOptions): void {
  if (typeof options.self !== 'string' || options.self === '')
    throw new MembershipAgentError('self', 'must be a non-empty node name');
  if (isIP(options.bind.address) === 0)
    throw new MembershipAgentError('bind.address', `"${options.bind.address}" is not an IP address`);
  checkPort(options.bind.port, 'bind.port', true);
  const inc = options.incarnation;
  if (inc !== undefined && (!Number.isInteger(inc) || inc < 0 || inc > MAX_UINT32))
    throw new MembershipAgentError('incarnation', `must be a uint32, got ${inc}`);
  const grace = options.keyGraceMs;
  if (grace !== undefined && (!Number.isFinite(grace) || grace < 0))
    throw new MembershipAgentError('keyGraceMs', `must be a non-negative number, got ${grace}`);
}

export function checkPeers(peers: readonly MembershipPeer[]): void {
  peers.forEach((p, i) => {
    if (typeof p.name !== 'string' || p.name === '')
      throw new MembershipAgentError(`peers[${i}].name`, 'must be a non-empty node name');
    if (isIP(p.address) === 0)
      throw new MembershipAgentError(`peers[${i}].address`, `"${p.address}" is not an IP address`);
    if (p.port !== undefined) checkPort(p.port, `peers[${i}].port`, false);
  });
}
