/**
 * RFC 6793 on 2-octet sessions (a peer without the 4-octet AS capability, an "OLD" speaker).
 *
 * Sending (§4.2.2): toTwoOctetAttributes() replaces every ASN above 65535 in AS_PATH and AGGREGATOR by
 * AS_TRANS and adds AS4_PATH (without confederation segments) / AS4_AGGREGATOR carrying the real values.
 *
 * Receiving (§4.2.3, §6): mergeAs4Attributes() rebuilds the real AS_PATH and AGGREGATOR and removes
 * AS4_PATH / AS4_AGGREGATOR. On a 4-octet session those two attributes must not appear and are simply
 * discarded.
 */
import { AS_TRANS, AsPathSegmentType, MAX_TWO_OCTET_ASN } from '../constants.js';
import type { AsPathSegment, PathAttribute } from '../types.js';

const isConfed = (s: AsPathSegment): boolean =>
  s.type === AsPathSegmentType.AS_CONFED_SEQUENCE || s.type === AsPathSegmentType.AS_CONFED_SET;

const mappable = (asn: number): number => (asn > MAX_TWO_OCTET_ASN ? AS_TRANS : asn);

/** RFC 4271 §9.1.2.2 path length as RFC 6793 §4.2.3 counts it: AS_SET counts 1, confederation segments 0. */
export function asPathCount(segments: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of segments) {
    if (s.type === AsPathSegmentType.AS_SEQUENCE) n += s.asns.length;
    else if (s.type === AsPathSegmentType.AS_SET) n += 1;
  }
  return n;
}

/** Attributes to send to an OLD speaker (the codec then encodes AS_PATH with 2-octet ASNs). */
export function toTwoOctetAttributes(attributes: readonly PathAttribute[]): PathAttribute[] {
  const out: PathAttribute[] = [];
  const extra: PathAttribute[] = [];
  for (const a of attributes) {
    if (a.kind === 'as4-path' || a.kind === 'as4-aggregator') continue;
    if (a.kind === 'as-path' && a.segments.some((s) => s.asns.some((asn) => asn > MAX_TWO_OCTET_ASN))) {
      out.push({ ...a, segments: a.segments.map((s) => ({ type: s.type, asns: s.asns.map(mappable) })) });
      const real = a.segments.filter((s) => !isConfed(s));
      if (real.length > 0) extra.push({ kind: 'as4-path', segments: real });
    } else if (a.kind === 'aggregator' && a.asn > MAX_TWO_OCTET_ASN) {
      out.push({ ...a, asn: AS_TRANS });
      extra.push({ kind: 'as4-aggregator', asn: a.asn, address: a.address });
    } else {
      out.push(a);
    }
  }
  return [...out, ...extra];
}

/** The leading segments of `path` holding `count` counted ASNs, plus adjacent confederation segments. */
function leadingPart(path: readonly AsPathSegment[], count: number): AsPathSegment[] {
  const out: AsPathSegment[] = [];
  let left = count;
  for (const s of path) {
    if (isConfed(s)) {
      out.push(s);
      continue;
    }
    if (left === 0) break;
    if (s.type === AsPathSegmentType.AS_SET) {
      out.push(s);
      left -= 1;
    } else {
      const take = Math.min(left, s.asns.length);
      out.push({ type: s.type, asns: s.asns.slice(0, take) });
      left -= take;
    }
  }
  return out;
}

/** RFC 6793 §4.2.3: the AS path rebuilt from AS_PATH and AS4_PATH. */
export function mergeAsPath(
  asPath: readonly AsPathSegment[],
  as4Path: readonly AsPathSegment[],
): AsPathSegment[] {
  const as4 = as4Path.filter((s) => !isConfed(s));
  const surplus = asPathCount(asPath) - asPathCount(as4);
  if (surplus < 0) return [...asPath];
  return [...leadingPart(asPath, surplus), ...as4];
}

/** Attributes as received, with AS4_PATH / AS4_AGGREGATOR folded in (OLD peer) or dropped (NEW peer). */
export function mergeAs4Attributes(
  attributes: readonly PathAttribute[],
  fourOctetSession: boolean,
): PathAttribute[] {
  const rest = attributes.filter((a) => a.kind !== 'as4-path' && a.kind !== 'as4-aggregator');
  if (fourOctetSession) return rest;
  const as4Path = attributes.find((a) => a.kind === 'as4-path');
  const as4Aggregator = attributes.find((a) => a.kind === 'as4-aggregator');
  const aggregator = attributes.find((a) => a.kind === 'aggregator');
  // §4.2.3: an AGGREGATOR with a real (non-AS_TRANS) ASN means AS4_AGGREGATOR and AS4_PATH are ignored.
  if (aggregator?.kind === 'aggregator' && aggregator.asn !== AS_TRANS) return rest;
  return rest.map((a) => {
    if (a.kind === 'aggregator' && as4Aggregator?.kind === 'as4-aggregator') {
      return { ...a, asn: as4Aggregator.asn, address: as4Aggregator.address };
    }
    if (a.kind === 'as-path' && as4Path?.kind === 'as4-path')
      return { ...a, segments: mergeAsPath(a.segments, as4Path.segments) };
    return a;
  });
}
