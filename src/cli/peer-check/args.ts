/**
 * The flags of `herald peer-check`, parsed and checked without I/O: every bad flag is a UsageError naming
 * the flag and the reason (exit status 2). Values are `--flag VALUE` or `--flag=VALUE` (the second form
 * for values that start with '-'); single-valued flags may be given once.
 */
import net from 'node:net';

import { formatPrefix, parsePrefix } from '../../bgp/nlri/prefix.js';
import { BgpInputError } from '../../bgp/errors.js';
import { isCommunity, parseCommunity, type Community } from '../../core/community.js';
import { UsageError } from '../command.js';

export const DEFAULT_HOLD_S = 90;
export const DEFAULT_DURATION_S = 10;
export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_PORT = 179;
/** MetalLB BFDProfile defaults and ranges (receiveInterval, transmitInterval, detectMultiplier). */
export const DEFAULT_BFD_INTERVAL_MS = 300;
export const DEFAULT_BFD_MULTIPLIER = 3;
const BFD_INTERVAL_MS = { min: 10, max: 60_000 };
const BFD_MULTIPLIER = { min: 2, max: 255 };

const ASN_MAX = 0xffffffff;
const U32_MAX = 0xffffffff;
const PORT_MAX = 65_535;
const TTL_MAX = 255;
const HOLD_MAX = 65_535;
/** RFC 4271 §4.2: a non-zero hold time is at least 3 seconds. */
const HOLD_MIN = 3;
/** Node timers hold at most 2^31 - 1 ms. */
const SECONDS_MAX = 2_147_483;

export interface BfdArgs {
  readonly receiveIntervalMs: number;
  readonly transmitIntervalMs: number;
  readonly detectMultiplier: number;
}

export interface PeerCheckArgs {
  /** The router's address (IPv4 or IPv6 literal). */
  readonly peer: string;
  readonly peerAsn: number;
  readonly myAsn: number;
  /** Dotted quad; undefined: taken from the local IPv4 address towards the peer at run time. */
  readonly routerId?: string;
  /** RFC 2385 TCP MD5 password. */
  readonly password?: string;
  readonly holdTimeS: number;
  readonly keepaliveS?: number;
  /** Canonical prefix text ('203.0.113.0/24'). */
  readonly announce: readonly string[];
  readonly communities: readonly Community[];
  /** LOCAL_PREF of the announced routes (iBGP only). */
  readonly localPref?: number;
  readonly bfd?: BfdArgs;
  /** eBGP multihop: the TTL of our packets. */
  readonly multihop?: number;
  /** RFC 5082 GTSM: accept packets from at most this many hops away. */
  readonly ttlSecurity?: number;
  readonly durationS: number;
  readonly timeoutS: number;
  readonly source?: string;
  readonly port: number;
  readonly passive: boolean;
  readonly nextHopIpv4?: string;
  readonly nextHopIpv6?: string;
}

type Handler = (value: string, flag: string) => void;

interface Draft {
  peer?: string;
  peerAsn?: number;
  myAsn?: number;
  routerId?: string;
  password?: string;
  holdTimeS?: number;
  keepaliveS?: number;
  announce: string[];
  communities: Community[];
  localPref?: number;
  bfd: boolean;
  bfdRx?: number;
  bfdTx?: number;
  bfdMultiplier?: number;
  multihop?: number;
  ttlSecurity?: number;
  durationS?: number;
  timeoutS?: number;
  source?: string;
  port?: number;
  passive: boolean;
  nextHops: string[];
}

function integer(value: string, flag: string, min: number, max: number, what = 'an integer'): number {
  if (!/^\d+$/.test(value))
    throw new UsageError(`${flag}: must be ${what} in ${min}..${max}, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: must be ${what} in ${min}..${max}, got ${value}`);
  return n;
}

function seconds(value: string, flag: string, min: number): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > SECONDS_MAX) {
    throw new UsageError(`${flag}: must be a number of seconds in ${min}..${SECONDS_MAX}, got "${value}"`);
  }
  return n;
}

function ipAddress(value: string, flag: string): string {
  if (net.isIP(value) === 0) throw new UsageError(`${flag}: must be an IPv4 or IPv6 address, got "${value}"`);
  return value;
}

function routerId(value: string, flag: string): string {
  if (!net.isIPv4(value) || value === '0.0.0.0') {
    throw new UsageError(`${flag}: must be a non-zero dotted-quad BGP Identifier (RFC 6286), got "${value}"`);
  }
  return value;
}

