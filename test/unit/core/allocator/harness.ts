/**
 * Scenario-table driver: one Allocator per table, rows run in order, and after every row the invariants
 * of helpers.ts are checked. The harness plays the controller: it remembers each Service's status (the
 * addresses last written) and passes it back as currentIps, and keeps the last request per Service.
 */
import {
  Allocator,
  type AllocationRequest,
  type AllocationResult,
  type ReevaluationReport,
  type RestoreReport,
} from '../../../../src/core/allocator/index.js';
import type { IpAddress } from '../../../../src/core/ip/index.js';
import type { Pool } from '../../../../src/core/pool.js';
import { checkInvariants, keyOf, svc, texts } from './helpers.js';

export class Harness {
  readonly alloc: Allocator;
  readonly requests = new Map<string, AllocationRequest>();
  readonly status = new Map<string, readonly IpAddress[]>();
  private pools: readonly Pool[];
  private snapshot: readonly Pool[];

  constructor(pools: readonly Pool[]) {
    this.pools = pools;
    this.snapshot = structuredClone(pools);
    this.alloc = new Allocator(pools);
  }

  /** Allocates with currentIps = the remembered status, unless the request sets currentIps itself. */
  allocate(req: AllocationRequest, explicitCurrent = false): AllocationResult {
    const key = keyOf(req);
    const full = explicitCurrent ? req : { ...req, currentIps: this.status.get(key) ?? [] };
    this.requests.set(key, full);
    const result = this.alloc.allocate(full);
    if (result.ok) this.status.set(key, result.allocation.ips);
    else this.status.delete(key);
    return result;
  }

  release(key: string): void {
    this.alloc.release(key);
    this.status.delete(key);
  }

  setPools(pools: readonly Pool[]): ReevaluationReport {
    this.pools = pools;
    this.snapshot = structuredClone(pools);
    const report = this.alloc.setPools(pools);
    for (const r of report.reassigned) {
      if (r.result.ok) this.status.set(r.key, r.result.allocation.ips);
      else this.status.delete(r.key);
    }
    return report;
  }

  restore(reqs: readonly AllocationRequest[]): RestoreReport {
    this.requests.clear();
    this.status.clear();
    for (const r of reqs) {
      this.requests.set(keyOf(r), r);
      if (r.currentIps.length > 0) this.status.set(keyOf(r), r.currentIps);
    }
    const report = this.alloc.restore(reqs);
    for (const c of report.cleared) this.status.delete(c.key);
    return report;
  }

  check(): void {
    checkInvariants(this.alloc, this.pools, this.snapshot, this.requests);
  }
}

/** A result as plain, comparable data: addresses as text, errors and clear reasons by kind. */
export function summarize(result: AllocationResult): Record<string, unknown> {
  const cleared = result.cleared && {
    cleared: result.cleared.reason.kind,
    clearedIps: texts(result.cleared.ips),
  };
  if (!result.ok) return { ok: false, error: result.error.kind, message: result.error.message, ...cleared };
  const a = result.allocation;
  return {
    ok: true,
    ips: texts(a.ips),
    pool: a.pool,
    changed: a.changed,
    source: a.source,
    ...(a.additionalFamilyError && { additional: a.additionalFamilyError.kind }),
    ...cleared,
  };
}

export type Op = (h: Harness) => unknown;

export interface Row {
  readonly name: string;
  readonly op: Op;
  readonly want: unknown;
}

/** allocate(name) with test defaults merged with `over`. */
export const alloc =
  (name: string, over: Partial<AllocationRequest> = {}): Op =>
  (h) =>
    summarize(h.allocate(svc(name, over), over.currentIps !== undefined));

export const release =
  (name: string, namespace = 'default'): Op =>
  (h) => {
    h.release(`${namespace}/${name}`);
    return { released: true };
  };

export const assignment =
  (name: string, namespace = 'default'): Op =>
  (h) => {
    const a = h.alloc.assignmentOf(`${namespace}/${name}`);
    return a ? { ips: texts(a.ips), pool: a.pool } : { none: true };
  };

export const counters =
  (pool: string): Op =>
  (h) =>
    h.alloc.poolCounters(pool);

export const setPools =
  (pools: readonly Pool[]): Op =>
  (h) => {
    const r = h.setPools(pools);
    return {
      kept: r.kept,
      moved: r.moved,
      reassigned: r.reassigned.map((x) => ({
        key: x.key,
        previous: texts(x.previous.ips),
        reason: x.reason.kind,
        result: summarize(x.result),
      })),
    };
  };

export const restore =
  (reqs: readonly AllocationRequest[]): Op =>
  (h) => {
    const r = h.restore(reqs);
    return {
      restored: r.restored,
      cleared: r.cleared.map((c) => ({
        key: c.key,
        ips: texts(c.ips),
        reason: c.reason.kind,
        message: c.reason.message,
      })),
      toAllocate: r.toAllocate,
    };
  };
