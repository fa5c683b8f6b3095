/**
 * The one codec contract every wire type of bgp-ts-lite follows (dns-packet's encode/decode/encodingLength
 * trio over protobufjs-style cursors): `length(v)` is exactly what `encode(w, v)` writes, and
 * `decode(r)` reads it back. Decoders throw only BgpWireError; UPDATE decoding reports RFC 7606
 * treat-as-withdraw and attribute-discard outcomes through `ctx.warnings` instead of throwing.
 */
import type { BgpWireError } from '../errors.js';
import type { CodecContext } from '../types.js';
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

/** The session context plus the sink for non-fatal RFC 7606 outcomes found while decoding. */
export interface DecodeContext extends CodecContext {
  readonly warnings: BgpWireError[];
}

export interface WireCodec<T> {
  encode(w: Writer, value: T, ctx: CodecContext): void;
  decode(r: Reader, ctx: DecodeContext): T;
  length(value: T, ctx: CodecContext): number;
}

export function decodeContext(ctx: CodecContext, warnings: BgpWireError[] = []): DecodeContext {
  return {
    fourOctetAs: ctx.fourOctetAs,
    extendedMessage: ctx.extendedMessage,
    addPathReceive: ctx.addPathReceive,
    addPathSend: ctx.addPathSend,
    warnings,
  };
}

/** Encodes one value into a buffer of exactly `codec.length(value)` octets. */
export function encodeToBytes<T>(codec: WireCodec<T>, value: T, ctx: CodecContext): Uint8Array {
  const length = codec.length(value, ctx);
  const w = Writer.alloc(length);
  codec.encode(w, value, ctx);
  if (w.pos !== length) {
    throw new Error(`bgp-ts-lite codec length mismatch: wrote ${w.pos}, length() said ${length}`);
  }
  return w.buf;
}

/** Sum of `f` over a list (used by the length() of list-shaped values). */
export function sumOf<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}
