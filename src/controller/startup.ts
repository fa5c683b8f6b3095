/**
 * The startup pass of a leadership term (MetalLB `initialLoadPerformed` plus "services with IPs first"):
 * once the caches are synced and a Config is loaded, every Service's status addresses are restored into
 * the Allocator, oldest Service first (on a conflict the older one keeps the address), before anything is
 * allocated. The result lists every Service key in the order the queue should process them: those that
 * need an address first (oldest first), then the rest (whose reconcile only confirms what is written).
 */
import type { AllocationRequest, Allocator, RestoreReport } from '../core/allocator/index.js';
import type { ServiceSource, ServiceView } from './ports.js';

export interface StartupResult {
  readonly report: RestoreReport;
  /** Every Service key: keys needing allocation first, then the others. */
  readonly order: readonly string[];
}

interface Candidate {
  readonly key: string;
  readonly createdAt: string;
  readonly request: AllocationRequest;
}

function candidate(key: string, view: ServiceView | undefined): Candidate | undefined {
  if (view?.kind === 'request') return { key, createdAt: view.createdAt, request: view.request };
  if (view?.kind === 'invalid' && view.hold) return { key, createdAt: view.createdAt, request: view.hold };
  return undefined;
}

/** Oldest first by metadata.creationTimestamp (RFC 3339 UTC sorts as text), then by key. */
export function byAge(a: Candidate, b: Candidate): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function restoreFromStatus(allocator: Allocator, source: ServiceSource): StartupResult {
  const keys = [...source.keys()];
  const candidates: Candidate[] = [];
  for (const key of keys) {
    const c = candidate(key, source.get(key));
    if (c) candidates.push(c);
  }
  candidates.sort(byAge);
  const report = allocator.restore(candidates.map((c) => c.request));
  const first = new Set(report.toAllocate);
  const order = [...report.toAllocate, ...keys.filter((k) => !first.has(k)).sort()];
  return { report, order };
}
