import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BfdPacketError,
  controlPacketLength,
  decodeControlPacket,
  diagnosticName,
  encodeControlPacket,
  encodeControlPacketInto,
  type BfdControlPacket,
} from '../../../../src/bgp/bfd/codec/index.js';
import { controlPacket } from './arbitraries.js';
import { CAPTURES } from './captures.js';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The codec laws (style anchor 3): round trip, re-encode stability, length, offset, trailing octets. */
function checkCodecLaws(packet: BfdControlPacket): void {
  const bytes = encodeControlPacket(packet);
  expect(bytes.length).toBe(controlPacketLength(packet));
  const decoded = decodeControlPacket(bytes);
  expect(decoded).toEqual({ ok: true, packet, bytesRead: bytes.length });
  if (!decoded.ok) return;
  expect(toHex(encodeControlPacket(decoded.packet))).toBe(toHex(bytes));

  const offset = 10;
  const big = new Uint8Array(offset + bytes.length + 7).fill(0xa5);
  expect(encodeControlPacketInto(big, offset, packet)).toBe(bytes.length);
  expect([...big.subarray(0, offset)].every((b) => b === 0xa5)).toBe(true);
  expect([...big.subarray(offset + bytes.length)].every((b) => b === 0xa5)).toBe(true);
  expect(decodeControlPacket(big, offset)).toEqual({ ok: true, packet, bytesRead: bytes.length });
}

function expectRejected(bytes: Uint8Array, reason: string, field: string): void {
  const result = decodeControlPacket(bytes);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(BfdPacketError);
  expect(result.error).toMatchObject({ name: 'BfdPacketError', reason, field });
}

const VALID = '20400318e47aa25e00000000000f4240000493e000000000';
/** VALID with the octet at `index` replaced. */
const patch = (hex: string, index: number, value: number): Uint8Array => {
  const bytes = fromHex(hex);
  bytes[index] = value;
  return bytes;
};

describe('BFD control packet codec (RFC 5880 §4.1)', () => {
  it.each(CAPTURES)('$name decodes and re-encodes byte for byte', ({ hex, packet }) => {
    expect(decodeControlPacket(fromHex(hex))).toEqual({ ok: true, packet, bytesRead: 24 });
    expect(toHex(encodeControlPacket(packet))).toBe(hex);
    checkCodecLaws(packet);
  });

  it('keeps a Keyed SHA1 authentication section', () => {
    const hex =
      '20440334 00000001 00000000 000f4240 000f4240 00000000' + '04 1c 05 00 00000007' + '11'.repeat(20);
    const result = decodeControlPacket(fromHex(hex));
    expect(result).toMatchObject({ ok: true, bytesRead: 52, packet: { auth: { type: 4 } } });
    if (result.ok) expect(toHex(result.packet.auth!.data)).toBe('0500' + '00000007' + '11'.repeat(20));
  });

  it('keeps a Simple Password section (key id 1, "secret")', () => {
    const hex =
      '20440321 00000001 00000000 000f4240 000f4240 00000000 01 09 01' + toHex(Buffer.from('secret'));
    const result = decodeControlPacket(fromHex(hex));
    expect(result).toMatchObject({ ok: true, bytesRead: 33, packet: { auth: { type: 1 } } });
  });

  it('reads only Length octets and reports them', () => {
    const withPadding = fromHex(VALID.slice(0, 6) + '1e' + VALID.slice(8) + 'ffffffffffff');
    expect(decodeControlPacket(withPadding)).toMatchObject({ ok: true, bytesRead: 30 });
    expect(decodeControlPacket(fromHex(VALID + 'ffff'))).toMatchObject({ ok: true, bytesRead: 24 });
  });

  it('accepts Your Discriminator 0 in Down and AdminDown', () => {
    expect(decodeControlPacket(fromHex(VALID)).ok).toBe(true);
    expect(decodeControlPacket(patch(VALID, 1, 0x00)).ok).toBe(true);
  });

  it('names the diagnostics', () => {
    expect([0, 1, 3, 7, 8, 9, 31].map(diagnosticName)).toEqual([
      'No Diagnostic',
      'Control Detection Time Expired',
      'Neighbor Signaled Session Down',
      'Administratively Down',
      'Reverse Concatenated Path Down',
      'Reserved (9)',
      'Reserved (31)',
    ]);
  });
});

