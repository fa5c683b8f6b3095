/**
 * Builders for the BgpWireError of each RFC 4271 §6 / RFC 7606 case, so decoders read as policy
 * (`throw updateError(UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, 'treat-as-withdraw', raw, '...')`), like
 * BIRD's WITHDRAW/DISCARD verbs but as values.
 */
import { ErrorCode, MAX_TWO_OCTET_LENGTH } from '../constants.js';
import { BgpWireError, type ErrorAction } from '../errors.js';
import type { AfiSafi } from '../types.js';

const EMPTY = new Uint8Array(0);

/** A 2-octet big-endian field (Bad Message Length and Unsupported Version data). */
export function u16Data(v: number): Uint8Array {
  const n = Math.min(Math.max(v, 0), MAX_TWO_OCTET_LENGTH);
  return Uint8Array.of(n >>> 8, n & 0xff);
}

/** RFC 4271 §6.1: every header error resets the session. */
export function headerError(subcode: number, data: Uint8Array, message: string): BgpWireError {
  return new BgpWireError(ErrorCode.MESSAGE_HEADER, subcode, data, 'session-reset', message);
}

/** RFC 4271 §6.2: every OPEN error resets the session. */
export function openError(subcode: number, message: string, data: Uint8Array = EMPTY): BgpWireError {
  return new BgpWireError(ErrorCode.OPEN_MESSAGE, subcode, data, 'session-reset', message);
}

/** RFC 4271 §6.3 as revised by RFC 7606. */
export function updateError(
  subcode: number,
  action: ErrorAction,
  data: Uint8Array,
  message: string,
  afiSafi?: AfiSafi,
): BgpWireError {
  return new BgpWireError(ErrorCode.UPDATE_MESSAGE, subcode, data, action, message, afiSafi);
}

export function routeRefreshError(subcode: number, data: Uint8Array, message: string): BgpWireError {
  return new BgpWireError(ErrorCode.ROUTE_REFRESH_MESSAGE, subcode, data, 'session-reset', message);
}

/** RFC 7606 §3(e): when several errors apply, the strongest action wins. */
export const ACTION_STRENGTH: Readonly<Record<ErrorAction, number>> = {
  'attribute-discard': 0,
  'treat-as-withdraw': 1,
  'afisafi-disable': 2,
  'session-reset': 3,
};

export { EMPTY as EMPTY_DATA };
