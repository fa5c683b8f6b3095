/**
 * Rules that span objects (metallb.md §7): no address of one pool overlaps another (or itself);
 * aggregation lengths not shorter than a selected pool's prefixes; no conflicting LOCAL_PREF between
 * advertisements of the same update; peers that can run on one node agree on routerID and myASN and do
 * not repeat a session; BFD echo mode never on IPv6 sessions or IPv6 advertisements.
 */
import { formatIp, ipEquals } from '../core/ip/index.js';
import type { ParsedBgpAdvertisement } from './bgp-advertisements.js';
import type { ObjectEnvelope } from './meta.js';
import { selectorsShareNode, type NodeInfo } from './nodes.js';
import type { ParsedPeer } from './peers.js';
import type { ParsedPool, PoolEntry } from './pools.js';
import type { BfdProfile, BgpAdvertisement, BgpPeer } from './types.js';

function label(env: ObjectEnvelope, kind: string): string {
  return `${kind} ${env.r.ref.namespace}/${env.name}`;
}

/** Sweep over every address entry in address order; each entry overlapping an earlier one is reported. */
export function checkPoolOverlaps(pools: readonly ParsedPool[]): void {
  const all = pools.flatMap((p) => p.entries.map((entry) => ({ p, entry })));
  all.sort((a, b) => {
    const x = a.entry.range;
    const y = b.entry.range;
    if (x.family !== y.family) return x.family === 'IPv4' ? -1 : 1;
    return x.first < y.first ? -1 : x.first > y.first ? 1 : x.last < y.last ? 1 : x.last > y.last ? -1 : 0;
  });
  let widest: { p: ParsedPool; entry: PoolEntry } | undefined;
  for (const cur of all) {
    const w = widest?.entry.range;
    if (w && w.family === cur.entry.range.family && cur.entry.range.first <= w.last) {
      const where = widest!.p === cur.p ? 'in this pool' : `of ${label(widest!.p.env, 'IPAddressPool')}`;
      cur.p.env.r.error(
        `spec.addresses[${cur.entry.index}]`,
        `"${cur.entry.text}" overlaps "${widest!.entry.text}" (spec.addresses[${widest!.entry.index}]) ${where}`,
      );
    }
    if (!w || w.family !== cur.entry.range.family || cur.entry.range.last > w.last) widest = cur;
  }
}

export interface ResolvedBgpAdvertisement {
  readonly parsed: ParsedBgpAdvertisement;
  readonly adv: BgpAdvertisement;
}

/** MetalLB `validateBGPAdvPerPool`: the aggregate must not be wider than a pool's own prefix. */
export function checkAggregationLengths(
  advs: readonly ResolvedBgpAdvertisement[],
  pools: ReadonlyMap<string, ParsedPool>,
): void {
  for (const { parsed, adv } of advs) {
    for (const poolName of adv.pools) {
      const pool = pools.get(poolName);
      for (const family of ['IPv4', 'IPv6'] as const) {
        const length = family === 'IPv4' ? adv.aggregationLength : adv.aggregationLengthV6;
        const entry = pool?.entries.find((e) => e.range.family === family && length < e.shortestPrefix);
        if (!entry) continue;
        parsed.env.r.error(
          family === 'IPv4' ? 'spec.aggregationLength' : 'spec.aggregationLengthV6',
          `${length} is invalid for IPAddressPool ${poolName}: prefix /${entry.shortestPrefix} of "${entry.text}" is more specific than the aggregation length (the aggregate would cover addresses outside the pool)`,
        );
      }
    }
  }
}

function familiesOf(pool: ParsedPool): { v4: boolean; v6: boolean } {
  return {
    v4: pool.entries.some((e) => e.range.family === 'IPv4'),
    v6: pool.entries.some((e) => e.range.family === 'IPv6'),
  };
}

/** MetalLB `isAggrLengthDifferent`: updates differ when every family the pool has is aggregated differently. */
function aggregationDiffers(a: BgpAdvertisement, b: BgpAdvertisement, pool: ParsedPool): boolean {
  const { v4, v6 } = familiesOf(pool);
  const d4 = a.aggregationLength !== b.aggregationLength;
  const d6 = a.aggregationLengthV6 !== b.aggregationLengthV6;
  if (!v4 && !v6) return true;
  if (v4 && v6) return d4 && d6;
  return v4 ? d4 : d6;
}

function localPrefCompatible(
  a: ResolvedBgpAdvertisement,
  b: ResolvedBgpAdvertisement,
  pool: ParsedPool,
  nodes: readonly NodeInfo[] | undefined,
): boolean {
  if (a.adv.localPref === b.adv.localPref || aggregationDiffers(a.adv, b.adv, pool)) return true;
  const pa = a.parsed.peerNames;
  const pb = b.parsed.peerNames;
  if (pa.length > 0 && pb.length > 0 && !pa.some((p) => pb.includes(p))) return true;
  return !selectorsShareNode(a.adv.nodeSelectors, b.adv.nodeSelectors, nodes);
}

