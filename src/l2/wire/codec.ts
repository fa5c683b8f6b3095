/**
 * The one codec contract of Herald's Layer 2 wire types (dns-packet's encode/decode/encodingLength trio
 * over cursors): `length(v)` is exactly what `encode(w, v)` writes and `decode(r)` reads it back.
 * Decoders throw only L2WireError.
 */
import { Reader, Writer, truncated } from './cursor.js';

export interface L2Codec<T> {
  encode(w: Writer, value: T): void;
  decode(r: Reader): T;
  length(value: T): number;
}

/** Encodes one value into a fresh buffer of exactly `codec.length(value)` octets. */
export function encodeToBytes<T>(codec: L2Codec<T>, value: T): Uint8Array {
  const length = codec.length(value);
  const w = Writer.alloc(length);
  codec.encode(w, value);
  if (w.pos !== length) throw new Error(`l2 codec length mismatch: wrote ${w.pos}, length() said ${length}`);
  return w.buf;
}

/** Decodes all of `bytes`, naming `what` if the input is too short. */
export function decodeBytes<T>(codec: L2Codec<T>, bytes: Uint8Array, what: string): T {
  return codec.decode(Reader.over(bytes, truncated(what)));
}
