import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DROP_REASONS,
  conflictOf,
  decide,
  decideByDecoding,
  examine,
  type Decision,
  type DropReason,
  type ResponderContext,
} from '../../../src/l2/responder.js';
import {
  bytesEqual,
  formatIpBytes,
  multicastMac,
  parseIpBytes,
  parseMac,
  solicitedNodeAddress,
} from '../../../src/l2/wire/addresses.js';
import { fastArp } from '../../../src/l2/arp-fast.js';
import { verifyIcmpv6Checksum } from '../../../src/l2/wire/icmpv6.js';
import { ipv4Arb, ipv6Arb, macArb } from '../../laws/l2-arbitraries.js';
import { buildArpFrame, buildNeighborAdvertisement } from '../../../src/l2/wire/builders.js';
import { classifyFrame } from '../../../src/l2/wire/frame.js';
import { ArpOp, BROADCAST_MAC, NdpOptionType, NextHeader } from '../../../src/l2/wire/constants.js';
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

function arp(
  op: number,
  opts: { ethDst?: Uint8Array; ethSrc?: Uint8Array; sender?: string; target?: string } = {},
) {
  return buildArpFrame(
    { destination: opts.ethDst ?? BROADCAST_MAC, source: opts.ethSrc ?? HOST_B_MAC },
    {
      op,
      senderMac: opts.ethSrc ?? HOST_B_MAC,
      senderIp: parseIpBytes(opts.sender ?? '192.0.2.2'),
      targetMac: new Uint8Array(6),
      targetIp: parseIpBytes(opts.target ?? '192.0.2.1'),
    },
  );
}

const ARP_REQUEST = fixture('arping-request.hex');
const SOLICITED_NODE_MAC = parseMac('33:33:ff:00:00:01');

const dropTable: Array<{ reason: DropReason; name: string; frame: () => Uint8Array }> = [
  { reason: 'malformed', name: 'a 20-octet runt', frame: () => ARP_REQUEST.subarray(0, 20) },
  {
    reason: 'malformed',
    name: 'ARP for IPv6 protocol addresses',
    frame: () =>
      hex('ffffffffffff02000000000b0806' + '000186dd0604000102000000000bc0000202ffffffffffffc0000201'),
  },
  { reason: 'malformed', name: 'NS with a zero-length option', frame: () => withZeroOption() },
  {
    reason: 'malformed',
    name: 'NS with a 16-octet SLLA',
    frame: () => buildNs({ options: [{ type: 1, data: new Uint8Array(14) }] }),
  },
  {
    reason: 'not-arp-or-ndp',
    name: 'an IPv4 frame',
    frame: () => hex('ffffffffffff02000000000b0800' + '45000014'),
  },
  {
    reason: 'not-arp-or-ndp',
    name: 'a Router Solicitation',
    frame: () => fixture('linux-router-solicitation.hex'),
  },
  {
    reason: 'ipv6-extension-header',
    name: 'NS behind a hop-by-hop header',
    frame: () => buildNs({ nextHeader: NextHeader.HOP_BY_HOP }),
  },
  {
    reason: 'own-frame',
    name: 'our own ARP request',
    frame: () => arp(ArpOp.REQUEST, { ethSrc: HOST_A_MAC }),
  },
  { reason: 'own-frame', name: 'our own NS', frame: () => buildNs({ ethSrc: HOST_A_MAC }) },
  {
    reason: 'ethernet-destination-not-us',
    name: 'ARP request to another MAC',
    frame: () => arp(ArpOp.REQUEST, { ethDst: OTHER_MAC }),
  },
  {
    reason: 'ethernet-destination-not-us',
    name: 'NS to another solicited-node MAC',
    frame: () => buildNs({ ethDst: parseMac('33:33:ff:00:00:02') }),
  },
  { reason: 'arp-reply', name: 'an ARP reply', frame: () => arp(ArpOp.REPLY) },
  { reason: 'arp-unknown-opcode', name: 'a RARP request opcode', frame: () => arp(3) },
  {
    reason: 'arp-gratuitous',
    name: 'a gratuitous ARP request',
    frame: () => fixture('arping-gratuitous-request.hex'),
  },
  { reason: 'ndp-advertisement', name: 'a Neighbor Advertisement', frame: () => naFromB() },
  { reason: 'ndp-hop-limit-not-255', name: 'NS with hop limit 64', frame: () => buildNs({ hopLimit: 64 }) },
  {
    reason: 'ndp-bad-checksum',
    name: 'NS with a wrong checksum',
    frame: () => buildNs({ corruptChecksum: true }),
  },
  { reason: 'ndp-bad-code', name: 'NS with code 1', frame: () => buildNs({ code: 1 }) },
  {
    reason: 'ndp-target-multicast',
    name: 'NS for ff02::1',
    frame: () => buildNs({ target: 'ff02::1', ethDst: HOST_A_MAC, dst: 'ff02::1' }),
  },
  { reason: 'ndp-source-multicast', name: 'NS from ff02::2', frame: () => buildNs({ src: 'ff02::2' }) },
  {
    reason: 'ndp-destination-mismatch',
    name: 'NS sent to another unicast address',
    frame: () => buildNs({ ethDst: HOST_A_MAC, dst: '2001:db8:12::9' }),
  },
  { reason: 'ndp-invalid-dad', name: 'DAD probe with SLLA', frame: () => buildNs({ src: '::' }) },
  {
    reason: 'ndp-invalid-dad',
    name: 'DAD probe to the unicast target',
    frame: () => buildNs({ src: '::', slla: null, ethDst: HOST_A_MAC, dst: V6_OWNED }),
  },
  {
    reason: 'not-owned',
    name: 'ARP request for an address we do not own',
    frame: () => arp(ArpOp.REQUEST, { target: '192.0.2.9' }),
  },
  {
    reason: 'not-owned',
    name: 'NS for an address we do not own',
    frame: () =>
      buildNs({ target: '2001:db8:12::1:1', dst: 'ff02::1:ff01:1', ethDst: parseMac('33:33:ff:01:00:01') }),
  },
];