/**
 * MetalLB `BGPAdvertisementsHaveCompatibleLocalPref`: two advertisements of one pool (both without
 * serviceSelectors) that produce the same update (aggregation), to a common peer, from a common node,
 * must agree on LOCAL_PREF. Reported once per pair, on the advertisement later in name order.
 */
export function checkLocalPrefConflicts(
  advs: readonly ResolvedBgpAdvertisement[],
  pools: ReadonlyMap<string, ParsedPool>,
  nodes: readonly NodeInfo[] | undefined,
): void {
  const reported = new Set<string>();
  for (const [poolName, pool] of pools) {
    const covering = advs.filter(
      (a) => a.adv.serviceSelectors.length === 0 && a.adv.pools.includes(poolName),
    );
    covering.forEach((b, j) => {
      for (const a of covering.slice(0, j)) {
        const key = `${a.adv.name}\u0000${b.adv.name}`;
        if (reported.has(key) || localPrefCompatible(a, b, pool, nodes)) continue;
        reported.add(key);
        b.parsed.env.r.error(
          'spec.localPref',
          `${b.adv.localPref} conflicts with localPref ${a.adv.localPref} of ${label(a.parsed.env, 'BGPAdvertisement')}: both advertise IPAddressPool ${poolName} with the same aggregation length to a common peer from a common node`,
        );
      }
    });
  }
}

function routerIdText(peer: BgpPeer): string {
  return peer.routerID ? formatIp(peer.routerID) : '(unset)';
}

/** MetalLB `checkFRRPeersCompatible`, for every pair of peers whose nodeSelectors share a node. */
export function checkPeersSharingNodes(
  peers: readonly ParsedPeer[],
  nodes: readonly NodeInfo[] | undefined,
): void {
  const valid = peers.filter((p): p is ParsedPeer & { peer: BgpPeer } => p.peer !== undefined);
  valid.forEach((q, j) => {
    for (const p of valid.slice(0, j)) {
      if (!selectorsShareNode(p.peer.nodeSelectors, q.peer.nodeSelectors, nodes)) continue;
      const other = label(p.env, 'BGPPeer');
      const r = q.env.r;
      if (routerIdText(p.peer) !== routerIdText(q.peer)) {
        r.error(
          'spec.routerID',
          `${routerIdText(q.peer)} differs from routerID ${routerIdText(p.peer)} of ${other}; peers that can run on the same node must use the same routerID`,
        );
      }
      if (p.peer.myASN !== q.peer.myASN) {
        r.error(
          'spec.myASN',
          `${q.peer.myASN} differs from myASN ${p.peer.myASN} of ${other}; peers that can run on the same node must use the same myASN`,
        );
      }
      if (ipEquals(p.peer.peerAddress, q.peer.peerAddress)) {
        r.error(
          'spec.peerAddress',
          `${formatIp(q.peer.peerAddress)} duplicates ${other}, which peers with the same address from a node this peer also selects`,
        );
      }
    }
  });
}

function echoProfile(peer: BgpPeer, profiles: ReadonlyMap<string, BfdProfile>): BfdProfile | undefined {
  const profile = peer.bfdProfile === undefined ? undefined : profiles.get(peer.bfdProfile);
  return profile?.echoMode ? profile : undefined;
}

/** BFD echo mode is IPv4-only: not on a session to an IPv6 peer, not for peers advertising IPv6 pools. */
export function checkBfdEcho(
  peers: readonly ParsedPeer[],
  advs: readonly ResolvedBgpAdvertisement[],
  pools: ReadonlyMap<string, ParsedPool>,
  profiles: ReadonlyMap<string, BfdProfile>,
): void {
  const byName = new Map(peers.flatMap((p) => (p.peer ? [[p.env.name, p.peer] as const] : [])));
  for (const { env, peer } of peers) {
    const profile = peer && echoProfile(peer, profiles);
    if (profile && peer.peerAddress.family === 'IPv6') {
      env.r.error(
        'spec.bfdProfile',
        `BFDProfile ${profile.name} has echoMode enabled, which is not supported on a session to an IPv6 peerAddress`,
      );
    }
  }
  for (const { parsed, adv } of advs) {
    const v6Pool = adv.pools.find((name) => pools.get(name)?.entries.some((e) => e.range.family === 'IPv6'));
    if (v6Pool === undefined) continue;
    for (const peerName of adv.peers) {
      const peer = byName.get(peerName);
      const profile = peer && echoProfile(peer, profiles);
      if (!profile) continue;
      parsed.env.r.error(
        'spec.peers',
        `announces IPv6 IPAddressPool ${v6Pool} to BGPPeer ${peerName}, whose BFDProfile ${profile.name} has echoMode enabled (echo mode is not supported for IPv6)`,
      );
    }
  }
}
