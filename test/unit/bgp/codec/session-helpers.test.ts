/**
 * The session-facing helpers around the codec: validateOpen (RFC 4271 §6.2, RFC 6286, RFC 7607),
 * AS4 conversion (RFC 6793), shutdown communication (RFC 9003), propagation of unknown attributes
 * (RFC 4271 §5) and End-of-RIB (RFC 4724).
 */
import { describe, expect, it } from 'vitest';
import {
  asPathCount,
  mergeAs4Attributes,
  mergeAsPath,
  toTwoOctetAttributes,
} from '../../../../src/bgp/attributes/as4.js';
import { attributesForPropagation } from '../../../../src/bgp/attributes/propagate.js';
import { decodeMessage, encodeMessage } from '../../../../src/bgp/codec.js';
import { AS_TRANS, AsPathSegmentType as Seg } from '../../../../src/bgp/constants.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import { endOfRib, endOfRibFamily } from '../../../../src/bgp/messages/end-of-rib.js';
import {
  decodeShutdownCommunication,
  encodeShutdownCommunication,
  isShutdownCommunicationCease,
  shutdownNotification,
} from '../../../../src/bgp/messages/shutdown-communication.js';
import { validateOpen, type OpenExpectations } from '../../../../src/bgp/messages/validate-open.js';
import type { OpenMessage, PathAttribute, UpdateMessage } from '../../../../src/bgp/types.js';
import { CONTEXTS } from '../../../laws/bgp-arbitraries.js';
import { hex } from './wire-builders.js';

const OPEN: OpenMessage = {
  type: 'open',
  version: 4,
  myAs: 65001,
  holdTime: 90,
  bgpId: 0xc0000201,
  capabilities: [],
};
const EXPECT: OpenExpectations = { peerAs: 65001, localAs: 65002, localBgpId: 0xc0000202 };

describe('validateOpen', () => {
  it('accepts a matching OPEN, and any peer AS when none is configured', () => {
    expect(validateOpen(OPEN, EXPECT)).toBeUndefined();
    expect(validateOpen({ ...OPEN, myAs: 64999 }, { ...EXPECT, peerAs: undefined })).toBeUndefined();
    expect(validateOpen({ ...OPEN, holdTime: 0 }, EXPECT)).toBeUndefined();
  });

  it.each<[string, Partial<OpenMessage>, Partial<OpenExpectations>, [number, number, string]]>([
    ['Bad Peer AS: another AS', { myAs: 64999 }, {}, [2, 2, '']],
    [
      'Bad Peer AS: the 4-octet AS capability decides',
      { myAs: AS_TRANS, capabilities: [{ kind: 'four-octet-as', asn: 4200000001 }] },
      {},
      [2, 2, ''],
    ],
    ['Bad Peer AS: AS 0 (RFC 7607)', { myAs: 0 }, { peerAs: undefined }, [2, 2, '']],
    ['Unacceptable Hold Time: 1', { holdTime: 1 }, {}, [2, 6, '']],
    ['Unacceptable Hold Time: 2', { holdTime: 2 }, {}, [2, 6, '']],
    ['Unacceptable Hold Time: below the local minimum', { holdTime: 5 }, { minHoldTime: 9 }, [2, 6, '']],
    ['Bad BGP Identifier: 0', { bgpId: 0 }, {}, [2, 3, '']],
    [
      'Bad BGP Identifier: ours on an internal session',
      { myAs: 65002, bgpId: 0xc0000202 },
      { peerAs: 65002 },
      [2, 3, ''],
    ],
    ['Unsupported Version Number, data = 4', { version: 3 }, {}, [2, 1, '0004']],
  ])('%s', (_name, open, expected, [code, subcode, data]) => {
    const e = validateOpen({ ...OPEN, ...open }, { ...EXPECT, ...expected });
    expect([e?.code, e?.subcode, e && hex(e.data), e?.action]).toEqual([
      code,
      subcode,
      data,
      'session-reset',
    ]);
  });

  it('allows our BGP Identifier on an external session (RFC 6286 §2.2)', () => {
    expect(validateOpen({ ...OPEN, bgpId: 0xc0000202 }, EXPECT)).toBeUndefined();
  });
});

