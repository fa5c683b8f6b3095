/**
 * Typed errors of bgp-ts-lite. A decoding error carries the NOTIFICATION it calls for (code, subcode,
 * data) and the RFC 7606 action, so the FSM never translates.
 */

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
  ) {
    super(message);
  }
}
