/**
 * The membership keyring: HMAC-SHA256 framing of datagrams (`message || MAC`, wire.ts layout) with the key
 * derived as MetalLB derives its memberlist key (SHA-256 of the Secret's bytes). Verification is in
 * constant time. Rotation: after `rotate`, datagrams are signed with the new key and both keys verify for
 * `graceMs`, so speakers that see the new Secret a little later are not cut off meanwhile.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { joinMac, MAC_BYTES, MembershipWireError, splitMac } from '../../core/membership/index.js';
import { MembershipAgentError } from './errors.js';

export type OpenResult =
  | { readonly ok: true; readonly message: Uint8Array }
  | { readonly ok: false; readonly reason: 'too-short' | 'bad-mac' };

/** The HMAC key for a Secret: SHA-256 of its bytes (MetalLB's speakerlist does the same for memberlist). */
export function deriveKey(secret: Uint8Array): Buffer {
  if (secret.length === 0) throw new MembershipAgentError('key', 'the memberlist secret is empty');
  return createHash('sha256').update(secret).digest();
}

export function computeMac(key: Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

export class Keyring {
  private current: Buffer;
  private previous: { readonly key: Buffer; readonly until: number } | undefined;

  constructor(
    secret: Uint8Array,
    private readonly graceMs: number,
  ) {
    this.current = deriveKey(secret);
  }

  /** Switches to a new secret; the old one still verifies until `now + graceMs`. False if unchanged. */
  rotate(secret: Uint8Array, now: number): boolean {
    const next = deriveKey(secret);
    if (next.equals(this.current)) return false;
    this.previous = { key: this.current, until: now + this.graceMs };
    this.current = next;
    return true;
  }

  /** `message || HMAC-SHA256(current key, message)`. */
  seal(message: Uint8Array): Uint8Array {
    return joinMac(message, computeMac(this.current, message));
  }

  /** Checks the trailing MAC against the current key (and the previous one during its grace period). */
  open(datagram: Uint8Array, now: number): OpenResult {
    let parts: { message: Uint8Array; mac: Uint8Array };
    try {
      parts = splitMac(datagram);
    } catch (error) {
      if (error instanceof MembershipWireError) return { ok: false, reason: 'too-short' };
      throw error;
    }
    if (this.previous !== undefined && now >= this.previous.until) this.previous = undefined;
    const keys = this.previous === undefined ? [this.current] : [this.current, this.previous.key];
    for (const key of keys) {
      const expected = computeMac(key, parts.message);
      if (expected.length === MAC_BYTES && timingSafeEqual(expected, parts.mac))
        return { ok: true, message: parts.message };
    }
    return { ok: false, reason: 'bad-mac' };
  }
}
