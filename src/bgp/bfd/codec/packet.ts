/**
 * The RFC 5880 §4.1 BFD Control packet: its model, `encode`/`decode`/`length`, and the §6.8.6 reception
 * checks that need nothing but the packet itself. Session-dependent checks (discriminator lookup,
 * whether authentication is configured) belong to the FSM and the session adapter.
 *
 * Authentication sections (§4.2–4.4) are parsed structurally and kept as opaque bytes: Auth Type must not
 * be the reserved 0, Auth Len must be the one its type defines, and the section must end exactly at
 * Length. Nothing is verified here; bgp-ts-lite configures no authentication, so the FSM discards every
 * packet with the A bit set, as §6.8.6 requires when bfd.AuthType is zero.
 */
import {
  BFD_AUTH_HEADER_LENGTH,
  BFD_CONTROL_LENGTH,
  BFD_CONTROL_MAX_LENGTH,
  BFD_CONTROL_WITH_AUTH_MIN_LENGTH,
  BFD_DIAGNOSTIC_MASK,
  BFD_MAX_DETECT_MULT,
  BFD_MAX_DIAGNOSTIC,
  BFD_MAX_UINT32,
  BFD_MD5_AUTH_LENGTH,
  BFD_SHA1_AUTH_LENGTH,
  BFD_SIMPLE_PASSWORD_MAX_AUTH_LENGTH,
  BFD_SIMPLE_PASSWORD_MIN_AUTH_LENGTH,
  BFD_STATE_MASK,
  BFD_STATE_SHIFT,
  BFD_VERSION,
  BFD_VERSION_SHIFT,
  BfdAuthType,
  BfdFlag,
  BfdOffset,
  BfdStateCode,
} from './constants.js';
import { BfdPacketError } from './errors.js';

export type BfdState = 'AdminDown' | 'Down' | 'Init' | 'Up';

const STATE_BY_CODE: readonly BfdState[] = ['AdminDown', 'Down', 'Init', 'Up'];
const CODE_BY_STATE: Readonly<Record<BfdState, number>> = {
  AdminDown: BfdStateCode.ADMIN_DOWN,
  Down: BfdStateCode.DOWN,
  Init: BfdStateCode.INIT,
  Up: BfdStateCode.UP,
};

