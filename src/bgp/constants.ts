/**
 * Every BGP-4 protocol number bgp-ts-lite uses, named after the RFC that defines it. No other module
 * writes a bare protocol number.
 */

/** RFC 4271 §4.1 */
export const BGP_MARKER_LENGTH = 16;
export const BGP_HEADER_LENGTH = 19;
export const BGP_MAX_MESSAGE_LENGTH = 4096;
/** RFC 8654 */
export const BGP_EXTENDED_MAX_MESSAGE_LENGTH = 65535;
export const BGP_VERSION = 4;
export const BGP_PORT = 179;
/** RFC 6793 §9 */
export const AS_TRANS = 23456;

/** RFC 4271 §4.1, RFC 2918 */
export const MessageType = {
  OPEN: 1,
  UPDATE: 2,
  NOTIFICATION: 3,
  KEEPALIVE: 4,
  ROUTE_REFRESH: 5,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

/** RFC 4271 §4.5 error codes */
export const ErrorCode = {
  MESSAGE_HEADER: 1,
  OPEN_MESSAGE: 2,
  UPDATE_MESSAGE: 3,
  HOLD_TIMER_EXPIRED: 4,
  FSM: 5,
  CEASE: 6,
  /** RFC 7313 */
  ROUTE_REFRESH_MESSAGE: 7,
} as const;

/** RFC 4271 §6.1 */
export const HeaderSubcode = {
  UNSPECIFIC: 0,
  CONNECTION_NOT_SYNCHRONIZED: 1,
  BAD_MESSAGE_LENGTH: 2,
  BAD_MESSAGE_TYPE: 3,
} as const;

/** RFC 4271 §6.2, RFC 5492 */
export const OpenSubcode = {
  UNSPECIFIC: 0,
  UNSUPPORTED_VERSION_NUMBER: 1,
  BAD_PEER_AS: 2,
  BAD_BGP_IDENTIFIER: 3,
  UNSUPPORTED_OPTIONAL_PARAMETER: 4,
  /** 5 is deprecated (Authentication Failure). */
  UNACCEPTABLE_HOLD_TIME: 6,
  /** RFC 5492 §5 */
  UNSUPPORTED_CAPABILITY: 7,
  /** RFC 9234 */
  ROLE_MISMATCH: 11,
} as const;

/** RFC 4271 §6.3 */
export const UpdateSubcode = {
  UNSPECIFIC: 0,
  MALFORMED_ATTRIBUTE_LIST: 1,
  UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE: 2,
  MISSING_WELL_KNOWN_ATTRIBUTE: 3,
  ATTRIBUTE_FLAGS_ERROR: 4,
  ATTRIBUTE_LENGTH_ERROR: 5,
  INVALID_ORIGIN_ATTRIBUTE: 6,
  /** 7 is deprecated (AS Routing Loop). */
  INVALID_NEXT_HOP_ATTRIBUTE: 8,
  OPTIONAL_ATTRIBUTE_ERROR: 9,
  INVALID_NETWORK_FIELD: 10,
  MALFORMED_AS_PATH: 11,
} as const;

/** RFC 6608 */
export const FsmSubcode = {
  UNSPECIFIED: 0,
  UNEXPECTED_MESSAGE_IN_OPENSENT: 1,
  UNEXPECTED_MESSAGE_IN_OPENCONFIRM: 2,
  UNEXPECTED_MESSAGE_IN_ESTABLISHED: 3,
} as const;

/** RFC 4486, RFC 9003 */
export const CeaseSubcode = {
  MAXIMUM_PREFIXES_REACHED: 1,
  ADMINISTRATIVE_SHUTDOWN: 2,
  PEER_DECONFIGURED: 3,
  ADMINISTRATIVE_RESET: 4,
  CONNECTION_REJECTED: 5,
  OTHER_CONFIGURATION_CHANGE: 6,
  CONNECTION_COLLISION_RESOLUTION: 7,
  OUT_OF_RESOURCES: 8,
  /** RFC 8538 */
  HARD_RESET: 9,
  /** RFC 9687 */
  BFD_DOWN: 10,
} as const;

/** RFC 7313 §5 */
export const RouteRefreshSubcode = {
  INVALID_MESSAGE_LENGTH: 1,
} as const;

/** RFC 4271 §4.2 optional parameter types; RFC 9072 extended length */
export const OptionalParameterType = {
  CAPABILITIES: 2,
  /** RFC 9072 */
  EXTENDED_LENGTH: 255,
} as const;

/** IANA capability codes */
export const CapabilityCode = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  /** RFC 8950 */
  EXTENDED_NEXT_HOP: 5,
  /** RFC 8654 */
  EXTENDED_MESSAGE: 6,
  /** RFC 4724 */
  GRACEFUL_RESTART: 64,
  /** RFC 6793 */
  FOUR_OCTET_AS: 65,
  /** RFC 7911 */
  ADD_PATH: 69,
  /** RFC 7313 */
  ENHANCED_ROUTE_REFRESH: 70,
} as const;

