/**
 * From `herald peer-check` flags to bgp-ts-lite options: the BgpSessionInit (one attempt: a failure ends
 * the check, so the back-off is irrelevant), the BgpListener of --passive, and the attributes of the
 * announced routes (communities in MetalLB's syntax, LOCAL_PREF). Pure.
 */
import type { BgpListenerInit, BgpSessionInit, RouteAttributes } from '../../bgp/index.js';
import type { PeerCheckArgs } from './args.js';

const MS_PER_S = 1000;
const CLOSE_LINGER_MS = 1_000;
/** RFC 5082: GTSM peers send with TTL 255 and accept at least 256 - hops. */
const GTSM_TTL = 255;

export function sessionInit(args: PeerCheckArgs, routerId: string): BgpSessionInit {
  return {
    peerAddress: args.peer,
    peerPort: args.port,
    peerAs: args.peerAsn,
    localAs: args.myAsn,
    routerId,
    holdTimeS: args.holdTimeS,
    connectTimeoutMs: args.timeoutS * MS_PER_S,
    closeLingerMs: CLOSE_LINGER_MS,
    passive: args.passive,
    ...(args.keepaliveS !== undefined ? { keepaliveTimeS: args.keepaliveS } : {}),
    ...(args.source !== undefined ? { localAddress: args.source } : {}),
    ...(args.password !== undefined ? { md5Password: args.password } : {}),
    ...(args.multihop !== undefined ? { ebgpMultihop: args.multihop } : {}),
    ...(args.ttlSecurity !== undefined ? { ttlSecurityHops: args.ttlSecurity } : {}),
    ...(args.nextHopIpv4 !== undefined ? { nextHopIpv4: args.nextHopIpv4 } : {}),
    ...(args.nextHopIpv6 !== undefined ? { nextHopIpv6: args.nextHopIpv6 } : {}),
  };
}

/** --passive: listen on --source (or every address of the peer's family) at --port. */
export function listenerInit(args: PeerCheckArgs): BgpListenerInit {
  const wildcard = args.peer.includes(':') ? '::' : '0.0.0.0';
  return {
    host: args.source ?? wildcard,
    port: args.port,
    ...(args.multihop !== undefined ? { ttl: args.multihop } : {}),
    ...(args.ttlSecurity !== undefined ? { ttl: GTSM_TTL, minTtl: GTSM_TTL + 1 - args.ttlSecurity } : {}),
  };
}

/** The attributes every announced route carries, or undefined for none. */
export function routeAttributes(args: PeerCheckArgs): RouteAttributes | undefined {
  const communities = args.communities.flatMap((c) => (c.kind === 'standard' ? [c.value] : []));
  const largeCommunities = args.communities.flatMap((c) =>
    c.kind === 'large'
      ? [{ globalAdmin: c.globalAdmin, localData1: c.localData1, localData2: c.localData2 }]
      : [],
  );
  const attributes: RouteAttributes = {
    ...(communities.length > 0 ? { communities } : {}),
    ...(largeCommunities.length > 0 ? { largeCommunities } : {}),
    ...(args.localPref !== undefined ? { localPref: args.localPref } : {}),
  };
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}