describe('BFD codec: §6.8.6 reception checks', () => {
  const withLength = (length: number, extra = ''): Uint8Array =>
    fromHex(VALID.slice(0, 6) + length.toString(16).padStart(2, '0') + VALID.slice(8) + extra);
  const withAuth = (length: number, auth: string): Uint8Array =>
    fromHex('2044' + '03' + length.toString(16).padStart(2, '0') + VALID.slice(8) + auth);

  it.each([
    {
      name: 'fewer than 24 octets',
      bytes: fromHex(VALID.slice(0, 46)),
      reason: 'truncated',
      field: 'length',
    },
    { name: 'empty', bytes: new Uint8Array(0), reason: 'truncated', field: 'length' },
    { name: 'Length beyond the datagram', bytes: withLength(30), reason: 'truncated', field: 'length' },
    { name: 'version 0', bytes: patch(VALID, 0, 0x00), reason: 'bad-version', field: 'version' },
    { name: 'version 2', bytes: patch(VALID, 0, 0x40), reason: 'bad-version', field: 'version' },
    { name: 'Length 23', bytes: withLength(23, '00'), reason: 'bad-length', field: 'length' },
    { name: 'A bit with Length 25', bytes: withAuth(25, '0100'), reason: 'bad-length', field: 'length' },
    {
      name: 'auth section shorter than Length',
      bytes: withAuth(34, '01090170617373776f7264'),
      reason: 'bad-length',
      field: 'length',
    },
    { name: 'Detect Mult 0', bytes: patch(VALID, 2, 0), reason: 'zero-detect-mult', field: 'detectMult' },
    { name: 'Multipoint bit', bytes: patch(VALID, 1, 0x41), reason: 'multipoint', field: 'flags' },
    {
      name: 'My Discriminator 0',
      bytes: fromHex('2040031800000000' + VALID.slice(16)),
      reason: 'zero-my-discriminator',
      field: 'myDiscriminator',
    },
    {
      name: 'Your Discriminator 0 in Init',
      bytes: patch(VALID, 1, 0x80),
      reason: 'zero-your-discriminator',
      field: 'yourDiscriminator',
    },
    {
      name: 'Your Discriminator 0 in Up',
      bytes: patch(VALID, 1, 0xc0),
      reason: 'zero-your-discriminator',
      field: 'yourDiscriminator',
    },
    { name: 'Auth Type 0', bytes: withAuth(28, '00040102'), reason: 'bad-auth-section', field: 'auth' },
    {
      name: 'MD5 with Auth Len 20',
      bytes: withAuth(44, '0214' + '00'.repeat(18)),
      reason: 'bad-auth-section',
      field: 'auth',
    },
    {
      name: 'SHA1 with Auth Len 24',
      bytes: withAuth(48, '0418' + '00'.repeat(22)),
      reason: 'bad-auth-section',
      field: 'auth',
    },
    {
      name: 'password of 0 octets',
      bytes: withAuth(27, '010301'),
      reason: 'bad-auth-section',
      field: 'auth',
    },
    {
      name: 'password of 17 octets',
      bytes: withAuth(44, '011401' + '61'.repeat(17)),
      reason: 'bad-auth-section',
      field: 'auth',
    },
  ])('rejects $name ($reason)', ({ bytes, reason, field }) => expectRejected(bytes, reason, field));

  it('rejects a negative offset as truncated', () => {
    expect(decodeControlPacket(fromHex(VALID), -1)).toMatchObject({
      ok: false,
      error: { reason: 'truncated' },
    });
  });
});