function naFromB(): Uint8Array {
  const b = parseIpBytes('2001:db8:12::2');
  return buildNeighborAdvertisement(
    { destination: HOST_A_MAC, source: HOST_B_MAC },
    {
      source: b,
      destination: parseIpBytes(V6_OWNED),
      solicited: true,
      override: true,
      target: b,
      targetMac: HOST_B_MAC,
    },
  );
}

/** An NS whose last option (type 14, one unit) has its length octet set to 0. */
function withZeroOption(): Uint8Array {
  return buildNs({ options: [{ type: 14, data: new Uint8Array(6) }] }).map((b, i, all) =>
    i === all.length - 7 ? 0 : b,
  );
}

function dropOf(d: Decision): DropReason | 'reply' {
  return d.kind === 'reply' ? 'reply' : d.reason;
}

describe('decide: drop reasons', () => {
  it.each(dropTable)('$reason: $name', ({ reason, frame }) => {
    expect(dropOf(decide(frame(), ctxA()))).toBe(reason);
  });

  it('covers every drop reason in the table', () => {
    expect(new Set(dropTable.map((r) => r.reason))).toEqual(new Set(DROP_REASONS));
  });

  it('drops the zero-length option as such, not by accident', () => {
    const d = decide(withZeroOption(), ctxA());
    expect(d.kind === 'drop' && d.error?.code).toBe('ndp-option-zero-length');
  });

  it('attaches the wire error to malformed drops', () => {
    const d = decide(buildNs({ options: [{ type: 1, data: new Uint8Array(14) }] }), ctxA());
    expect(d.kind === 'drop' && d.error?.code).toBe('ndp-bad-link-layer-option');
  });

  it('drops an owned address on another interface as not-owned', () => {
    expect(dropOf(decide(ARP_REQUEST, { ...ctxA(), ifaceName: 'hl2c-other' }))).toBe('not-owned');
    expect(dropOf(decide(buildNs(), { ...ctxA(), ifaceName: 'hl2c-other' }))).toBe('not-owned');
  });
});