const seq = (...asns: number[]) => ({ type: Seg.AS_SEQUENCE, asns });
const set = (...asns: number[]) => ({ type: Seg.AS_SET, asns });
const confed = (...asns: number[]) => ({ type: Seg.AS_CONFED_SEQUENCE, asns });
const ADDRESS = Uint8Array.of(192, 0, 2, 1);

describe('RFC 6793 on 2-octet sessions', () => {
  it('sends AS_TRANS in AS_PATH and AGGREGATOR with the real values in AS4_PATH / AS4_AGGREGATOR', () => {
    const attrs: PathAttribute[] = [
      { kind: 'origin', value: 0 },
      { kind: 'as-path', segments: [confed(64512), seq(4200000001, 65001)] },
      { kind: 'aggregator', asn: 4200000001, address: ADDRESS },
    ];
    expect(toTwoOctetAttributes(attrs)).toEqual([
      { kind: 'origin', value: 0 },
      { kind: 'as-path', segments: [confed(64512), seq(AS_TRANS, 65001)] },
      { kind: 'aggregator', asn: AS_TRANS, address: ADDRESS },
      { kind: 'as4-path', segments: [seq(4200000001, 65001)] },
      { kind: 'as4-aggregator', asn: 4200000001, address: ADDRESS },
    ]);
  });

  it('adds nothing when every ASN fits in 2 octets, and the result encodes on a 2-octet session', () => {
    const attrs: PathAttribute[] = [{ kind: 'as-path', segments: [seq(65001, 65002)] }];
    expect(toTwoOctetAttributes(attrs)).toEqual(attrs);
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      nlri: [],
      attributes: toTwoOctetAttributes([{ kind: 'as-path', segments: [seq(4200000001)] }]),
    };
    expect(() => encodeMessage(update, CONTEXTS.twoOctet)).not.toThrow();
    expect(() =>
      encodeMessage(
        { ...update, attributes: [{ kind: 'as-path', segments: [seq(4200000001)] }] },
        CONTEXTS.twoOctet,
      ),
    ).toThrow(BgpInputError);
  });

  it('merges AS4_PATH into AS_PATH on receipt (§4.2.3), keeping the leading ASNs AS4_PATH lacks', () => {
    expect(mergeAsPath([seq(65010, AS_TRANS, 65001)], [seq(4200000001, 65001)])).toEqual([
      seq(65010),
      seq(4200000001, 65001),
    ]);
    expect(mergeAsPath([confed(64512), seq(65010, AS_TRANS)], [seq(4200000001)])).toEqual([
      confed(64512),
      seq(65010),
      seq(4200000001),
    ]);
    expect(mergeAsPath([set(1, 2), seq(AS_TRANS)], [seq(4200000001)])).toEqual([set(1, 2), seq(4200000001)]);
    // AS4_PATH longer than AS_PATH: ignored. Confederation segments in AS4_PATH: dropped (§6).
    expect(mergeAsPath([seq(AS_TRANS)], [seq(1, 2)])).toEqual([seq(AS_TRANS)]);
    expect(mergeAsPath([seq(AS_TRANS)], [confed(64512), seq(4200000001)])).toEqual([seq(4200000001)]);
    expect(asPathCount([confed(1, 2), set(3, 4), seq(5, 6)])).toBe(3);
  });

  it('folds AS4_AGGREGATOR in when AGGREGATOR carries AS_TRANS, ignores both AS4 attributes otherwise', () => {
    const received: PathAttribute[] = [
      { kind: 'as-path', segments: [seq(AS_TRANS)] },
      { kind: 'aggregator', asn: AS_TRANS, address: ADDRESS },
      { kind: 'as4-path', segments: [seq(4200000001)] },
      { kind: 'as4-aggregator', asn: 4200000001, address: ADDRESS },
    ];
    expect(mergeAs4Attributes(received, false)).toEqual([
      { kind: 'as-path', segments: [seq(4200000001)] },
      { kind: 'aggregator', asn: 4200000001, address: ADDRESS },
    ]);
    const realAggregator = received.map((a) => (a.kind === 'aggregator' ? { ...a, asn: 65001 } : a));
    expect(mergeAs4Attributes(realAggregator, false)).toEqual([realAggregator[0], realAggregator[1]]);
    // From a 4-octet (NEW) speaker the AS4 attributes are discarded (§6).
    expect(mergeAs4Attributes(received, true)).toEqual([received[0], received[1]]);
  });
});

