import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatIp,
  parseAddressEntry,
  parseIp,
  rangeAsPrefixLength,
  summarizeRange,
  formatRange,
  compareIp,
} from '../../../src/core/ip/index.js';

describe('parseIp / formatIp', () => {
  it.each([
    { text: '192.0.2.1', family: 'IPv4', canonical: '192.0.2.1' },
    { text: '0.0.0.0', family: 'IPv4', canonical: '0.0.0.0' },
    { text: '255.255.255.255', family: 'IPv4', canonical: '255.255.255.255' },
    { text: '2001:DB8:0:0:0:0:0:1', family: 'IPv6', canonical: '2001:db8::1' },
    { text: '2001:db8:0:1:0:0:0:1', family: 'IPv6', canonical: '2001:db8:0:1::1' },
    { text: '2001:db8::1:0:0:1', family: 'IPv6', canonical: '2001:db8::1:0:0:1' },
    { text: '::', family: 'IPv6', canonical: '::' },
    { text: '::ffff:192.0.2.1', family: 'IPv6', canonical: '::ffff:c000:201' },
  ])('$text is $family, canonical $canonical', ({ text, family, canonical }) => {
    const ip = parseIp(text);
    expect(ip?.family).toBe(family);
    expect(formatIp(ip!)).toBe(canonical);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4/32',
    'fe80::1%eth0',
    'x::1',
    '1:2:3:4:5:6:7:8:9',
  ])('rejects %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('round-trips every IPv4 and IPv6 value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (value) => {
        const ip = { family: 'IPv4' as const, value };
        expect(parseIp(formatIp(ip))).toEqual(ip);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        const ip = { family: 'IPv6' as const, value };
        expect(parseIp(formatIp(ip))).toEqual(ip);
      }),
    );
  });

  it('orders IPv4 before IPv6, then numerically', () => {
    expect(compareIp(parseIp('192.0.2.9')!, parseIp('192.0.2.10')!)).toBeLessThan(0);
    expect(compareIp(parseIp('255.255.255.255')!, parseIp('::')!)).toBeLessThan(0);
  });
});

describe('parseAddressEntry', () => {
  it.each([
    { text: '192.0.2.0/24', first: '192.0.2.0', last: '192.0.2.255' },
    { text: '192.0.2.7/24', first: '192.0.2.0', last: '192.0.2.255' },
    { text: '192.0.2.10-192.0.2.20', first: '192.0.2.10', last: '192.0.2.20' },
    { text: '192.0.2.10 - 192.0.2.10', first: '192.0.2.10', last: '192.0.2.10' },
    { text: '2001:db8::/64', first: '2001:db8::', last: '2001:db8::ffff:ffff:ffff:ffff' },
    { text: '10.0.0.0/8', first: '10.0.0.0', last: '10.255.255.255' },
  ])('$text spans $first..$last', ({ text, first, last }) => {
    const parsed = parseAddressEntry(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.range.first).toBe(parseIp(first)!.value);
    expect(parsed.range.last).toBe(parseIp(last)!.value);
  });

  it.each([
    { text: '192.0.2.0', reason: 'neither a CIDR nor a range' },
    { text: '192.0.2.0/33', reason: 'prefix length "33"' },
    { text: '192.0.2.0/-1', reason: 'prefix length' },
    { text: '192.0.2.300/24', reason: 'not an IP address' },
    { text: '192.0.2.20-192.0.2.10', reason: 'is after range end' },
    { text: '192.0.2.1-2001:db8::1', reason: 'mixes IPv4 and IPv6' },
    { text: '192.0.2.1-192.0.2.2-192.0.2.3', reason: 'is not a range' },
  ])('rejects $text: $reason', ({ text, reason }) => {
    const parsed = parseAddressEntry(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('summarizes a range into minimal CIDRs', () => {
    const parsed = parseAddressEntry('192.0.2.1-192.0.2.6');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(summarizeRange(parsed.range).map((b) => b.prefixLength)).toEqual([32, 31, 31, 32]);
    expect(rangeAsPrefixLength(parsed.range)).toBeUndefined();
    expect(formatRange(parsed.range)).toBe('192.0.2.1-192.0.2.6');
  });
});
