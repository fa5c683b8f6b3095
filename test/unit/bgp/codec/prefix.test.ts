/** Address and prefix text helpers, and community formatting. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCommunity,
  isReservedCommunity,
  parseCommunity,
} from '../../../../src/bgp/attributes/communities.js';
import { WellKnownCommunity } from '../../../../src/bgp/constants.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import {
  formatAddress,
  formatPrefix,
  makePrefix,
  parseAddress,
  parsePrefix,
  prefixEquals,
  prefixKey,
} from '../../../../src/bgp/nlri/prefix.js';
import { arbAfi, arbPrefix } from '../../../laws/bgp-arbitraries.js';

describe('addresses', () => {
  it.each([
    ['192.0.2.1', [192, 0, 2, 1]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['2001:db8::1', [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]],
    ['::', new Array(16).fill(0)],
    ['::ffff:192.0.2.1', [...new Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1]],
  ])('parses %s', (text, octets) => expect([...parseAddress(text)]).toEqual(octets));

  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:0:0:1', '::1'],
  ])('formats %s as RFC 5952 %s', (text, canonical) =>
    expect(formatAddress(parseAddress(text))).toBe(canonical),
  );

  it.each([
    '192.0.2',
    '192.0.2.256',
    '192.0.2.01',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':1',
    'g::1',
    '',
    '1:2:3:4:5:6:7',
  ])('rejects %j with BgpInputError naming the field', (text) => {
    expect(() => parseAddress(text)).toThrow(BgpInputError);
    expect(() => parseAddress(text)).toThrow(/^address: /);
  });

  it('round-trips every address through text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
        ),
        (b) => {
          expect(parseAddress(formatAddress(b))).toEqual(b);
        },
      ),
    );
  });
});

describe('prefixes', () => {
  it('parses, formats and keys prefixes of both families', () => {
    const p = parsePrefix('2001:db8::/64');
    expect(p).toEqual({ afi: 2, length: 64, address: parseAddress('2001:db8::') });
    expect(formatPrefix(parsePrefix('192.0.2.0/24'))).toBe('192.0.2.0/24');
    expect(prefixKey(parsePrefix('192.0.2.0/24'))).not.toBe(prefixKey(parsePrefix('192.0.2.0/25')));
  });

  it.each(['192.0.2.1/24', '192.0.2.0/33', '2001:db8::/129', '192.0.2.0', '192.0.2.0/024', 'x/8'])(
    'rejects %j',
    (text) => {
      expect(() => parsePrefix(text)).toThrow(BgpInputError);
    },
  );

  it('makePrefix clears the bits past the length', () => {
    expect(formatPrefix(makePrefix(parseAddress('192.0.2.255'), 25))).toBe('192.0.2.128/25');
    expect(() => makePrefix(parseAddress('192.0.2.0'), 33)).toThrow(BgpInputError);
  });

  it('round-trips every prefix through text; equal prefixes have equal keys', () => {
    fc.assert(
      fc.property(arbAfi.chain(arbPrefix), (p) => {
        const again = parsePrefix(formatPrefix(p));
        expect(again).toEqual(p);
        expect(prefixEquals(again, p)).toBe(true);
        expect(prefixKey(again)).toBe(prefixKey(p));
      }),
    );
  });
});

describe('communities', () => {
  it('names the well-known communities and writes the others as high:low', () => {
    expect(formatCommunity(WellKnownCommunity.NO_EXPORT)).toBe('no-export');
    expect(formatCommunity(WellKnownCommunity.GRACEFUL_SHUTDOWN)).toBe('graceful-shutdown');
    expect(formatCommunity(WellKnownCommunity.BLACKHOLE)).toBe('blackhole');
    expect(formatCommunity(0xfde80064)).toBe('65000:100');
    expect(parseCommunity('no-peer')).toBe(WellKnownCommunity.NO_PEER);
    expect(parseCommunity('65535:65281')).toBe(WellKnownCommunity.NO_EXPORT);
    expect(isReservedCommunity(WellKnownCommunity.NO_ADVERTISE)).toBe(true);
    expect(isReservedCommunity(0xfde80064)).toBe(false);
  });

  it.each(['65536:1', '1:65536', 'no_export', '1:2:3', ''])('rejects %j', (text) =>
    expect(() => parseCommunity(text)).toThrow(BgpInputError),
  );

  it('round-trips every community through text', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (c) => {
        expect(parseCommunity(formatCommunity(c))).toBe(c);
      }),
    );
  });
});