/** An authentication section as received: `data` is everything after Auth Type and Auth Len. */
export interface BfdAuthSection {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * A decoded control packet. Version is always 1 and the Multipoint bit always 0 (anything else is
 * rejected), so neither is a field; the A bit is `auth !== undefined`. Intervals are microseconds.
 */
export interface BfdControlPacket {
  /** BfdDiagnostic, 0–31. */
  readonly diagnostic: number;
  readonly state: BfdState;
  readonly poll: boolean;
  readonly final: boolean;
  readonly controlPlaneIndependent: boolean;
  readonly demand: boolean;
  readonly detectMult: number;
  readonly myDiscriminator: number;
  readonly yourDiscriminator: number;
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
  readonly requiredMinEchoRxUs: number;
  readonly auth?: BfdAuthSection;
}

export type BfdDecodeResult =
  | { readonly ok: true; readonly packet: BfdControlPacket; readonly bytesRead: number }
  | { readonly ok: false; readonly error: BfdPacketError };

/** Octets `encodeControlPacket` writes for `packet`. */
export function controlPacketLength(packet: BfdControlPacket): number {
  return packet.auth === undefined
    ? BFD_CONTROL_LENGTH
    : BFD_CONTROL_LENGTH + BFD_AUTH_HEADER_LENGTH + packet.auth.data.length;
}

export function encodeControlPacket(packet: BfdControlPacket): Uint8Array {
  const out = new Uint8Array(controlPacketLength(packet));
  encodeControlPacketInto(out, 0, packet);
  return out;
}

/** Writes `packet` at `offset`; returns the octets written. Throws `BfdPacketError` on a bad field. */
export function encodeControlPacketInto(
  target: Uint8Array,
  offset: number,
  packet: BfdControlPacket,
): number {
  checkEncodable(packet);
  const length = controlPacketLength(packet);
  if (offset < 0 || offset + length > target.length) {
    throw new BfdPacketError('out-of-range', 'offset', `no room for ${length} octets at offset ${offset}`);
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, length);
  view.setUint8(BfdOffset.VERSION_DIAGNOSTIC, (BFD_VERSION << BFD_VERSION_SHIFT) | packet.diagnostic);
  view.setUint8(BfdOffset.STATE_FLAGS, (CODE_BY_STATE[packet.state] << BFD_STATE_SHIFT) | flagsOf(packet));
  view.setUint8(BfdOffset.DETECT_MULT, packet.detectMult);
  view.setUint8(BfdOffset.LENGTH, length);
  view.setUint32(BfdOffset.MY_DISCRIMINATOR, packet.myDiscriminator);
  view.setUint32(BfdOffset.YOUR_DISCRIMINATOR, packet.yourDiscriminator);
  view.setUint32(BfdOffset.DESIRED_MIN_TX, packet.desiredMinTxUs);
  view.setUint32(BfdOffset.REQUIRED_MIN_RX, packet.requiredMinRxUs);
  view.setUint32(BfdOffset.REQUIRED_MIN_ECHO_RX, packet.requiredMinEchoRxUs);
  if (packet.auth !== undefined) {
    view.setUint8(BfdOffset.AUTH_TYPE, packet.auth.type);
    view.setUint8(BfdOffset.AUTH_LENGTH, BFD_AUTH_HEADER_LENGTH + packet.auth.data.length);
    target.set(packet.auth.data, offset + BfdOffset.AUTH_DATA);
  }
  return length;
}

function flagsOf(p: BfdControlPacket): number {
  return (
    (p.poll ? BfdFlag.POLL : 0) |
    (p.final ? BfdFlag.FINAL : 0) |
    (p.controlPlaneIndependent ? BfdFlag.CONTROL_PLANE_INDEPENDENT : 0) |
    (p.auth !== undefined ? BfdFlag.AUTHENTICATION_PRESENT : 0) |
    (p.demand ? BfdFlag.DEMAND : 0)
  );
}

function checkEncodable(p: BfdControlPacket): void {
  checkRange('diagnostic', p.diagnostic, 0, BFD_MAX_DIAGNOSTIC);
  if (!(p.state in CODE_BY_STATE))
    throw new BfdPacketError('out-of-range', 'state', `unknown state ${p.state}`);
  checkRange('detectMult', p.detectMult, 1, BFD_MAX_DETECT_MULT);
  checkRange('myDiscriminator', p.myDiscriminator, 1, BFD_MAX_UINT32);
  checkRange('yourDiscriminator', p.yourDiscriminator, 0, BFD_MAX_UINT32);
  checkRange('desiredMinTxUs', p.desiredMinTxUs, 0, BFD_MAX_UINT32);
  checkRange('requiredMinRxUs', p.requiredMinRxUs, 0, BFD_MAX_UINT32);
  checkRange('requiredMinEchoRxUs', p.requiredMinEchoRxUs, 0, BFD_MAX_UINT32);
  const notDown = p.state === 'Init' || p.state === 'Up';
  if (p.yourDiscriminator === 0 && notDown) {
    throw new BfdPacketError(
      'zero-your-discriminator',
      'yourDiscriminator',
      `must be set in state ${p.state}`,
    );
  }
  if (p.auth !== undefined) {
    const problem = authSectionProblem(p.auth.type, BFD_AUTH_HEADER_LENGTH + p.auth.data.length);
    if (problem !== undefined) throw new BfdPacketError('bad-auth-section', 'auth', problem);
  }
}

function checkRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BfdPacketError('out-of-range', field, `${field} ${value} is not an integer in ${min}..${max}`);
  }
}

/** Why an authentication section of this type and Auth Len is malformed, or undefined if it is fine. */
function authSectionProblem(type: number, authLength: number): string | undefined {
  const fits = (min: number, max: number): string | undefined =>
    authLength >= min && authLength <= max
      ? undefined
      : `Auth Len ${authLength} for Auth Type ${type} must be ${min === max ? min : `${min}..${max}`}`;
  switch (type) {
    case BfdAuthType.RESERVED:
      return 'Auth Type 0 is reserved';
    case BfdAuthType.SIMPLE_PASSWORD:
      return fits(BFD_SIMPLE_PASSWORD_MIN_AUTH_LENGTH, BFD_SIMPLE_PASSWORD_MAX_AUTH_LENGTH);
    case BfdAuthType.KEYED_MD5:
    case BfdAuthType.METICULOUS_KEYED_MD5:
      return fits(BFD_MD5_AUTH_LENGTH, BFD_MD5_AUTH_LENGTH);
    case BfdAuthType.KEYED_SHA1:
    case BfdAuthType.METICULOUS_KEYED_SHA1:
      return fits(BFD_SHA1_AUTH_LENGTH, BFD_SHA1_AUTH_LENGTH);
    default:
      return fits(BFD_AUTH_HEADER_LENGTH, BFD_CONTROL_MAX_LENGTH - BFD_CONTROL_LENGTH);
  }
}

/**
 * Decodes the control packet at `offset`. Never throws: an invalid packet yields `{ ok: false, error }`
 * with the §6.8.6 check it failed. Octets past the Length field are not read (`bytesRead` = Length).
 */
