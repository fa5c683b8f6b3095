/**
 * The contract of one path attribute type (BIRD's bgp_attr_desc row, GoBGP's PathAttributeInterface):
 * the RFC flags, the RFC 7606 action for a malformed value, and a codec for the *value*. attribute.ts
 * owns the <flags, type, length> header. A decoder throws `input.fail(...)`, whose data is the whole
 * attribute as received (RFC 4271 §6.3), and whose action defaults to the spec's `malformed`.
 */
import type { ErrorAction } from '../errors.js';
import type { BgpWireError } from '../errors.js';
import type { AfiSafi, CodecContext, PathAttribute, PathAttributeKind } from '../types.js';
import type { DecodeContext } from '../wire/codec.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export type KnownAttributeKind = Exclude<PathAttributeKind, 'unknown'>;
export type AttributeOf<K extends PathAttributeKind> = Extract<PathAttribute, { kind: K }>;

export interface AttributeInput {
  readonly ctx: DecodeContext;
  /** The attribute as received: flags, type, length and value. */
  readonly raw: Uint8Array;
  fail(subcode: number, reason: string, action?: ErrorAction, afiSafi?: AfiSafi): BgpWireError;
}

export interface AttributeSpec<K extends KnownAttributeKind> {
  readonly typeCode: number;
  readonly kind: K;
  /** Name for messages, as in RFC 4271 / IANA (e.g. 'ORIGIN'). */
  readonly name: string;
  /** The Optional and Transitive bits the RFC assigns (AttrFlag). */
  readonly flags: number;
  /** RFC 7606 action for a malformed value of this attribute. */
  readonly malformed: ErrorAction;
  decode(r: Reader, input: AttributeInput): AttributeOf<K>;
  encode(w: Writer, value: AttributeOf<K>, ctx: CodecContext): void;
  length(value: AttributeOf<K>, ctx: CodecContext): number;
}

/** Throws unless the value has exactly `expected` octets. */
export function expectValueLength(
  r: Reader,
  input: AttributeInput,
  subcode: number,
  name: string,
  expected: number,
): void {
  if (r.remaining !== expected)
    throw input.fail(subcode, `${name} length ${r.remaining}, expected ${expected}`);
}