describe('shutdown communication (RFC 9003)', () => {
  it('encodes a length octet and UTF-8, and decodes it back', () => {
    const data = encodeShutdownCommunication('maintenance – ok');
    expect(data[0]).toBe(data.length - 1);
    expect(decodeShutdownCommunication(data)).toEqual({
      kind: 'text',
      text: 'maintenance – ok',
      trailing: new Uint8Array(0),
    });
  });

  it('refuses more than 255 octets of UTF-8', () => {
    expect(() => encodeShutdownCommunication('é'.repeat(128))).toThrow(BgpInputError);
    expect(encodeShutdownCommunication('x'.repeat(255))).toHaveLength(256);
  });

  it.each<[string, number[], string]>([
    ['no data', [], 'none'],
    ['length zero', [0], 'none'],
    ['length past the data', [5, 0x61], 'malformed'],
    ['bad UTF-8', [2, 0xc3, 0x28], 'malformed'],
  ])('never throws: %s is %s', (_name, data, kind) => {
    expect(decodeShutdownCommunication(Uint8Array.from(data)).kind).toBe(kind);
  });

  it('builds the Cease NOTIFICATION and recognises subcodes 2 and 4 only', () => {
    const n = shutdownNotification('bye');
    expect([n.code, n.subcode, hex(n.data)]).toEqual([6, 2, '03627965']);
    expect(decodeMessage(encodeMessage(n, CONTEXTS.fourOctet), CONTEXTS.fourOctet).message).toEqual(n);
    expect([
      isShutdownCommunicationCease(6, 2),
      isShutdownCommunicationCease(6, 4),
      isShutdownCommunicationCease(6, 3),
      isShutdownCommunicationCease(3, 2),
    ]).toEqual([true, true, false, false]);
  });
});

describe('propagation of unknown attributes (RFC 4271 §5)', () => {
  it('drops optional non-transitive ones and sets Partial on optional transitive ones', () => {
    const attrs: PathAttribute[] = [
      { kind: 'origin', value: 0 },
      { kind: 'unknown', typeCode: 99, data: Uint8Array.of(1) },
      { kind: 'unknown', typeCode: 98, data: Uint8Array.of(2), flags: 0x80 },
      { kind: 'unknown', typeCode: 97, data: Uint8Array.of(3), flags: 0xe0 },
    ];
    expect(attributesForPropagation(attrs)).toEqual([
      { kind: 'origin', value: 0 },
      { kind: 'unknown', typeCode: 99, data: Uint8Array.of(1), flags: 0xe0 },
      { kind: 'unknown', typeCode: 97, data: Uint8Array.of(3), flags: 0xe0 },
    ]);
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it.each([
    { afi: 1 as const, safi: 1 },
    { afi: 2 as const, safi: 1 },
  ])('builds and recognises the marker for %o', (family) => {
    const bytes = encodeMessage(endOfRib(family), CONTEXTS.fourOctet);
    const back = decodeMessage(bytes, CONTEXTS.fourOctet).message as UpdateMessage;
    expect(endOfRibFamily(back)).toEqual(family);
  });

  it('is not fooled by an UPDATE that withdraws something', () => {
    const m: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      nlri: [],
      attributes: [
        {
          kind: 'mp-unreach-nlri',
          afi: 2,
          safi: 1,
          withdrawn: [{ prefix: { afi: 2, length: 0, address: new Uint8Array(16) } }],
        },
      ],
    };
    expect(endOfRibFamily(m)).toBeUndefined();
  });
});
