/**
 * IP address value types for the pure core: an address is a family plus a bigint, so IPv4 and IPv6 share
 * one arithmetic. Parsing accepts the textual forms Kubernetes and MetalLB accept (dotted quad, RFC 4291
 * IPv6 text); formatting is canonical (RFC 5952 for IPv6). No I/O.
 */
import { Address6 } from 'ip-address';

export type IpFamily = 'IPv4' | 'IPv6';

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;

export function familyBits(family: IpFamily): number {
  return family === 'IPv4' ? IPV4_BITS : IPV6_BITS;
}

export function familyMax(family: IpFamily): bigint {
  return (1n << BigInt(familyBits(family))) - 1n;
}

const V4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!V4_OCTET.test(part)) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':') || text.includes('%') || text.includes('/')) return undefined;
  if (!Address6.isValid(text)) return undefined;
  return new Address6(text).bigInt();
}

/** Parses a bare IPv4 or IPv6 address; undefined when the text is not one. IPv4-mapped IPv6 stays IPv6. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 'IPv4', value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { family: 'IPv6', value: v6 };
  return undefined;
}

function formatIpv4(value: bigint): string {
  const n = Number(value);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952 §4.2: compress the longest run (length >= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Canonical text of an address: dotted quad, or RFC 5952 IPv6. */
export function formatIp(ip: IpAddress): string {
  return ip.family === 'IPv4' ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

export function ipEquals(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Total order: IPv4 before IPv6, then numerically. */
export function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.family !== b.family) return a.family === 'IPv4' ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** A stable string key for maps: "4:<decimal>" or "6:<decimal>". */
export function ipKey(ip: IpAddress): string {
  return `${ip.family === 'IPv4' ? 4 : 6}:${ip.value.toString()}`;
}