export function decodeControlPacket(bytes: Uint8Array, offset = 0): BfdDecodeResult {
  const available = bytes.length - offset;
  if (offset < 0 || available < BFD_CONTROL_LENGTH) {
    return fail('truncated', 'length', `${Math.max(available, 0)} octets, need ${BFD_CONTROL_LENGTH}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, available);
  const first = view.getUint8(BfdOffset.VERSION_DIAGNOSTIC);
  const version = first >>> BFD_VERSION_SHIFT;
  if (version !== BFD_VERSION)
    return fail('bad-version', 'version', `version ${version}, expected ${BFD_VERSION}`);
  const second = view.getUint8(BfdOffset.STATE_FLAGS);
  const hasAuth = (second & BfdFlag.AUTHENTICATION_PRESENT) !== 0;
  const length = view.getUint8(BfdOffset.LENGTH);
  const minLength = hasAuth ? BFD_CONTROL_WITH_AUTH_MIN_LENGTH : BFD_CONTROL_LENGTH;
  if (length < minLength) return fail('bad-length', 'length', `Length ${length} is below ${minLength}`);
  if (length > available)
    return fail('truncated', 'length', `Length ${length} exceeds the ${available} octets`);
  const detectMult = view.getUint8(BfdOffset.DETECT_MULT);
  if (detectMult === 0) return fail('zero-detect-mult', 'detectMult', 'Detect Mult is zero');
  if ((second & BfdFlag.MULTIPOINT) !== 0) return fail('multipoint', 'flags', 'Multipoint (M) bit is set');
  const myDiscriminator = view.getUint32(BfdOffset.MY_DISCRIMINATOR);
  if (myDiscriminator === 0)
    return fail('zero-my-discriminator', 'myDiscriminator', 'My Discriminator is zero');
  const state = STATE_BY_CODE[(second >>> BFD_STATE_SHIFT) & BFD_STATE_MASK] ?? 'AdminDown';
  const yourDiscriminator = view.getUint32(BfdOffset.YOUR_DISCRIMINATOR);
  if (yourDiscriminator === 0 && (state === 'Init' || state === 'Up')) {
    return fail(
      'zero-your-discriminator',
      'yourDiscriminator',
      `Your Discriminator is zero in state ${state}`,
    );
  }
  const auth = hasAuth ? decodeAuthSection(bytes, offset, view, length) : undefined;
  if (auth instanceof BfdPacketError) return { ok: false, error: auth };
  const packet: BfdControlPacket = {
    diagnostic: first & BFD_DIAGNOSTIC_MASK,
    state,
    poll: (second & BfdFlag.POLL) !== 0,
    final: (second & BfdFlag.FINAL) !== 0,
    controlPlaneIndependent: (second & BfdFlag.CONTROL_PLANE_INDEPENDENT) !== 0,
    demand: (second & BfdFlag.DEMAND) !== 0,
    detectMult,
    myDiscriminator,
    yourDiscriminator,
    desiredMinTxUs: view.getUint32(BfdOffset.DESIRED_MIN_TX),
    requiredMinRxUs: view.getUint32(BfdOffset.REQUIRED_MIN_RX),
    requiredMinEchoRxUs: view.getUint32(BfdOffset.REQUIRED_MIN_ECHO_RX),
    ...(auth === undefined ? {} : { auth }),
  };
  return { ok: true, packet, bytesRead: length };
}

function decodeAuthSection(
  bytes: Uint8Array,
  offset: number,
  view: DataView,
  length: number,
): BfdAuthSection | BfdPacketError {
  const type = view.getUint8(BfdOffset.AUTH_TYPE);
  const authLength = view.getUint8(BfdOffset.AUTH_LENGTH);
  const problem = authSectionProblem(type, authLength);
  if (problem !== undefined) return new BfdPacketError('bad-auth-section', 'auth', problem);
  if (BFD_CONTROL_LENGTH + authLength !== length) {
    return new BfdPacketError(
      'bad-length',
      'length',
      `Length ${length} does not equal ${BFD_CONTROL_LENGTH} + Auth Len ${authLength}`,
    );
  }
  const start = offset + BfdOffset.AUTH_DATA;
  return { type, data: bytes.slice(start, start + authLength - BFD_AUTH_HEADER_LENGTH) };
}

function fail(reason: BfdPacketError['reason'], field: string, message: string): BfdDecodeResult {
  return { ok: false, error: new BfdPacketError(reason, field, message) };
}

export function stateCode(state: BfdState): number {
  return CODE_BY_STATE[state];
}

const DIAGNOSTIC_NAMES: readonly string[] = [
  'No Diagnostic',
  'Control Detection Time Expired',
  'Echo Function Failed',
  'Neighbor Signaled Session Down',
  'Forwarding Plane Reset',
  'Path Down',
  'Concatenated Path Down',
  'Administratively Down',
  'Reverse Concatenated Path Down',
];

/** The RFC 5880 §4.1 name of a diagnostic code ("Reserved (N)" for 9–31). */
export function diagnosticName(code: number): string {
  return DIAGNOSTIC_NAMES[code] ?? `Reserved (${code})`;
}
