/**
 * Connection collision resolution (RFC 4271 §6.8, RFC 6286 §2.3): when both speakers open a TCP connection
 * to each other, the connection initiated by the speaker with the higher BGP Identifier survives; with equal
 * identifiers (allowed between ASes by RFC 6286), the one initiated by the speaker with the larger AS.
 * The other connection is closed with Cease / Connection Collision Resolution (RFC 4486).
 */
import { CeaseSubcode, ErrorCode } from '../constants.js';
import type { NotificationMessage } from '../types.js';
import type { Direction } from './types.js';

export interface CollisionInput {
  readonly localBgpId: number;
  readonly remoteBgpId: number;
  readonly localAs: number;
  readonly remoteAs: number;
}

/**
 * The direction (from our side) of the connection to keep. `outbound` means the one we initiated.
 * Both speakers computing this reach the same physical connection.
 */
export function collisionSurvivor(input: CollisionInput): Direction {
  const localId = input.localBgpId >>> 0;
  const remoteId = input.remoteBgpId >>> 0;
  if (localId !== remoteId) return localId > remoteId ? 'outbound' : 'inbound';
  return input.localAs >>> 0 >= input.remoteAs >>> 0 ? 'outbound' : 'inbound';
}

/** The NOTIFICATION that closes the losing connection. */
export const COLLISION_NOTIFICATION: NotificationMessage = {
  type: 'notification',
  code: ErrorCode.CEASE,
  subcode: CeaseSubcode.CONNECTION_COLLISION_RESOLUTION,
  data: new Uint8Array(0),
};
