/**
 * Demultiplexing received control packets to sessions (RFC 5880 §6.3, §6.8.6): by Your Discriminator
 * when it is non-zero, otherwise by the mode (single-hop or multihop socket) and source address. A
 * packet whose discriminator names a session must also come from that session's peer.
 */
import type { BfdControlPacket } from '../codec/index.js';
import { BfdDuplicateSessionError } from './errors.js';
import type { BfdMode } from './session.js';

export interface DemuxTarget {
  /** Canonical peer address (see `canonicalAddress`). */
  readonly peerAddress: string;
  readonly mode: BfdMode;
  readonly localDiscriminator: number;
}

export type DemuxDiscardReason =
  /** Your Discriminator names no session of this mode (§6.8.6). */
  | 'unknown-discriminator'
  /** Your Discriminator names a session whose peer is another address. */
  | 'address-mismatch'
  /** Your Discriminator is zero and no session of this mode has this peer address. */
  | 'no-session';

export type DemuxResult<S> = { readonly session: S } | { readonly discard: DemuxDiscardReason };

export class BfdDemux<S extends DemuxTarget> {
  readonly #byDiscriminator = new Map<number, S>();
  readonly #byPeer = new Map<string, S>();

  get size(): number {
    return this.#byDiscriminator.size;
  }

  hasDiscriminator(discriminator: number): boolean {
    return this.#byDiscriminator.has(discriminator);
  }

  hasPeer(mode: BfdMode, peerAddress: string): boolean {
    return this.#byPeer.has(peerKey(mode, peerAddress));
  }

  add(session: S): void {
    const key = peerKey(session.mode, session.peerAddress);
    if (this.#byPeer.has(key)) {
      throw new BfdDuplicateSessionError(`a ${session.mode} BFD session to ${session.peerAddress} exists`);
    }
    if (this.#byDiscriminator.has(session.localDiscriminator)) {
      throw new BfdDuplicateSessionError(`local discriminator ${session.localDiscriminator} is in use`);
    }
    this.#byPeer.set(key, session);
    this.#byDiscriminator.set(session.localDiscriminator, session);
  }

  remove(session: S): void {
    const key = peerKey(session.mode, session.peerAddress);
    if (this.#byPeer.get(key) === session) this.#byPeer.delete(key);
    if (this.#byDiscriminator.get(session.localDiscriminator) === session) {
      this.#byDiscriminator.delete(session.localDiscriminator);
    }
  }

  sessions(): S[] {
    return [...this.#byDiscriminator.values()];
  }

  /** The session a packet from `source` (canonical) on a `mode` socket belongs to. */
  lookup(mode: BfdMode, source: string, packet: BfdControlPacket): DemuxResult<S> {
    if (packet.yourDiscriminator !== 0) {
      const session = this.#byDiscriminator.get(packet.yourDiscriminator);
      if (session === undefined || session.mode !== mode) return { discard: 'unknown-discriminator' };
      if (session.peerAddress !== source) return { discard: 'address-mismatch' };
      return { session };
    }
    const session = this.#byPeer.get(peerKey(mode, source));
    return session === undefined ? { discard: 'no-session' } : { session };
  }
}

function peerKey(mode: BfdMode, peerAddress: string): string {
  return `${mode}|${peerAddress}`;
}
