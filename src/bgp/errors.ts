/**
 * Typed errors of bgp-ts-lite. A decoding error carries the NOTIFICATION it calls for (code, subcode,
 * data) and the RFC 7606 action, so the FSM never translates. Bad caller input (a value the encoder cannot
 * put on the wire, a malformed prefix string) is a BgpInputError naming the field and the reason.
 */
import type { AfiSafi } from './types.js';

/** RFC 7606 §2 error-handling approaches, plus session reset for everything RFC 4271 §6 covers. */
export type ErrorAction = 'session-reset' | 'treat-as-withdraw' | 'attribute-discard' | 'afisafi-disable';

export class BgpWireError extends Error {
  override readonly name = 'BgpWireError';
  constructor(
    readonly code: number,
    readonly subcode: number,
    readonly data: Uint8Array,
    readonly action: ErrorAction,
    message: string,
    /** For 'afisafi-disable' (RFC 4760 §7, RFC 7606 §7.11): the family whose routes are to be dropped. */
    readonly afiSafi?: AfiSafi,
  ) {
    super(message);
  }
}

/** A value the codec was asked to encode (or a string it was asked to parse) is not valid. */
export class BgpInputError extends Error {
  override readonly name = 'BgpInputError';
  constructor(
    /** The field at fault, e.g. 'as-path.segments[0].asns' or 'prefix'. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
