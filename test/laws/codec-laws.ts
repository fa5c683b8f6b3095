/**
 * The codec laws every wire type of bgp-ts-lite must pass (dns-packet's testEncoder): decode(encode(v))
 * equals v, re-encoding the decoded value gives the same bytes, length(v) is what encode writes, and
 * both work at a non-zero offset inside a larger buffer with foreign bytes after the value.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { HeaderSubcode } from '../../src/bgp/constants.js';
import { BgpWireError } from '../../src/bgp/errors.js';
import { DEFAULT_CODEC_CONTEXT, type CodecContext } from '../../src/bgp/types.js';
import { decodeContext, encodeToBytes, type WireCodec } from '../../src/bgp/wire/codec.js';
import { Reader } from '../../src/bgp/wire/reader.js';
import { Writer } from '../../src/bgp/wire/writer.js';

const OFFSET = 10;
const TRAILER = 7;
const FILLER = 0xa5;

const overflow = () =>
  new BgpWireError(1, HeaderSubcode.BAD_MESSAGE_LENGTH, new Uint8Array(0), 'session-reset', 'overflow');

export function checkCodecLaws<T>(
  codec: WireCodec<T>,
  value: T,
  ctx: CodecContext = DEFAULT_CODEC_CONTEXT,
): Uint8Array {
  const length = codec.length(value, ctx);
  const bytes = encodeToBytes(codec, value, ctx);
  expect(bytes.length).toBe(length);

  const dctx = decodeContext(ctx);
  const r = Reader.over(bytes, overflow);
  const decoded = codec.decode(r, dctx);
  expect(r.pos).toBe(bytes.length);
  expect(dctx.warnings).toEqual([]);
  expect(decoded).toEqual(value);
  expect(encodeToBytes(codec, decoded, ctx)).toEqual(bytes);

  const big = new Uint8Array(OFFSET + length + TRAILER).fill(FILLER);
  const w = new Writer(big, OFFSET);
  codec.encode(w, value, ctx);
  expect(w.pos).toBe(OFFSET + length);
  expect(big.subarray(OFFSET, OFFSET + length)).toEqual(bytes);
  expect(big[OFFSET - 1]).toBe(FILLER);
  expect(big[OFFSET + length]).toBe(FILLER);
  const atOffset = new Reader(big, OFFSET, big.length, overflow);
  expect(codec.decode(atOffset, decodeContext(ctx))).toEqual(value);
  expect(atOffset.pos).toBe(OFFSET + length);
  return bytes;
}

/** The laws as a fast-check property over generated values. */
export function codecLawsProperty<T>(
  codec: WireCodec<T>,
  arb: fc.Arbitrary<T>,
  ctx: CodecContext = DEFAULT_CODEC_CONTEXT,
  numRuns = 100,
): void {
  fc.assert(
    fc.property(arb, (v) => {
      checkCodecLaws(codec, v, ctx);
    }),
    { numRuns },
  );
}