describe('BFD codec: encoding rejects what decoding would', () => {
  const ok = CAPTURES[0]!.packet;
  it.each([
    { field: 'diagnostic', patch: { diagnostic: 32 } },
    { field: 'detectMult', patch: { detectMult: 0 } },
    { field: 'detectMult', patch: { detectMult: 256 } },
    { field: 'myDiscriminator', patch: { myDiscriminator: 0 } },
    { field: 'yourDiscriminator', patch: { yourDiscriminator: -1 } },
    { field: 'desiredMinTxUs', patch: { desiredMinTxUs: 2 ** 32 } },
    { field: 'requiredMinRxUs', patch: { requiredMinRxUs: 1.5 } },
    { field: 'requiredMinEchoRxUs', patch: { requiredMinEchoRxUs: Number.NaN } },
    { field: 'state', patch: { state: 'Bogus' } },
    { field: 'yourDiscriminator', patch: { state: 'Up', yourDiscriminator: 0 } },
    { field: 'auth', patch: { auth: { type: 2, data: new Uint8Array(3) } } },
    { field: 'auth', patch: { auth: { type: 0, data: new Uint8Array(3) } } },
  ])('names $field for $patch', ({ field, patch: p }) => {
    expect(() => encodeControlPacket({ ...ok, ...p } as BfdControlPacket)).toThrowError(
      expect.objectContaining({ name: 'BfdPacketError', field }),
    );
  });

  it('refuses to write past the end of the target', () => {
    expect(() => encodeControlPacketInto(new Uint8Array(30), 10, ok)).toThrowError(
      expect.objectContaining({ name: 'BfdPacketError', field: 'offset' }),
    );
  });
});

describe('BFD codec: properties', () => {
  it('every valid packet satisfies the codec laws', () => {
    fc.assert(
      fc.property(controlPacket, (p) => checkCodecLaws(p)),
      { numRuns: 2_000 },
    );
  });

  const KNOWN_REASONS = new Set([
    'truncated',
    'bad-version',
    'bad-length',
    'zero-detect-mult',
    'multipoint',
    'zero-my-discriminator',
    'zero-your-discriminator',
    'bad-auth-section',
  ]);

  /** Decoding never throws; a success re-encodes to the same packet; a failure is a typed error. */
  function checkDecodeTotal(bytes: Uint8Array): void {
    const result = decodeControlPacket(bytes);
    if (result.ok) {
      expect(decodeControlPacket(encodeControlPacket(result.packet))).toMatchObject({
        ok: true,
        packet: result.packet,
      });
    } else {
      expect(result.error).toBeInstanceOf(BfdPacketError);
      expect(KNOWN_REASONS.has(result.error.reason)).toBe(true);
    }
  }

  it('fuzz: 50,000 random datagrams', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), checkDecodeTotal), { numRuns: 50_000 });
  });

  it('fuzz: 60,000 mutated valid packets (bit flips, octet writes, truncation, extension)', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        kind: fc.constant('write' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('grow' as const), extra: fc.uint8Array({ maxLength: 40 }) }),
    );
    fc.assert(
      fc.property(controlPacket, fc.array(mutation, { minLength: 1, maxLength: 4 }), (packet, mutations) => {
        let bytes = encodeControlPacket(packet);
        for (const m of mutations) {
          if (m.kind === 'flip' && bytes.length > 0) bytes[m.at % bytes.length]! ^= 1 << m.bit;
          if (m.kind === 'write' && bytes.length > 0) bytes[m.at % bytes.length] = m.value;
          if (m.kind === 'cut') bytes = bytes.slice(0, m.at % (bytes.length + 1));
          if (m.kind === 'grow') bytes = Uint8Array.from([...bytes, ...m.extra]);
        }
        checkDecodeTotal(bytes);
      }),
      { numRuns: 60_000 },
    );
  });
});
