/**
 * IPv4 and IPv6 address text <-> network-order bytes (4 or 16 octets). IPv6 output is the RFC 5952
 * canonical form. bgp-ts-lite is self-contained, so this is its own small parser rather than Herald's
 * src/core/ip. Bad text throws BgpInputError naming the field.
 */
import { IPV4_ADDRESS_LENGTH, IPV6_ADDRESS_LENGTH } from '../constants.js';
import { BgpInputError } from '../errors.js';

const IPV6_GROUPS = 8;
const MAX_OCTET = 255;
const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== IPV4_ADDRESS_LENGTH) return undefined;
  const out = new Uint8Array(IPV4_ADDRESS_LENGTH);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const v = Number(part);
    if (v > MAX_OCTET) return undefined;
    out[i] = v;
  }
  return out;
}

/** Parses the groups on one side of '::' (a trailing dotted IPv4 counts as two groups). */
function parseGroups(text: string, allowIPv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (allowIPv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = IPV6_GROUPS - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(IPV6_ADDRESS_LENGTH);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** '192.0.2.1' -> 4 octets, '2001:db8::1' -> 16 octets. */
export function parseAddress(text: string): Uint8Array {
  const bytes = text.includes(':') ? parseIPv6(text) : parseIPv4(text);
  if (bytes === undefined) throw new BgpInputError('address', `'${text}' is not an IPv4 or IPv6 address`);
  return bytes;
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero groups as '::'. */
export function formatIPv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < IPV6_ADDRESS_LENGTH; i += 2)
    groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < IPV6_GROUPS;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < IPV6_GROUPS && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** 4 octets -> dotted quad, 16 octets -> RFC 5952 text. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === IPV4_ADDRESS_LENGTH) return formatIPv4(bytes);
  if (bytes.length === IPV6_ADDRESS_LENGTH) return formatIPv6(bytes);
  throw new BgpInputError('address', `${bytes.length} octets is neither an IPv4 nor an IPv6 address`);
}