describe('decide: ARP replies', () => {
  it('answers a broadcast request from the interface MAC, to the sender', () => {
    const d = decide(ARP_REQUEST, ctxA());
    expect(d.kind).toBe('reply');
    if (d.kind !== 'reply') return;
    const c = classifyFrame(d.frame);
    expect(c.kind).toBe('arp');
    if (c.kind !== 'arp') return;
    expect(c.ethernet.destination).toEqual(HOST_B_MAC);
    expect(c.ethernet.source).toEqual(HOST_A_MAC);
    expect(c.arp).toEqual({
      op: ArpOp.REPLY,
      senderMac: HOST_A_MAC,
      senderIp: parseIpBytes('192.0.2.1'),
      targetMac: HOST_B_MAC,
      targetIp: parseIpBytes('192.0.2.2'),
    });
  });

  it('answers a unicast request to our MAC and an RFC 5227 probe (sender 0.0.0.0)', () => {
    expect(decide(arp(ArpOp.REQUEST, { ethDst: HOST_A_MAC }), ctxA()).kind).toBe('reply');
    expect(decide(arp(ArpOp.REQUEST, { sender: '0.0.0.0' }), ctxA()).kind).toBe('reply');
  });

  it('keeps the 802.1Q tag of a tagged request', () => {
    const tagged = new Uint8Array([
      ...ARP_REQUEST.subarray(0, 12),
      0x81,
      0x00,
      0x00,
      0x64,
      ...ARP_REQUEST.subarray(12),
    ]);
    const d = decide(tagged, ctxA());
    expect(d.kind === 'reply' && classifyFrame(d.frame).ethernet.vlan).toEqual({
      pcp: 0,
      dei: false,
      vid: 100,
    });
  });
});

describe('decide: Neighbor Advertisements', () => {
  function na(frame: Uint8Array) {
    const d = decide(frame, ctxA());
    if (d.kind !== 'reply') throw new Error(`expected a reply, got ${d.reason}`);
    const c = classifyFrame(d.frame);
    if (c.kind !== 'na') throw new Error('expected an NA');
    return c;
  }

  it('answers a multicast NS with SLLA: S=1, O=1, TLLA, from the target, hop limit 255', () => {
    const c = na(buildNs());
    expect(c.ethernet.destination).toEqual(HOST_B_MAC);
    expect(c.ipv6.source).toEqual(parseIpBytes(V6_OWNED));
    expect(c.ipv6.destination).toEqual(parseIpBytes('2001:db8:12::2'));
    expect(c.ipv6.hopLimit).toBe(255);
    expect(c.na).toEqual({
      router: false,
      solicited: true,
      override: true,
      target: parseIpBytes(V6_OWNED),
      options: [linkLayerOption(NdpOptionType.TARGET_LINK_LAYER_ADDRESS, HOST_A_MAC)],
    });
  });

  it('answers a unicast NUD probe without SLLA (MetalLB #2920) at the Ethernet source MAC', () => {
    const c = na(
      buildNs({ slla: null, src: 'fe80::ff:fe00:c', ethSrc: OTHER_MAC, ethDst: HOST_A_MAC, dst: V6_OWNED }),
    );
    expect(c.ethernet.destination).toEqual(OTHER_MAC);
    expect(c.ipv6.destination).toEqual(parseIpBytes('fe80::ff:fe00:c'));
    expect(c.na.solicited).toBe(true);
  });

  it('prefers the SLLA over the Ethernet source', () => {
    expect(na(buildNs({ ethSrc: OTHER_MAC })).ethernet.destination).toEqual(HOST_B_MAC);
  });

  it('defends against a DAD probe: S=0, O=1 to ff02::1 (RFC 4861 §7.2.4)', () => {
    const c = na(buildNs({ src: '::', slla: null }));
    expect(c.ethernet.destination).toEqual(parseMac('33:33:00:00:00:01'));
    expect(c.ipv6.destination).toEqual(parseIpBytes('ff02::1'));
    expect([c.na.solicited, c.na.override]).toEqual([false, true]);
  });

  it('skips unknown options before the SLLA', () => {
    const frame = buildNs({
      options: [{ type: 14, data: new Uint8Array(6) }, linkLayerOption(1, OTHER_MAC)],
    });
    expect(na(frame).ethernet.destination).toEqual(OTHER_MAC);
  });

  it('accepts the solicited-node MAC derived from the target', () => {
    expect(decide(buildNs({ ethDst: SOLICITED_NODE_MAC }), ctxA()).kind).toBe('reply');
  });

  it('keeps the 802.1Q tag of a tagged solicitation', () => {
    expect(na(buildNs({ vlan: { pcp: 6, dei: false, vid: 7 } })).ethernet.vlan).toEqual({
      pcp: 6,
      dei: false,
      vid: 7,
    });
  });
});

