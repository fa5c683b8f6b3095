/**
 * The encoder's side of the API: attribute order and flags on the wire, RFC 9072 extended optional
 * parameters, and BgpInputError (naming the field) for every value that cannot go on the wire.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, messageLength } from '../../../../src/bgp/codec.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import { parsePrefix } from '../../../../src/bgp/nlri/prefix.js';
import type { BgpMessage, OpenMessage, PathAttribute, UpdateMessage } from '../../../../src/bgp/types.js';
import { CONTEXTS } from '../../../laws/bgp-arbitraries.js';
import { attr, hex, MARKER } from './wire-builders.js';

const NH = Uint8Array.of(192, 0, 2, 1);
const V6 = parsePrefix('2001:db8:100::/48');
const update = (
  attributes: PathAttribute[],
  nlri = [{ prefix: parsePrefix('198.51.100.0/24') }],
): UpdateMessage => ({
  type: 'update',
  withdrawn: [],
  attributes,
  nlri,
});
const MANDATORY: PathAttribute[] = [
  { kind: 'origin', value: 0 },
  { kind: 'as-path', segments: [{ type: 2, asns: [65001] }] },
  { kind: 'next-hop', address: NH },
];

describe('attributes on the wire', () => {
  it('writes MP_REACH_NLRI / MP_UNREACH_NLRI first, then ascending type codes', () => {
    const attrs: PathAttribute[] = [
      { kind: 'communities', values: [1] },
      ...MANDATORY.slice().reverse(),
      { kind: 'mp-unreach-nlri', afi: 2, safi: 1, withdrawn: [] },
      { kind: 'mp-reach-nlri', afi: 2, safi: 1, nextHops: [new Uint8Array(16)], nlri: [{ prefix: V6 }] },
    ];
    const decoded = decodeMessage(encodeMessage(update(attrs), CONTEXTS.twoOctet), CONTEXTS.twoOctet)
      .message as UpdateMessage;
    expect(decoded.attributes.map((a) => a.kind)).toEqual([
      'mp-reach-nlri',
      'mp-unreach-nlri',
      'origin',
      'as-path',
      'next-hop',
      'communities',
    ]);
  });

  it('takes Optional/Transitive from the table and Partial / Extended Length from flags', () => {
    const bytes = encodeMessage(
      update([...MANDATORY, { kind: 'communities', values: [1], flags: 0x40 | 0x20 | 0x10 }]),
      CONTEXTS.twoOctet,
    );
    expect(hex(bytes)).toContain(attr(0xf0, 8, '00000001'));
  });

  it('sets Extended Length for values over 255 octets without being asked', () => {
    const values = Array.from({ length: 64 }, (_, i) => i + 1);
    const bytes = encodeMessage(update([...MANDATORY, { kind: 'communities', values }]), CONTEXTS.twoOctet);
    expect(hex(bytes)).toContain('d0080100');
  });
});

describe('OPEN optional parameters', () => {
  it('uses the RFC 9072 extended length when capabilities exceed one parameter', () => {
    const open: OpenMessage = {
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 90,
      bgpId: 1,
      capabilities: [
        { kind: 'unknown', code: 200, data: new Uint8Array(200) },
        { kind: 'unknown', code: 201, data: new Uint8Array(100) },
      ],
    };
    const bytes = encodeMessage(open, CONTEXTS.fourOctet);
    expect(hex(bytes.subarray(28, 32))).toBe('ffff' + (bytes.length - 32).toString(16).padStart(4, '0'));
    expect(decodeMessage(bytes, CONTEXTS.fourOctet).message).toEqual(open);
  });

  it('writes an OPEN without capabilities with Opt Parm Len 0', () => {
    const open: OpenMessage = {
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 0,
      bgpId: 1,
      capabilities: [],
    };
    expect(hex(encodeMessage(open, CONTEXTS.twoOctet))).toBe(`${MARKER}001d0104fde9000000000001` + '00');
  });
});

describe('values that cannot go on the wire throw BgpInputError', () => {
  const cases: Array<[string, BgpMessage, RegExp, keyof typeof CONTEXTS]> = [
    [
      'ASN above 65535 in AS_PATH on a 2-octet session',
      update([{ kind: 'as-path', segments: [{ type: 2, asns: [4200000001] }] }]),
      /^as-path\.segments\[0\]/,
      'twoOctet',
    ],
    [
      'AS 0 in AS_PATH',
      update([{ kind: 'as-path', segments: [{ type: 2, asns: [0] }] }]),
      /^as-path/,
      'fourOctet',
    ],
    [
      'an empty AS_PATH segment',
      update([{ kind: 'as-path', segments: [{ type: 2, asns: [] }] }]),
      /^as-path/,
      'fourOctet',
    ],
    [
      'a segment of 256 ASNs',
      update([{ kind: 'as-path', segments: [{ type: 2, asns: new Array<number>(256).fill(1) }] }]),
      /^as-path/,
      'fourOctet',
    ],
    [
      'an unknown segment type',
      update([{ kind: 'as-path', segments: [{ type: 7, asns: [1] }] }]),
      /^as-path/,
      'fourOctet',
    ],
    [
      'ASN above 65535 in AGGREGATOR on a 2-octet session',
      update([{ kind: 'aggregator', asn: 70000, address: NH }]),
      /^aggregator\.asn/,
      'twoOctet',
    ],
    [
      'a 16-octet NEXT_HOP',
      update([{ kind: 'next-hop', address: new Uint8Array(16) }]),
      /^next-hop\.address/,
      'fourOctet',
    ],
    [
      'an empty COMMUNITIES',
      update([{ kind: 'communities', values: [] }]),
      /^communities\.values/,
      'fourOctet',
    ],
    [
      'a 7-octet extended community',
      update([{ kind: 'extended-communities', values: [new Uint8Array(7)] }]),
      /^extended-communities/,
      'fourOctet',
    ],
    [
      'an MP_REACH_NLRI with an IPv4 next hop for IPv6',
      update([{ kind: 'mp-reach-nlri', afi: 2, safi: 1, nextHops: [NH], nlri: [] }]),
      /^mp-reach-nlri\.nextHops/,
      'fourOctet',
    ],
    ['an IPv6 prefix in the IPv4 NLRI field', update([], [{ prefix: V6 }]), /^nlri\.prefix/, 'fourOctet'],
    [
      'the same attribute type twice',
      update([
        { kind: 'origin', value: 0 },
        { kind: 'origin', value: 1 },
      ]),
      /^attributes/,
      'fourOctet',
    ],
    [
      'a Restart Time above 4095',
      {
        type: 'open',
        version: 4,
        myAs: 1,
        holdTime: 90,
        bgpId: 1,
        capabilities: [
          {
            kind: 'graceful-restart',
            restartState: false,
            notification: false,
            restartTime: 4096,
            families: [],
          },
        ],
      },
      /^graceful-restart\.restartTime/,
      'fourOctet',
    ],
    [
      'a capability value over 255 octets',
      {
        type: 'open',
        version: 4,
        myAs: 1,
        holdTime: 90,
        bgpId: 1,
        capabilities: [{ kind: 'unknown', code: 200, data: new Uint8Array(256) }],
      },
      /^capability unknown/,
      'fourOctet',
    ],
    [
      'an UPDATE over 4096 octets without extended messages',
      update([{ kind: 'unknown', typeCode: 200, data: new Uint8Array(5000) }], []),
      /^update: message of 5027 octets exceeds the session maximum 4096/,
      'fourOctet',
    ],
    [
      'an OPEN over 4096 octets even with extended messages',
      {
        type: 'open',
        version: 4,
        myAs: 1,
        holdTime: 90,
        bgpId: 1,
        capabilities: Array.from({ length: 17 }, () => ({
          kind: 'unknown' as const,
          code: 200,
          data: new Uint8Array(250),
        })),
      },
      /^open: message of/,
      'extended',
    ],
  ];
  it.each(cases)('%s', (_name, message, field, ctx) => {
    expect(() => encodeMessage(message, CONTEXTS[ctx])).toThrow(BgpInputError);
    expect(() => encodeMessage(message, CONTEXTS[ctx])).toThrow(field);
  });

  it('allows a 5027-octet UPDATE once extended messages are negotiated (RFC 8654)', () => {
    const big = update([{ kind: 'unknown', typeCode: 200, data: new Uint8Array(5000) }], []);
    expect(messageLength(big, CONTEXTS.extended)).toBe(5027);
    expect(decodeMessage(encodeMessage(big, CONTEXTS.extended), CONTEXTS.extended).message).toEqual(big);
  });
});
