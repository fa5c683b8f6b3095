/**
 * Every number Herald's Layer 2 codecs put on or read from the wire, named after the RFC or IEEE field
 * it comes from: Ethernet II and IEEE 802.1Q, ARP (RFC 826, IANA ARP parameters), IPv6 (RFC 8200),
 * ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861).
 */

/** IEEE 802.3 / Ethernet II. */
export const MAC_LENGTH = 6;
export const ETHERTYPE_LENGTH = 2;
export const ETHERNET_HEADER_LENGTH = 2 * MAC_LENGTH + ETHERTYPE_LENGTH;
/** Shortest frame on the wire without the FCS; shorter frames are padded with zeros. */
export const ETHERNET_MIN_FRAME_LENGTH = 60;
export const BROADCAST_MAC: Readonly<Uint8Array> = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** Values of the EtherType field below this are IEEE 802.3 lengths, not EtherTypes. */
export const ETHERTYPE_MIN = 0x0600;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
} as const;

/** IEEE 802.1Q tag control information: PCP (3 bits), DEI (1 bit), VID (12 bits). */
export const VLAN_TAG_LENGTH = 4;
export const VLAN_PCP_SHIFT = 13;
export const VLAN_PCP_MAX = 7;
export const VLAN_DEI_BIT = 0x1000;
export const VLAN_VID_MASK = 0x0fff;

/** RFC 826 with IANA "Address Resolution Protocol (ARP) Parameters". */
export const ARP_HARDWARE_ETHERNET = 1;
export const ARP_PROTOCOL_IPV4 = EtherType.IPV4;
export const IPV4_LENGTH = 4;
/** Fixed part (hrd, pro, hln, pln, op) plus two Ethernet/IPv4 address pairs. */
export const ARP_ETHERNET_IPV4_LENGTH = 8 + 2 * (MAC_LENGTH + IPV4_LENGTH);

export const ArpOp = {
  REQUEST: 1,
  REPLY: 2,
} as const;

/** RFC 8200 §3. */
export const IPV6_VERSION = 6;
export const IPV6_HEADER_LENGTH = 40;
export const IPV6_ADDRESS_LENGTH = 16;
export const IPV6_VERSION_SHIFT = 28;
export const IPV6_TRAFFIC_CLASS_SHIFT = 20;
export const IPV6_TRAFFIC_CLASS_MAX = 0xff;
export const IPV6_FLOW_LABEL_MASK = 0xfffff;

/** IANA "Assigned Internet Protocol Numbers" used as IPv6 Next Header values. */
export const NextHeader = {
  HOP_BY_HOP: 0,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NO_NEXT_HEADER: 59,
  DESTINATION_OPTIONS: 60,
  MOBILITY: 135,
  HIP: 139,
  SHIM6: 140,
} as const;

/** RFC 8200 §4 and the IANA "IPv6 Extension Header Types" registry. */
export const IPV6_EXTENSION_HEADERS: ReadonlySet<number> = new Set([
  NextHeader.HOP_BY_HOP,
  NextHeader.ROUTING,
  NextHeader.FRAGMENT,
  NextHeader.ESP,
  NextHeader.AH,
  NextHeader.DESTINATION_OPTIONS,
  NextHeader.MOBILITY,
  NextHeader.HIP,
  NextHeader.SHIM6,
]);

/** RFC 4443 §2.1: type (1), code (1), checksum (2). */
export const ICMPV6_HEADER_LENGTH = 4;
export const ICMPV6_CHECKSUM_OFFSET = 2;

/** RFC 4861 §4. */
export const Icmpv6Type = {
  ROUTER_SOLICITATION: 133,
  ROUTER_ADVERTISEMENT: 134,
  NEIGHBOR_SOLICITATION: 135,
  NEIGHBOR_ADVERTISEMENT: 136,
  REDIRECT: 137,
} as const;

/** RFC 4861 §4.3/§4.4: Code is 0 for NS and NA. */
export const NDP_CODE = 0;
/** RFC 4861 §7.1.1/§7.1.2: NS and NA must arrive, and be sent, with hop limit 255. */
export const NDP_HOP_LIMIT = 255;
/** RFC 4861 §4.3/§4.4: 4 octets (reserved, or flags) then the 16-octet Target Address. */
export const NDP_FIXED_BODY_LENGTH = 4 + IPV6_ADDRESS_LENGTH;

/** RFC 4861 §4.4 Neighbor Advertisement flags, in the first 32-bit word after the checksum. */
export const NaFlag = {
  ROUTER: 0x80000000,
  SOLICITED: 0x40000000,
  OVERRIDE: 0x20000000,
} as const;
export const NA_FLAGS_MASK = NaFlag.ROUTER | NaFlag.SOLICITED | NaFlag.OVERRIDE;

/** RFC 4861 §4.6: options are measured in units of 8 octets, type and length included. */
export const NDP_OPTION_UNIT = 8;
export const NDP_OPTION_HEADER_LENGTH = 2;
export const NDP_OPTION_MAX_UNITS = 0xff;

export const NdpOptionType = {
  SOURCE_LINK_LAYER_ADDRESS: 1,
  TARGET_LINK_LAYER_ADDRESS: 2,
  PREFIX_INFORMATION: 3,
  REDIRECTED_HEADER: 4,
  MTU: 5,
} as const;

/** RFC 4291 §2.7.1 all-nodes link-local multicast address ff02::1. */
export const ALL_NODES_ADDRESS: Readonly<Uint8Array> = new Uint8Array([
  0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
]);
/** RFC 4291 §2.7.1 solicited-node prefix ff02::1:ff00:0/104: these 13 octets, then the low 24 bits. */
export const SOLICITED_NODE_PREFIX: Readonly<Uint8Array> = new Uint8Array([
  0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff,
]);
/** RFC 4291 §2.7: multicast addresses start with octet 0xff. */
export const IPV6_MULTICAST_FIRST_OCTET = 0xff;
/** RFC 2464 §7: IPv6 multicast maps to MAC 33:33 followed by the low 32 bits of the address. */
export const IPV6_MULTICAST_MAC_PREFIX: Readonly<Uint8Array> = new Uint8Array([0x33, 0x33]);
/** RFC 4291 §2.5.2 unspecified address ::, the source of Duplicate Address Detection probes. */
export const UNSPECIFIED_ADDRESS: Readonly<Uint8Array> = new Uint8Array(IPV6_ADDRESS_LENGTH);
