/**
 * AS_PATH (RFC 4271 §4.3 b) and AS4_PATH (RFC 6793 §3): a list of <type, count, ASNs> segments. AS_PATH
 * ASNs are 2 octets unless both sides sent the 4-octet AS capability; AS4_PATH ASNs are always 4.
 * Malformed (RFC 7606 §7.2, RFC 6793 §6, RFC 7607 §2): an unknown segment type, a zero count, an overrun
 * or a lone trailing octet, or AS 0. AS_PATH errors are treat-as-withdraw, AS4_PATH errors attribute
 * discard. Encoding refuses what would be malformed (and an ASN > 65535 on a 2-octet session: use
 * as4.ts to build AS_PATH + AS4_PATH with AS_TRANS).
 */
import {
  AS_PATH_SEGMENT_HEADER_LENGTH,
  AsPathSegmentType,
  AttrFlag,
  AttrType,
  FOUR_OCTET_ASN_LENGTH,
  MAX_AS_PATH_SEGMENT_ASNS,
  MAX_FOUR_OCTET_ASN,
  MAX_TWO_OCTET_ASN,
  RESERVED_ASN_ZERO,
  TWO_OCTET_ASN_LENGTH,
  UpdateSubcode,
} from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { AsPathSegment } from '../types.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { AttributeInput, AttributeSpec } from './spec.js';

function isSegmentType(t: number): boolean {
  return (
    t === AsPathSegmentType.AS_SET ||
    t === AsPathSegmentType.AS_SEQUENCE ||
    t === AsPathSegmentType.AS_CONFED_SEQUENCE ||
    t === AsPathSegmentType.AS_CONFED_SET
  );
}

export function decodeSegments(
  r: Reader,
  input: AttributeInput,
  asnSize: number,
  name: string,
): AsPathSegment[] {
  const fail = (reason: string) => input.fail(UpdateSubcode.MALFORMED_AS_PATH, `${name}: ${reason}`);
  const four = asnSize === FOUR_OCTET_ASN_LENGTH;
  const segments: AsPathSegment[] = [];
  while (!r.atEnd()) {
    if (r.remaining < AS_PATH_SEGMENT_HEADER_LENGTH) throw fail('a single octet left after the last segment');
    const type = r.u8();
    const count = r.u8();
    if (!isSegmentType(type)) throw fail(`unknown segment type ${type}`);
    if (count === 0) throw fail('segment of length zero');
    if (count * asnSize > r.remaining) throw fail(`segment of ${count} ASNs overruns the attribute`);
    const asns: number[] = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const asn = four ? r.u32() : r.u16();
      if (asn === RESERVED_ASN_ZERO) throw fail('AS 0 (RFC 7607)');
      asns[i] = asn;
    }
    segments.push({ type, asns });
  }
  return segments;
}

export function segmentsLength(segments: readonly AsPathSegment[], asnSize: number): number {
  let total = 0;
  for (const s of segments) total += AS_PATH_SEGMENT_HEADER_LENGTH + s.asns.length * asnSize;
  return total;
}

export function encodeSegments(
  w: Writer,
  segments: readonly AsPathSegment[],
  asnSize: number,
  name: string,
): void {
  const max = asnSize === FOUR_OCTET_ASN_LENGTH ? MAX_FOUR_OCTET_ASN : MAX_TWO_OCTET_ASN;
  segments.forEach((s, i) => {
    const field = `${name}.segments[${i}]`;
    if (!isSegmentType(s.type)) throw new BgpInputError(field, `unknown segment type ${s.type}`);
    if (s.asns.length === 0 || s.asns.length > MAX_AS_PATH_SEGMENT_ASNS) {
      throw new BgpInputError(field, `${s.asns.length} ASNs; a segment holds 1..255`);
    }
    w.u8(s.type);
    w.u8(s.asns.length);
    for (const asn of s.asns) {
      if (!Number.isInteger(asn) || asn <= RESERVED_ASN_ZERO || asn > max) {
        throw new BgpInputError(field, `ASN ${asn} is outside 1..${max} (${asnSize}-octet ASNs)`);
      }
      if (asnSize === FOUR_OCTET_ASN_LENGTH) w.u32(asn);
      else w.u16(asn);
    }
  });
}

const asnSizeOf = (fourOctetAs: boolean): number =>
  fourOctetAs ? FOUR_OCTET_ASN_LENGTH : TWO_OCTET_ASN_LENGTH;

export const asPathAttribute: AttributeSpec<'as-path'> = {
  typeCode: AttrType.AS_PATH,
  kind: 'as-path',
  name: 'AS_PATH',
  flags: AttrFlag.TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode: (r, input) => ({
    kind: 'as-path',
    segments: decodeSegments(r, input, asnSizeOf(input.ctx.fourOctetAs), 'AS_PATH'),
  }),
  encode(w, v, ctx) {
    encodeSegments(w, v.segments, asnSizeOf(ctx.fourOctetAs), 'as-path');
  },
  length: (v, ctx) => segmentsLength(v.segments, asnSizeOf(ctx.fourOctetAs)),
};

/** RFC 6793 §6: at least one segment with one ASN (2 + 4 octets). */
const AS4_PATH_MIN_LENGTH = AS_PATH_SEGMENT_HEADER_LENGTH + FOUR_OCTET_ASN_LENGTH;

export const as4PathAttribute: AttributeSpec<'as4-path'> = {
  typeCode: AttrType.AS4_PATH,
  kind: 'as4-path',
  name: 'AS4_PATH',
  flags: AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE,
  malformed: 'attribute-discard',
  decode(r, input) {
    if (r.remaining < AS4_PATH_MIN_LENGTH) {
      throw input.fail(UpdateSubcode.MALFORMED_AS_PATH, `AS4_PATH length ${r.remaining} is below 6`);
    }
    return { kind: 'as4-path', segments: decodeSegments(r, input, FOUR_OCTET_ASN_LENGTH, 'AS4_PATH') };
  },
  encode(w, v) {
    if (v.segments.length === 0) throw new BgpInputError('as4-path.segments', 'AS4_PATH cannot be empty');
    encodeSegments(w, v.segments, FOUR_OCTET_ASN_LENGTH, 'as4-path');
  },
  length: (v) => segmentsLength(v.segments, FOUR_OCTET_ASN_LENGTH),
};