/** RFC 4271 §4.3 attribute flags */
export const AttrFlag = {
  OPTIONAL: 0x80,
  TRANSITIVE: 0x40,
  PARTIAL: 0x20,
  EXTENDED_LENGTH: 0x10,
} as const;

/** IANA path attribute type codes */
export const AttrType = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MULTI_EXIT_DISC: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  /** RFC 1997 */
  COMMUNITIES: 8,
  /** RFC 4760 */
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  /** RFC 4360 */
  EXTENDED_COMMUNITIES: 16,
  /** RFC 6793 */
  AS4_PATH: 17,
  AS4_AGGREGATOR: 18,
  /** RFC 8092 */
  LARGE_COMMUNITY: 32,
} as const;

/** RFC 4271 §4.3 ORIGIN values */
export const Origin = {
  IGP: 0,
  EGP: 1,
  INCOMPLETE: 2,
} as const;
export type OriginValue = (typeof Origin)[keyof typeof Origin];

/** RFC 4271 §4.3 AS_PATH segment types; RFC 5065 confederations */
export const AsPathSegmentType = {
  AS_SET: 1,
  AS_SEQUENCE: 2,
  AS_CONFED_SEQUENCE: 3,
  AS_CONFED_SET: 4,
} as const;

/** IANA address family numbers and SAFIs (RFC 4760) */
export const Afi = {
  IPV4: 1,
  IPV6: 2,
} as const;
export type AfiValue = (typeof Afi)[keyof typeof Afi];

export const Safi = {
  UNICAST: 1,
} as const;

/** RFC 1997 §3 and IANA well-known communities */
export const WellKnownCommunity = {
  GRACEFUL_SHUTDOWN: 0xffff0000,
  ACCEPT_OWN: 0xffff0001,
  LLGR_STALE: 0xffff0006,
  NO_LLGR: 0xffff0007,
  BLACKHOLE: 0xffff029a,
  NO_EXPORT: 0xffffff01,
  NO_ADVERTISE: 0xffffff02,
  NO_EXPORT_SUBCONFED: 0xffffff03,
  NO_PEER: 0xffffff04,
} as const;

/** RFC 4724 §3 graceful restart flags (restart flags nibble and per-AFI flags) */
export const GracefulRestartFlag = {
  RESTART_STATE: 0x8,
  /** RFC 8538 notification support */
  NOTIFICATION: 0x4,
  FORWARDING_STATE: 0x80,
} as const;

/** RFC 7911 §4 send/receive values */
export const AddPathDirection = {
  RECEIVE: 1,
  SEND: 2,
  BOTH: 3,
} as const;

/** RFC 7313 §3 ROUTE-REFRESH message subtypes */
export const RouteRefreshSubtype = {
  NORMAL: 0,
  BEGIN_OF_RIB: 1,
  END_OF_RIB: 2,
} as const;

/** RFC 4271 §10 suggested timer values, seconds */
export const DEFAULT_HOLD_TIME = 90;
export const DEFAULT_CONNECT_RETRY_TIME = 120;
export const MIN_HOLD_TIME = 3;
/** RFC 8203/9003: shutdown communication up to 255 octets of UTF-8 */
export const MAX_SHUTDOWN_COMMUNICATION_LENGTH = 255;

// ---------------------------------------------------------------- wire sizes (codec)

/** RFC 4271 §4.1: the Marker octet value (all ones). */
export const BGP_MARKER_OCTET = 0xff;

/** RFC 4271 §4.2–4.5, RFC 2918 §3: smallest legal length of each message type, header included. */
export const MinMessageLength = {
  OPEN: 29,
  UPDATE: 23,
  NOTIFICATION: 21,
  KEEPALIVE: 19,
  ROUTE_REFRESH: 23,
} as const;

/** RFC 2918 §3, RFC 7313 §5: the ROUTE-REFRESH body (AFI 2, subtype/reserved 1, SAFI 1). */
export const ROUTE_REFRESH_BODY_LENGTH = 4;
/** RFC 4271 §4.2: Version 1 + My AS 2 + Hold Time 2 + BGP Identifier 4 + Opt Parm Len 1. */
export const OPEN_FIXED_LENGTH = 10;
/** RFC 4271 §4.2: the optional parameter header (type 1, length 1). */
export const OPTIONAL_PARAMETER_HEADER_LENGTH = 2;
/** RFC 9072 §2: extended optional parameter header (type 1, length 2). */
export const EXTENDED_OPTIONAL_PARAMETER_HEADER_LENGTH = 3;
/** RFC 9072 §2: the Non-Ext OP Len value that announces extended optional parameters is 255 with type 255. */
export const EXTENDED_OPTIONAL_PARAMETERS_MARKER = 255;
/** RFC 5492 §4: capability header (code 1, length 1). */
export const CAPABILITY_HEADER_LENGTH = 2;
/** RFC 4271 §4.3: Withdrawn Routes Length and Total Path Attribute Length fields. */
export const UPDATE_LENGTH_FIELD_LENGTH = 2;
/** RFC 4271 §4.5: Error code 1 + Error subcode 1. */
export const NOTIFICATION_FIXED_LENGTH = 2;

