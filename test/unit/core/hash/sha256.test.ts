import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareBytes, sha256, sha256Utf8, toHex } from '../../../../src/core/hash/index.js';

const nodeSha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
  it.each([
    { input: '', hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { input: 'abc', hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    {
      input: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      hex: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    },
  ])('FIPS 180-4 vector "$input"', ({ input, hex }) => {
    expect(toHex(sha256Utf8(input))).toBe(hex);
  });

  it('one million "a" (FIPS 180-4 long vector)', () => {
    const bytes = new Uint8Array(1_000_000).fill(0x61);
    expect(toHex(sha256(bytes))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('matches node:crypto at every length around the block and padding boundaries', () => {
    for (let len = 0; len <= 200; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff);
      expect(toHex(sha256(bytes))).toBe(nodeSha(bytes));
    }
  });

  it('matches node:crypto on arbitrary byte strings (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => toHex(sha256(bytes)) === nodeSha(bytes)),
      { numRuns: 300 },
    );
  });

  it('hashes UTF-8 like Go []byte(s)', () => {
    expect(toHex(sha256Utf8('nöde#2001:db8::1'))).toBe(nodeSha(Buffer.from('nöde#2001:db8::1', 'utf8')));
  });
});

describe('compareBytes', () => {
  it.each([
    { a: [1, 2], b: [1, 3], want: -1 },
    { a: [2], b: [1, 9], want: 1 },
    { a: [1, 2], b: [1, 2], want: 0 },
    { a: [1], b: [1, 0], want: -1 },
    { a: [1, 0], b: [1], want: 1 },
  ])('$a vs $b = $want', ({ a, b, want }) => {
    expect(compareBytes(Uint8Array.from(a), Uint8Array.from(b))).toBe(want);
  });
});
