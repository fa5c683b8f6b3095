/**
 * Peer and local address handling for BFD sessions: validation, the canonical text form used as a
 * demultiplexing key (RFC 5952 for IPv6, with an optional `%zone` kept as given), and the family.
 */
import { SocketAddress, isIP } from 'node:net';
import { BfdConfigError } from '../fsm/index.js';

export type AddressFamily = 'IPv4' | 'IPv6';

export interface CanonicalAddress {
  readonly text: string;
  readonly family: AddressFamily;
}

/** Validates `address` (field `field`) and returns its canonical text and family. */
export function canonicalAddress(address: string, field: string): CanonicalAddress {
  const zoneAt = address.indexOf('%');
  const base = zoneAt < 0 ? address : address.slice(0, zoneAt);
  const zone = zoneAt < 0 ? '' : address.slice(zoneAt);
  const version = isIP(base);
  if (version === 0 || (version === 4 && zone !== '') || zone === '%') {
    throw new BfdConfigError(field, `${field} ${JSON.stringify(address)} is not an IPv4 or IPv6 address`);
  }
  if (version === 4) return { text: base, family: 'IPv4' };
  const text = new SocketAddress({ address: base, family: 'ipv6' }).address;
  return { text: text + zone, family: 'IPv6' };
}

/** Canonical text of an address the kernel reported (a datagram source); undefined if unparsable. */
export function canonicalSource(address: string): string | undefined {
  try {
    return canonicalAddress(address, 'source').text;
  } catch {
    return undefined;
  }
}
