/**
 * Test helpers for the allocator: builders for pools, requests and addresses, and the invariant checker
 * run after every scenario row and every property step. The checker recomputes everything from first
 * principles (no allocator internals): legal sharing, addresses inside an eligible pool of the right
 * family, pools unchanged, counters equal to a brute count.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  Allocator,
  poolSelects,
  serviceKey,
  type AllocationRequest,
} from '../../../../src/core/allocator/index.js';
import {
  formatIp,
  ipKey,
  parseAddressEntry,
  parseIp,
  rangeContains,
  type IpAddress,
  type IpRange,
} from '../../../../src/core/ip/index.js';
import type { LabelSelector } from '../../../../src/core/labels.js';
import type { Pool, ServiceAllocation } from '../../../../src/core/pool.js';

export function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`bad test address ${text}`);
  return parsed;
}

export const ips = (...texts: string[]): IpAddress[] => texts.map(ip);
export const texts = (list: readonly IpAddress[] | undefined): string[] => (list ?? []).map(formatIp);

export function range(text: string): IpRange {
  const r = parseAddressEntry(text);
  if (!r.ok) throw new Error(r.reason);
  return r.range;
}

export interface PoolOptions {
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: Partial<ServiceAllocation>;
}

export function pool(name: string, addresses: string[], opts: PoolOptions = {}): Pool {
  const sa = opts.serviceAllocation;
  return {
    name,
    labels: {},
    ranges: addresses.map(range),
    autoAssign: opts.autoAssign ?? true,
    avoidBuggyIPs: opts.avoidBuggyIPs ?? false,
    ...(sa && {
      serviceAllocation: {
        priority: sa.priority ?? 0,
        namespaces: sa.namespaces ?? [],
        namespaceSelectors: sa.namespaceSelectors ?? [],
        serviceSelectors: sa.serviceSelectors ?? [],
      },
    }),
  };
}

export function matchLabels(labels: Record<string, string>): LabelSelector {
  return { requirements: Object.entries(labels).map(([key, v]) => ({ key, operator: 'In', values: [v] })) };
}

/** A request with test defaults: namespace "default", SingleStack IPv4, TCP/80, no sharing. */
export function svc(name: string, over: Partial<AllocationRequest> = {}): AllocationRequest {
  return {
    namespace: 'default',
    name,
    labels: {},
    namespaceLabels: {},
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
    requestedIps: [],
    ports: [{ protocol: 'TCP', port: 80 }],
    backendKey: '',
    currentIps: [],
    ...over,
  };
}

export const keyOf = (r: AllocationRequest): string => serviceKey(r.namespace, r.name);

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Count of x in [first, last] with x mod 256 == r. */
function countMod(first: bigint, last: bigint, r: bigint): bigint {
  return floorDiv(last - r, 256n) - floorDiv(first - 1n - r, 256n);
}

export function isBuggy(a: IpAddress): boolean {
  const last = a.value % 256n;
  return a.family === 'IPv4' && (last === 0n || last === 255n);
}

/** Addresses a pool can hand out, counted by arithmetic (independent of the allocator's index space). */
export function capacity(p: Pool, family: 'IPv4' | 'IPv6'): bigint {
  let total = 0n;
  for (const r of p.ranges) {
    if (r.family !== family) continue;
    total += r.last - r.first + 1n;
    if (p.avoidBuggyIPs && family === 'IPv4') {
      total -= countMod(r.first, r.last, 0n) + countMod(r.first, r.last, 255n);
    }
  }
  return total;
}

/** Whether a pool can hand out the address (inside a range, not skipped as buggy). */
export function poolHolds(p: Pool, a: IpAddress): boolean {
  return p.ranges.some((r) => rangeContains(r, a)) && !(p.avoidBuggyIPs && isBuggy(a));
}

function portsOverlap(a: AllocationRequest, b: AllocationRequest): boolean {
  return a.ports.some((p) => b.ports.some((q) => p.protocol === q.protocol && p.port === q.port));
}

