/**
 * The Path Attributes field of an UPDATE (RFC 4271 §4.3) with the list-level rules of RFC 7606:
 * a framing error stops attribute parsing and is treat-as-withdraw, relying on Total Path Attribute
 * Length to find the NLRI (§4); a repeated attribute keeps the first and discards the others, except a
 * repeated MP_REACH_NLRI / MP_UNREACH_NLRI, which is Malformed Attribute List and a session reset (§3(g)).
 * The encoder writes MP_REACH/MP_UNREACH first (§5.1), then the rest in ascending type order
 * (RFC 4271 §5), and refuses repeated types.
 */
import { UpdateSubcode } from '../constants.js';
import { BgpInputError, BgpWireError } from '../errors.js';
import type { CodecContext, PathAttribute } from '../types.js';
import type { DecodeContext } from '../wire/codec.js';
import { EMPTY_DATA, updateError } from '../wire/notify.js';
import { copyBytes, type Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import {
  type AttributeHeader,
  attributeLength,
  attributeTypeCode,
  decodeAttributeValue,
  encodeAttribute,
  readAttributeHeader,
} from './attribute.js';
import { isMpAttributeCode } from './registry.js';

export interface AttributeListResult {
  /** Usable attributes in wire order (malformed and repeated ones left out). */
  readonly attributes: PathAttribute[];
  /** Errors short of a session reset, in the order found. */
  readonly errors: BgpWireError[];
  /** Every type code present, malformed or not. */
  readonly seen: ReadonlySet<number>;
}

/** Decodes attributes until the reader's range ends; throws at once on a session-reset error. */
export function decodeAttributeList(r: Reader, ctx: DecodeContext): AttributeListResult {
  const attributes: PathAttribute[] = [];
  const errors: BgpWireError[] = [];
  const seen = new Set<number>();
  while (!r.atEnd()) {
    let header: AttributeHeader;
    try {
      header = readAttributeHeader(r);
    } catch (e) {
      if (!(e instanceof BgpWireError)) throw e;
      errors.push(e);
      break;
    }
    const value = r.sub(header.length);
    const raw = r.buf.subarray(header.start, r.pos);
    if (seen.has(header.typeCode)) {
      if (isMpAttributeCode(header.typeCode)) {
        throw updateError(
          UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
          'session-reset',
          EMPTY_DATA,
          `attribute ${header.typeCode} (MP_REACH_NLRI/MP_UNREACH_NLRI) appears twice`,
        );
      }
      errors.push(
        updateError(
          UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
          'attribute-discard',
          copyBytes(raw),
          `attribute ${header.typeCode} repeated; the first is kept`,
        ),
      );
      continue;
    }
    seen.add(header.typeCode);
    const outcome = decodeAttributeValue(header.flags, header.typeCode, raw, value, ctx);
    for (const e of outcome.errors) {
      if (e.action === 'session-reset') throw e;
      errors.push(e);
    }
    if (outcome.attribute !== undefined) attributes.push(outcome.attribute);
  }
  return { attributes, errors, seen };
}

const MP_FIRST = 256;

function rank(v: PathAttribute): number {
  const code = attributeTypeCode(v);
  return isMpAttributeCode(code) ? code - MP_FIRST : code;
}

/** The attributes in the order they go on the wire; throws BgpInputError on a repeated type. */
export function wireOrder(attributes: readonly PathAttribute[]): readonly PathAttribute[] {
  let ordered = true;
  let previous = -MP_FIRST;
  for (const a of attributes) {
    const r = rank(a);
    if (r <= previous) {
      ordered = false;
      break;
    }
    previous = r;
  }
  if (ordered) return attributes;
  const sorted = attributes
    .map((a, i) => ({ a, i, r: rank(a) }))
    .sort((x, y) => x.r - y.r || x.i - y.i)
    .map((x) => x.a);
  for (let i = 1; i < sorted.length; i++) {
    if (rank(sorted[i - 1] as PathAttribute) === rank(sorted[i] as PathAttribute)) {
      throw new BgpInputError(
        'attributes',
        `type ${attributeTypeCode(sorted[i] as PathAttribute)} appears twice`,
      );
    }
  }
  return sorted;
}

export function attributeListLength(attributes: readonly PathAttribute[], ctx: CodecContext): number {
  let total = 0;
  for (const a of attributes) total += attributeLength(a, ctx);
  return total;
}

export function encodeAttributeList(
  w: Writer,
  attributes: readonly PathAttribute[],
  ctx: CodecContext,
): void {
  for (const a of wireOrder(attributes)) encodeAttribute(w, a, ctx);
}
