/**
 * BGP community values as users write them: standard communities "AA:NN" (RFC 1997, two 16-bit
 * halves), large communities "large:GA:LD1:LD2" (RFC 8092, three 32-bit parts, MetalLB's Juniper-style
 * marker) and the well-known names FRR accepts ("no-export", "blackhole", ...). Shared by config parsing
 * (BGPAdvertisement.communities, Community aliases) and `herald peer-check`. Parsing returns a typed
 * failure, never throws. Pure.
 */

export interface StandardCommunity {
  readonly kind: 'standard';
  /** The 32-bit value: (AA << 16) | NN. */
  readonly value: number;
}

export interface LargeCommunity {
  readonly kind: 'large';
  readonly globalAdmin: number;
  readonly localData1: number;
  readonly localData2: number;
}

export type Community = StandardCommunity | LargeCommunity;

export interface CommunityFailure {
  readonly kind: 'invalid';
  readonly reason: string;
  /**
   * True when the text does not have the shape of a community at all (not "A:B", not "large:A:B:C",
   * not a well-known name), so it may be the name of a Community alias that does not exist yet.
   * False when it has the shape but a part is out of range or not a number.
   */
  readonly malformed: boolean;
}

export type CommunityParse = Community | CommunityFailure;

/** RFC 1997 §"Well-known Communities". */
export const COMMUNITY_NO_EXPORT = 0xffffff01;
export const COMMUNITY_NO_ADVERTISE = 0xffffff02;
export const COMMUNITY_NO_EXPORT_SUBCONFED = 0xffffff03;
/** RFC 3765. */
export const COMMUNITY_NO_PEER = 0xffffff04;
/** RFC 8326. */
export const COMMUNITY_GRACEFUL_SHUTDOWN = 0xffff0000;
/** RFC 7611. */
export const COMMUNITY_ACCEPT_OWN = 0xffff0001;
/** RFC 9494 (long-lived graceful restart). */
export const COMMUNITY_LLGR_STALE = 0xffff0006;
export const COMMUNITY_NO_LLGR = 0xffff0007;
/** RFC 7999. */
export const COMMUNITY_BLACKHOLE = 0xffff029a;

/** Well-known community names, as FRR spells them. */
export const WELL_KNOWN_COMMUNITIES: ReadonlyMap<string, number> = new Map([
  ['no-export', COMMUNITY_NO_EXPORT],
  ['no-advertise', COMMUNITY_NO_ADVERTISE],
  ['no-export-subconfed', COMMUNITY_NO_EXPORT_SUBCONFED],
  ['no-peer', COMMUNITY_NO_PEER],
  ['blackhole', COMMUNITY_BLACKHOLE],
  ['graceful-shutdown', COMMUNITY_GRACEFUL_SHUTDOWN],
  ['accept-own', COMMUNITY_ACCEPT_OWN],
  ['llgr-stale', COMMUNITY_LLGR_STALE],
  ['no-llgr', COMMUNITY_NO_LLGR],
]);

const LARGE_MARKER = 'large';
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;
const DECIMAL = /^\d+$/;

function parsePart(text: string, max: number, whole: string): number | string {
  if (!DECIMAL.test(text)) return `part "${text}" of community "${whole}" is not a decimal number`;
  const value = Number(text);
  if (value > max) return `part "${text}" of community "${whole}" is out of range 0..${max}`;
  return value;
}

function invalid(reason: string, malformed: boolean): CommunityFailure {
  return { kind: 'invalid', reason, malformed };
}

function parseStandard(parts: readonly string[], text: string): CommunityParse {
  const high = parsePart(parts[0]!, UINT16_MAX, text);
  if (typeof high === 'string') return invalid(high, false);
  const low = parsePart(parts[1]!, UINT16_MAX, text);
  if (typeof low === 'string') return invalid(low, false);
  return { kind: 'standard', value: high * 0x10000 + low };
}

function parseLarge(parts: readonly string[], text: string): CommunityParse {
  if (parts[0] !== LARGE_MARKER) {
    return invalid(`community "${text}" has 4 parts but does not start with "${LARGE_MARKER}:"`, false);
  }
  const values: number[] = [];
  for (const part of parts.slice(1)) {
    const v = parsePart(part, UINT32_MAX, text);
    if (typeof v === 'string') return invalid(v, false);
    values.push(v);
  }
  return { kind: 'large', globalAdmin: values[0]!, localData1: values[1]!, localData2: values[2]! };
}

/** Parses "AA:NN", "large:GA:LD1:LD2" or a well-known community name. */
export function parseCommunity(text: string): CommunityParse {
  const wellKnown = WELL_KNOWN_COMMUNITIES.get(text);
  if (wellKnown !== undefined) return { kind: 'standard', value: wellKnown };
  const parts = text.split(':');
  if (parts.length === 2) return parseStandard(parts, text);
  if (parts.length === 4) return parseLarge(parts, text);
  return invalid(
    `"${text}" is not a community: expected "AA:NN", "large:GA:LD1:LD2" or a well-known name (${[
      ...WELL_KNOWN_COMMUNITIES.keys(),
    ].join(', ')})`,
    true,
  );
}

export function isCommunity(p: CommunityParse): p is Community {
  return p.kind !== 'invalid';
}

/** Canonical text: "AA:NN" for standard (well-known values too), "large:GA:LD1:LD2" for large. */
export function formatCommunity(c: Community): string {
  if (c.kind === 'standard') return `${Math.floor(c.value / 0x10000)}:${c.value % 0x10000}`;
  return `${LARGE_MARKER}:${c.globalAdmin}:${c.localData1}:${c.localData2}`;
}

/**
 * Total order used to keep community lists sorted and de-duplicated: standard before large, then
 * numerically part by part.
 */
export function compareCommunities(a: Community, b: Community): number {
  if (a.kind !== b.kind) return a.kind === 'standard' ? -1 : 1;
  if (a.kind === 'standard' && b.kind === 'standard') return a.value - b.value;
  const la = a as LargeCommunity;
  const lb = b as LargeCommunity;
  return la.globalAdmin - lb.globalAdmin || la.localData1 - lb.localData1 || la.localData2 - lb.localData2;
}
