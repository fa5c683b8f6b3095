/**
 * Session-aware checks of a received OPEN (GoBGP validate.go ValidateOpenMsg), kept apart from the
 * syntax decoder: the peer AS against configuration (RFC 4271 §6.2, RFC 6793 §4.1, RFC 7607 §2 for AS 0),
 * the Hold Time (0 or at least 3 seconds, or a higher local minimum) and the BGP Identifier (RFC 6286 §2.2:
 * non-zero, and different from ours on an internal session). Returns the error to send, or undefined.
 */
import { BGP_VERSION, MIN_HOLD_TIME, OpenSubcode, RESERVED_ASN_ZERO } from '../constants.js';
import type { BgpWireError } from '../errors.js';
import type { OpenMessage } from '../types.js';
import { openError, u16Data } from '../wire/notify.js';

export interface OpenExpectations {
  /** The configured peer ASN; undefined accepts any (e.g. a dynamic neighbour range). */
  readonly peerAs?: number;
  /** Our ASN, to tell internal from external sessions. */
  readonly localAs: number;
  /** Our BGP Identifier as an unsigned 32-bit integer. */
  readonly localBgpId: number;
  /** Smallest non-zero Hold Time accepted (local policy, RFC 4271 §6.2); at least 3, the default. */
  readonly minHoldTime?: number;
}

/** The peer's real ASN: the 4-octet AS capability when present (RFC 6793 §4.1), else My Autonomous System. */
export function peerAsOf(open: OpenMessage): number {
  for (const c of open.capabilities) if (c.kind === 'four-octet-as') return c.asn;
  return open.myAs;
}

export function validateOpen(open: OpenMessage, expected: OpenExpectations): BgpWireError | undefined {
  if (open.version !== BGP_VERSION) {
    return openError(OpenSubcode.UNSUPPORTED_VERSION_NUMBER, `version ${open.version}`, u16Data(BGP_VERSION));
  }
  const peerAs = peerAsOf(open);
  if (peerAs === RESERVED_ASN_ZERO || open.myAs === RESERVED_ASN_ZERO) {
    return openError(OpenSubcode.BAD_PEER_AS, 'peer AS 0 (RFC 7607)');
  }
  if (expected.peerAs !== undefined && peerAs !== expected.peerAs) {
    return openError(OpenSubcode.BAD_PEER_AS, `peer AS ${peerAs}, expected ${expected.peerAs}`);
  }
  const minHold = Math.max(MIN_HOLD_TIME, expected.minHoldTime ?? MIN_HOLD_TIME);
  if (open.holdTime !== 0 && open.holdTime < minHold) {
    return openError(OpenSubcode.UNACCEPTABLE_HOLD_TIME, `hold time ${open.holdTime}, minimum ${minHold}`);
  }
  if (open.bgpId === 0) return openError(OpenSubcode.BAD_BGP_IDENTIFIER, 'BGP Identifier 0');
  if (peerAs === expected.localAs && open.bgpId === expected.localBgpId) {
    return openError(OpenSubcode.BAD_BGP_IDENTIFIER, 'internal peer uses our BGP Identifier');
  }
  return undefined;
}