describe('decide: properties', () => {
  it('answers an ARP request exactly when the target is owned, swapping sender and target', () => {
    fc.assert(
      fc.property(macArb, ipv4Arb, ipv4Arb, fc.boolean(), (mac, senderIp, targetIp, own) => {
        fc.pre(!bytesEqual(mac, HOST_A_MAC) && !bytesEqual(senderIp, targetIp));
        fc.pre(formatIpBytes(targetIp) !== '203.0.113.1');
        const frame = buildArpFrame(
          { destination: BROADCAST_MAC, source: mac },
          { op: ArpOp.REQUEST, senderMac: mac, senderIp, targetMac: new Uint8Array(6), targetIp },
        );
        const d = decide(frame, ctxA(own ? ['203.0.113.1', formatIpBytes(targetIp)] : ['203.0.113.1']));
        if (!own) {
          expect(dropOf(d)).toBe('not-owned');
          return;
        }
        const c = d.kind === 'reply' ? classifyFrame(d.frame) : undefined;
        expect(c?.kind === 'arp' && c.arp).toEqual({
          op: ArpOp.REPLY,
          senderMac: HOST_A_MAC,
          senderIp: targetIp,
          targetMac: mac,
          targetIp: senderIp,
        });
      }),
    );
  });

  it('answers an NS for any owned unicast target with a checksum-valid NA from that target', () => {
    fc.assert(
      fc.property(ipv6Arb, fc.boolean(), (target, multicastNs) => {
        fc.pre(target[0] !== 0xff);
        const text = formatIpBytes(target);
        const solicited = solicitedNodeAddress(target);
        const frame = multicastNs
          ? buildNs({ target: text, dst: formatIpBytes(solicited), ethDst: multicastMac(solicited) })
          : buildNs({ target: text, dst: text, ethDst: HOST_A_MAC, slla: null });
        const d = decide(frame, ctxA([text]));
        const c = d.kind === 'reply' ? classifyFrame(d.frame) : undefined;
        if (c?.kind !== 'na') throw new Error(`expected an NA, got ${dropOf(d)}`);
        expect(c.ipv6.source).toEqual(target);
        expect(c.na.target).toEqual(target);
        expect(verifyIcmpv6Checksum(c.ipv6.source, c.ipv6.destination, c.ipv6.payload)).toBe(true);
      }),
    );
  });
});

describe('examine: decide and conflictOf over one decoding', () => {
  const claimOrAsk = fc.oneof(
    fc
      .tuple(macArb, ipv4Arb, ipv4Arb, fc.constantFrom(ArpOp.REQUEST, ArpOp.REPLY))
      .map(([mac, spa, tpa, op]) =>
        buildArpFrame(
          { destination: BROADCAST_MAC, source: mac },
          { op, senderMac: mac, senderIp: spa, targetMac: new Uint8Array(6), targetIp: tpa },
        ),
      ),
    fc.uint8Array({ minLength: 0, maxLength: 120 }),
  );

  it('gives exactly what decide and conflictOf give, on frames and on noise', () => {
    fc.assert(
      fc.property(claimOrAsk, fc.boolean(), (frame, ownAll) => {
        const ctx: ResponderContext = ownAll
          ? { ...ctxA(), owned: (_ip, iface) => iface === 'hl2c-va' }
          : ctxA(['192.0.2.1', '192.0.2.2']);
        const both = examine(frame, ctx);
        expect(both.decision).toEqual(decide(frame, ctx));
        expect(both.conflict).toEqual(conflictOf(frame, ctx));
      }),
    );
  });

  it('reports the conflict of a gratuitous ARP for an owned address and drops it', () => {
    const frame = buildArpFrame(
      { destination: BROADCAST_MAC, source: OTHER_MAC },
      {
        op: ArpOp.REQUEST,
        senderMac: OTHER_MAC,
        senderIp: parseIpBytes(V4_OWNED),
        targetMac: new Uint8Array(6),
        targetIp: parseIpBytes(V4_OWNED),
      },
    );
    const both = examine(frame, ctxA());
    expect(both.conflict).toEqual({ ip: V4_OWNED, mac: '02:00:00:00:00:0c' });
    expect(dropOf(both.decision)).toBe('arp-gratuitous');
  });
});

