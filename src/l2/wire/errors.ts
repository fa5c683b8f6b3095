/**
 * L2WireError: the only error a Layer 2 decoder throws. `code` says what is wrong (machine-readable, for
 * drop-reason metrics), `field` names the wire field, and the message cites the rule that was broken.
 */

export type L2WireErrorCode =
  | 'truncated'
  | 'bad-ethertype'
  | 'arp-unsupported-hardware'
  | 'arp-unsupported-protocol'
  | 'arp-bad-address-length'
  | 'ipv6-bad-version'
  | 'ipv6-bad-payload-length'
  | 'icmpv6-truncated'
  | 'ndp-option-zero-length'
  | 'ndp-option-overrun'
  | 'ndp-bad-link-layer-option'
  | 'bad-value';

export class L2WireError extends Error {
  override readonly name = 'L2WireError';

  constructor(
    readonly code: L2WireErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
