/**
 * The path attributes we attach to routes sent to one peer (RFC 4271 §5.1): ORIGIN; AS_PATH empty towards
 * internal peers and [our AS] towards external ones, with AS_TRANS plus AS4_PATH on sessions without the
 * 4-octet AS capability (RFC 6793 §4.2.2, via ../attributes/as4.ts); NEXT_HOP (IPv4) or the MP_REACH_NLRI next hop (IPv6, RFC 4760,
 * RFC 2545) from the session's own address; MED; LOCAL_PREF to internal peers only; communities, large
 * and extended communities. Attributes are in ascending type order (RFC 4271 §5).
 */
import { toTwoOctetAttributes } from '../attributes/as4.js';
import { Afi, AsPathSegmentType, Origin, Safi, type AfiValue } from '../constants.js';
import type { AfiSafi, AsPathSegment, CodecContext, Nlri, PathAttribute } from '../types.js';
import {
  normalizedCommunities,
  normalizedExtendedCommunities,
  normalizedLargeCommunities,
  type RouteAttributes,
} from './route.js';

/** RFC 4271 §5.1.5: the LOCAL_PREF we send to internal peers when the route sets none. */
export const DEFAULT_LOCAL_PREF = 100;

/** What one Established session needs to know to export routes. */
export interface ExportContext {
  readonly localAs: number;
  readonly peerAs: number;
  /** The session's codec context (4-octet AS per RFC 6793, extended messages per RFC 8654). */
  readonly codec: CodecContext;
  /** Families negotiated with the peer. */
  readonly families: readonly AfiSafi[];
  /** Our address on the session, used as next hop for its family. */
  readonly nextHopIpv4?: Uint8Array;
  readonly nextHopIpv6?: Uint8Array;
}

export function isExternal(ctx: ExportContext): boolean {
  return ctx.localAs !== ctx.peerAs;
}

export function familyNegotiated(ctx: ExportContext, afi: AfiValue): boolean {
  return ctx.families.some((f) => f.afi === afi && f.safi === Safi.UNICAST);
}

/** The next hop for a route of `afi`: the route's own, else the session's, else none (cannot be sent). */
export function nextHopFor(
  ctx: ExportContext,
  afi: AfiValue,
  attributes?: RouteAttributes,
): Uint8Array | undefined {
  return attributes?.nextHop ?? (afi === Afi.IPV4 ? ctx.nextHopIpv4 : ctx.nextHopIpv6);
}

/** RFC 4271 §5.1.2: empty towards internal peers, our AS prepended towards external ones. */
function asPath(ctx: ExportContext): AsPathSegment[] {
  return isExternal(ctx) ? [{ type: AsPathSegmentType.AS_SEQUENCE, asns: [ctx.localAs] }] : [];
}

/**
 * The attributes of an UPDATE announcing `nlri` (all of family `afi`, all with `attributes`). For IPv6 the
 * NLRI go inside MP_REACH_NLRI; for IPv4 the caller puts them in the UPDATE's NLRI field.
 */
export function exportAttributes(
  ctx: ExportContext,
  afi: AfiValue,
  nextHop: Uint8Array,
  attributes: RouteAttributes | undefined,
  nlri: readonly Nlri[],
): PathAttribute[] {
  const a = attributes ?? {};
  const out: PathAttribute[] = [
    { kind: 'origin', value: a.origin ?? Origin.IGP },
    { kind: 'as-path', segments: asPath(ctx) },
  ];
  if (afi === Afi.IPV4) out.push({ kind: 'next-hop', address: nextHop });
  if (a.med !== undefined) out.push({ kind: 'multi-exit-disc', value: a.med });
  if (!isExternal(ctx)) out.push({ kind: 'local-pref', value: a.localPref ?? DEFAULT_LOCAL_PREF });
  const communities = normalizedCommunities(a.communities);
  if (communities.length > 0) out.push({ kind: 'communities', values: communities });
  if (afi === Afi.IPV6) {
    out.push({ kind: 'mp-reach-nlri', afi, safi: Safi.UNICAST, nextHops: [nextHop], nlri });
  }
  const extended = normalizedExtendedCommunities(a.extendedCommunities);
  if (extended.length > 0) out.push({ kind: 'extended-communities', values: extended });
  const large = normalizedLargeCommunities(a.largeCommunities);
  if (large.length > 0) out.push({ kind: 'large-communities', values: large });
  // RFC 6793 §4.2.2: a 2-octet peer gets AS_TRANS in AS_PATH and the real path in AS4_PATH.
  return ctx.codec.fourOctetAs ? out : toTwoOctetAttributes(out);
}
