/**
 * Human names for what `herald peer-check` prints: NOTIFICATION error codes and subcodes (IANA "BGP Error
 * (Notification) Codes" and "... Subcodes", RFC 4271, 4486, 5492, 6608, 7313, 8538, 9234, 9687), address
 * families, and capability codes, including those bgp-ts-lite keeps as opaque (`unknown`) capabilities.
 * Pure lookups; an unknown number gets a name that shows the number.
 */
import {
  Afi,
  CapabilityCode,
  CeaseSubcode,
  ErrorCode,
  FsmSubcode,
  HeaderSubcode,
  OpenSubcode,
  RouteRefreshSubcode,
  Safi,
  UpdateSubcode,
} from '../../bgp/constants.js';

const CODE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [ErrorCode.MESSAGE_HEADER, 'Message Header Error'],
  [ErrorCode.OPEN_MESSAGE, 'OPEN Message Error'],
  [ErrorCode.UPDATE_MESSAGE, 'UPDATE Message Error'],
  [ErrorCode.HOLD_TIMER_EXPIRED, 'Hold Timer Expired'],
  [ErrorCode.FSM, 'Finite State Machine Error'],
  [ErrorCode.CEASE, 'Cease'],
  [ErrorCode.ROUTE_REFRESH_MESSAGE, 'ROUTE-REFRESH Message Error'],
]);

const SUBCODE_NAMES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map<
  number,
  ReadonlyMap<number, string>
>([
  [
    ErrorCode.MESSAGE_HEADER,
    new Map([
      [HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED, 'Connection Not Synchronized'],
      [HeaderSubcode.BAD_MESSAGE_LENGTH, 'Bad Message Length'],
      [HeaderSubcode.BAD_MESSAGE_TYPE, 'Bad Message Type'],
    ]),
  ],
  [
    ErrorCode.OPEN_MESSAGE,
    new Map([
      [OpenSubcode.UNSUPPORTED_VERSION_NUMBER, 'Unsupported Version Number'],
      [OpenSubcode.BAD_PEER_AS, 'Bad Peer AS'],
      [OpenSubcode.BAD_BGP_IDENTIFIER, 'Bad BGP Identifier'],
      [OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, 'Unsupported Optional Parameter'],
      [OpenSubcode.UNACCEPTABLE_HOLD_TIME, 'Unacceptable Hold Time'],
      [OpenSubcode.UNSUPPORTED_CAPABILITY, 'Unsupported Capability'],
      [OpenSubcode.ROLE_MISMATCH, 'Role Mismatch'],
    ]),
  ],
  [
    ErrorCode.UPDATE_MESSAGE,
    new Map([
      [UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, 'Malformed Attribute List'],
      [UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, 'Unrecognized Well-known Attribute'],
      [UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE, 'Missing Well-known Attribute'],
      [UpdateSubcode.ATTRIBUTE_FLAGS_ERROR, 'Attribute Flags Error'],
      [UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, 'Attribute Length Error'],
      [UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, 'Invalid ORIGIN Attribute'],
      [UpdateSubcode.INVALID_NEXT_HOP_ATTRIBUTE, 'Invalid NEXT_HOP Attribute'],
      [UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'Optional Attribute Error'],
      [UpdateSubcode.INVALID_NETWORK_FIELD, 'Invalid Network Field'],
      [UpdateSubcode.MALFORMED_AS_PATH, 'Malformed AS_PATH'],
    ]),
  ],
  [
    ErrorCode.FSM,
    new Map([
      [FsmSubcode.UNSPECIFIED, 'Unspecified Error'],
      [FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT, 'Receive Unexpected Message in OpenSent State'],
      [FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM, 'Receive Unexpected Message in OpenConfirm State'],
      [FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED, 'Receive Unexpected Message in Established State'],
    ]),
  ],
  [
    ErrorCode.CEASE,
    new Map([
      [CeaseSubcode.MAXIMUM_PREFIXES_REACHED, 'Maximum Number of Prefixes Reached'],
      [CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, 'Administrative Shutdown'],
      [CeaseSubcode.PEER_DECONFIGURED, 'Peer De-configured'],
      [CeaseSubcode.ADMINISTRATIVE_RESET, 'Administrative Reset'],
      [CeaseSubcode.CONNECTION_REJECTED, 'Connection Rejected'],
      [CeaseSubcode.OTHER_CONFIGURATION_CHANGE, 'Other Configuration Change'],
      [CeaseSubcode.CONNECTION_COLLISION_RESOLUTION, 'Connection Collision Resolution'],
      [CeaseSubcode.OUT_OF_RESOURCES, 'Out of Resources'],
      [CeaseSubcode.HARD_RESET, 'Hard Reset'],
      [CeaseSubcode.BFD_DOWN, 'BFD Down'],
    ]),
  ],
  [
    ErrorCode.ROUTE_REFRESH_MESSAGE,
    new Map([[RouteRefreshSubcode.INVALID_MESSAGE_LENGTH, 'Invalid Message Length']]),
  ],
]);

/** Subcode 0 of any code (RFC 4271 §4.5: "Unspecific" when no subcode applies). */
const UNSPECIFIC_SUBCODE = 0;

export function errorCodeName(code: number): string {
  return CODE_NAMES.get(code) ?? `Unknown Error Code ${code}`;
}

export function errorSubcodeName(code: number, subcode: number): string {
  const name = SUBCODE_NAMES.get(code)?.get(subcode);
  if (name !== undefined) return name;
  return subcode === UNSPECIFIC_SUBCODE ? 'Unspecific' : `Unknown Subcode ${subcode}`;
}

/** 'ipv4', 'ipv6', or 'afi-25'. */
export function afiName(afi: number): string {
  return afi === Afi.IPV4 ? 'ipv4' : afi === Afi.IPV6 ? 'ipv6' : `afi-${afi}`;
}

/** 'ipv4-unicast', 'ipv6-unicast', or 'afi-25/safi-70' for others. */
export function familyName(afi: number, safi: number): string {
  const a = afiName(afi);
  if (a.startsWith('afi-') || safi !== Safi.UNICAST) return `${a}/safi-${safi}`;
  return `${a}-unicast`;
}

/** IANA "Capability Codes" for capabilities bgp-ts-lite does not decode (kept as `unknown`). */
const OTHER_CAPABILITIES: ReadonlyMap<number, string> = new Map([
  [3, 'outbound-route-filtering'],
  [7, 'bgpsec'],
  [8, 'multiple-labels'],
  [9, 'bgp-role'],
  [66, 'dynamic-capability-old'],
  [67, 'dynamic-capability'],
  [68, 'multisession'],
  [71, 'long-lived-graceful-restart'],
  [72, 'routing-policy-distribution'],
  [73, 'fqdn'],
  [75, 'software-version'],
  [76, 'paths-limit'],
  [128, 'route-refresh-old'],
  [130, 'outbound-route-filtering-old'],
]);

/** The IANA name of a capability code ('capability-N' when unassigned here). */
export function capabilityName(code: number): string {
  const known = Object.entries(CapabilityCode).find(([, value]) => value === code)?.[0];
  if (known !== undefined) return known.toLowerCase().replaceAll('_', '-');
  return OTHER_CAPABILITIES.get(code) ?? `capability-${code}`;
}

/** The FQDN capability (draft-walton-bgp-hostname-capability): the peer's hostname and domain name. */
export const FQDN_CAPABILITY_CODE = 73;
