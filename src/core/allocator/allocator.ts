/**
 * The Allocator: which Service holds which LoadBalancer addresses. Synchronous and Kubernetes-free. It
 * owns the runtime state (per-pool used sets, per-address users, per-service assignments) and applies the
 * decisions of placement.ts: allocate (keep, else requested IPs, else requested pool, else the ordered
 * pools), release, restore (take every existing assignment back before anything new is allocated) and
 * setPools (re-evaluate every assignment against a new configuration). Never mutates the pools it is given.
 */
import type { IpAddress } from '../ip/index.js';
import type { Pool } from '../pool.js';
import type { ClearReason } from './types.js';
import { IpTable, type ServiceRecord } from './ip-table.js';
import {
  checkExisting,
  missingFamily,
  placeFresh,
  sameIps,
  type AllocatorState,
  type Placed,
} from './placement.js';
import { PoolState, RangeIndex, type PoolCounters } from './pool-state.js';
import { normalizeRequest, serviceKey, type NormalizedRequest } from './request.js';
import { poolOrder } from './selection.js';
import type {
  Allocation,
  AllocationRequest,
  AllocationResult,
  Assignment,
  ClearedAssignment,
  PoolMove,
  Reassignment,
  ReevaluationReport,
  RestoreConflict,
  RestoreReport,
} from './types.js';

export type PoolsInput = readonly Pool[] | ReadonlyMap<string, Pool>;

function poolList(pools: PoolsInput): readonly Pool[] {
  return Array.isArray(pools) ? pools : [...(pools as ReadonlyMap<string, Pool>).values()];
}

export class Allocator {
  private state: AllocatorState = {
    pools: new Map(),
    index: new RangeIndex([]),
    order: poolOrder([]),
    table: new IpTable(),
  };
  private readonly services = new Map<string, ServiceRecord>();
  private source: readonly Pool[] = [];

  constructor(pools: PoolsInput = []) {
    this.loadPools(pools);
  }

  /** Allocates (or confirms) the addresses of one Service. */
  allocate(request: AllocationRequest): AllocationResult {
    const key = serviceKey(request.namespace, request.name);
    const previous = this.detach(key);
    const normalized = normalizeRequest(request);
    if (!normalized.ok) {
      const cleared = previous && { ips: previous.ips, reason: normalized.error };
      return { ok: false, error: normalized.error, ...(cleared && { cleared }) };
    }
    const n = normalized.value;
    const existing = request.currentIps.length > 0 ? request.currentIps : (previous?.ips ?? []);
    let cleared: ClearedAssignment | undefined;
    if (existing.length > 0) {
      const kept = checkExisting(this.state, existing, n);
      if (kept.ok) return { ok: true, allocation: this.keep(n, kept.placed) };
      cleared = { ips: existing, reason: kept.reason };
    }
    const fresh = placeFresh(this.state, n);
    if (!fresh.ok) return { ok: false, error: fresh.error, ...(cleared && { cleared }) };
    this.attach(n, fresh.placed);
    const allocation: Allocation = {
      ips: fresh.placed.ips,
      pool: fresh.placed.pool.name,
      changed: !sameIps(fresh.placed.ips, request.currentIps),
      source: fresh.source,
    };
    return { ok: true, allocation, ...(cleared && { cleared }) };
  }

  /** Frees the Service's addresses (Service deleted or no longer a LoadBalancer). */
  release(key: string): Assignment | undefined {
    const rec = this.detach(key);
    return rec && { ips: rec.ips, pool: rec.pool.name };
  }

  /**
   * The startup pass: forgets all state, then takes back every Service's status addresses, in the given
   * order (pass them oldest first: on a conflict the earlier Service keeps the address). Nothing new is
   * allocated; conflicting or no longer valid assignments are cleared and reported, never silently
   * moved. Call allocate() afterwards for every Service (toAllocate lists the ones that need an address).
   */
  restore(requests: readonly AllocationRequest[]): RestoreReport {
    this.loadPools(this.source);
    let restored = 0;
    const cleared: RestoreConflict[] = [];
    const toAllocate: string[] = [];
    for (const request of requests) {
      const key = serviceKey(request.namespace, request.name);
      if (this.detach(key)) restored--; // a key listed twice: the last entry wins
      const normalized = normalizeRequest(request);
      if (!normalized.ok || request.currentIps.length === 0) {
        if (!normalized.ok && request.currentIps.length > 0) {
          cleared.push({ key, ips: request.currentIps, reason: normalized.error });
        }
        toAllocate.push(key);
        continue;
      }
      const kept = checkExisting(this.state, request.currentIps, normalized.value);
      if (kept.ok) {
        this.attach(normalized.value, kept.placed);
        restored++;
      } else {
        cleared.push({ key, ips: request.currentIps, reason: kept.reason });
        toAllocate.push(key);
      }
    }
    return { restored, cleared, toAllocate };
  }

