/**
 * The malformed UPDATEs RFC 7606 (with RFC 6793, 7607, 8092) handles without a session reset: each row
 * has the exact warnings (NOTIFICATION code, subcode, data, action) and the UPDATE that results:
 * treat-as-withdraw turns the announced routes into withdrawals, attribute discard drops the attribute.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/bgp/codec.js';
import type { ErrorAction } from '../../../../src/bgp/errors.js';
import type { AfiSafi, CodecContext, UpdateMessage } from '../../../../src/bgp/types.js';
import { codecContext } from '../../../laws/bgp-arbitraries.js';
import {
  AS_PATH_65001,
  attr,
  hex,
  MANDATORY,
  MP_REACH_V6,
  NEXT_HOP_192_0_2_1,
  NLRI_198_51_100,
  ORIGIN_IGP,
  update,
} from './wire-builders.js';

const TWO = codecContext({ fourOctetAs: false });
const FOUR = codecContext({ fourOctetAs: true });

interface Expected {
  code: number;
  subcode: number;
  data: string;
  action: ErrorAction;
  afiSafi?: AfiSafi;
}

// ------------------------------------------------------------------ RFC 7606 outcomes without a reset

type Outcome = 'withdraw' | 'keep';
const WITHDRAWN_198 = [{ prefix: { afi: 1, length: 24, address: Uint8Array.of(198, 51, 100, 0) } }];

const NON_FATAL: Array<{
  name: string;
  ctx?: CodecContext;
  bytes: Uint8Array;
  warnings: Expected[];
  outcome: Outcome;
  check?: (m: UpdateMessage) => void;
}> = [
  {
    name: '7.1 ORIGIN length 2',
    bytes: update({
      attrs: attr(0x40, 1, '0000') + AS_PATH_65001 + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 5, data: '4001020000', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.1 ORIGIN value 3',
    bytes: update({ attrs: attr(0x40, 1, '03') + AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 6, data: '40010103', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.2 AS_PATH unknown segment type',
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '0501fde9') + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 11, data: '40020405' + '01fde9', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.2 AS_PATH segment of length zero',
    bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0200') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 11, data: '40020202' + '00', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.2 AS_PATH segment overrun',
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '0202fde9') + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 11, data: '400204' + '0202fde9', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.2 AS_PATH single trailing octet',
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '0201fde902') + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 11, data: '400205' + '0201fde902', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: 'RFC 7607 AS 0 in AS_PATH',
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '02020000fde9') + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 11, data: '400206' + '02020000fde9', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.2 4-octet AS_PATH read on a 2-octet session is wrong',
    ctx: FOUR,
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '0201fde9') + NEXT_HOP_192_0_2_1,
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 11, data: '400204' + '0201fde9', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.3 NEXT_HOP length 5',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, 'c000020100'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: '400305c000020100', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '6.3/7.3 NEXT_HOP 0.0.0.0',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, '00000000'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 8, data: '40030400000000', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '6.3/7.3 NEXT_HOP multicast',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, 'e0000005'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 8, data: '400304e0000005', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.4 MULTI_EXIT_DISC length 3',
    bytes: update({ attrs: MANDATORY + attr(0x80, 4, '000001'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: '800403000001', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.5 LOCAL_PREF length 5',
    bytes: update({ attrs: MANDATORY + attr(0x40, 5, '0000006400'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: '4005050000006400', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.8 COMMUNITIES length 5',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 8, 'fde8006400'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c00805fde8006400', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.8 COMMUNITIES length 0',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 8, ''), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c00800', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '7.14 EXTENDED COMMUNITIES length 12',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 16, '00'.repeat(12)), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c0100c' + '00'.repeat(12), action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: 'RFC 8092 6 LARGE_COMMUNITY length 13',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 32, '00'.repeat(13)), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c0200d' + '00'.repeat(13), action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(c) ORIGIN flagged optional',
    bytes: update({ attrs: attr(0xc0, 1, '00') + AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 4, data: 'c0010100', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(c) COMMUNITIES flagged well-known',
    bytes: update({ attrs: MANDATORY + attr(0x40, 8, 'fde80064'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 4, data: '400804fde80064', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(d) missing ORIGIN',
    bytes: update({ attrs: AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 3, data: '01', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(d) missing AS_PATH',
    bytes: update({ attrs: ORIGIN_IGP + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 3, data: '02', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(d) missing NEXT_HOP with NLRI in the NLRI field',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001, nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 3, data: '03', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '4 attribute length overruns the attribute field',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 8, 'fde80064', 9), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c00809fde80064', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '4 fewer than three octets left for an attribute',
    bytes: update({ attrs: MANDATORY + 'c008', nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c008', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
  },
  {
    name: '3(d) MP_REACH without ORIGIN: its routes become MP_UNREACH',
    bytes: update({ attrs: MP_REACH_V6('30 20010db80100') + AS_PATH_65001 }),
    warnings: [{ code: 3, subcode: 3, data: '01', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
    check: (m) =>
      expect(m.attributes).toEqual([
        {
          kind: 'mp-unreach-nlri',
          afi: 2,
          safi: 1,
          withdrawn: [
            {
              prefix: {
                afi: 2,
                length: 48,
                address: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 1, 0, ...new Array<number>(10).fill(0)),
              },
            },
          ],
        },
      ]),
  },
  // attribute discard
  {
    name: '7.6 ATOMIC_AGGREGATE length 1',
    bytes: update({ attrs: MANDATORY + attr(0x40, 6, '00'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: '40060100', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: '7.7 AGGREGATOR length 8 on a 2-octet session',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 7, '0000fde9c0000201'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c007080000fde9c0000201', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: '7.7 AGGREGATOR length 6 on a 4-octet session',
    ctx: FOUR,
    bytes: update({
      attrs: ORIGIN_IGP + attr(0x40, 2, '020100000001') + NEXT_HOP_192_0_2_1 + attr(0xc0, 7, 'fde9c0000201'),
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 5, data: 'c00706fde9c0000201', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: '7.7 AGGREGATOR length 0',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 7, ''), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c00700', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: 'RFC 7607 AGGREGATOR AS 0',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 7, '0000c0000201'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 9, data: 'c007060000c0000201', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: 'RFC 6793 6 AS4_PATH shorter than 6',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 17, '0201fde9'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 11, data: 'c011040201fde9', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: 'RFC 6793 6 AS4_PATH unknown segment type',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 17, '0901fa56ea01'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 11, data: 'c011060901fa56ea01', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: 'RFC 6793 6 AS4_AGGREGATOR length 6',
    bytes: update({ attrs: MANDATORY + attr(0xc0, 18, 'fde9c0000201'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 5, data: 'c01206fde9c0000201', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  {
    name: '3(g) COMMUNITIES twice: the first is kept',
    bytes: update({
      attrs: MANDATORY + attr(0xc0, 8, 'fde80064') + attr(0xc0, 8, 'fde800c8'),
      nlri: NLRI_198_51_100,
    }),
    warnings: [{ code: 3, subcode: 1, data: 'c00804fde800c8', action: 'attribute-discard' }],
    outcome: 'keep',
    check: (m) =>
      expect(m.attributes.find((a) => a.kind === 'communities')).toEqual({
        kind: 'communities',
        values: [0xfde80064],
      }),
  },
  {
    name: 'MP_REACH for an unsupported family (AFI 1 SAFI 128)',
    bytes: update({ attrs: MANDATORY + attr(0x80, 14, '0001 80 04 c0000201 00'), nlri: NLRI_198_51_100 }),
    warnings: [{ code: 3, subcode: 9, data: '800e090001800' + '4c000020100', action: 'attribute-discard' }],
    outcome: 'keep',
  },
  // strongest action wins, every error reported
  {
    name: '3(e) attribute discard and treat-as-withdraw: withdraw, both reported',
    bytes: update({
      attrs: attr(0x40, 1, '03') + AS_PATH_65001 + NEXT_HOP_192_0_2_1 + attr(0x40, 6, '00'),
      nlri: NLRI_198_51_100,
    }),
    warnings: [
      { code: 3, subcode: 6, data: '40010103', action: 'treat-as-withdraw' },
      { code: 3, subcode: 5, data: '40060100', action: 'attribute-discard' },
    ],
    outcome: 'withdraw',
  },
];

describe('RFC 7606 outcomes reported as warnings', () => {
  it.each(NON_FATAL)('$name', ({ ctx, bytes, warnings, outcome, check }) => {
    const { message, warnings: got } = decodeMessage(bytes, ctx ?? TWO);
    expect(
      got.map((e) => ({ code: e.code, subcode: e.subcode, data: hex(e.data), action: e.action })),
    ).toEqual(warnings.map(({ code, subcode, data, action }) => ({ code, subcode, data, action })));
    expect(message.type).toBe('update');
    const m = message as UpdateMessage;
    if (outcome === 'withdraw') {
      expect(m.nlri).toEqual([]);
      expect(m.attributes.every((a) => a.kind === 'mp-unreach-nlri')).toBe(true);
      if (bytes.length > 23 && hex(bytes).endsWith(NLRI_198_51_100))
        expect(m.withdrawn).toEqual(WITHDRAWN_198);
    } else {
      expect(m.nlri).toEqual(WITHDRAWN_198);
      expect(m.attributes.map((a) => a.kind)).toEqual(
        expect.arrayContaining(['origin', 'as-path', 'next-hop']),
      );
    }
    check?.(m);
  });
});
