/**
 * One path attribute on the wire (RFC 4271 §4.3): <Attribute Flags, Type Code, Length (1 octet, or 2
 * with Extended Length), Value>. This module owns the header and the checks that do not depend on the
 * type: Optional/Transitive flags against the table (RFC 7606 §3(c): treat-as-withdraw), an unknown
 * well-known type (RFC 4271 §6.3: Unrecognized Well-known Attribute, session reset) and value length
 * left over.
 *
 * Flags in the model: a decoded attribute carries `flags` only when the octet differs from what the
 * encoder would choose (the RFC flags, plus Extended Length for values over 255 octets); an encoded one
 * takes Optional/Transitive from the table and the other bits (Partial, Extended Length) from `flags`.
 */
import {
  ATTRIBUTE_HEADER_LENGTH,
  AttrFlag,
  EXTENDED_ATTRIBUTE_HEADER_LENGTH,
  MAX_ONE_OCTET_LENGTH,
  UpdateSubcode,
} from '../constants.js';
import { BgpWireError, type ErrorAction } from '../errors.js';
import type { AfiSafi, CodecContext, PathAttribute } from '../types.js';
import type { DecodeContext, WireCodec } from '../wire/codec.js';
import { ACTION_STRENGTH, updateError } from '../wire/notify.js';
import { copyBytes, type Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import {
  type AnyAttributeSpec,
  attributeSpecByCode,
  attributeSpecOf,
  type KnownAttribute,
  UNKNOWN_ATTRIBUTE_FLAGS,
} from './registry.js';
import type { AttributeInput } from './spec.js';

const { OPTIONAL, TRANSITIVE, EXTENDED_LENGTH } = AttrFlag;
const OPTIONAL_TRANSITIVE = OPTIONAL | TRANSITIVE;
const NO_ERRORS: readonly BgpWireError[] = [];

/** The table row of a known attribute, undefined for an unknown one. */
function specOf(v: PathAttribute): AnyAttributeSpec | undefined {
  return v.kind === 'unknown' ? undefined : attributeSpecOf(v);
}

/** Code of an attribute in the model. */
export function attributeTypeCode(v: PathAttribute): number {
  return v.kind === 'unknown' ? v.typeCode : attributeSpecOf(v).typeCode;
}

function valueLengthOf(v: PathAttribute, spec: AnyAttributeSpec | undefined, ctx: CodecContext): number {
  return spec === undefined ? (v as { data: Uint8Array }).data.length : spec.length(v as KnownAttribute, ctx);
}

export function attributeValueLength(v: PathAttribute, ctx: CodecContext): number {
  return valueLengthOf(v, specOf(v), ctx);
}

function flagsOf(v: PathAttribute, spec: AnyAttributeSpec | undefined, valueLength: number): number {
  const rfc = spec === undefined ? UNKNOWN_ATTRIBUTE_FLAGS : spec.flags;
  let flags: number;
  if (v.flags === undefined) flags = rfc;
  // An unknown attribute is always optional: a well-known one would make the peer reset the session.
  else if (spec === undefined) flags = v.flags | OPTIONAL;
  else flags = (v.flags & ~OPTIONAL_TRANSITIVE) | rfc;
  if (valueLength > MAX_ONE_OCTET_LENGTH) flags |= EXTENDED_LENGTH;
  return flags;
}

/** The flags octet the encoder writes for `v` with a value of `valueLength` octets. */
export function wireFlags(v: PathAttribute, valueLength: number): number {
  return flagsOf(v, specOf(v), valueLength);
}

function headerLength(flags: number): number {
  return flags & EXTENDED_LENGTH ? EXTENDED_ATTRIBUTE_HEADER_LENGTH : ATTRIBUTE_HEADER_LENGTH;
}

export function attributeLength(v: PathAttribute, ctx: CodecContext): number {
  const spec = specOf(v);
  const valueLength = valueLengthOf(v, spec, ctx);
  return headerLength(flagsOf(v, spec, valueLength)) + valueLength;
}

export function encodeAttribute(w: Writer, v: PathAttribute, ctx: CodecContext): void {
  const spec = specOf(v);
  const flags = flagsOf(v, spec, valueLengthOf(v, spec, ctx));
  w.u8(flags);
  w.u8(spec === undefined ? (v as { typeCode: number }).typeCode : spec.typeCode);
  w.beginLength(flags & EXTENDED_LENGTH ? 2 : 1);
  if (spec === undefined) w.bytes((v as { data: Uint8Array }).data);
  else spec.encode(w, v as KnownAttribute, ctx);
  w.endLength();
}

/** Result of decoding one attribute whose header is sound: the attribute (if usable) and its errors. */
export interface AttributeOutcome {
  readonly attribute: PathAttribute | undefined;
  readonly errors: readonly BgpWireError[];
}

/** What a value decoder knows about the attribute it reads; `fail` builds its errors. */
class ReceivedAttribute implements AttributeInput {
  constructor(
    readonly ctx: DecodeContext,
    /** A view of the attribute as received; errors copy it. */
    readonly raw: Uint8Array,
    private readonly malformed: ErrorAction,
  ) {}

  fail(
    subcode: number,
    reason: string,
    action: ErrorAction = this.malformed,
    afiSafi?: AfiSafi,
  ): BgpWireError {
    return updateError(subcode, action, copyBytes(this.raw), reason, afiSafi);
  }
}

function withFlags<T extends PathAttribute>(attribute: T, flags: number, rfc: number, length: number): T {
  const expected = length > MAX_ONE_OCTET_LENGTH ? rfc | EXTENDED_LENGTH : rfc;
  return flags === expected ? attribute : { ...attribute, flags };
}

function decodeKnown(
  spec: AnyAttributeSpec,
  flags: number,
  value: Reader,
  input: AttributeInput,
): AttributeOutcome {
  let errors = NO_ERRORS;
  if ((flags & OPTIONAL_TRANSITIVE) !== spec.flags) {
    errors = [
      input.fail(
        UpdateSubcode.ATTRIBUTE_FLAGS_ERROR,
        `${spec.name} flags 0x${flags.toString(16)}`,
        'treat-as-withdraw',
      ),
    ];
  }
  const length = value.remaining;
  try {
    const attribute = spec.decode(value, input);
    if (!value.atEnd())
      throw input.fail(
        UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
        `${spec.name}: ${value.remaining} octets left over`,
      );
    return { attribute: withFlags(attribute, flags, spec.flags, length), errors };
  } catch (e) {
    if (!(e instanceof BgpWireError)) throw e;
    return { attribute: undefined, errors: [...errors, e] };
  }
}

/**
 * Decodes the value of an attribute whose header was read: `raw` is the whole attribute (a view; errors
 * copy it), `value` a reader over its value.
 */
export function decodeAttributeValue(
  flags: number,
  typeCode: number,
  raw: Uint8Array,
  value: Reader,
  ctx: DecodeContext,
): AttributeOutcome {
  const spec = attributeSpecByCode(typeCode);
  if (spec !== undefined)
    return decodeKnown(spec, flags, value, new ReceivedAttribute(ctx, raw, spec.malformed));
  if ((flags & OPTIONAL) === 0) {
    const error = updateError(
      UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
      'session-reset',
      copyBytes(raw),
      `unrecognized well-known attribute type ${typeCode}`,
    );
    return { attribute: undefined, errors: [error] };
  }
  const length = value.remaining;
  const attribute = withFlags(
    { kind: 'unknown', typeCode, data: value.rest() },
    flags,
    UNKNOWN_ATTRIBUTE_FLAGS,
    length,
  );
  return { attribute, errors: NO_ERRORS };
}

function framingError(r: Reader, start: number, reason: string): BgpWireError {
  return updateError(
    UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
    'treat-as-withdraw',
    copyBytes(r.buf, start, r.end),
    reason,
  );
}

export interface AttributeHeader {
  readonly flags: number;
  readonly typeCode: number;
  readonly length: number;
  /** Absolute position of the flags octet. */
  readonly start: number;
}

/** Header of the attribute at r.pos, or a framing error (RFC 7606 §4: treat-as-withdraw). */
export function readAttributeHeader(r: Reader): AttributeHeader {
  const start = r.pos;
  if (r.remaining < ATTRIBUTE_HEADER_LENGTH) {
    throw framingError(r, start, `${r.remaining} octets left, too few for an attribute`);
  }
  const flags = r.u8();
  const typeCode = r.u8();
  if (flags & EXTENDED_LENGTH && r.remaining < 2)
    throw framingError(r, start, 'extended length field truncated');
  const length = flags & EXTENDED_LENGTH ? r.u16() : r.u8();
  if (length > r.remaining) {
    throw framingError(r, start, `attribute ${typeCode} length ${length} overruns (${r.remaining} left)`);
  }
  return { flags, typeCode, length, start };
}

/** The strongest of a list of errors (RFC 7606 §3(e)). */
export function strongest(errors: readonly BgpWireError[]): BgpWireError | undefined {
  let best: BgpWireError | undefined;
  for (const e of errors)
    if (best === undefined || ACTION_STRENGTH[e.action] > ACTION_STRENGTH[best.action]) best = e;
  return best;
}

/**
 * One attribute as a WireCodec (used by the codec laws and by anyone encoding a single attribute).
 * decode() throws the strongest error the attribute has, whatever its action.
 */
export const pathAttributeCodec: WireCodec<PathAttribute> = {
  encode: (w, v, ctx) => encodeAttribute(w, v, ctx),
  decode(r, ctx) {
    const h = readAttributeHeader(r);
    const value = r.sub(h.length);
    const raw = r.buf.subarray(h.start, r.pos);
    const outcome = decodeAttributeValue(h.flags, h.typeCode, raw, value, ctx);
    const error = strongest(outcome.errors);
    if (error !== undefined) throw error;
    if (outcome.attribute === undefined)
      throw new Error('bgp-ts-lite: attribute decoded to nothing without an error');
    return outcome.attribute;
  },
  length: attributeLength,
};
