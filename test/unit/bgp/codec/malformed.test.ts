/**
 * Every malformed case of RFC 4271 §6.1–6.3 and RFC 7606 (and the RFCs that extend them), with the exact
 * NOTIFICATION (code, subcode, data) and RFC 7606 action the codec reports. Rows that end the session
 * expect decodeMessage() to throw; the others expect warnings and the resulting UPDATE.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/bgp/codec.js';
import { BgpWireError, type ErrorAction } from '../../../../src/bgp/errors.js';
import type { AfiSafi, CodecContext, UpdateMessage } from '../../../../src/bgp/types.js';
import { codecContext } from '../../../laws/bgp-arbitraries.js';
import {
  AS_PATH_65001,
  attr,
  hex,
  MANDATORY,
  msg,
  NEXT_HOP_192_0_2_1,
  NLRI_198_51_100,
  ORIGIN_IGP,
  update,
} from './wire-builders.js';

const TWO = codecContext({ fourOctetAs: false });
const FOUR = codecContext({ fourOctetAs: true });
const EXTENDED = codecContext({ fourOctetAs: false, extendedMessage: true });

interface Expected {
  code: number;
  subcode: number;
  data: string;
  action: ErrorAction;
  afiSafi?: AfiSafi;
}

function thrown(bytes: Uint8Array, ctx: CodecContext): BgpWireError {
  try {
    decodeMessage(bytes, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(BgpWireError);
    return e as BgpWireError;
  }
  throw new Error('expected decodeMessage to throw');
}

function expectError(e: BgpWireError, want: Expected): void {
  expect({ code: e.code, subcode: e.subcode, data: hex(e.data), action: e.action }).toEqual({
    code: want.code,
    subcode: want.subcode,
    data: want.data,
    action: want.action,
  });
  if (want.afiSafi) expect(e.afiSafi).toEqual(want.afiSafi);
}

// ------------------------------------------------------------------ errors that end the session

const OPEN_BODY = '04 fde9 005a c0000201'; // version 4, AS 65001, hold 90, id 192.0.2.1
const openWith = (params: string) => msg(1, OPEN_BODY + (params.replace(/\s+/g, '').length / 2).toString(16).padStart(2, '0') + params);
const MP_REACH_V6 = (nlri: string, nhLength = '10', nh = '20010db8000000000000000000000001') =>
  attr(0x80, 14, `0002 01 ${nhLength} ${nh} 00 ${nlri}`);

const FATAL: Array<{ name: string; ctx?: CodecContext; bytes: Uint8Array; want: Expected }> = [
  // RFC 4271 §6.1 message header
  { name: '6.1 marker not all ones', bytes: Uint8Array.from([...msg(4, '')].map((b, i) => (i === 3 ? 0 : b))), want: { code: 1, subcode: 1, data: '', action: 'session-reset' } },
  { name: '6.1 Length below 19', bytes: msg(4, '', 18), want: { code: 1, subcode: 2, data: '0012', action: 'session-reset' } },
  { name: '6.1 Length above 4096', bytes: msg(2, '0000 0000', 4097), want: { code: 1, subcode: 2, data: '1001', action: 'session-reset' } },
  { name: '6.1 OPEN shorter than 29', bytes: msg(1, '04 fde9 005a c0000201'), want: { code: 1, subcode: 2, data: '001c', action: 'session-reset' } },
  { name: '6.1 UPDATE shorter than 23', bytes: msg(2, '0000 00'), want: { code: 1, subcode: 2, data: '0016', action: 'session-reset' } },
  { name: '6.1 KEEPALIVE of 20 octets', bytes: msg(4, '00'), want: { code: 1, subcode: 2, data: '0014', action: 'session-reset' } },
  { name: '6.1 NOTIFICATION shorter than 21', bytes: msg(3, '06'), want: { code: 1, subcode: 2, data: '0014', action: 'session-reset' } },
  { name: '6.1 ROUTE-REFRESH shorter than 23', bytes: msg(5, '0001 00'), want: { code: 1, subcode: 2, data: '0016', action: 'session-reset' } },
  { name: '6.1 unknown message type', bytes: msg(9, ''), want: { code: 1, subcode: 3, data: '09', action: 'session-reset' } },
  { name: 'RFC 8654 OPEN above 4096 even with extended messages', ctx: EXTENDED, bytes: msg(1, OPEN_BODY + '00' + '00'.repeat(4070)), want: { code: 1, subcode: 2, data: '1003', action: 'session-reset' } },
  { name: 'Length disagrees with the octets given', bytes: Uint8Array.from([...msg(4, ''), 0]), want: { code: 1, subcode: 2, data: '0013', action: 'session-reset' } },
  // RFC 4271 §6.2 OPEN
  { name: '6.2 unsupported version', bytes: msg(1, '03 fde9 005a c0000201 00'), want: { code: 2, subcode: 1, data: '0004', action: 'session-reset' } },
  { name: '6.2 unsupported optional parameter', bytes: openWith('01 02 abcd'), want: { code: 2, subcode: 4, data: '', action: 'session-reset' } },
  { name: 'Opt Parm Len disagrees with Length', bytes: msg(1, OPEN_BODY + '08 02 02 4100'), want: { code: 1, subcode: 2, data: '0021', action: 'session-reset' } },
  { name: 'optional parameter overruns the field', bytes: openWith('02 09 4104 00000001'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'capability overruns its parameter', bytes: openWith('02 04 4104 0000'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'malformed 4-octet AS capability (length 2)', bytes: openWith('02 04 4102 fde9'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'malformed multiprotocol capability (length 3)', bytes: openWith('02 05 0103 000100'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'malformed graceful restart capability (length 3)', bytes: openWith('02 05 4003 007800'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'ADD-PATH Send/Receive of 4', bytes: openWith('02 06 4504 00010104'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  { name: 'route refresh capability with a value', bytes: openWith('02 03 0201 00'), want: { code: 2, subcode: 0, data: '', action: 'session-reset' } },
  // RFC 4271 §6.3 UPDATE framing
  { name: '6.3 Withdrawn Routes Length overruns', bytes: update({ withdrawn: '' }).map((b, i) => (i === 20 ? 0x10 : b)), want: { code: 3, subcode: 1, data: '', action: 'session-reset' } },
  { name: '6.3 Total Path Attribute Length overruns', bytes: Uint8Array.from([...update({})].map((b, i) => (i === 22 ? 0x05 : b))), want: { code: 3, subcode: 1, data: '', action: 'session-reset' } },
  { name: '6.3 withdrawn prefix length 33', bytes: update({ withdrawn: '21 c0000201 00' }), want: { code: 3, subcode: 10, data: '', action: 'session-reset' } },
  { name: '6.3 NLRI prefix length 33', bytes: update({ attrs: MANDATORY, nlri: '21c0000201ff' }), want: { code: 3, subcode: 10, data: '', action: 'session-reset' } },
  { name: 'RFC 7606 5.3 NLRI overruns the field', bytes: update({ attrs: MANDATORY, nlri: '18c633' }), want: { code: 3, subcode: 10, data: '', action: 'session-reset' } },
  { name: '6.3 unrecognized well-known attribute', bytes: update({ attrs: MANDATORY + attr(0x40, 99, 'ab'), nlri: NLRI_198_51_100 }), want: { code: 3, subcode: 2, data: '406301ab', action: 'session-reset' } },
  { name: 'RFC 7606 3(g) MP_REACH_NLRI twice', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + MP_REACH_V6('00') + MP_REACH_V6('00') }), want: { code: 3, subcode: 1, data: '', action: 'session-reset' } },
  { name: 'RFC 7606 3(g) MP_UNREACH_NLRI twice', bytes: update({ attrs: attr(0x80, 15, '000201') + attr(0x80, 15, '000201') }), want: { code: 3, subcode: 1, data: '', action: 'session-reset' } },
  { name: 'MP_REACH_NLRI too short for AFI/SAFI', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002') }), want: { code: 3, subcode: 9, data: '800e020002', action: 'session-reset' } },
  { name: 'MP_UNREACH_NLRI too short for AFI/SAFI', bytes: update({ attrs: attr(0x80, 15, '00') }), want: { code: 3, subcode: 9, data: '800f0100', action: 'session-reset' } },
  { name: 'RFC 7606 5.2 treat-as-withdraw with nothing to withdraw', bytes: update({ attrs: attr(0x40, 1, '07') }), want: { code: 3, subcode: 1, data: '', action: 'session-reset' } },
  // RFC 7606 §7.11 / §5.3: AFI/SAFI disable, with the family
  { name: '7.11 MP_REACH next hop length 5 for IPv6', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002 01 05 2001db8000 00') }), want: { code: 3, subcode: 9, data: '800e0a00020105' + '2001db800000', action: 'afisafi-disable', afiSafi: { afi: 2, safi: 1 } } },
  { name: '7.11 MP_REACH next hop overruns', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002 01 10 2001') }), want: { code: 3, subcode: 9, data: '800e06000201102001', action: 'afisafi-disable', afiSafi: { afi: 2, safi: 1 } } },
  { name: '5.3 MP_REACH NLRI prefix length 129', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + MP_REACH_V6('81' + 'ff'.repeat(17)) }), want: { code: 3, subcode: 9, data: hex(Uint8Array.from(Buffer.from(MP_REACH_V6('81' + 'ff'.repeat(17)), 'hex'))), action: 'afisafi-disable', afiSafi: { afi: 2, safi: 1 } } },
  { name: '5.3 MP_UNREACH NLRI truncated', bytes: update({ attrs: attr(0x80, 15, '000101 18c633') }), want: { code: 3, subcode: 9, data: '800f0600010118c633', action: 'afisafi-disable', afiSafi: { afi: 1, safi: 1 } } },
  // RFC 7313 §5 ROUTE-REFRESH
  { name: 'RFC 7313 BoRR with a 5-octet body', bytes: msg(5, '0001 01 01 00'), want: { code: 7, subcode: 1, data: hex(msg(5, '0001 01 01 00')), action: 'session-reset' } },
  { name: 'RFC 2918 ROUTE-REFRESH with a 5-octet body', bytes: msg(5, '0001 00 01 00'), want: { code: 1, subcode: 2, data: '0018', action: 'session-reset' } },
];

describe('errors that end the session', () => {
  it.each(FATAL)('$name', ({ ctx, bytes, want }) => expectError(thrown(bytes, ctx ?? TWO), want));
});

// ------------------------------------------------------------------ RFC 7606 outcomes without a reset

type Outcome = 'withdraw' | 'keep';
const WITHDRAWN_198 = [{ prefix: { afi: 1, length: 24, address: Uint8Array.of(198, 51, 100, 0) } }];

const NON_FATAL: Array<{ name: string; ctx?: CodecContext; bytes: Uint8Array; warnings: Expected[]; outcome: Outcome; check?: (m: UpdateMessage) => void }> = [
  { name: '7.1 ORIGIN length 2', bytes: update({ attrs: attr(0x40, 1, '0000') + AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: '4001020000', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.1 ORIGIN value 3', bytes: update({ attrs: attr(0x40, 1, '03') + AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 6, data: '40010103', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.2 AS_PATH unknown segment type', bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0501fde9') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '40020405' + '01fde9', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.2 AS_PATH segment of length zero', bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0200') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '40020202' + '00', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.2 AS_PATH segment overrun', bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0202fde9') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '400204' + '0202fde9', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.2 AS_PATH single trailing octet', bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0201fde902') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '400205' + '0201fde902', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: 'RFC 7607 AS 0 in AS_PATH', bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '02020000fde9') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '400206' + '02020000fde9', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.2 4-octet AS_PATH read on a 2-octet session is wrong', ctx: FOUR, bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '0201fde9') + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: '400204' + '0201fde9', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.3 NEXT_HOP length 5', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, 'c000020100'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: '400305c000020100', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '6.3/7.3 NEXT_HOP 0.0.0.0', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, '00000000'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 8, data: '40030400000000', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '6.3/7.3 NEXT_HOP multicast', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x40, 3, 'e0000005'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 8, data: '400304e0000005', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.4 MULTI_EXIT_DISC length 3', bytes: update({ attrs: MANDATORY + attr(0x80, 4, '000001'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: '800403000001', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.5 LOCAL_PREF length 5', bytes: update({ attrs: MANDATORY + attr(0x40, 5, '0000006400'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: '4005050000006400', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.8 COMMUNITIES length 5', bytes: update({ attrs: MANDATORY + attr(0xc0, 8, 'fde8006400'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c00805fde8006400', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.8 COMMUNITIES length 0', bytes: update({ attrs: MANDATORY + attr(0xc0, 8, ''), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c00800', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '7.14 EXTENDED COMMUNITIES length 12', bytes: update({ attrs: MANDATORY + attr(0xc0, 16, '00'.repeat(12)), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c0100c' + '00'.repeat(12), action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: 'RFC 8092 6 LARGE_COMMUNITY length 13', bytes: update({ attrs: MANDATORY + attr(0xc0, 32, '00'.repeat(13)), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c0200d' + '00'.repeat(13), action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '3(c) ORIGIN flagged optional', bytes: update({ attrs: attr(0xc0, 1, '00') + AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 4, data: 'c0010100', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '3(c) COMMUNITIES flagged well-known', bytes: update({ attrs: MANDATORY + attr(0x40, 8, 'fde80064'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 4, data: '400804fde80064', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '3(d) missing ORIGIN', bytes: update({ attrs: AS_PATH_65001 + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 3, data: '01', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '3(d) missing AS_PATH', bytes: update({ attrs: ORIGIN_IGP + NEXT_HOP_192_0_2_1, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 3, data: '02', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '3(d) missing NEXT_HOP with NLRI in the NLRI field', bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001, nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 3, data: '03', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '4 attribute length overruns the attribute field', bytes: update({ attrs: MANDATORY + attr(0xc0, 8, 'fde80064', 9), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c00809fde80064', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  { name: '4 fewer than three octets left for an attribute', bytes: update({ attrs: MANDATORY + 'c008', nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c008', action: 'treat-as-withdraw' }], outcome: 'withdraw' },
  {
    name: '3(d) MP_REACH without ORIGIN: its routes become MP_UNREACH',
    bytes: update({ attrs: MP_REACH_V6('30 20010db80100') + AS_PATH_65001 }),
    warnings: [{ code: 3, subcode: 3, data: '01', action: 'treat-as-withdraw' }],
    outcome: 'withdraw',
    check: (m) => expect(m.attributes).toEqual([{ kind: 'mp-unreach-nlri', afi: 2, safi: 1, withdrawn: [{ prefix: { afi: 2, length: 48, address: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 1, 0, ...new Array<number>(10).fill(0)) } }] }]),
  },
  // attribute discard
  { name: '7.6 ATOMIC_AGGREGATE length 1', bytes: update({ attrs: MANDATORY + attr(0x40, 6, '00'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: '40060100', action: 'attribute-discard' }], outcome: 'keep' },
  { name: '7.7 AGGREGATOR length 8 on a 2-octet session', bytes: update({ attrs: MANDATORY + attr(0xc0, 7, '0000fde9c0000201'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c007080000fde9c0000201', action: 'attribute-discard' }], outcome: 'keep' },
  { name: '7.7 AGGREGATOR length 6 on a 4-octet session', ctx: FOUR, bytes: update({ attrs: ORIGIN_IGP + attr(0x40, 2, '020100000001') + NEXT_HOP_192_0_2_1 + attr(0xc0, 7, 'fde9c0000201'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c00706fde9c0000201', action: 'attribute-discard' }], outcome: 'keep' },
  { name: '7.7 AGGREGATOR length 0', bytes: update({ attrs: MANDATORY + attr(0xc0, 7, ''), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c00700', action: 'attribute-discard' }], outcome: 'keep' },
  { name: 'RFC 7607 AGGREGATOR AS 0', bytes: update({ attrs: MANDATORY + attr(0xc0, 7, '0000c0000201'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 9, data: 'c007060000c0000201', action: 'attribute-discard' }], outcome: 'keep' },
  { name: 'RFC 6793 6 AS4_PATH shorter than 6', bytes: update({ attrs: MANDATORY + attr(0xc0, 17, '0201fde9'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: 'c011040201fde9', action: 'attribute-discard' }], outcome: 'keep' },
  { name: 'RFC 6793 6 AS4_PATH unknown segment type', bytes: update({ attrs: MANDATORY + attr(0xc0, 17, '0901fa56ea01'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 11, data: 'c011060901fa56ea01', action: 'attribute-discard' }], outcome: 'keep' },
  { name: 'RFC 6793 6 AS4_AGGREGATOR length 6', bytes: update({ attrs: MANDATORY + attr(0xc0, 18, 'fde9c0000201'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 5, data: 'c01206fde9c0000201', action: 'attribute-discard' }], outcome: 'keep' },
  { name: '3(g) COMMUNITIES twice: the first is kept', bytes: update({ attrs: MANDATORY + attr(0xc0, 8, 'fde80064') + attr(0xc0, 8, 'fde800c8'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 1, data: 'c00804fde800c8', action: 'attribute-discard' }], outcome: 'keep', check: (m) => expect(m.attributes.find((a) => a.kind === 'communities')).toEqual({ kind: 'communities', values: [0xfde80064] }) },
  { name: 'MP_REACH for an unsupported family (AFI 1 SAFI 128)', bytes: update({ attrs: MANDATORY + attr(0x80, 14, '0001 80 04 c0000201 00'), nlri: NLRI_198_51_100 }), warnings: [{ code: 3, subcode: 9, data: '800e090001800' + '4c000020100', action: 'attribute-discard' }], outcome: 'keep' },
  // strongest action wins, every error reported
  {
    name: '3(e) attribute discard and treat-as-withdraw: withdraw, both reported',
    bytes: update({ attrs: attr(0x40, 1, '03') + AS_PATH_65001 + NEXT_HOP_192_0_2_1 + attr(0x40, 6, '00'), nlri: NLRI_198_51_100 }),
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
    expect(got.map((e) => ({ code: e.code, subcode: e.subcode, data: hex(e.data), action: e.action }))).toEqual(
      warnings.map(({ code, subcode, data, action }) => ({ code, subcode, data, action })),
    );
    expect(message.type).toBe('update');
    const m = message as UpdateMessage;
    if (outcome === 'withdraw') {
      expect(m.nlri).toEqual([]);
      expect(m.attributes.every((a) => a.kind === 'mp-unreach-nlri')).toBe(true);
      if (bytes.length > 23 && hex(bytes).endsWith(NLRI_198_51_100)) expect(m.withdrawn).toEqual(WITHDRAWN_198);
    } else {
      expect(m.nlri).toEqual(WITHDRAWN_198);
      expect(m.attributes.map((a) => a.kind)).toEqual(expect.arrayContaining(['origin', 'as-path', 'next-hop']));
    }
    check?.(m);
  });
});
