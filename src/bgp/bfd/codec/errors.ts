/**
 * The one error type of the BFD control-packet codec. Decoding returns it (never throws); encoding throws
 * it when a field is out of range. `reason` is a stable machine-readable code, `field` names the packet
 * field at fault.
 */

export type BfdPacketErrorReason =
  /** Fewer octets than the mandatory section, or than the Length field claims (RFC 5880 §6.8.6). */
  | 'truncated'
  | 'bad-version'
  /** Length below 24 (26 with the A bit), or an authentication section that does not fill it. */
  | 'bad-length'
  | 'zero-detect-mult'
  | 'multipoint'
  | 'zero-my-discriminator'
  /** Your Discriminator is zero while State is Init or Up (RFC 5880 §6.8.6). */
  | 'zero-your-discriminator'
  /** Auth Type reserved, or Auth Len not the one its type defines (RFC 5880 §4.2–4.4). */
  | 'bad-auth-section'
  /** Encoding only: a field value does not fit its field. */
  | 'out-of-range';

export class BfdPacketError extends Error {
  override readonly name = 'BfdPacketError';
  constructor(
    readonly reason: BfdPacketErrorReason,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
