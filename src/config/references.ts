/**
 * Resolution of an advertisement's references to names that exist: the pools it covers (by name, by
 * label selector, or all pools when neither is given) and the peers it announces to (by name, or all
 * peers). A name that matches nothing is kept out of the resolved list and reported as a warning, as
 * MetalLB silently skips it (an advertisement may be applied before its pool).
 */
import { anySelectorMatches, type LabelSelector } from '../core/labels.js';
import type { Pool } from '../core/pool.js';
import type { Reporter } from './errors.js';

function sortedUnique(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface PoolRefs {
  readonly names: readonly string[];
  readonly selectors: readonly LabelSelector[];
}

export function resolvePools(refs: PoolRefs, pools: ReadonlyMap<string, Pool>, r: Reporter): string[] {
  if (refs.names.length === 0 && refs.selectors.length === 0) return sortedUnique(pools.keys());
  const out: string[] = [];
  refs.names.forEach((name, i) => {
    if (pools.has(name)) out.push(name);
    else r.warn(`spec.ipAddressPools[${i}]`, `IPAddressPool "${name}" does not exist; ignored`);
  });
  if (refs.selectors.length > 0) {
    for (const pool of pools.values()) {
      if (anySelectorMatches(refs.selectors, pool.labels)) out.push(pool.name);
    }
  }
  return sortedUnique(out);
}

export function resolvePeers(names: readonly string[], peers: ReadonlySet<string>, r: Reporter): string[] {
  if (names.length === 0) return sortedUnique(peers);
  const out: string[] = [];
  names.forEach((name, i) => {
    if (peers.has(name)) out.push(name);
    else r.warn(`spec.peers[${i}]`, `BGPPeer "${name}" does not exist; nothing is announced to it`);
  });
  return sortedUnique(out);
}