function prefix(value: string, flag: string): string {
  try {
    return formatPrefix(parsePrefix(value));
  } catch (error) {
    if (error instanceof BgpInputError) throw new UsageError(`${flag}: ${error.reason}`);
    throw error;
  }
}

function community(value: string, flag: string): Community {
  const parsed = parseCommunity(value);
  if (!isCommunity(parsed)) throw new UsageError(`${flag}: ${parsed.reason}`);
  return parsed;
}

/** Sets a single-valued field once. */
function once<K extends keyof Draft>(d: Draft, key: K, flag: string, value: Draft[K]): void {
  if (d[key] !== undefined) throw new UsageError(`${flag}: given more than once`);
  d[key] = value;
}

function valueHandlers(d: Draft): Record<string, Handler> {
  return {
    '--peer': (v, f) => once(d, 'peer', f, ipAddress(v, f)),
    '--peer-asn': (v, f) => once(d, 'peerAsn', f, integer(v, f, 1, ASN_MAX, 'an AS number')),
    '--my-asn': (v, f) => once(d, 'myAsn', f, integer(v, f, 1, ASN_MAX, 'an AS number')),
    '--router-id': (v, f) => once(d, 'routerId', f, routerId(v, f)),
    '--password': (v, f) => {
      if (v === '') throw new UsageError(`${f}: must not be empty`);
      once(d, 'password', f, v);
    },
    '--hold': (v, f) => {
      const hold = integer(v, f, 0, HOLD_MAX);
      if (hold > 0 && hold < HOLD_MIN)
        throw new UsageError(`${f}: must be 0 or at least ${HOLD_MIN} seconds (RFC 4271 §4.2), got ${v}`);
      once(d, 'holdTimeS', f, hold);
    },
    '--keepalive': (v, f) => once(d, 'keepaliveS', f, integer(v, f, 1, HOLD_MAX)),
    '--announce': (v, f) => d.announce.push(prefix(v, f)),
    '--community': (v, f) => d.communities.push(community(v, f)),
    '--local-pref': (v, f) => once(d, 'localPref', f, integer(v, f, 0, U32_MAX)),
    '--bfd-rx': (v, f) => once(d, 'bfdRx', f, integer(v, f, BFD_INTERVAL_MS.min, BFD_INTERVAL_MS.max)),
    '--bfd-tx': (v, f) => once(d, 'bfdTx', f, integer(v, f, BFD_INTERVAL_MS.min, BFD_INTERVAL_MS.max)),
    '--bfd-multiplier': (v, f) =>
      once(d, 'bfdMultiplier', f, integer(v, f, BFD_MULTIPLIER.min, BFD_MULTIPLIER.max)),
    '--multihop': (v, f) => once(d, 'multihop', f, integer(v, f, 1, TTL_MAX, 'a TTL')),
    '--ttl-security': (v, f) => once(d, 'ttlSecurity', f, integer(v, f, 1, TTL_MAX - 1, 'a hop count')),
    '--duration': (v, f) => once(d, 'durationS', f, seconds(v, f, 0)),
    '--timeout': (v, f) => once(d, 'timeoutS', f, seconds(v, f, 1)),
    '--source': (v, f) => once(d, 'source', f, ipAddress(v, f)),
    '--port': (v, f) => once(d, 'port', f, integer(v, f, 1, PORT_MAX, 'a port')),
    '--next-hop': (v, f) => d.nextHops.push(ipAddress(v, f)),
  };
}

const SWITCHES: Record<string, (d: Draft) => void> = {
  '--bfd': (d) => (d.bfd = true),
  '--passive': (d) => (d.passive = true),
};

function split(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function readFlags(args: readonly string[]): Draft {
  const d: Draft = { announce: [], communities: [], bfd: false, passive: false, nextHops: [] };
  const handlers = valueHandlers(d);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = split(args[i]!);
    const handler = handlers[flag];
    const toggle = SWITCHES[flag];
    if (toggle !== undefined) {
      if (inline !== undefined) throw new UsageError(`${flag}: takes no value, got "${inline}"`);
      toggle(d);
    } else if (handler !== undefined) {
      const next = args[i + 1];
      if (inline === undefined && (next === undefined || next.startsWith('-')))
        throw new UsageError(`${flag}: needs a value (use ${flag}=VALUE for a value starting with '-')`);
      handler(inline ?? args[++i]!, flag);
    } else if (flag.startsWith('-')) {
      throw new UsageError(`unknown flag ${flag}`);
    } else {
      throw new UsageError(`unexpected argument "${flag}" (flags only, e.g. --announce ${flag})`);
    }
  }
  return d;
}

