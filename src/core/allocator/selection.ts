/**
 * Which pools may serve a Service and in what order, and how addresses are picked inside a pool.
 * Order (deterministic, unlike MetalLB's Go-map iteration): autoAssign pools whose serviceAllocation
 * selects the Service, by priority (lower first, 0 = unset last) then name; then autoAssign pools without
 * serviceAllocation, by name. Inside a pool, ranges are walked in spec order and each yields the lower of
 * its lowest free address and its lowest compatible shared address (MetalLB's lowest-address walk).
 * Pure.
 */
import type { IpAddress, IpFamily } from '../ip/index.js';
import { anySelectorMatches } from '../labels.js';
import type { Pool } from '../pool.js';
import type { IpTable, Location } from './ip-table.js';
import type { PoolState } from './pool-state.js';
import type { NormalizedRequest } from './request.js';
import type { AllocationRequest } from './types.js';

/** Whether the pool's serviceAllocation (if any) selects the Service's namespace and labels. */
export function poolSelects(pool: Pool, req: AllocationRequest): boolean {
  const sa = pool.serviceAllocation;
  if (sa === undefined) return true;
  const nsConstrained = sa.namespaces.length > 0 || sa.namespaceSelectors.length > 0;
  if (
    nsConstrained &&
    !sa.namespaces.includes(req.namespace) &&
    !anySelectorMatches(sa.namespaceSelectors, req.namespaceLabels)
  ) {
    return false;
  }
  return sa.serviceSelectors.length === 0 || anySelectorMatches(sa.serviceSelectors, req.labels);
}

function byName(a: PoolState, b: PoolState): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Priority rank: 1, 2, 3 ... first; 0 (unset) after all of them. */
function rank(p: PoolState): number {
  const prio = p.pool.serviceAllocation?.priority ?? 0;
  return prio > 0 ? prio : Number.POSITIVE_INFINITY;
}

export interface PoolOrder {
  /** autoAssign pools with serviceAllocation, by priority then name. */
  readonly pinned: readonly PoolState[];
  /** autoAssign pools without serviceAllocation, by name. */
  readonly unpinned: readonly PoolState[];
  /** Pools with autoAssign false, by name (used only when named). */
  readonly manual: readonly PoolState[];
}

export function poolOrder(pools: Iterable<PoolState>): PoolOrder {
  const all = [...pools].sort(byName);
  const pinned = all.filter((p) => p.pool.autoAssign && p.pool.serviceAllocation !== undefined);
  pinned.sort((a, b) => rank(a) - rank(b) || byName(a, b));
  return {
    pinned,
    unpinned: all.filter((p) => p.pool.autoAssign && p.pool.serviceAllocation === undefined),
    manual: all.filter((p) => !p.pool.autoAssign),
  };
}

export interface Candidate {
  readonly ip: IpAddress;
  readonly loc: Location;
}

/** The lowest address of the family in the pool that the service may use, or undefined. */
export function candidateIn(
  pool: PoolState,
  family: IpFamily,
  n: NormalizedRequest,
  table: IpTable,
): Candidate | undefined {
  for (const range of pool.ranges) {
    if (range.family !== family) continue;
    const free = range.lowestFree();
    const shared = table.lowestShared(range, n);
    const value = shared !== undefined && (free === undefined || shared < free) ? shared : free;
    if (value === undefined) continue;
    const ip = { family, value };
    return { ip, loc: { pool, range, offset: range.offsetOf(ip)! } };
  }
  return undefined;
}

export interface Pick {
  readonly pool: PoolState;
  readonly picks: readonly Candidate[];
}

/** The candidate of each family the service wants from one pool, primary first; undefined when none. */
export function picksIn(pool: PoolState, n: NormalizedRequest, table: IpTable): (Candidate | undefined)[] {
  return n.families.map((f) => (pool.families.has(f) ? candidateIn(pool, f, n, table) : undefined));
}

/**
 * MetalLB findBestPoolForService over an ordered list: the first pool that covers every family wins;
 * for PreferDualStack, failing that, the first pool with the primary family, else the first with the
 * secondary one.
 */
export function bestPool(
  pools: readonly PoolState[],
  n: NormalizedRequest,
  table: IpTable,
): Pick | undefined {
  let primary: Pick | undefined;
  let secondary: Pick | undefined;
  for (const pool of pools) {
    const [a, b] = picksIn(pool, n, table);
    if (n.families.length === 1) {
      if (a !== undefined) return { pool, picks: [a] };
      continue;
    }
    if (a !== undefined && b !== undefined) return { pool, picks: [a, b] };
    if (!n.preferDual) continue;
    if (a !== undefined && primary === undefined) primary = { pool, picks: [a] };
    if (b !== undefined && secondary === undefined) secondary = { pool, picks: [b] };
  }
  return primary ?? secondary;
}
