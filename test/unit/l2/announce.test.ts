import { describe, expect, it } from 'vitest';
import { conflictOf } from '../../../src/l2/responder.js';
import {
  multicastMac,
  parseIpBytes,
  parseMac,
  solicitedNodeAddress,
} from '../../../src/l2/wire/addresses.js';
import {
  buildGratuitousArp,
  buildNeighborAdvertisement,
  buildUnsolicitedNa,
} from '../../../src/l2/wire/builders.js';
import { classifyFrame } from '../../../src/l2/wire/frame.js';
import { icmpv6Checksum, verifyIcmpv6Checksum } from '../../../src/l2/wire/icmpv6.js';
import {
  ALL_NODES_ADDRESS,
  ArpOp,
  BROADCAST_MAC,
  ETHERNET_MIN_FRAME_LENGTH,
  NdpOptionType,
} from '../../../src/l2/wire/constants.js';
import { linkLayerOption } from '../../../src/l2/wire/ndp.js';
import {
  HOST_A_MAC,
  HOST_B_MAC,
  OTHER_MAC,
  V4_OWNED,
  V6_OWNED,
  buildNs,
  ctxA,
  fixture,
  hex,
} from './frames.js';

const VIP4 = parseIpBytes(V4_OWNED);
const VIP6 = parseIpBytes(V6_OWNED);

describe('multicast derivations (RFC 4291 §2.7.1, RFC 2464 §7)', () => {
  it('solicited-node address and its 33:33 MAC', () => {
    const ip = parseIpBytes('2001:db8:12::abcd:1234');
    expect(solicitedNodeAddress(ip)).toEqual(parseIpBytes('ff02::1:ffcd:1234'));
    expect(multicastMac(solicitedNodeAddress(ip))).toEqual(parseMac('33:33:ff:cd:12:34'));
    expect(multicastMac(ALL_NODES_ADDRESS)).toEqual(parseMac('33:33:00:00:00:01'));
  });
});

describe('gratuitous ARP', () => {
  it.each([
    ['request', ArpOp.REQUEST],
    ['reply', ArpOp.REPLY],
  ] as const)('%s: broadcast, sender = target = VIP, from the interface MAC', (op, code) => {
    const frame = buildGratuitousArp(VIP4, HOST_A_MAC, op);
    expect(frame.length).toBe(ETHERNET_MIN_FRAME_LENGTH);
    const c = classifyFrame(frame);
    if (c.kind !== 'arp') throw new Error('expected ARP');
    expect(c.ethernet.destination).toEqual(BROADCAST_MAC);
    expect(c.ethernet.source).toEqual(HOST_A_MAC);
    expect(c.arp).toEqual({
      op: code,
      senderMac: HOST_A_MAC,
      senderIp: VIP4,
      targetMac: BROADCAST_MAC,
      targetIp: VIP4,
    });
  });
});

describe('unsolicited NA (RFC 4861 §7.2.6)', () => {
  it('goes to ff02::1 with hop limit 255, S=0, O=1, TLLA and a valid checksum', () => {
    const c = classifyFrame(buildUnsolicitedNa(VIP6, HOST_A_MAC));
    if (c.kind !== 'na') throw new Error('expected an NA');
    expect(c.ethernet.destination).toEqual(parseMac('33:33:00:00:00:01'));
    expect(c.ipv6.destination).toEqual(ALL_NODES_ADDRESS);
    expect(c.ipv6.source).toEqual(VIP6);
    expect(c.ipv6.hopLimit).toBe(255);
    expect(c.na).toEqual({
      router: false,
      solicited: false,
      override: true,
      target: VIP6,
      options: [linkLayerOption(NdpOptionType.TARGET_LINK_LAYER_ADDRESS, HOST_A_MAC)],
    });
    expect(verifyIcmpv6Checksum(c.ipv6.source, c.ipv6.destination, c.ipv6.payload)).toBe(true);
  });
});