describe('the ARP fast path (src/l2/arp-fast.ts)', () => {
  const OWNED = ['192.0.2.1', '192.0.2.2'];
  const ipPool = fc.constantFrom(...OWNED, '192.0.2.3', '198.51.100.7').map(parseIpBytes);
  const macPool = fc.oneof(macArb, fc.constant(HOST_A_MAC), fc.constant(OTHER_MAC));
  const destination = fc.oneof(fc.constant(BROADCAST_MAC), fc.constant(HOST_A_MAC), macArb);
  const arpFrame = fc
    .record({
      destination,
      source: macPool,
      op: fc.constantFrom(ArpOp.REQUEST, ArpOp.REQUEST, ArpOp.REQUEST, ArpOp.REPLY, 3),
      senderMac: macPool,
      senderIp: ipPool,
      targetIp: ipPool,
      vid: fc.oneof(
        { arbitrary: fc.constant(null), weight: 4 },
        { arbitrary: fc.integer({ min: 1, max: 4094 }), weight: 1 },
      ),
    })
    .map((r) =>
      buildArpFrame(
        {
          destination: r.destination,
          source: r.source,
          ...(r.vid === null ? {} : { vlan: { pcp: 0, dei: false, vid: r.vid } }),
        },
        {
          op: r.op,
          senderMac: r.senderMac,
          senderIp: r.senderIp,
          targetMac: new Uint8Array(6),
          targetIp: r.targetIp,
        },
      ),
    );
  // Also frames with one byte changed anywhere in the header (hlen, plen, ethertype, opcode, ...).
  const mutated = fc.tuple(arpFrame, fc.nat(41), fc.integer({ min: 0, max: 255 })).map(([f, at, v]) => {
    const copy = new Uint8Array(f);
    copy[at] = v;
    return copy;
  });

  it('decides exactly as the general path, and only where there can be no conflict', () => {
    const ctx = ctxA(OWNED);
    let fastHits = 0;
    fc.assert(
      fc.property(fc.oneof(arpFrame, mutated), (frame) => {
        const fast = fastArp(frame, ctx);
        if (fast === undefined) return;
        fastHits++;
        const general = decideByDecoding(frame, ctx);
        expect(fast.kind === 'reply' ? fast : { kind: 'drop', reason: 'not-owned' }).toEqual(
          general.kind === 'reply'
            ? { kind: 'reply', frame: general.frame }
            : { kind: 'drop', reason: dropOf(general) },
        );
        expect(conflictOf(frame, ctx)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    // The property is about something: the fast path did decide a good share of the frames.
    expect(fastHits).toBeGreaterThan(100);
  });

  it('leaves VLAN-tagged frames and claims of an owned sender address to the general path', () => {
    const request = (vlan: boolean, senderIp: string) =>
      buildArpFrame(
        {
          destination: BROADCAST_MAC,
          source: OTHER_MAC,
          ...(vlan ? { vlan: { pcp: 0, dei: false, vid: 7 } } : {}),
        },
        {
          op: ArpOp.REQUEST,
          senderMac: OTHER_MAC,
          senderIp: parseIpBytes(senderIp),
          targetMac: new Uint8Array(6),
          targetIp: parseIpBytes('192.0.2.1'),
        },
      );
    expect(fastArp(request(true, '192.0.2.9'), ctxA(OWNED))).toBeUndefined();
    expect(fastArp(request(false, '192.0.2.2'), ctxA(OWNED))).toBeUndefined();
    expect(fastArp(request(false, '192.0.2.9'), ctxA(OWNED))?.kind).toBe('reply');
  });
});
