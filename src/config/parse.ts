/**
 * parseConfig: one pure function from a snapshot of every metallb.io object to one validated, typed
 * Config, or to the list of every error found (MetalLB `config.For`, but collecting all errors instead of
 * stopping at the first). Order: Community aliases and BFD profiles first (others reference them), then
 * pools, peers and advertisements, then the cross-resource rules. Never throws, never mutates its input.
 */
import type { Community } from '../core/community.js';
import type { Pool } from '../core/pool.js';
import { parseBfdProfile } from './bfd.js';
import { parseBgpAdvertisement, resolveBgpAdvertisement } from './bgp-advertisements.js';
import { aliasTable, parseCommunityObject } from './communities.js';
import {
  checkAggregationLengths,
  checkBfdEcho,
  checkLocalPrefConflicts,
  checkPeersSharingNodes,
  checkPoolOverlaps,
  type ResolvedBgpAdvertisement,
} from './cross-checks.js';
import { Reporter, sortErrors, type Findings } from './errors.js';
import { describe, isRecord, type JsonObject } from './fields.js';
import { parseL2Advertisement, resolveL2 } from './l2.js';
import { uniqueByName, type ObjectEnvelope, type ParseContext } from './meta.js';
import { parseNodes } from './nodes.js';
import { parsePeer, type PeerContext } from './peers.js';
import { parsePool } from './pools.js';
import type { BgpPeer, Config, ConfigResult, ParseOptions, ResourceSnapshot } from './types.js';

const SNAPSHOT_LISTS = [
  'ipAddressPools',
  'l2Advertisements',
  'bgpAdvertisements',
  'bgpPeers',
  'bfdProfiles',
  'communities',
  'secrets',
  'nodes',
] as const;
type SnapshotList = (typeof SNAPSHOT_LISTS)[number];
type Lists = Record<SnapshotList, readonly unknown[] | undefined>;

function readLists(snapshot: unknown, options: ParseOptions, findings: Findings): Lists {
  const lists = Object.fromEntries(SNAPSHOT_LISTS.map((k) => [k, undefined])) as Lists;
  const r = new Reporter(findings, {
    kind: 'ResourceSnapshot',
    namespace: options.namespace,
    name: '<snapshot>',
  });
  if (!isRecord(snapshot)) {
    r.error('', `must be an object with lists of resources, got ${describe(snapshot)}`);
    return lists;
  }
  for (const key of SNAPSHOT_LISTS) {
    const value = snapshot[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) lists[key] = value;
    else r.error(key, `must be a list, got ${describe(value)}`);
  }
  return lists;
}

function collect<T extends { readonly env: ObjectEnvelope }>(
  list: readonly unknown[] | undefined,
  kind: string,
  parse: (raw: unknown, index: number) => T | undefined,
): T[] {
  const out: T[] = [];
  (list ?? []).forEach((raw, i) => {
    const parsed = parse(raw, i);
    if (parsed) out.push(parsed);
  });
  return uniqueByName(out, kind);
}

function secretIndex(list: readonly unknown[] | undefined, namespace: string): Map<string, JsonObject> {
  const index = new Map<string, JsonObject>();
  for (const raw of list ?? []) {
    if (!isRecord(raw) || !isRecord(raw.metadata)) continue;
    const { name, namespace: ns } = raw.metadata;
    const inNamespace = ns === undefined || ns === null || ns === '' || ns === namespace;
    if (typeof name === 'string' && inNamespace && !index.has(name)) index.set(name, raw);
  }
  return index;
}

export function parseConfig(snapshot: ResourceSnapshot, options: ParseOptions): ConfigResult {
  const findings: Findings = { errors: [], warnings: [] };
  const ctx: ParseContext = { options, findings };
  const lists = readLists(snapshot, options, findings);

  const communityObjects = collect(lists.communities, 'Community', (raw, i) =>
    parseCommunityObject(raw, i, ctx),
  );
  const aliases = aliasTable(communityObjects);
  const bfd = collect(lists.bfdProfiles, 'BFDProfile', (raw, i) => parseBfdProfile(raw, i, ctx));
  const bfdProfiles = new Map(bfd.map((b) => [b.env.name, b.profile]));
  const nodes = parseNodes(lists.nodes, ctx);
  const pools = collect(lists.ipAddressPools, 'IPAddressPool', (raw, i) => parsePool(raw, i, ctx));
  const peerCtx: PeerContext = {
    ...ctx,
    secrets: secretIndex(lists.secrets, options.namespace),
    bfdProfiles: new Set(bfdProfiles.keys()),
  };
  const peers = collect(lists.bgpPeers, 'BGPPeer', (raw, i) => parsePeer(raw, i, peerCtx));
  const l2 = collect(lists.l2Advertisements, 'L2Advertisement', (raw, i) =>
    parseL2Advertisement(raw, i, ctx),
  );
  const bgp = collect(lists.bgpAdvertisements, 'BGPAdvertisement', (raw, i) =>
    parseBgpAdvertisement(raw, i, { ...ctx, aliases }),
  );

  const poolMap = new Map<string, Pool>(pools.map((p) => [p.env.name, p.pool]));
  const parsedPools = new Map(pools.map((p) => [p.env.name, p]));
  const peerNames = new Set(peers.map((p) => p.env.name));
  const l2Advertisements = new Map(l2.map((a) => [a.env.name, resolveL2(a, poolMap)]));
  const resolved: ResolvedBgpAdvertisement[] = bgp.map((parsed) => ({
    parsed,
    adv: resolveBgpAdvertisement(parsed, poolMap, peerNames),
  }));

  checkPoolOverlaps(pools);
  checkAggregationLengths(resolved, parsedPools);
  checkLocalPrefConflicts(resolved, parsedPools, nodes);
  checkPeersSharingNodes(peers, nodes);
  checkBfdEcho(peers, resolved, parsedPools, bfdProfiles);

  if (findings.errors.length > 0) return { ok: false, errors: sortErrors(findings.errors) };
  const config: Config = {
    pools: poolMap,
    l2Advertisements,
    bgpAdvertisements: new Map(resolved.map(({ adv }) => [adv.name, adv])),
    bgpPeers: new Map(peers.flatMap((p) => (p.peer ? [[p.env.name, p.peer] as [string, BgpPeer]] : []))),
    bfdProfiles,
    communities: new Map<string, Community>(aliases),
  };
  return { ok: true, config, warnings: sortErrors(findings.warnings) };
}
