/**
 * The codec laws every Layer 2 wire type must pass (dns-packet's testEncoder, as bgp-ts-lite's
 * codec-laws.ts, which is tied to BgpWireError and the BGP codec context): decode(encode(v)) equals v,
 * re-encoding the decoded value gives the same bytes, length(v) is what encode writes, and both work
 * at a non-zero offset inside a larger buffer. Self-delimiting codecs (ARP, IPv6, NDP options in a
 * list) must also stop at their own end when foreign octets follow; the others (Ethernet, ICMPv6, NS/NA
 * bodies) end where their container ends, so they are decoded from a range that ends with them.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { encodeToBytes, type L2Codec } from '../../src/l2/wire/codec.js';
import { Reader, Writer, truncated } from '../../src/l2/wire/cursor.js';

const OFFSET = 10;
const TRAILER = 7;
const FILLER = 0xa5;

export interface LawOptions {
  /** The decoder reads exactly its own length even when more octets follow. */
  readonly selfDelimiting: boolean;
}

export function checkL2CodecLaws<T>(codec: L2Codec<T>, value: T, opts: LawOptions): Uint8Array {
  const length = codec.length(value);
  const bytes = encodeToBytes(codec, value);
  expect(bytes.length).toBe(length);

  const r = Reader.over(bytes, truncated('law'));
  const decoded = codec.decode(r);
  expect(r.pos).toBe(bytes.length);
  expect(decoded).toEqual(value);
  expect(encodeToBytes(codec, decoded)).toEqual(bytes);

  const big = new Uint8Array(OFFSET + length + TRAILER).fill(FILLER);
  const w = new Writer(big, OFFSET);
  codec.encode(w, value);
  expect(w.pos).toBe(OFFSET + length);
  expect(big.subarray(OFFSET, OFFSET + length)).toEqual(bytes);
  expect(big[OFFSET - 1]).toBe(FILLER);
  expect(big[OFFSET + length]).toBe(FILLER);
  const end = opts.selfDelimiting ? big.length : OFFSET + length;
  const atOffset = new Reader(big, OFFSET, end, truncated('law'));
  expect(codec.decode(atOffset)).toEqual(value);
  expect(atOffset.pos).toBe(OFFSET + length);
  return bytes;
}

export function l2CodecLawsProperty<T>(
  codec: L2Codec<T>,
  arb: fc.Arbitrary<T>,
  opts: LawOptions,
  numRuns = 100,
): void {
  fc.assert(
    fc.property(arb, (v) => {
      checkL2CodecLaws(codec, v, opts);
    }),
    { numRuns },
  );
}
