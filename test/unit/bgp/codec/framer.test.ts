/** MessageFramer: whole messages out of arbitrarily chunked streams; Marker and Length checked (RFC 4271 §6.1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../../src/bgp/codec.js';
import { BgpWireError } from '../../../../src/bgp/errors.js';
import { MessageFramer } from '../../../../src/bgp/wire/framer.js';
import { arbMessage, CONTEXTS } from '../../../laws/bgp-arbitraries.js';
import { hex, msg } from './wire-builders.js';

function pushAll(framer: MessageFramer, chunks: Uint8Array[]): string[] {
  return chunks.flatMap((c) => framer.push(c)).map(hex);
}

function errorOf(f: () => unknown): BgpWireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BgpWireError);
    return e as BgpWireError;
  }
  throw new Error('expected a BgpWireError');
}

describe('MessageFramer', () => {
  it('returns the same messages however the stream is cut', () => {
    const ctx = CONTEXTS.fourOctet;
    fc.assert(
      fc.property(
        fc.array(arbMessage(ctx), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (messages, cuts) => {
          const encoded = messages.map((m) => encodeMessage(m, ctx));
          const stream = Uint8Array.from(encoded.flatMap((b) => [...b]));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((p, i) => stream.subarray(p, [...points, stream.length][i]));
          const framer = new MessageFramer();
          expect(pushAll(framer, chunks)).toEqual(encoded.map(hex));
          expect(framer.buffered).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('buffers a partial message until the rest arrives, byte by byte', () => {
    const m = msg(2, '0000 0000');
    const framer = new MessageFramer();
    for (let i = 0; i < m.length - 1; i++) expect(framer.push(m.subarray(i, i + 1))).toEqual([]);
    expect(framer.buffered).toBe(m.length - 1);
    expect(framer.push(m.subarray(m.length - 1)).map(hex)).toEqual([hex(m)]);
  });

  it('rejects a Marker that is not all ones as soon as a wrong octet arrives', () => {
    const framer = new MessageFramer();
    const e = errorOf(() => framer.push(Uint8Array.of(0xff, 0xff, 0x00)));
    expect([e.code, e.subcode, hex(e.data), e.action]).toEqual([1, 1, '', 'session-reset']);
    expect(errorOf(() => framer.push(msg(4, '')))).toBe(e);
  });

  it.each([
    [18, '0012'],
    [4097, '1001'],
  ])('rejects Length %d with Bad Message Length and the Length as data', (length, data) => {
    const e = errorOf(() => new MessageFramer(4096).push(msg(4, '', length)));
    expect([e.code, e.subcode, hex(e.data)]).toEqual([1, 2, data]);
  });

  it('accepts messages up to 65535 octets after setMaxLength (RFC 8654)', () => {
    const big = msg(2, '0000 0000' + '00'.repeat(10_000));
    const framer = new MessageFramer(4096);
    expect(() => new MessageFramer(4096).push(big)).toThrow(BgpWireError);
    framer.setMaxLength(65535);
    expect(framer.push(big).map((b) => b.length)).toEqual([big.length]);
  });

  it('copies messages it assembled from several chunks, so later chunks cannot change them', () => {
    const a = msg(4, '');
    const b = msg(2, '0000 0000');
    const framer = new MessageFramer();
    framer.push(a.subarray(0, 10));
    const [whole] = framer.push(Uint8Array.from([...a.subarray(10), ...b.subarray(0, 10)]));
    expect(framer.push(b.subarray(10)).map(hex)).toEqual([hex(b)]);
    // The buffer is empty again, so the next partial message is written where `a` was assembled.
    framer.push(msg(3, '0602').subarray(0, 19));
    expect(hex(whole as Uint8Array)).toBe(hex(a));
  });
});
