/**
 * Runtime state of one IPAddressPool: for every range (in spec order) the set of addresses in use, kept
 * as offsets in an IntervalSet so that no range is ever enumerated. With avoidBuggyIPs an IPv4 range is
 * addressed in a compressed "index space" that leaves out every .0 and .255 address (254 usable per /24),
 * so skipping them costs nothing and the lowest free index is still the leftmost gap. Also the
 * IPAddressPool status counters (assigned/available per family). Pure.
 */
import type { IpAddress, IpFamily, IpRange } from '../ip/index.js';
import type { Pool } from '../pool.js';
import { IntervalSet } from './interval-set.js';

const OCTET = 256n;
const USABLE_PER_BLOCK = 254n; // .1 .. .254 of every /24 (MetalLB ipConfusesBuggyFirmwares)
const LAST_OCTET_MASK = 255n;

/** Whether an address is an IPv4 .0 or .255, which avoidBuggyIPs pools never hand out. */
export function isBuggyIp(ip: IpAddress): boolean {
  if (ip.family !== 'IPv4') return false;
  const last = ip.value & LAST_OCTET_MASK;
  return last === 0n || last === LAST_OCTET_MASK;
}

/** Global index of a non-buggy IPv4 value (counting only .1-.254 addresses from 0.0.0.1). */
function compressedIndex(value: bigint): bigint {
  return (value >> 8n) * USABLE_PER_BLOCK + (value & LAST_OCTET_MASK) - 1n;
}

function expandIndex(index: bigint): bigint {
  return (index / USABLE_PER_BLOCK) * OCTET + (index % USABLE_PER_BLOCK) + 1n;
}

/** Lowest non-buggy value >= v, and highest non-buggy value <= v. */
function ceilUsable(v: bigint): bigint {
  const last = v & LAST_OCTET_MASK;
  if (last === 0n) return v + 1n;
  if (last === LAST_OCTET_MASK) return v + 2n;
  return v;
}

function floorUsable(v: bigint): bigint {
  const last = v & LAST_OCTET_MASK;
  if (last === 0n) return v - 2n;
  if (last === LAST_OCTET_MASK) return v - 1n;
  return v;
}

export class RangeState {
  readonly range: IpRange;
  /** Number of addresses this range can hand out (buggy ones excluded when compressed). */
  readonly capacity: bigint;
  readonly used = new IntervalSet();
  private readonly compressed: boolean;
  private readonly base: bigint;

  constructor(range: IpRange, avoidBuggyIPs: boolean) {
    this.range = range;
    this.compressed = avoidBuggyIPs && range.family === 'IPv4';
    if (this.compressed) {
      const first = ceilUsable(range.first);
      const last = floorUsable(range.last);
      this.base = compressedIndex(first);
      this.capacity = first <= last ? compressedIndex(last) - this.base + 1n : 0n;
    } else {
      this.base = range.first;
      this.capacity = range.last - range.first + 1n;
    }
  }

  get family(): IpFamily {
    return this.range.family;
  }

  /** Offset of an address in this range, or undefined when outside it or skipped as buggy. */
  offsetOf(ip: IpAddress): bigint | undefined {
    const r = this.range;
    if (ip.family !== r.family || ip.value < r.first || ip.value > r.last) return undefined;
    if (!this.compressed) return ip.value - this.base;
    if (isBuggyIp(ip)) return undefined;
    return compressedIndex(ip.value) - this.base;
  }

  valueAt(offset: bigint): bigint {
    return this.compressed ? expandIndex(offset + this.base) : offset + this.base;
  }

  /** The lowest address not in use, or undefined when the range is full. */
  lowestFree(): bigint | undefined {
    const offset = this.used.lowestAbsent(this.capacity);
    return offset === undefined ? undefined : this.valueAt(offset);
  }
}

export interface PoolCounters {
  readonly assignedIPv4: bigint;
  readonly assignedIPv6: bigint;
  readonly availableIPv4: bigint;
  readonly availableIPv6: bigint;
}

export class PoolState {
  readonly pool: Pool;
  readonly ranges: readonly RangeState[];
  readonly families: ReadonlySet<IpFamily>;

  constructor(pool: Pool) {
    this.pool = pool;
    this.ranges = pool.ranges.map((r) => new RangeState(r, pool.avoidBuggyIPs));
    this.families = new Set(pool.ranges.map((r) => r.family));
  }

  get name(): string {
    return this.pool.name;
  }

  rangeOf(ip: IpAddress): RangeState | undefined {
    for (const r of this.ranges) if (r.offsetOf(ip) !== undefined) return r;
    return undefined;
  }

  /** Marks an address used; it must lie in this pool. Idempotent. */
  markUsed(ip: IpAddress): void {
    const r = this.rangeOf(ip);
    if (r !== undefined) r.used.add(r.offsetOf(ip)!);
  }

  markFree(ip: IpAddress): void {
    const r = this.rangeOf(ip);
    if (r !== undefined) r.used.delete(r.offsetOf(ip)!);
  }

  counters(): PoolCounters {
    let cap4 = 0n;
    let cap6 = 0n;
    let used4 = 0n;
    let used6 = 0n;
    for (const r of this.ranges) {
      const used = BigInt(r.used.size);
      if (r.family === 'IPv4') {
        cap4 += r.capacity;
        used4 += used;
      } else {
        cap6 += r.capacity;
        used6 += used;
      }
    }
    return {
      assignedIPv4: used4,
      assignedIPv6: used6,
      availableIPv4: cap4 - used4,
      availableIPv6: cap6 - used6,
    };
  }
}

interface IndexedRange {
  readonly first: bigint;
  readonly last: bigint;
  readonly pool: PoolState;
  readonly range: RangeState;
}

/**
 * Finds the pool and range holding an address by binary search over every range of every pool, sorted
 * per family (config parsing guarantees that ranges never overlap). O(log R).
 */
export class RangeIndex {
  private readonly byFamily: Record<IpFamily, IndexedRange[]> = { IPv4: [], IPv6: [] };

  constructor(pools: Iterable<PoolState>) {
    for (const pool of pools) {
      for (const range of pool.ranges) {
        this.byFamily[range.family].push({ first: range.range.first, last: range.range.last, pool, range });
      }
    }
    for (const list of Object.values(this.byFamily)) {
      list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    }
  }

  /** The pool and range that may hand out ip (respecting avoidBuggyIPs), or undefined. */
  lookup(ip: IpAddress): { pool: PoolState; range: RangeState; offset: bigint } | undefined {
    const list = this.byFamily[ip.family];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = list[mid]!;
      if (ip.value < entry.first) hi = mid - 1;
      else if (ip.value > entry.last) lo = mid + 1;
      else {
        const offset = entry.range.offsetOf(ip);
        return offset === undefined ? undefined : { pool: entry.pool, range: entry.range, offset };
      }
    }
    return undefined;
  }
}
