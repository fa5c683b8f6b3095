/**
 * Pure frame builders: ARP and NDP frames for replies, gratuitous ARP (request and reply, broadcast,
 * sender = target = VIP, as MetalLB sends) and the unsolicited Neighbor Advertisement (S=0, O=1, to
 * ff02::1, hop limit 255, Target Link-Layer Address option; RFC 4861 §7.2.6). Each frame is written into one
 * buffer sized in advance (dns-packet's "compute the size, then allocate once"); frames shorter than
 * the Ethernet minimum are zero-padded to 60 octets.
 */
import { arpCodec } from './arp.js';
import { multicastMac } from './addresses.js';
import { Writer } from './cursor.js';
import {
  ALL_NODES_ADDRESS,
  ArpOp,
  BROADCAST_MAC,
  ETHERNET_MIN_FRAME_LENGTH,
  ICMPV6_HEADER_LENGTH,
  IPV6_HEADER_LENGTH,
  EtherType,
  Icmpv6Type,
  NDP_CODE,
  NDP_HOP_LIMIT,
  NdpOptionType,
  NextHeader,
} from './constants.js';
import { encodeEthernetHeader, ethernetHeaderLength, type VlanTag } from './ethernet.js';
import { fillIcmpv6Checksum } from './icmpv6.js';
import { encodeIpv6Header } from './ipv6.js';
import { linkLayerOption, neighborAdvertisementCodec, type NeighborAdvertisement } from './ndp.js';

export interface LinkHeader {
  readonly destination: Uint8Array;
  readonly source: Uint8Array;
  readonly vlan?: VlanTag | undefined;
}

/** One zeroed buffer for the whole frame (never shorter than the Ethernet minimum, so padding is zeros). */
function frameWriter(link: LinkHeader, etherType: number, payloadLength: number): Writer {
  const header = { ...link, etherType };
  const w = Writer.alloc(Math.max(ethernetHeaderLength(header) + payloadLength, ETHERNET_MIN_FRAME_LENGTH));
  encodeEthernetHeader(w, header);
  return w;
}

export interface ArpFields {
  readonly op: number;
  readonly senderMac: Uint8Array;
  readonly senderIp: Uint8Array;
  readonly targetMac: Uint8Array;
  readonly targetIp: Uint8Array;
}

export function buildArpFrame(link: LinkHeader, arp: ArpFields): Uint8Array {
  const w = frameWriter(link, EtherType.ARP, arpCodec.length(arp));
  arpCodec.encode(w, arp);
  return w.buf;
}

/** A gratuitous ARP request or reply for `vip` from `mac`: broadcast, sender = target = VIP. */
export function buildGratuitousArp(vip: Uint8Array, mac: Uint8Array, op: 'request' | 'reply'): Uint8Array {
  return buildArpFrame(
    { destination: BROADCAST_MAC, source: mac },
    {
      op: op === 'request' ? ArpOp.REQUEST : ArpOp.REPLY,
      senderMac: mac,
      senderIp: vip,
      targetMac: BROADCAST_MAC,
      targetIp: vip,
    },
  );
}

export interface NaFields {
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: Uint8Array;
  readonly targetMac: Uint8Array;
}

/** A Neighbor Advertisement (R=0) with the Target Link-Layer Address option, hop limit 255. */
export function buildNeighborAdvertisement(link: LinkHeader, na: NaFields): Uint8Array {
  const body: NeighborAdvertisement = {
    router: false,
    solicited: na.solicited,
    override: na.override,
    target: na.target,
    options: [linkLayerOption(NdpOptionType.TARGET_LINK_LAYER_ADDRESS, na.targetMac)],
  };
  const icmpLength = ICMPV6_HEADER_LENGTH + neighborAdvertisementCodec.length(body);
  const w = frameWriter(link, EtherType.IPV6, IPV6_HEADER_LENGTH + icmpLength);
  const ipv6 = { trafficClass: 0, flowLabel: 0, nextHeader: NextHeader.ICMPV6, hopLimit: NDP_HOP_LIMIT };
  encodeIpv6Header(w, { ...ipv6, source: na.source, destination: na.destination }, icmpLength);
  const icmpStart = w.pos;
  w.u8(Icmpv6Type.NEIGHBOR_ADVERTISEMENT);
  w.u8(NDP_CODE);
  w.u16(0); // Checksum, filled in below over the finished message.
  neighborAdvertisementCodec.encode(w, body);
  fillIcmpv6Checksum(na.source, na.destination, w.buf.subarray(icmpStart, w.pos));
  return w.buf;
}

/** The unsolicited NA announcing `vip` at `mac`: from the VIP to ff02::1, S=0, O=1. */
export function buildUnsolicitedNa(vip: Uint8Array, mac: Uint8Array): Uint8Array {
  return buildNeighborAdvertisement(
    { destination: multicastMac(ALL_NODES_ADDRESS), source: mac },
    {
      source: vip,
      destination: ALL_NODES_ADDRESS,
      solicited: false,
      override: true,
      target: vip,
      targetMac: mac,
    },
  );
}
