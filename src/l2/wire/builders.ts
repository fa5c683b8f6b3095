/**
 * Pure frame builders: ARP and NDP frames for replies, gratuitous ARP (request and reply, broadcast,
 * sender = target = VIP, as MetalLB sends) and the unsolicited Neighbor Advertisement (S=0, O=1, to
 * ff02::1, hop limit 255, Target Link-Layer Address option; RFC 4861 §7.2.6). Frames shorter than the
 * Ethernet minimum are zero-padded to 60 octets.
 */
import { arpCodec } from './arp.js';
import { multicastMac } from './addresses.js';
import { encodeToBytes } from './codec.js';
import {
  ALL_NODES_ADDRESS,
  ArpOp,
  BROADCAST_MAC,
  ETHERNET_MIN_FRAME_LENGTH,
  EtherType,
  Icmpv6Type,
  NDP_CODE,
  NDP_HOP_LIMIT,
  NdpOptionType,
  NextHeader,
} from './constants.js';
import { ethernetCodec, type VlanTag } from './ethernet.js';
import { sealIcmpv6 } from './icmpv6.js';
import { ipv6Codec } from './ipv6.js';
import { linkLayerOption, neighborAdvertisementCodec } from './ndp.js';

export interface LinkHeader {
  readonly destination: Uint8Array;
  readonly source: Uint8Array;
  readonly vlan?: VlanTag | undefined;
}

function ethernetFrame(link: LinkHeader, etherType: number, payload: Uint8Array): Uint8Array {
  const frame = encodeToBytes(ethernetCodec, { ...link, etherType, payload });
  if (frame.length >= ETHERNET_MIN_FRAME_LENGTH) return frame;
  const padded = new Uint8Array(ETHERNET_MIN_FRAME_LENGTH);
  padded.set(frame);
  return padded;
}

export interface ArpFields {
  readonly op: number;
  readonly senderMac: Uint8Array;
  readonly senderIp: Uint8Array;
  readonly targetMac: Uint8Array;
  readonly targetIp: Uint8Array;
}

export function buildArpFrame(link: LinkHeader, arp: ArpFields): Uint8Array {
  return ethernetFrame(link, EtherType.ARP, encodeToBytes(arpCodec, arp));
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
  const body = encodeToBytes(neighborAdvertisementCodec, {
    router: false,
    solicited: na.solicited,
    override: na.override,
    target: na.target,
    options: [linkLayerOption(NdpOptionType.TARGET_LINK_LAYER_ADDRESS, na.targetMac)],
  });
  const icmp = sealIcmpv6(na.source, na.destination, {
    type: Icmpv6Type.NEIGHBOR_ADVERTISEMENT,
    code: NDP_CODE,
    body,
  });
  const ipv6 = encodeToBytes(ipv6Codec, {
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: NextHeader.ICMPV6,
    hopLimit: NDP_HOP_LIMIT,
    source: na.source,
    destination: na.destination,
    payload: icmp,
  });
  return ethernetFrame(link, EtherType.IPV6, ipv6);
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
