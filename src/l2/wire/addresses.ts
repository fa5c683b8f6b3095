/**
 * Address helpers for frames: MAC text, IPv4/IPv6 bytes <-> canonical text (through src/core/ip), and
 * the RFC 4291 / RFC 2464 multicast derivations NDP needs (solicited-node address, 33:33:xx MAC).
 */
import { formatIp, parseIp } from '../../core/ip/index.js';
import {
  IPV4_LENGTH,
  IPV6_ADDRESS_LENGTH,
  IPV6_MULTICAST_FIRST_OCTET,
  IPV6_MULTICAST_MAC_PREFIX,
  MAC_LENGTH,
  SOLICITED_NODE_PREFIX,
} from './constants.js';
import { L2WireError } from './errors.js';

const BITS_PER_OCTET = 8n;
const OCTET_MASK = 0xffn;
const MAC_TEXT = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const HEX_RADIX = 16;

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(HEX_RADIX).padStart(2, '0')).join(':');
}

export function parseMac(text: string): Uint8Array {
  if (!MAC_TEXT.test(text)) throw new L2WireError('bad-value', 'mac', `"${text}" is not aa:bb:cc:dd:ee:ff`);
  return new Uint8Array(text.split(':').map((h) => parseInt(h, HEX_RADIX)));
}

/** Canonical text (dotted quad, or RFC 5952) of a 4- or 16-octet address. */
export function formatIpBytes(bytes: Uint8Array): string {
  // Dotted quad directly: this runs for every ARP frame received.
  if (bytes.length === IPV4_LENGTH) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  let value = 0n;
  for (const b of bytes) value = (value << BITS_PER_OCTET) | BigInt(b);
  return formatIp({ family: bytes.length === IPV4_LENGTH ? 'IPv4' : 'IPv6', value });
}

/** The 4 (IPv4) or 16 (IPv6) octets of an address given as text. */
export function parseIpBytes(text: string): Uint8Array {
  const ip = parseIp(text);
  if (ip === undefined) throw new L2WireError('bad-value', 'ip', `"${text}" is not an IP address`);
  const out = new Uint8Array(ip.family === 'IPv4' ? IPV4_LENGTH : IPV6_ADDRESS_LENGTH);
  let value = ip.value;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(value & OCTET_MASK);
    value >>= BITS_PER_OCTET;
  }
  return out;
}

export function isIpv6Multicast(ip: Uint8Array): boolean {
  return ip[0] === IPV6_MULTICAST_FIRST_OCTET;
}

/** RFC 4291 §2.7.1: the solicited-node address is ff02::1:ff00:0/104 plus the low 24 bits of `ip`. */
export function solicitedNodeAddress(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(IPV6_ADDRESS_LENGTH);
  out.set(SOLICITED_NODE_PREFIX);
  out.set(ip.subarray(SOLICITED_NODE_PREFIX.length), SOLICITED_NODE_PREFIX.length);
  return out;
}

/** RFC 2464 §7: the Ethernet address of IPv6 multicast group `ip` is 33:33 then its low 32 bits. */
export function multicastMac(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(MAC_LENGTH);
  out.set(IPV6_MULTICAST_MAC_PREFIX);
  const low = MAC_LENGTH - IPV6_MULTICAST_MAC_PREFIX.length;
  out.set(ip.subarray(IPV6_ADDRESS_LENGTH - low), IPV6_MULTICAST_MAC_PREFIX.length);
  return out;
}
