/**
 * Deciding where a Service's addresses go, without changing any state: whether existing addresses may
 * be kept (MetalLB convergeBalancer + Assign), and a fresh placement from requested IPs, a requested
 * pool, or the ordered automatic walk (MetalLB allocateIPs / AllocateFromPool / Allocate). The
 * Allocator applies the answer. Pure.
 */
import { ipEquals, type IpAddress, type IpFamily } from '../ip/index.js';
import { clearReasons, errors } from './errors.js';
import type { IpTable, Location } from './ip-table.js';
import type { PoolState, RangeIndex } from './pool-state.js';
import { ipsFamilyProblem, type NormalizedRequest } from './request.js';
import { bestPool, candidateIn, picksIn, poolSelects, type Candidate, type PoolOrder } from './selection.js';
import type { AllocationError, AllocationSource, ClearReason } from './types.js';

export interface AllocatorState {
  readonly pools: ReadonlyMap<string, PoolState>;
  readonly index: RangeIndex;
  readonly table: IpTable;
  readonly order: PoolOrder;
}

export interface Placed {
  readonly pool: PoolState;
  readonly ips: readonly IpAddress[];
  readonly locs: readonly Location[];
}

export type Located = { ok: true; placed: Placed } | { ok: false; error: AllocationError };
export type Kept = { ok: true; placed: Placed } | { ok: false; reason: ClearReason };
export type Fresh =
  { ok: true; placed: Placed; source: AllocationSource } | { ok: false; error: AllocationError };

export function sameIps(a: readonly IpAddress[], b: readonly IpAddress[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => ipEquals(x, y)));
}

/** Finds the one pool (and the ranges) holding every address. */
function locate(state: AllocatorState, ips: readonly IpAddress[]): Located {
  const locs: Location[] = [];
  for (const ip of ips) {
    const found = state.index.lookup(ip);
    if (found === undefined) return { ok: false, error: errors.ipNotInPool(ip) };
    locs.push(found);
  }
  const pool = locs[0]!.pool;
  if (locs.some((l) => l.pool !== pool)) {
    return {
      ok: false,
      error: errors.ipsInDifferentPools(
        [...ips],
        locs.map((l) => l.pool.name),
      ),
    };
  }
  return { ok: true, placed: { pool, ips, locs } };
}

