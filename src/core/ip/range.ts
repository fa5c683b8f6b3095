/**
 * Address ranges: CIDR prefixes and inclusive first-last ranges, as IPAddressPool.spec.addresses writes
 * them ("192.0.2.0/24", "192.0.2.10-192.0.2.20", "2001:db8::/64"). Parsing returns a typed failure with a
 * reason, never throws. Pure.
 */
import { familyBits, familyMax, formatIp, parseIp, type IpAddress, type IpFamily } from './address.js';

/** Inclusive range of addresses of one family; first <= last. */
export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

export type RangeParse = { ok: true; range: IpRange } | { ok: false; reason: string };

export function rangeSize(r: IpRange): bigint {
  return r.last - r.first + 1n;
}

export function rangeContains(r: IpRange, ip: IpAddress): boolean {
  return r.family === ip.family && ip.value >= r.first && ip.value <= r.last;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function prefixMask(family: IpFamily, length: number): bigint {
  const bits = familyBits(family);
  return (familyMax(family) >> BigInt(bits - length)) << BigInt(bits - length);
}

/** Parses "ADDR/LEN". Host bits set is accepted (as net.ParseCIDR does) and masked off. */
export function parseCidr(text: string): RangeParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: `"${text}" is not a CIDR (missing "/length")` };
  const ip = parseIp(text.slice(0, slash));
  if (!ip) return { ok: false, reason: `"${text.slice(0, slash)}" is not an IP address` };
  const lenText = text.slice(slash + 1);
  const bits = familyBits(ip.family);
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) {
    return { ok: false, reason: `prefix length "${lenText}" is not an integer in 0..${bits}` };
  }
  const len = Number(lenText);
  const hostBits = BigInt(bits - len);
  const first = len === 0 ? 0n : ip.value & prefixMask(ip.family, len);
  return { ok: true, range: { family: ip.family, first, last: first + (1n << hostBits) - 1n } };
}

/** Parses "FIRST-LAST" (both of one family, FIRST <= LAST). Spaces around the dash are tolerated. */
export function parseDashRange(text: string): RangeParse {
  const parts = text.split('-');
  if (parts.length !== 2) return { ok: false, reason: `"${text}" is not a range "first-last"` };
  const a = parseIp(parts[0]!.trim());
  const b = parseIp(parts[1]!.trim());
  if (!a) return { ok: false, reason: `range start "${parts[0]!.trim()}" is not an IP address` };
  if (!b) return { ok: false, reason: `range end "${parts[1]!.trim()}" is not an IP address` };
  if (a.family !== b.family) return { ok: false, reason: `range "${text}" mixes IPv4 and IPv6` };
  if (a.value > b.value)
    return { ok: false, reason: `range start ${formatIp(a)} is after range end ${formatIp(b)}` };
  return { ok: true, range: { family: a.family, first: a.value, last: b.value } };
}

/** Parses one IPAddressPool address entry: a CIDR or a dash range. */
export function parseAddressEntry(text: string): RangeParse {
  const trimmed = text.trim();
  if (trimmed.includes('/')) return parseCidr(trimmed);
  if (trimmed.includes('-')) return parseDashRange(trimmed);
  return { ok: false, reason: `"${text}" is neither a CIDR nor a range "first-last"` };
}

/** Whether the range is exactly one CIDR block; returns its prefix length or undefined. */
export function rangeAsPrefixLength(r: IpRange): number | undefined {
  const size = rangeSize(r);
  if ((size & (size - 1n)) !== 0n) return undefined;
  if ((r.first & (size - 1n)) !== 0n) return undefined;
  let hostBits = 0;
  while (1n << BigInt(hostBits) < size) hostBits++;
  return familyBits(r.family) - hostBits;
}

/** Splits a range into the minimal list of CIDR blocks (as ipaddr.Summarize does). */
export function summarizeRange(r: IpRange): Array<{ first: bigint; prefixLength: number }> {
  const bits = familyBits(r.family);
  const out: Array<{ first: bigint; prefixLength: number }> = [];
  let cur = r.first;
  while (cur <= r.last) {
    let hostBits = 0;
    while (hostBits < bits) {
      const size = 1n << BigInt(hostBits + 1);
      if ((cur & (size - 1n)) !== 0n || cur + size - 1n > r.last) break;
      hostBits++;
    }
    out.push({ first: cur, prefixLength: bits - hostBits });
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

export function formatRange(r: IpRange): string {
  const len = rangeAsPrefixLength(r);
  const first = formatIp({ family: r.family, value: r.first });
  if (len !== undefined) return `${first}/${len}`;
  return `${first}-${formatIp({ family: r.family, value: r.last })}`;
}
