/**
 * Prefix helpers: text <-> Prefix ('192.0.2.0/24', '2001:db8::/64'), a map key, and masking. parsePrefix
 * is strict and throws BgpInputError (field 'prefix') for bad syntax, a length beyond the family's
 * maximum, or host bits set past the length.
 */
import { Afi, BITS_PER_OCTET, IPV4_ADDRESS_LENGTH } from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { Prefix } from '../types.js';
import { copyBytes } from '../wire/reader.js';
import { formatAddress, parseAddress } from './address.js';
import { addressLength, maxPrefixLength } from './family.js';

export { formatAddress, parseAddress } from './address.js';

const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/;

/** Zeroes every bit of `address` past `length` (in place) and returns it. */
export function maskInPlace(address: Uint8Array, length: number): Uint8Array {
  const full = length >>> 3;
  const rem = length & 7;
  let i = full;
  if (rem !== 0 && i < address.length) {
    address[i] = (address[i] as number) & ((0xff << (BITS_PER_OCTET - rem)) & 0xff);
    i++;
  }
  address.fill(0, i);
  return address;
}

/** A prefix from any address bytes: the bits past `length` are cleared in a copy. */
export function makePrefix(address: Uint8Array, length: number): Prefix {
  const afi = address.length === IPV4_ADDRESS_LENGTH ? Afi.IPV4 : Afi.IPV6;
  if (address.length !== addressLength(afi)) {
    throw new BgpInputError('prefix', `${address.length} octets is neither an IPv4 nor an IPv6 address`);
  }
  if (!Number.isInteger(length) || length < 0 || length > maxPrefixLength(afi)) {
    throw new BgpInputError('prefix', `length ${length} is outside 0..${maxPrefixLength(afi)}`);
  }
  return { afi, length, address: maskInPlace(copyBytes(address), length) };
}

export function parsePrefix(text: string): Prefix {
  const slash = text.indexOf('/');
  if (slash < 0) throw new BgpInputError('prefix', `'${text}' has no '/length'`);
  const lengthText = text.slice(slash + 1);
  if (!PREFIX_LENGTH.test(lengthText)) throw new BgpInputError('prefix', `'${text}' has a bad length`);
  let address: Uint8Array;
  try {
    address = parseAddress(text.slice(0, slash));
  } catch {
    throw new BgpInputError('prefix', `'${text}' does not start with an IPv4 or IPv6 address`);
  }
  const prefix = makePrefix(address, Number(lengthText));
  if (!prefix.address.every((b, i) => b === address[i])) {
    throw new BgpInputError('prefix', `'${text}' has host bits set past /${prefix.length}`);
  }
  return prefix;
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.address)}/${p.length}`;
}

/** A string key equal for equal prefixes (family, length and masked address). */
export function prefixKey(p: Prefix): string {
  return formatPrefix(p);
}

export function prefixEquals(a: Prefix, b: Prefix): boolean {
  return a.afi === b.afi && a.length === b.length && a.address.every((x, i) => x === b.address[i]);
}