/** MetalLB's sharing rule, from scratch. */
export function mayShare(a: AllocationRequest, b: AllocationRequest): boolean {
  const ka = a.sharingKey ?? '';
  return ka !== '' && ka === (b.sharingKey ?? '') && a.backendKey === b.backendKey && !portsOverlap(a, b);
}

function familiesOk(r: AllocationRequest, got: readonly IpAddress[]): boolean {
  const fams = got.map((g) => g.family);
  if (new Set(fams).size !== fams.length) return false;
  if (fams.length === r.ipFamilies.length && fams.every((f) => r.ipFamilies.includes(f))) return true;
  return r.ipFamilyPolicy === 'PreferDualStack' && fams.length === 1 && r.ipFamilies.includes(fams[0]!);
}

function checkService(
  key: string,
  a: { ips: readonly IpAddress[]; pool: string },
  pools: readonly Pool[],
  req: AllocationRequest | undefined,
): void {
  if (req === undefined) throw new Error(`${key} holds ${texts(a.ips)} but was never requested`);
  const p = pools.find((x) => x.name === a.pool);
  if (p === undefined) throw new Error(`${key} is assigned from unknown pool ${a.pool}`);
  for (const addr of a.ips) {
    if (!poolHolds(p, addr)) throw new Error(`${key}: ${formatIp(addr)} is not in pool ${p.name}`);
  }
  if (!poolSelects(p, req)) throw new Error(`${key}: pool ${p.name} does not select it`);
  if (!familiesOk(req, a.ips))
    throw new Error(`${key}: families ${texts(a.ips)} do not fit ${req.ipFamilies}`);
}

/**
 * Throws with a description of the first broken invariant. `requests` maps service key to the last
 * request the allocator accepted for it.
 */
export function checkInvariants(
  alloc: Allocator,
  pools: readonly Pool[],
  snapshot: readonly Pool[],
  requests: ReadonlyMap<string, AllocationRequest>,
): void {
  if (!isDeepStrictEqual(pools, snapshot)) throw new Error('pools were mutated');
  const users = new Map<string, { addr: IpAddress; pool: string; keys: string[] }>();
  for (const [key, a] of alloc.assignments()) {
    checkService(key, a, pools, requests.get(key));
    for (const addr of a.ips) {
      const entry = users.get(ipKey(addr)) ?? { addr, pool: a.pool, keys: [] };
      entry.keys.push(key);
      users.set(ipKey(addr), entry);
    }
  }
  for (const { addr, keys } of users.values()) {
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        if (!mayShare(requests.get(keys[i]!)!, requests.get(keys[j]!)!)) {
          throw new Error(`${formatIp(addr)} is shared illegally by ${keys[i]} and ${keys[j]}`);
        }
      }
    }
    const reported = alloc.usersOf(addr);
    if (!isDeepStrictEqual([...reported].sort(), [...keys].sort())) {
      throw new Error(`usersOf(${formatIp(addr)}) = ${reported} but assignments say ${keys}`);
    }
  }
  for (const p of pools)
    checkCounters(
      alloc,
      p,
      [...users.values()].filter((u) => u.pool === p.name),
    );
}

function checkCounters(alloc: Allocator, p: Pool, used: readonly { addr: IpAddress }[]): void {
  const v4 = BigInt(used.filter((u) => u.addr.family === 'IPv4').length);
  const v6 = BigInt(used.length) - v4;
  const want = {
    assignedIPv4: v4,
    assignedIPv6: v6,
    availableIPv4: capacity(p, 'IPv4') - v4,
    availableIPv6: capacity(p, 'IPv6') - v6,
  };
  const got = alloc.poolCounters(p.name);
  if (!isDeepStrictEqual(got, want)) {
    throw new Error(
      `counters of ${p.name}: got ${String(JSON.stringify(got, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))}, want ${JSON.stringify(want, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  }
}