  /**
   * Replaces the pools (a new Config). Every assignment is re-checked; those still valid are kept (and
   * re-filed if their addresses now belong to a differently named pool); the rest are cleared, then
   * re-allocated in key order from the Service's last request, and reported.
   */
  setPools(pools: PoolsInput): ReevaluationReport {
    const records = [...this.services.values()];
    this.loadPools(pools);
    const moved: PoolMove[] = [];
    const invalid: { rec: ServiceRecord; reason: ClearReason }[] = [];
    for (const rec of records) {
      const kept = checkExisting(this.state, rec.ips, rec);
      if (!kept.ok) {
        invalid.push({ rec, reason: kept.reason });
        continue;
      }
      this.attach(rec, kept.placed);
      if (kept.placed.pool.name !== rec.pool.name) {
        moved.push({ key: rec.key, from: rec.pool.name, to: kept.placed.pool.name });
      }
    }
    invalid.sort((a, b) => (a.rec.key < b.rec.key ? -1 : a.rec.key > b.rec.key ? 1 : 0));
    const reassigned: Reassignment[] = invalid.map(({ rec, reason }) => ({
      key: rec.key,
      previous: { ips: rec.ips, pool: rec.pool.name },
      reason,
      result: this.allocate({ ...rec.request, currentIps: [] }),
    }));
    return { kept: records.length - invalid.length, moved, reassigned };
  }

  assignmentOf(key: string): Assignment | undefined {
    const rec = this.services.get(key);
    return rec && { ips: rec.ips, pool: rec.pool.name };
  }

  /** Every current assignment, in assignment order. */
  *assignments(): Generator<[string, Assignment]> {
    for (const [key, rec] of this.services) yield [key, { ips: rec.ips, pool: rec.pool.name }];
  }

  get serviceCount(): number {
    return this.services.size;
  }

  /** Keys of the Services using an address. */
  usersOf(ip: IpAddress): string[] {
    return this.state.table.usersOf(ip);
  }

  /** IPAddressPool status counters; undefined for an unknown pool. */
  poolCounters(name: string): PoolCounters | undefined {
    return this.state.pools.get(name)?.counters();
  }

  private keep(n: NormalizedRequest, placed: Placed): Allocation {
    const request = n.request;
    let ips = placed.ips;
    let additionalFamilyError;
    if (n.preferDual && ips.length === 1 && request.requestedIps.length === 0) {
      const extra = missingFamily(this.state, placed, n);
      if ('kind' in extra) additionalFamilyError = extra;
      else {
        const both = [...placed.ips, extra.ip];
        const locs = [...placed.locs, extra.loc];
        const primaryFirst = both[0]!.family === n.families[0];
        ips = primaryFirst ? both : [both[1]!, both[0]!];
        placed = { pool: placed.pool, ips, locs: primaryFirst ? locs : [locs[1]!, locs[0]!] };
      }
    }
    this.attach(n, placed);
    return {
      ips,
      pool: placed.pool.name,
      changed: !sameIps(ips, request.currentIps),
      source: 'kept',
      ...(additionalFamilyError && { additionalFamilyError }),
    };
  }

  private attach(n: NormalizedRequest, placed: Placed): void {
    const rec: ServiceRecord = {
      key: n.key,
      request: n.request,
      families: n.families,
      preferDual: n.preferDual,
      requestedPool: n.requestedPool,
      sharingKey: n.sharingKey,
      backendKey: n.backendKey,
      ports: n.ports,
      ips: placed.ips,
      pool: placed.pool,
    };
    placed.ips.forEach((ip, i) => this.state.table.add(ip, placed.locs[i]!, rec));
    this.services.set(n.key, rec);
  }

  private detach(key: string): ServiceRecord | undefined {
    const rec = this.services.get(key);
    if (rec === undefined) return undefined;
    this.state.table.remove(rec);
    this.services.delete(key);
    return rec;
  }

  private loadPools(pools: PoolsInput): void {
    this.source = poolList(pools);
    const states = this.source.map((p) => new PoolState(p));
    const table = this.state.table;
    table.clear();
    this.state = {
      pools: new Map(states.map((s) => [s.name, s])),
      index: new RangeIndex(states),
      order: poolOrder(states),
      table,
    };
    this.services.clear();
  }
}
