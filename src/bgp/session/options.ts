/**
 * Options of a BgpSession (libp2p Init style): what the caller configures, with documented defaults, and
 * their validation into the FSM configuration. Bad values throw BgpInputError naming the field.
 */
import net from 'node:net';

import {
  Afi,
  BGP_PORT,
  DEFAULT_CONNECT_RETRY_TIME,
  DEFAULT_HOLD_TIME,
  MIN_HOLD_TIME,
  Safi,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import { buildLocalOpen } from '../fsm/open.js';
import { DEFAULT_IDLE_HOLD_POLICY, MS_PER_SECOND } from '../fsm/timers.js';
import type { FsmConfig, IdleHoldPolicy } from '../fsm/types.js';
import { parseAddress } from '../nlri/prefix.js';
import type { AfiSafi } from '../types.js';

const U32_MAX = 0xffffffff;
const PORT_MAX = 65535;
const TTL_MAX = 255;
const MAX_HOLD_TIME = 65535;

export type AddressFamily = 'ipv4' | 'ipv6';

export interface BgpSessionInit {
  /** The peer's IP address (IPv4 or IPv6 literal). */
  readonly peerAddress: string;
  /** Default 179. */
  readonly peerPort?: number;
  readonly peerAs: number;
  readonly localAs: number;
  /** BGP Identifier in dotted-quad form (RFC 4271 §4.2, RFC 6286), e.g. the node's IPv4 address. */
  readonly routerId: string;
  /** Source address of outbound connections (and the next hop, unless overridden). */
  readonly localAddress?: string;
  /** Source port of outbound connections. */
  readonly localPort?: number;
  /** Proposed hold time, seconds: 0 or 3..65535. Default 90. */
  readonly holdTimeS?: number;
  /** Keepalive interval, seconds; default a third of the negotiated hold time. */
  readonly keepaliveTimeS?: number;
  /** Smallest non-zero hold time accepted from the peer, seconds. Default 3. */
  readonly minHoldTimeS?: number;
  /** ConnectRetryTime, seconds. Default 120 (RFC 4271 §10). */
  readonly connectRetryTimeS?: number;
  /** Timeout of one TCP connection attempt. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Never connect; wait for the peer to connect to a BgpListener. Default false. */
  readonly passive?: boolean;
  /** RFC 2385 TCP MD5 password (needs an MD5-capable transport). */
  readonly md5Password?: string;
  /** eBGP multihop: the TTL of our packets (1..255). */
  readonly ebgpMultihop?: number;
  /** RFC 5082 GTSM: send with TTL 255 and accept only packets from at most `hops` hops away. */
  readonly ttlSecurityHops?: number;
  /** Families to offer. Default both IPv4 and IPv6 unicast. */
  readonly families?: readonly AddressFamily[];
  /** Next hop for IPv4 routes when the session runs over IPv6 (or to override the local address). */
  readonly nextHopIpv4?: string;
  /** Next hop for IPv6 routes when the session runs over IPv4 (or to override the local address). */
  readonly nextHopIpv6?: string;
  /** RFC 4724 graceful restart as the restarting speaker. */
  readonly gracefulRestart?: {
    /** Seconds the peer keeps our routes after the session drops (0..4095). */
    readonly restartTimeS: number;
    /** This process is a restart of an earlier one (sets the R bit on the first session). */
    readonly restarted: boolean;
    /** Forwarding survived the restart (F bit). Default true. */
    readonly forwardingState?: boolean;
  };
  /** Restart back-off after errors. Default 1 s doubling to 120 s, reset after 5 quiet minutes. */
  readonly idleHold?: Partial<IdleHoldPolicy>;
  /** Cease / Maximum Number of Prefixes Reached when the peer announces more (RFC 4486). Default none. */
  readonly maxPrefixes?: number;
  /** How long a closing connection may take to flush its NOTIFICATION before it is destroyed. Default 3 s. */
  readonly closeLingerMs?: number;
  /** Offer RFC 7313 enhanced route refresh. Default true. */
  readonly enhancedRouteRefresh?: boolean;
  /** Offer RFC 8654 extended messages. Default true. */
  readonly extendedMessage?: boolean;
}

export interface ResolvedSessionOptions {
  readonly init: BgpSessionInit;
  readonly peerPort: number;
  readonly connectTimeoutMs: number;
  readonly closeLingerMs: number;
  readonly ttl?: number;
  readonly minTtl?: number;
  readonly nextHopIpv4?: Uint8Array;
  readonly nextHopIpv6?: Uint8Array;
  readonly fsm: FsmConfig;
}

function checkInt(value: number | undefined, field: string, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new BgpInputError(field, `must be an integer in [${min}, ${max}], got ${value}`);
  }
}

function checkIp(value: string | undefined, field: string, family?: 4 | 6): void {
  if (value === undefined) return;
  const found = net.isIP(value);
  if (found === 0) throw new BgpInputError(field, `must be an IP address literal, got '${value}'`);
  if (family !== undefined && found !== family)
    throw new BgpInputError(field, `must be an IPv${family} address`);
}

function parseRouterId(text: string): number {
  if (net.isIPv4(text)) {
    const id = parseAddress(text).reduce((acc, b) => acc * 256 + b, 0);
    if (id !== 0) return id;
  }
  throw new BgpInputError('routerId', `must be a non-zero dotted-quad BGP Identifier, got '${text}'`);
}

