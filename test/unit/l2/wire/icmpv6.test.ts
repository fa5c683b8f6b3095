import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../../../src/l2/wire/codec.js';
import { ethernetCodec } from '../../../../src/l2/wire/ethernet.js';
import { icmpv6Checksum, sealIcmpv6, verifyIcmpv6Checksum } from '../../../../src/l2/wire/icmpv6.js';
import { ipv6Codec } from '../../../../src/l2/wire/ipv6.js';
import { fixture } from '../frames.js';

const CAPTURED_ICMPV6 = [
  'ndisc6-ns-link-local.hex',
  'linux-na-to-ndisc6.hex',
  'linux-ns-multicast-slla.hex',
  'linux-ns-nud-unicast.hex',
  'linux-na-nud-reply.hex',
  'linux-router-solicitation.hex',
];

function ipv6Of(name: string) {
  return decodeBytes(ipv6Codec, decodeBytes(ethernetCodec, fixture(name), 'eth').payload, 'ipv6');
}

describe('ICMPv6 checksum (RFC 4443 §2.3, pseudo-header RFC 8200 §8.1)', () => {
  it.each(CAPTURED_ICMPV6)('computes the checksum Linux or ndisc6 sent in %s', (name) => {
    const p = ipv6Of(name);
    const carried = ((p.payload[2] as number) << 8) | (p.payload[3] as number);
    expect(icmpv6Checksum(p.source, p.destination, p.payload)).toBe(carried);
    expect(verifyIcmpv6Checksum(p.source, p.destination, p.payload)).toBe(true);
  });

  it('fails verification when any single bit of the message, source or destination flips', () => {
    const p = ipv6Of('linux-ns-multicast-slla.hex');
    const total = (p.payload.length + 32) * 8;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), (bit) => {
        const all = new Uint8Array([...p.source, ...p.destination, ...p.payload]);
        all[bit >> 3] = (all[bit >> 3] as number) ^ (1 << (bit & 7));
        expect(verifyIcmpv6Checksum(all.subarray(0, 16), all.subarray(16, 32), all.subarray(32))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('seals any message so that it verifies, odd lengths included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 41 }),
        (src, dst, type, body) => {
          const bytes = sealIcmpv6(src, dst, { type, code: 0, body });
          expect(verifyIcmpv6Checksum(src, dst, bytes)).toBe(true);
        },
      ),
    );
  });

  it("accepts 0xffff for a checksum whose value is 0x0000 (one's complement negative zero)", () => {
    const src = new Uint8Array(16);
    const dst = new Uint8Array(16);
    // Pseudo-header sum: length 4 + next header 58 = 62; type/code word 0xffc1 brings the sum to 0xffff.
    const msg = new Uint8Array([0xff, 0xc1, 0, 0]);
    expect(icmpv6Checksum(src, dst, msg)).toBe(0);
    expect(verifyIcmpv6Checksum(src, dst, msg)).toBe(true);
    msg[2] = 0xff;
    msg[3] = 0xff;
    expect(verifyIcmpv6Checksum(src, dst, msg)).toBe(true);
    expect(verifyIcmpv6Checksum(src, dst, msg.subarray(0, 3))).toBe(false);
  });
});
