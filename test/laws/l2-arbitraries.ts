/** fast-check arbitraries for Layer 2 wire values (valid by construction). */
import fc from 'fast-check';
import type { ArpPacket } from '../../src/l2/wire/arp.js';
import type { EthernetFrame, VlanTag } from '../../src/l2/wire/ethernet.js';
import type { Icmpv6Message } from '../../src/l2/wire/icmpv6.js';
import type { Ipv6Packet } from '../../src/l2/wire/ipv6.js';
import type { NdpOption, NeighborAdvertisement, NeighborSolicitation } from '../../src/l2/wire/ndp.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const macArb = bytes(6);
export const ipv4Arb = bytes(4);
export const ipv6Arb = bytes(16);

export const vlanArb: fc.Arbitrary<VlanTag> = fc.record({
  pcp: fc.integer({ min: 0, max: 7 }),
  dei: fc.boolean(),
  vid: fc.integer({ min: 0, max: 4095 }),
});

export const ethernetArb: fc.Arbitrary<EthernetFrame> = fc
  .record({
    destination: macArb,
    source: macArb,
    vlan: fc.option(vlanArb, { nil: undefined }),
    etherType: fc.integer({ min: 0x0600, max: 0xffff }).filter((t) => t !== 0x8100),
    payload: fc.uint8Array({ maxLength: 100 }),
  })
  // The decoder leaves `vlan` out of untagged frames, so the generated value must too.
  .map(({ vlan, ...rest }): EthernetFrame => (vlan ? { ...rest, vlan } : rest));

export const arpArb: fc.Arbitrary<ArpPacket> = fc.record({
  op: fc.integer({ min: 0, max: 0xffff }),
  senderMac: macArb,
  senderIp: ipv4Arb,
  targetMac: macArb,
  targetIp: ipv4Arb,
});

export const ipv6PacketArb: fc.Arbitrary<Ipv6Packet> = fc.record({
  trafficClass: fc.integer({ min: 0, max: 255 }),
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  nextHeader: fc.integer({ min: 0, max: 255 }),
  hopLimit: fc.integer({ min: 0, max: 255 }),
  source: ipv6Arb,
  destination: ipv6Arb,
  payload: fc.uint8Array({ maxLength: 100 }),
});

export const icmpv6Arb: fc.Arbitrary<Icmpv6Message> = fc.record({
  type: fc.integer({ min: 0, max: 255 }),
  code: fc.integer({ min: 0, max: 255 }),
  checksum: fc.integer({ min: 0, max: 0xffff }),
  body: fc.uint8Array({ maxLength: 64 }),
});

export const ndpOptionArb: fc.Arbitrary<NdpOption> = fc.record({
  type: fc.integer({ min: 0, max: 255 }),
  data: fc.integer({ min: 1, max: 4 }).chain((units) => bytes(units * 8 - 2)),
});
export const ndpOptionsArb = fc.array(ndpOptionArb, { maxLength: 4 });

export const nsArb: fc.Arbitrary<NeighborSolicitation> = fc.record({
  target: ipv6Arb,
  options: ndpOptionsArb,
});
export const naArb: fc.Arbitrary<NeighborAdvertisement> = fc.record({
  router: fc.boolean(),
  solicited: fc.boolean(),
  override: fc.boolean(),
  target: ipv6Arb,
  options: ndpOptionsArb,
});
