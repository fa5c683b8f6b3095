/**
 * Every malformed case of RFC 4271 §6.1–6.3 and RFC 7606 (and the RFCs that extend them) that ends the
 * session, with the exact NOTIFICATION (code, subcode, data) and action decodeMessage() throws. The
 * outcomes RFC 7606 handles without a reset are in rfc7606.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/bgp/codec.js';
import { BgpWireError, type ErrorAction } from '../../../../src/bgp/errors.js';
import type { AfiSafi, CodecContext } from '../../../../src/bgp/types.js';
import { codecContext } from '../../../laws/bgp-arbitraries.js';
import {
  AS_PATH_65001,
  attr,
  hex,
  MANDATORY,
  MP_REACH_V6,
  msg,
  NLRI_198_51_100,
  ORIGIN_IGP,
  update,
} from './wire-builders.js';

const TWO = codecContext({ fourOctetAs: false });
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
const openWith = (params: string) =>
  msg(1, OPEN_BODY + (params.replace(/\s+/g, '').length / 2).toString(16).padStart(2, '0') + params);

const FATAL: Array<{ name: string; ctx?: CodecContext; bytes: Uint8Array; want: Expected }> = [
  // RFC 4271 §6.1 message header
  {
    name: '6.1 marker not all ones',
    bytes: Uint8Array.from([...msg(4, '')].map((b, i) => (i === 3 ? 0 : b))),
    want: { code: 1, subcode: 1, data: '', action: 'session-reset' },
  },
  {
    name: '6.1 Length below 19',
    bytes: msg(4, '', 18),
    want: { code: 1, subcode: 2, data: '0012', action: 'session-reset' },
  },
  {
    name: '6.1 Length above 4096',
    bytes: msg(2, '0000 0000', 4097),
    want: { code: 1, subcode: 2, data: '1001', action: 'session-reset' },
  },
  {
    name: '6.1 OPEN shorter than 29',
    bytes: msg(1, '04 fde9 005a c0000201'),
    want: { code: 1, subcode: 2, data: '001c', action: 'session-reset' },
  },
  {
    name: '6.1 UPDATE shorter than 23',
    bytes: msg(2, '0000 00'),
    want: { code: 1, subcode: 2, data: '0016', action: 'session-reset' },
  },
  {
    name: '6.1 KEEPALIVE of 20 octets',
    bytes: msg(4, '00'),
    want: { code: 1, subcode: 2, data: '0014', action: 'session-reset' },
  },
  {
    name: '6.1 NOTIFICATION shorter than 21',
    bytes: msg(3, '06'),
    want: { code: 1, subcode: 2, data: '0014', action: 'session-reset' },
  },
  {
    name: '6.1 ROUTE-REFRESH shorter than 23',
    bytes: msg(5, '0001 00'),
    want: { code: 1, subcode: 2, data: '0016', action: 'session-reset' },
  },
  {
    name: '6.1 unknown message type',
    bytes: msg(9, ''),
    want: { code: 1, subcode: 3, data: '09', action: 'session-reset' },
  },
  {
    name: 'RFC 8654 OPEN above 4096 even with extended messages',
    ctx: EXTENDED,
    bytes: msg(1, OPEN_BODY + '00' + '00'.repeat(4070)),
    want: { code: 1, subcode: 2, data: '1003', action: 'session-reset' },
  },
  {
    name: 'Length disagrees with the octets given',
    bytes: Uint8Array.from([...msg(4, ''), 0]),
    want: { code: 1, subcode: 2, data: '0013', action: 'session-reset' },
  },
  // RFC 4271 §6.2 OPEN
  {
    name: '6.2 unsupported version',
    bytes: msg(1, '03 fde9 005a c0000201 00'),
    want: { code: 2, subcode: 1, data: '0004', action: 'session-reset' },
  },
  {
    name: '6.2 unsupported optional parameter',
    bytes: openWith('01 02 abcd'),
    want: { code: 2, subcode: 4, data: '', action: 'session-reset' },
  },
  {
    name: 'Opt Parm Len disagrees with Length',
    bytes: msg(1, OPEN_BODY + '08 02 02 4100'),
    want: { code: 1, subcode: 2, data: '0021', action: 'session-reset' },
  },
  {
    name: 'optional parameter overruns the field',
    bytes: openWith('02 09 4104 00000001'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'capability overruns its parameter',
    bytes: openWith('02 04 4104 0000'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'malformed 4-octet AS capability (length 2)',
    bytes: openWith('02 04 4102 fde9'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'malformed multiprotocol capability (length 3)',
    bytes: openWith('02 05 0103 000100'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'malformed graceful restart capability (length 3)',
    bytes: openWith('02 05 4003 007800'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'ADD-PATH Send/Receive of 4',
    bytes: openWith('02 06 4504 00010104'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  {
    name: 'route refresh capability with a value',
    bytes: openWith('02 03 0201 00'),
    want: { code: 2, subcode: 0, data: '', action: 'session-reset' },
  },
  // RFC 4271 §6.3 UPDATE framing
  {
    name: '6.3 Withdrawn Routes Length overruns',
    bytes: update({ withdrawn: '' }).map((b, i) => (i === 20 ? 0x10 : b)),
    want: { code: 3, subcode: 1, data: '', action: 'session-reset' },
  },
  {
    name: '6.3 Total Path Attribute Length overruns',
    bytes: Uint8Array.from([...update({})].map((b, i) => (i === 22 ? 0x05 : b))),
    want: { code: 3, subcode: 1, data: '', action: 'session-reset' },
  },
  {
    name: '6.3 withdrawn prefix length 33',
    bytes: update({ withdrawn: '21 c0000201 00' }),
    want: { code: 3, subcode: 10, data: '', action: 'session-reset' },
  },
  {
    name: '6.3 NLRI prefix length 33',
    bytes: update({ attrs: MANDATORY, nlri: '21c0000201ff' }),
    want: { code: 3, subcode: 10, data: '', action: 'session-reset' },
  },
  {
    name: 'RFC 7606 5.3 NLRI overruns the field',
    bytes: update({ attrs: MANDATORY, nlri: '18c633' }),
    want: { code: 3, subcode: 10, data: '', action: 'session-reset' },
  },
  {
    name: '6.3 unrecognized well-known attribute',
    bytes: update({ attrs: MANDATORY + attr(0x40, 99, 'ab'), nlri: NLRI_198_51_100 }),
    want: { code: 3, subcode: 2, data: '406301ab', action: 'session-reset' },
  },
  {
    name: 'RFC 7606 3(g) MP_REACH_NLRI twice',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + MP_REACH_V6('00') + MP_REACH_V6('00') }),
    want: { code: 3, subcode: 1, data: '', action: 'session-reset' },
  },
  {
    name: 'RFC 7606 3(g) MP_UNREACH_NLRI twice',
    bytes: update({ attrs: attr(0x80, 15, '000201') + attr(0x80, 15, '000201') }),
    want: { code: 3, subcode: 1, data: '', action: 'session-reset' },
  },
  {
    name: 'MP_REACH_NLRI too short for AFI/SAFI',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002') }),
    want: { code: 3, subcode: 9, data: '800e020002', action: 'session-reset' },
  },
  {
    name: 'MP_UNREACH_NLRI too short for AFI/SAFI',
    bytes: update({ attrs: attr(0x80, 15, '00') }),
    want: { code: 3, subcode: 9, data: '800f0100', action: 'session-reset' },
  },
  {
    name: 'RFC 7606 5.2 treat-as-withdraw with nothing to withdraw',
    bytes: update({ attrs: attr(0x40, 1, '07') }),
    want: { code: 3, subcode: 1, data: '', action: 'session-reset' },
  },
  // RFC 7606 §7.11 / §5.3: AFI/SAFI disable, with the family
  {
    name: '7.11 MP_REACH next hop length 5 for IPv6',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002 01 05 2001db8000 00') }),
    want: {
      code: 3,
      subcode: 9,
      data: '800e0a00020105' + '2001db800000',
      action: 'afisafi-disable',
      afiSafi: { afi: 2, safi: 1 },
    },
  },
  {
    name: '7.11 MP_REACH next hop overruns',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + attr(0x80, 14, '0002 01 10 2001') }),
    want: {
      code: 3,
      subcode: 9,
      data: '800e06000201102001',
      action: 'afisafi-disable',
      afiSafi: { afi: 2, safi: 1 },
    },
  },
  {
    name: '5.3 MP_REACH NLRI prefix length 129',
    bytes: update({ attrs: ORIGIN_IGP + AS_PATH_65001 + MP_REACH_V6('81' + 'ff'.repeat(17)) }),
    want: {
      code: 3,
      subcode: 9,
      data: hex(Uint8Array.from(Buffer.from(MP_REACH_V6('81' + 'ff'.repeat(17)), 'hex'))),
      action: 'afisafi-disable',
      afiSafi: { afi: 2, safi: 1 },
    },
  },
  {
    name: '5.3 MP_UNREACH NLRI truncated',
    bytes: update({ attrs: attr(0x80, 15, '000101 18c633') }),
    want: {
      code: 3,
      subcode: 9,
      data: '800f0600010118c633',
      action: 'afisafi-disable',
      afiSafi: { afi: 1, safi: 1 },
    },
  },
  // RFC 7313 §5 ROUTE-REFRESH
  {
    name: 'RFC 7313 BoRR with a 5-octet body',
    bytes: msg(5, '0001 01 01 00'),
    want: { code: 7, subcode: 1, data: hex(msg(5, '0001 01 01 00')), action: 'session-reset' },
  },
  {
    name: 'RFC 2918 ROUTE-REFRESH with a 5-octet body',
    bytes: msg(5, '0001 00 01 00'),
    want: { code: 1, subcode: 2, data: '0018', action: 'session-reset' },
  },
];

describe('errors that end the session', () => {
  it.each(FATAL)('$name', ({ ctx, bytes, want }) => expectError(thrown(bytes, ctx ?? TWO), want));
});
