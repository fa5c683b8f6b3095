/**
 * The routes a caller wants announced: a prefix plus the attributes it controls (ORIGIN, MED, LOCAL_PREF,
 * communities, large and extended communities, an optional NEXT_HOP override). `validateRoute` turns bad
 * input into a BgpInputError naming the field; `attributesKey` is equal for routes that can share one
 * UPDATE.
 */
import { Afi, Origin, type OriginValue } from '../constants.js';
import { BgpInputError } from '../errors.js';
import { addressLength, maxPrefixLength } from '../nlri/family.js';
import { formatAddress } from '../nlri/prefix.js';
import type { LargeCommunity, Prefix } from '../types.js';

const U32_MAX = 0xffffffff;
const EXTENDED_COMMUNITY_LENGTH = 8;

export interface RouteAttributes {
  /** Default IGP. */
  readonly origin?: OriginValue;
  /** MULTI_EXIT_DISC (RFC 4271 §5.1.4), 0..2^32-1. */
  readonly med?: number;
  /** LOCAL_PREF, sent to internal peers only (RFC 4271 §5.1.5); default 100 there. */
  readonly localPref?: number;
  /** Standard communities as 32-bit values (RFC 1997). */
  readonly communities?: readonly number[];
  /** RFC 8092 large communities. */
  readonly largeCommunities?: readonly LargeCommunity[];
  /** RFC 4360 extended communities, 8 octets each. */
  readonly extendedCommunities?: readonly Uint8Array[];
  /** NEXT_HOP to announce instead of the session's own address (same family as the prefix). */
  readonly nextHop?: Uint8Array;
}

export interface Route {
  readonly prefix: Prefix;
  readonly attributes?: RouteAttributes;
}

function checkU32(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > U32_MAX)) {
    throw new BgpInputError(field, `must be an integer in [0, ${U32_MAX}], got ${value}`);
  }
}

function checkPrefix(p: Prefix, field: string): void {
  if (p.afi !== Afi.IPV4 && p.afi !== Afi.IPV6)
    throw new BgpInputError(field, `unsupported AFI ${String(p.afi)}`);
  if (p.address.length !== addressLength(p.afi)) {
    throw new BgpInputError(
      field,
      `address has ${p.address.length} octets, AFI ${p.afi} needs ${addressLength(p.afi)}`,
    );
  }
  if (!Number.isInteger(p.length) || p.length < 0 || p.length > maxPrefixLength(p.afi)) {
    throw new BgpInputError(field, `length ${p.length} is outside 0..${maxPrefixLength(p.afi)}`);
  }
}

/** Throws BgpInputError (field `${field}.…`) for a route that cannot be announced as given. */
export function validateRoute(route: Route, field = 'route'): void {
  checkPrefix(route.prefix, `${field}.prefix`);
  const a = route.attributes;
  if (a === undefined) return;
  if (a.origin !== undefined && !Object.values(Origin).includes(a.origin)) {
    throw new BgpInputError(
      `${field}.attributes.origin`,
      `must be 0 (IGP), 1 (EGP) or 2 (INCOMPLETE), got ${a.origin}`,
    );
  }
  checkU32(a.med, `${field}.attributes.med`);
  checkU32(a.localPref, `${field}.attributes.localPref`);
  a.communities?.forEach((c, i) => checkU32(c, `${field}.attributes.communities[${i}]`));
  a.largeCommunities?.forEach((c, i) => {
    checkU32(c.globalAdmin, `${field}.attributes.largeCommunities[${i}].globalAdmin`);
    checkU32(c.localData1, `${field}.attributes.largeCommunities[${i}].localData1`);
    checkU32(c.localData2, `${field}.attributes.largeCommunities[${i}].localData2`);
  });
  a.extendedCommunities?.forEach((c, i) => {
    if (c.length !== EXTENDED_COMMUNITY_LENGTH) {
      throw new BgpInputError(
        `${field}.attributes.extendedCommunities[${i}]`,
        `must be 8 octets, got ${c.length}`,
      );
    }
  });
  if (a.nextHop !== undefined && a.nextHop.length !== addressLength(route.prefix.afi)) {
    throw new BgpInputError(
      `${field}.attributes.nextHop`,
      `has ${a.nextHop.length} octets, a next hop for AFI ${route.prefix.afi} needs ${addressLength(route.prefix.afi)}`,
    );
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Communities as a set: sorted, without duplicates (their order carries no meaning, RFC 1997). */
export function normalizedCommunities(values: readonly number[] | undefined): number[] {
  return [...new Set(values ?? [])].sort((x, y) => x - y);
}

export function normalizedLargeCommunities(values: readonly LargeCommunity[] | undefined): LargeCommunity[] {
  const byKey = new Map((values ?? []).map((c) => [`${c.globalAdmin}:${c.localData1}:${c.localData2}`, c]));
  return [...byKey.values()].sort(
    (x, y) => x.globalAdmin - y.globalAdmin || x.localData1 - y.localData1 || x.localData2 - y.localData2,
  );
}

export function normalizedExtendedCommunities(values: readonly Uint8Array[] | undefined): Uint8Array[] {
  const byKey = new Map((values ?? []).map((c) => [hex(c), c]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as Uint8Array);
}

/** Equal for attribute sets that encode identically (so their prefixes can share one UPDATE). */
export function attributesKey(attributes: RouteAttributes | undefined): string {
  const a = attributes ?? {};
  return [
    a.origin ?? Origin.IGP,
    a.med ?? '',
    a.localPref ?? '',
    normalizedCommunities(a.communities).join(','),
    normalizedLargeCommunities(a.largeCommunities)
      .map((c) => `${c.globalAdmin}:${c.localData1}:${c.localData2}`)
      .join(','),
    normalizedExtendedCommunities(a.extendedCommunities).map(hex).join(','),
    a.nextHop === undefined ? '' : formatAddress(a.nextHop),
  ].join('|');
}
