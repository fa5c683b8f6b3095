/**
 * Frame classification: one Ethernet frame in, the parsed ARP packet or NS/NA out, or the reason it is
 * neither. Only ICMPv6 directly after the IPv6 fixed header is NDP for Herald: an NS or NA behind
 * extension headers is classified 'ipv6-extension-header' and never answered (RFC 6980 forbids
 * fragmented NDP; nothing legitimate sends NS/NA behind other extension headers). Throws only L2WireError.
 */
import { arpCodec, type ArpPacket } from './arp.js';
import { decodeBytes } from './codec.js';
import { EtherType, IPV6_EXTENSION_HEADERS, Icmpv6Type, NextHeader } from './constants.js';
import { ethernetCodec, type EthernetFrame } from './ethernet.js';
import { icmpv6Codec, type Icmpv6Message } from './icmpv6.js';
import { ipv6Codec, type Ipv6Packet } from './ipv6.js';
import {
  neighborAdvertisementCodec,
  neighborSolicitationCodec,
  type NeighborAdvertisement,
  type NeighborSolicitation,
} from './ndp.js';

export type IgnoredReason = 'not-arp-or-ndp' | 'ipv6-extension-header';

export interface NdpEnvelope {
  readonly ethernet: EthernetFrame;
  readonly ipv6: Ipv6Packet;
  readonly icmp: Icmpv6Message;
}

export type ClassifiedFrame =
  | { readonly kind: 'arp'; readonly ethernet: EthernetFrame; readonly arp: ArpPacket }
  | ({ readonly kind: 'ns'; readonly ns: NeighborSolicitation } & NdpEnvelope)
  | ({ readonly kind: 'na'; readonly na: NeighborAdvertisement } & NdpEnvelope)
  | { readonly kind: 'ignored'; readonly ethernet: EthernetFrame; readonly reason: IgnoredReason };

function classifyIpv6(ethernet: EthernetFrame): ClassifiedFrame {
  const ipv6 = decodeBytes(ipv6Codec, ethernet.payload, 'ipv6');
  if (ipv6.nextHeader !== NextHeader.ICMPV6) {
    const reason = IPV6_EXTENSION_HEADERS.has(ipv6.nextHeader) ? 'ipv6-extension-header' : 'not-arp-or-ndp';
    return { kind: 'ignored', ethernet, reason };
  }
  const icmp = decodeBytes(icmpv6Codec, ipv6.payload, 'icmpv6');
  if (icmp.type === Icmpv6Type.NEIGHBOR_SOLICITATION) {
    return { kind: 'ns', ethernet, ipv6, icmp, ns: decodeBytes(neighborSolicitationCodec, icmp.body, 'ns') };
  }
  if (icmp.type === Icmpv6Type.NEIGHBOR_ADVERTISEMENT) {
    return { kind: 'na', ethernet, ipv6, icmp, na: decodeBytes(neighborAdvertisementCodec, icmp.body, 'na') };
  }
  return { kind: 'ignored', ethernet, reason: 'not-arp-or-ndp' };
}

export function classifyFrame(frame: Uint8Array): ClassifiedFrame {
  const ethernet = decodeBytes(ethernetCodec, frame, 'ethernet');
  if (ethernet.etherType === EtherType.ARP) {
    return { kind: 'arp', ethernet, arp: decodeBytes(arpCodec, ethernet.payload, 'arp') };
  }
  if (ethernet.etherType === EtherType.IPV6) return classifyIpv6(ethernet);
  return { kind: 'ignored', ethernet, reason: 'not-arp-or-ndp' };
}