describe('conflictOf', () => {
  const ctx = ctxA();

  it('reports a gratuitous ARP for our VIP from another MAC', () => {
    expect(conflictOf(buildGratuitousArp(VIP4, OTHER_MAC, 'reply'), ctx)).toEqual({
      ip: V4_OWNED,
      mac: '02:00:00:00:00:0c',
    });
    expect(conflictOf(buildGratuitousArp(VIP4, OTHER_MAC, 'request'), ctx)?.mac).toBe('02:00:00:00:00:0c');
  });

  it('reports the ARP reply another host sends for our VIP (captured Linux reply)', () => {
    expect(conflictOf(fixture('linux-arp-reply.hex'), { ...ctx, ifaceMac: HOST_B_MAC })).toEqual({
      ip: V4_OWNED,
      mac: '02:00:00:00:00:0a',
    });
  });

  it('reports an NA for our VIP from another MAC, by TLLA or else Ethernet source', () => {
    expect(conflictOf(buildUnsolicitedNa(VIP6, OTHER_MAC), ctx)).toEqual({
      ip: V6_OWNED,
      mac: '02:00:00:00:00:0c',
    });
    expect(conflictOf(fixture('linux-na-nud-reply.hex'), { ...ctx, ifaceMac: HOST_B_MAC })).toEqual({
      ip: V6_OWNED,
      mac: '02:00:00:00:00:0a',
    });
  });

  it('ignores our own announcements, addresses we do not own, requests and broken NAs', () => {
    expect(conflictOf(buildGratuitousArp(VIP4, HOST_A_MAC, 'reply'), ctx)).toBeUndefined();
    expect(conflictOf(buildUnsolicitedNa(VIP6, HOST_A_MAC), ctx)).toBeUndefined();
    expect(
      conflictOf(buildGratuitousArp(parseIpBytes('192.0.2.9'), OTHER_MAC, 'reply'), ctx),
    ).toBeUndefined();
    expect(conflictOf(fixture('arping-request.hex'), ctx)).toBeUndefined();
    expect(conflictOf(buildNs(), ctx)).toBeUndefined();
    expect(conflictOf(hex('0102'), ctx)).toBeUndefined();
    const hop64 = buildUnsolicitedNa(VIP6, OTHER_MAC);
    hop64[14 + 7] = 64;
    expect(conflictOf(hop64, ctx)).toBeUndefined();
    const badSum = buildUnsolicitedNa(VIP6, OTHER_MAC);
    badSum[14 + 40 + 2] = (badSum[14 + 40 + 2] as number) ^ 0xff;
    expect(conflictOf(badSum, ctx)).toBeUndefined();
    const code1 = buildUnsolicitedNa(VIP6, OTHER_MAC);
    const icmp = code1.subarray(14 + 40);
    icmp[1] = 1;
    const sum = icmpv6Checksum(code1.subarray(22, 38), code1.subarray(38, 54), icmp);
    icmp.set([sum >>> 8, sum & 0xff], 2);
    expect(conflictOf(code1, ctx)).toBeUndefined();
    icmp[1] = 0;
    icmp.set([0, 0], 2);
    const sum0 = icmpv6Checksum(code1.subarray(22, 38), code1.subarray(38, 54), icmp);
    icmp.set([sum0 >>> 8, sum0 & 0xff], 2);
    expect(conflictOf(code1, ctx)?.ip).toBe(V6_OWNED);
  });

  it('takes the TLLA over the Ethernet source', () => {
    const frame = buildNeighborAdvertisement(
      { destination: HOST_A_MAC, source: HOST_B_MAC },
      {
        source: VIP6,
        destination: ALL_NODES_ADDRESS,
        solicited: false,
        override: true,
        target: VIP6,
        targetMac: OTHER_MAC,
      },
    );
    expect(conflictOf(frame, ctx)?.mac).toBe('02:00:00:00:00:0c');
  });
});