/** Checks that the pool selects the service and that sharing rules allow every address. */
function checkPlacement(state: AllocatorState, placed: Placed, n: NormalizedRequest): Located {
  if (!poolSelects(placed.pool.pool, n.request)) {
    return { ok: false, error: errors.poolNotEligible(placed.pool.name, n.request.namespace) };
  }
  for (const ip of placed.ips) {
    const problem = state.table.conflict(ip, n);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  return { ok: true, placed };
}

/** May the service keep these (current) addresses? The service itself must not be in the table. */
export function checkExisting(state: AllocatorState, ips: readonly IpAddress[], n: NormalizedRequest): Kept {
  const requestedIps = n.request.requestedIps;
  const family = ipsFamilyProblem(ips, n, 'current', requestedIps.length === 0);
  if (family !== undefined) return { ok: false, reason: family };
  if (requestedIps.length > 0 && !sameIps(ips, requestedIps)) {
    return { ok: false, reason: clearReasons.requestedIpsChanged([...requestedIps]) };
  }
  const located = locate(state, ips);
  if (!located.ok) return { ok: false, reason: located.error };
  const requestedPool = n.requestedPool;
  const poolName = located.placed.pool.name;
  if (requestedPool !== undefined && requestedPool !== poolName) {
    return { ok: false, reason: clearReasons.requestedPoolChanged(requestedPool, poolName) };
  }
  const checked = checkPlacement(state, located.placed, n);
  return checked.ok ? checked : { ok: false, reason: checked.error };
}

function fromCandidates(pool: PoolState, picks: readonly Candidate[]): Placed {
  return { pool, ips: picks.map((c) => c.ip), locs: picks.map((c) => c.loc) };
}

/** Why a pool could not give every wanted family: the family is absent, or exhausted. */
function poolShortfall(pool: PoolState, missing: IpFamily[]): AllocationError {
  const absent = missing.filter((f) => !pool.families.has(f));
  return absent.length > 0
    ? errors.familyNotInPool(pool.name, absent)
    : errors.poolExhausted(pool.name, missing);
}

function fromPool(state: AllocatorState, name: string, n: NormalizedRequest): Fresh {
  const pool = state.pools.get(name);
  if (pool === undefined) return { ok: false, error: errors.poolNotFound(name) };
  if (!poolSelects(pool.pool, n.request)) {
    return { ok: false, error: errors.poolNotEligible(name, n.request.namespace) };
  }
  const picks = picksIn(pool, n, state.table);
  const found = picks.filter((c): c is Candidate => c !== undefined);
  if (found.length === picks.length || (n.preferDual && found.length > 0)) {
    return { ok: true, placed: fromCandidates(pool, found), source: 'requested-pool' };
  }
  const missing = n.families.filter((_, i) => picks[i] === undefined);
  return { ok: false, error: poolShortfall(pool, missing) };
}

function autoFailure(
  state: AllocatorState,
  n: NormalizedRequest,
  tried: readonly PoolState[],
): AllocationError {
  if (tried.length === 0) {
    const manual = state.order.manual.filter((p) => poolSelects(p.pool, n.request)).map((p) => p.name);
    if (manual.length > 0) return errors.autoAssignDisabled(manual);
    return errors.noEligiblePool(
      state.pools.size === 0
        ? 'no IPAddressPool is configured'
        : `no pool with autoAssign selects namespace ${JSON.stringify(n.request.namespace)} and this service's labels`,
    );
  }
  const names = tried.map((p) => p.name);
  if (n.families.length === 2 && !n.preferDual) return errors.dualStackUnavailable(names);
  return errors.noAvailableIps(names, [...n.families]);
}

function automatic(state: AllocatorState, n: NormalizedRequest): Fresh {
  const pinned = state.order.pinned.filter((p) => poolSelects(p.pool, n.request));
  const pick = bestPool(pinned, n, state.table) ?? bestPool(state.order.unpinned, n, state.table);
  if (pick !== undefined) return { ok: true, placed: fromCandidates(pick.pool, pick.picks), source: 'auto' };
  return { ok: false, error: autoFailure(state, n, [...pinned, ...state.order.unpinned]) };
}

function fromRequestedIps(state: AllocatorState, n: NormalizedRequest): Fresh {
  const ips = n.request.requestedIps;
  const family = ipsFamilyProblem(ips, n, 'requested', false);
  if (family !== undefined) return { ok: false, error: family };
  const located = locate(state, ips);
  if (!located.ok) return located;
  const requested = n.requestedPool;
  const poolName = located.placed.pool.name;
  if (requested !== undefined && requested !== poolName) {
    if (!state.pools.has(requested)) return { ok: false, error: errors.poolNotFound(requested) };
    return { ok: false, error: errors.ipNotInRequestedPool([...ips], requested, poolName) };
  }
  const checked = checkPlacement(state, located.placed, n);
  return checked.ok ? { ok: true, placed: checked.placed, source: 'requested-ips' } : checked;
}

/** A new placement: requested IPs, else the requested pool, else the automatic pool walk. */
export function placeFresh(state: AllocatorState, n: NormalizedRequest): Fresh {
  if (n.request.requestedIps.length > 0) return fromRequestedIps(state, n);
  if (n.requestedPool !== undefined) return fromPool(state, n.requestedPool, n);
  return automatic(state, n);
}

/**
 * PreferDualStack with two families and one address: the missing family from the same pool (MetalLB
 * AllocateFromPoolForAdditionalFamily). The service itself must not be in the table.
 */
export function missingFamily(
  state: AllocatorState,
  placed: Placed,
  n: NormalizedRequest,
): Candidate | AllocationError {
  const have = placed.ips[0]!.family;
  const want: IpFamily = have === 'IPv4' ? 'IPv6' : 'IPv4';
  if (!placed.pool.families.has(want)) return errors.familyNotInPool(placed.pool.name, [want]);
  return candidateIn(placed.pool, want, n, state.table) ?? errors.poolExhausted(placed.pool.name, [want]);
}