function familiesOf(list: readonly AddressFamily[] | undefined): AfiSafi[] {
  const names = list ?? ['ipv4', 'ipv6'];
  if (names.length === 0) throw new BgpInputError('families', 'must name at least one family');
  for (const n of names)
    if (n !== 'ipv4' && n !== 'ipv6') throw new BgpInputError('families', `unknown family '${String(n)}'`);
  return [...new Set(names)].map((n) => ({ afi: n === 'ipv4' ? Afi.IPV4 : Afi.IPV6, safi: Safi.UNICAST }));
}

function ttlOptions(init: BgpSessionInit): { ttl?: number; minTtl?: number } {
  checkInt(init.ebgpMultihop, 'ebgpMultihop', 1, TTL_MAX);
  checkInt(init.ttlSecurityHops, 'ttlSecurityHops', 1, TTL_MAX - 1);
  if (init.ebgpMultihop !== undefined && init.ttlSecurityHops !== undefined) {
    throw new BgpInputError(
      'ttlSecurityHops',
      'cannot be combined with ebgpMultihop (RFC 5082 sends with TTL 255)',
    );
  }
  if (init.ttlSecurityHops !== undefined) return { ttl: TTL_MAX, minTtl: TTL_MAX + 1 - init.ttlSecurityHops };
  if (init.ebgpMultihop !== undefined) return { ttl: init.ebgpMultihop };
  return {};
}

function checkTimers(init: BgpSessionInit): void {
  checkInt(init.holdTimeS, 'holdTimeS', 0, MAX_HOLD_TIME);
  if (init.holdTimeS !== undefined && init.holdTimeS > 0 && init.holdTimeS < MIN_HOLD_TIME) {
    throw new BgpInputError(
      'holdTimeS',
      `must be 0 or at least ${MIN_HOLD_TIME} (RFC 4271 §4.2), got ${init.holdTimeS}`,
    );
  }
  checkInt(init.keepaliveTimeS, 'keepaliveTimeS', 1, MAX_HOLD_TIME);
  checkInt(init.minHoldTimeS, 'minHoldTimeS', MIN_HOLD_TIME, MAX_HOLD_TIME);
  checkInt(init.connectRetryTimeS, 'connectRetryTimeS', 1, MAX_HOLD_TIME);
  checkInt(init.connectTimeoutMs, 'connectTimeoutMs', 1, U32_MAX);
  checkInt(init.closeLingerMs, 'closeLingerMs', 0, U32_MAX);
  checkInt(init.maxPrefixes, 'maxPrefixes', 1, U32_MAX);
  checkInt(init.idleHold?.minMs, 'idleHold.minMs', 0, U32_MAX);
  checkInt(init.idleHold?.maxMs, 'idleHold.maxMs', 0, U32_MAX);
  checkInt(init.idleHold?.amnesiaMs, 'idleHold.amnesiaMs', 0, U32_MAX);
}

/** Validates `init` and derives the FSM configuration (the OPEN we send included). */
export function resolveSessionOptions(init: BgpSessionInit): ResolvedSessionOptions {
  checkIp(init.peerAddress, 'peerAddress');
  checkIp(init.localAddress, 'localAddress');
  checkIp(init.nextHopIpv4, 'nextHopIpv4', 4);
  checkIp(init.nextHopIpv6, 'nextHopIpv6', 6);
  checkInt(init.peerPort, 'peerPort', 1, PORT_MAX);
  checkInt(init.localPort, 'localPort', 1, PORT_MAX);
  checkInt(init.peerAs, 'peerAs', 1, U32_MAX);
  checkInt(init.localAs, 'localAs', 1, U32_MAX);
  checkTimers(init);
  const bgpId = parseRouterId(init.routerId);
  const families = familiesOf(init.families);
  const holdTimeS = init.holdTimeS ?? DEFAULT_HOLD_TIME;
  const open = buildLocalOpen({
    localAs: init.localAs,
    bgpId,
    holdTimeS,
    families,
    ...(init.enhancedRouteRefresh !== undefined ? { enhancedRouteRefresh: init.enhancedRouteRefresh } : {}),
    ...(init.extendedMessage !== undefined ? { extendedMessage: init.extendedMessage } : {}),
    ...(init.gracefulRestart !== undefined ? { gracefulRestart: init.gracefulRestart } : {}),
  });
  return {
    init,
    peerPort: init.peerPort ?? BGP_PORT,
    connectTimeoutMs: init.connectTimeoutMs ?? 10_000,
    closeLingerMs: init.closeLingerMs ?? 3_000,
    ...ttlOptions(init),
    ...(init.nextHopIpv4 !== undefined ? { nextHopIpv4: parseAddress(init.nextHopIpv4) } : {}),
    ...(init.nextHopIpv6 !== undefined ? { nextHopIpv6: parseAddress(init.nextHopIpv6) } : {}),
    fsm: {
      localAs: init.localAs,
      peerAs: init.peerAs,
      bgpId,
      holdTimeS,
      ...(init.keepaliveTimeS !== undefined ? { keepaliveTimeS: init.keepaliveTimeS } : {}),
      ...(init.minHoldTimeS !== undefined ? { minHoldTimeS: init.minHoldTimeS } : {}),
      connectRetryTimeMs: (init.connectRetryTimeS ?? DEFAULT_CONNECT_RETRY_TIME) * MS_PER_SECOND,
      idleHold: { ...DEFAULT_IDLE_HOLD_POLICY, ...init.idleHold },
      open,
      families,
    },
  };
}
