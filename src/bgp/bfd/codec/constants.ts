/**
 * Every BFD protocol number bgp-ts-lite uses, named after the RFC that defines it (RFC 5880 control
 * packet, RFC 5881 single-hop and RFC 5883 multihop encapsulation). No other BFD module writes a bare
 * protocol number.
 */

/** RFC 5880 §4.1: the only protocol version. */
export const BFD_VERSION = 1;
/** RFC 5880 §4.1: the mandatory section of a control packet. */
export const BFD_CONTROL_LENGTH = 24;
/** RFC 5880 §6.8.6: minimum Length when the A bit is set (mandatory section + Auth Type + Auth Len). */
export const BFD_CONTROL_WITH_AUTH_MIN_LENGTH = 26;
/** RFC 5880 §4.1: Length is one octet. */
export const BFD_CONTROL_MAX_LENGTH = 255;
/** RFC 5880 §4.1: Auth Type and Auth Len, the two octets every authentication section starts with. */
export const BFD_AUTH_HEADER_LENGTH = 2;

/** Octet offsets of the fields in the mandatory section (RFC 5880 §4.1). */
export const BfdOffset = {
  VERSION_DIAGNOSTIC: 0,
  STATE_FLAGS: 1,
  DETECT_MULT: 2,
  LENGTH: 3,
  MY_DISCRIMINATOR: 4,
  YOUR_DISCRIMINATOR: 8,
  DESIRED_MIN_TX: 12,
  REQUIRED_MIN_RX: 16,
  REQUIRED_MIN_ECHO_RX: 20,
  AUTH_TYPE: 24,
  AUTH_LENGTH: 25,
  AUTH_DATA: 26,
} as const;

/** RFC 5880 §4.1: first octet is Vers (3 bits) | Diag (5 bits). */
export const BFD_VERSION_SHIFT = 5;
export const BFD_DIAGNOSTIC_MASK = 0x1f;
export const BFD_MAX_DIAGNOSTIC = 31;
/** RFC 5880 §4.1: second octet is Sta (2 bits) | P F C A D M. */
export const BFD_STATE_SHIFT = 6;
export const BFD_STATE_MASK = 0x03;

export const BfdFlag = {
  POLL: 0x20,
  FINAL: 0x10,
  CONTROL_PLANE_INDEPENDENT: 0x08,
  AUTHENTICATION_PRESENT: 0x04,
  DEMAND: 0x02,
  MULTIPOINT: 0x01,
} as const;

/** RFC 5880 §4.1 "Sta" values. */
export const BfdStateCode = {
  ADMIN_DOWN: 0,
  DOWN: 1,
  INIT: 2,
  UP: 3,
} as const;

/** RFC 5880 §4.1 "Diag" values; 9–31 are reserved and carried as numbers. */
export const BfdDiagnostic = {
  NO_DIAGNOSTIC: 0,
  CONTROL_DETECTION_TIME_EXPIRED: 1,
  ECHO_FUNCTION_FAILED: 2,
  NEIGHBOR_SIGNALED_SESSION_DOWN: 3,
  FORWARDING_PLANE_RESET: 4,
  PATH_DOWN: 5,
  CONCATENATED_PATH_DOWN: 6,
  ADMINISTRATIVELY_DOWN: 7,
  REVERSE_CONCATENATED_PATH_DOWN: 8,
} as const;

/** RFC 5880 §4.1 "Auth Type" values. */
export const BfdAuthType = {
  RESERVED: 0,
  SIMPLE_PASSWORD: 1,
  KEYED_MD5: 2,
  METICULOUS_KEYED_MD5: 3,
  KEYED_SHA1: 4,
  METICULOUS_KEYED_SHA1: 5,
} as const;

/** RFC 5880 §4.2: Auth Len is 3 + password length, the password 1 to 16 octets. */
export const BFD_SIMPLE_PASSWORD_MIN_AUTH_LENGTH = 4;
export const BFD_SIMPLE_PASSWORD_MAX_AUTH_LENGTH = 19;
/** RFC 5880 §4.3: Keyed MD5 and Meticulous Keyed MD5. */
export const BFD_MD5_AUTH_LENGTH = 24;
/** RFC 5880 §4.4: Keyed SHA1 and Meticulous Keyed SHA1. */
export const BFD_SHA1_AUTH_LENGTH = 28;

/** Largest value of the one-octet Detect Mult field. */
export const BFD_MAX_DETECT_MULT = 255;
/** Largest value of the 32-bit discriminator and interval fields. */
export const BFD_MAX_UINT32 = 0xffff_ffff;

/** RFC 5881 §4: single-hop control packets go to this UDP port; RFC 5881 §4 echo port (unused here). */
export const BFD_SINGLE_HOP_PORT = 3784;
export const BFD_ECHO_PORT = 3785;
/** RFC 5883 §5: multihop control packets go to this UDP port. */
export const BFD_MULTIHOP_PORT = 4784;
/** RFC 5881 §4: the source port of a session lies in this range and stays the same for the session. */
export const BFD_SOURCE_PORT_MIN = 49152;
export const BFD_SOURCE_PORT_MAX = 65535;
/** RFC 5881 §5 (GTSM, RFC 5082): single-hop packets are sent with, and must arrive with, TTL 255. */
export const BFD_SINGLE_HOP_TTL = 255;

/** RFC 5880 §6.8.3: while the session is not Up, Desired Min TX is at least one second. */
export const BFD_SLOW_TX_INTERVAL_US = 1_000_000;
/** RFC 5880 §6.8.1: bfd.RemoteMinRxInterval starts at 1 µs. */
export const BFD_INITIAL_REMOTE_MIN_RX_US = 1;
/** RFC 5880 §6.8.7: each interval is reduced by 0 to 25 % ... */
export const BFD_JITTER_MIN_FACTOR = 0.75;
export const BFD_JITTER_MAX_FACTOR = 1;
/** ... and by 10 to 25 % when bfd.DetectMult is 1. */
export const BFD_JITTER_MAX_FACTOR_DETECT_MULT_1 = 0.9;