function family(address: string): 4 | 6 {
  return net.isIPv4(address) ? 4 : 6;
}

function nextHops(list: readonly string[]): { nextHopIpv4?: string; nextHopIpv6?: string } {
  const v4 = list.filter((a) => family(a) === 4);
  const v6 = list.filter((a) => family(a) === 6);
  if (v4.length > 1 || v6.length > 1)
    throw new UsageError('--next-hop: give at most one IPv4 and one IPv6 address');
  return {
    ...(v4[0] !== undefined ? { nextHopIpv4: v4[0] } : {}),
    ...(v6[0] !== undefined ? { nextHopIpv6: v6[0] } : {}),
  };
}

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

function checkCombinations(d: Draft, peer: string, peerAsn: number, myAsn: number): void {
  if (d.source !== undefined && family(d.source) !== family(peer)) {
    throw new UsageError(`--source: ${d.source} is not of the address family of --peer ${peer}`);
  }
  if (d.multihop !== undefined && d.ttlSecurity !== undefined) {
    throw new UsageError('--ttl-security: cannot be combined with --multihop (RFC 5082 sends with TTL 255)');
  }
  if (d.localPref !== undefined && peerAsn !== myAsn) {
    throw new UsageError(
      '--local-pref: LOCAL_PREF is sent to internal peers only (--peer-asn equal to --my-asn)',
    );
  }
  if ((d.communities.length > 0 || d.localPref !== undefined) && d.announce.length === 0) {
    const flag = d.communities.length > 0 ? '--community' : '--local-pref';
    throw new UsageError(`${flag}: needs at least one --announce PREFIX to attach to`);
  }
  if (!d.bfd) {
    const stray = (['--bfd-rx', '--bfd-tx', '--bfd-multiplier'] as const).find(
      (flag, i) => [d.bfdRx, d.bfdTx, d.bfdMultiplier][i] !== undefined,
    );
    if (stray !== undefined) throw new UsageError(`${stray}: needs --bfd`);
  }
  if (d.routerId === undefined && family(peer) === 6) {
    throw new UsageError(
      '--router-id: required with an IPv6 --peer (there is no IPv4 address to take it from)',
    );
  }
  const hold = d.holdTimeS ?? DEFAULT_HOLD_S;
  if (d.keepaliveS !== undefined && hold > 0 && d.keepaliveS >= hold) {
    throw new UsageError(`--keepalive: must be shorter than the hold time (${hold} s), got ${d.keepaliveS}`);
  }
}

/** Parses the argv of `herald peer-check` (without the command name). Throws UsageError. */
export function parsePeerCheckArgs(args: readonly string[]): PeerCheckArgs {
  const d = readFlags(args);
  const peer = required(d.peer, '--peer');
  const peerAsn = required(d.peerAsn, '--peer-asn');
  const myAsn = required(d.myAsn, '--my-asn');
  checkCombinations(d, peer, peerAsn, myAsn);
  return {
    peer,
    peerAsn,
    myAsn,
    ...(d.routerId !== undefined ? { routerId: d.routerId } : {}),
    ...(d.password !== undefined ? { password: d.password } : {}),
    holdTimeS: d.holdTimeS ?? DEFAULT_HOLD_S,
    ...(d.keepaliveS !== undefined ? { keepaliveS: d.keepaliveS } : {}),
    announce: [...new Set(d.announce)],
    communities: d.communities,
    ...(d.localPref !== undefined ? { localPref: d.localPref } : {}),
    ...(d.bfd
      ? {
          bfd: {
            receiveIntervalMs: d.bfdRx ?? DEFAULT_BFD_INTERVAL_MS,
            transmitIntervalMs: d.bfdTx ?? DEFAULT_BFD_INTERVAL_MS,
            detectMultiplier: d.bfdMultiplier ?? DEFAULT_BFD_MULTIPLIER,
          },
        }
      : {}),
    ...(d.multihop !== undefined ? { multihop: d.multihop } : {}),
    ...(d.ttlSecurity !== undefined ? { ttlSecurity: d.ttlSecurity } : {}),
    durationS: d.durationS ?? DEFAULT_DURATION_S,
    timeoutS: d.timeoutS ?? DEFAULT_TIMEOUT_S,
    ...(d.source !== undefined ? { source: d.source } : {}),
    port: d.port ?? DEFAULT_PORT,
    passive: d.passive,
    ...nextHops(d.nextHops),
  };
}