/** Largest value of a one-octet length field (attributes without Extended Length, optional parameters). */
export const MAX_ONE_OCTET_LENGTH = 255;
/** Largest value of a two-octet length field. */
export const MAX_TWO_OCTET_LENGTH = 65535;
/** RFC 4271 §4.2: largest 2-octet ASN; above it RFC 6793 needs AS_TRANS on 2-octet sessions. */
export const MAX_TWO_OCTET_ASN = 65535;
/** Largest 4-octet ASN (RFC 6793). */
export const MAX_FOUR_OCTET_ASN = 0xffffffff;

/** Address lengths in octets. */
export const IPV4_ADDRESS_LENGTH = 4;
export const IPV6_ADDRESS_LENGTH = 16;
/** RFC 2545 §3: an IPv6 next hop may be a global address followed by a link-local address. */
export const IPV6_NEXT_HOP_WITH_LINK_LOCAL_LENGTH = 32;
/** Prefix lengths in bits. */
export const IPV4_MAX_PREFIX_LENGTH = 32;
export const IPV6_MAX_PREFIX_LENGTH = 128;
export const BITS_PER_OCTET = 8;
/** RFC 7911 §3: the Path Identifier prepended to each NLRI. */
export const ADD_PATH_ID_LENGTH = 4;

/** RFC 4271 §4.3 attribute header: flags 1 + type 1 + length 1 (2 with Extended Length). */
export const ATTRIBUTE_HEADER_LENGTH = 3;
export const EXTENDED_ATTRIBUTE_HEADER_LENGTH = 4;

/** Value lengths of fixed-size attributes (RFC 4271 §4.3, RFC 6793 §3, RFC 1997, RFC 4360, RFC 8092). */
export const AttrLength = {
  ORIGIN: 1,
  NEXT_HOP: 4,
  MULTI_EXIT_DISC: 4,
  LOCAL_PREF: 4,
  ATOMIC_AGGREGATE: 0,
  /** 2-octet ASN + IPv4 address (sessions without the 4-octet AS capability). */
  AGGREGATOR_TWO_OCTET: 6,
  /** 4-octet ASN + IPv4 address (RFC 6793; also AS4_AGGREGATOR). */
  AGGREGATOR_FOUR_OCTET: 8,
  COMMUNITY: 4,
  EXTENDED_COMMUNITY: 8,
  LARGE_COMMUNITY: 12,
} as const;

/** RFC 4271 §4.3: AS_PATH segment header (type 1, length 1) and the most ASNs one segment holds. */
export const AS_PATH_SEGMENT_HEADER_LENGTH = 2;
export const MAX_AS_PATH_SEGMENT_ASNS = 255;
/** ASN sizes on the wire. */
export const TWO_OCTET_ASN_LENGTH = 2;
export const FOUR_OCTET_ASN_LENGTH = 4;

/** RFC 4760 §3: MP_REACH_NLRI fixed part (AFI 2, SAFI 1, next hop length 1) and the Reserved octet. */
export const MP_REACH_FIXED_LENGTH = 4;
export const MP_REACH_RESERVED_LENGTH = 1;
/** RFC 4760 §4: MP_UNREACH_NLRI fixed part (AFI 2, SAFI 1). */
export const MP_UNREACH_FIXED_LENGTH = 3;

/** Capability value lengths (RFC 4760 §8, RFC 6793 §3, RFC 4724 §3, RFC 7911 §4, RFC 8950 §3). */
export const CapabilityLength = {
  MULTIPROTOCOL: 4,
  FOUR_OCTET_AS: 4,
  /** Route refresh, enhanced route refresh and extended message carry no value. */
  EMPTY: 0,
  GRACEFUL_RESTART_HEADER: 2,
  GRACEFUL_RESTART_ENTRY: 4,
  ADD_PATH_ENTRY: 4,
  EXTENDED_NEXT_HOP_ENTRY: 6,
} as const;
/** RFC 4724 §3: Restart Time is the low 12 bits of the first two octets; the flags are the top 4. */
export const GRACEFUL_RESTART_TIME_MASK = 0x0fff;
export const GRACEFUL_RESTART_FLAGS_SHIFT = 12;

/** RFC 1997 §3: the reserved ranges 0x00000000–0x0000FFFF and 0xFFFF0000–0xFFFFFFFF. */
export const COMMUNITY_WELL_KNOWN_HIGH = 0xffff;
/** RFC 7607 §2: AS number zero is reserved and makes AS_PATH / AGGREGATOR malformed. */
export const RESERVED_ASN_ZERO = 0;
/** RFC 5771: IPv4 multicast 224.0.0.0/4 (first octet 224–239), invalid as a NEXT_HOP (RFC 4271 §6.3). */
export const IPV4_MULTICAST_FIRST_OCTET_MIN = 224;
export const IPV4_MULTICAST_FIRST_OCTET_MAX = 239;
