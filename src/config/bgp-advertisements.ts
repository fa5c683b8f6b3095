/**
 * BGPAdvertisement (metallb.io/v1beta1): aggregationLength (1..32, default 32), aggregationLengthV6
 * (0..128, default 128), localPref (uint32), communities (values, well-known names or Community aliases,
 * resolved to numbers), ipAddressPools, ipAddressPoolSelectors, peers, nodeSelectors, serviceSelectors.
 * Pool and peer references are resolved by parse.ts; the checks that need pools (aggregation length vs
 * pool prefixes, LOCAL_PREF conflicts) are in cross-checks.ts.
 */
import { compareCommunities, type Community } from '../core/community.js';
import type { Pool } from '../core/pool.js';
import { resolveCommunity } from './communities.js';
import type { Reporter } from './errors.js';
import { checkFields, readInt, readStringList, type JsonObject } from './fields.js';
import { readPoolRefs } from './l2.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import { UINT32_MAX } from './peers.js';
import { resolvePeers, resolvePools, type PoolRefs } from './references.js';
import { readSelectorList } from './selectors.js';
import type { BgpAdvertisement } from './types.js';

const SPEC_FIELDS = [
  'aggregationLength',
  'aggregationLengthV6',
  'localPref',
  'communities',
  'ipAddressPools',
  'ipAddressPoolSelectors',
  'peers',
  'nodeSelectors',
  'serviceSelectors',
];
export const DEFAULT_AGGREGATION_LENGTH = 32;
export const DEFAULT_AGGREGATION_LENGTH_V6 = 128;

export interface ParsedBgpAdvertisement {
  readonly env: ObjectEnvelope;
  readonly poolRefs: PoolRefs;
  readonly peerNames: readonly string[];
  readonly advertisement: Omit<BgpAdvertisement, 'pools' | 'peers'>;
}

export interface AdvertisementContext extends ParseContext {
  readonly aliases: ReadonlyMap<string, Community>;
}

function readCommunities(
  spec: JsonObject,
  aliases: ReadonlyMap<string, Community>,
  r: Reporter,
): Community[] {
  const texts = readStringList(spec, 'communities', 'spec', r, 'community');
  const byKey = new Map<string, Community>();
  texts.forEach((text, i) => {
    const c = resolveCommunity(text, aliases, `spec.communities[${i}]`, r);
    if (c) byKey.set(JSON.stringify(c), c);
  });
  return [...byKey.values()].sort(compareCommunities);
}

function checkServiceSelectors(spec: JsonObject, hasServiceSelectors: boolean, r: Reporter): void {
  if (!hasServiceSelectors) return;
  const v4 = spec.aggregationLength;
  const v6 = spec.aggregationLengthV6;
  if (
    (typeof v4 === 'number' && v4 !== DEFAULT_AGGREGATION_LENGTH) ||
    (typeof v6 === 'number' && v6 !== DEFAULT_AGGREGATION_LENGTH_V6)
  ) {
    r.error(
      'spec.serviceSelectors',
      `cannot be combined with a non-default aggregation length; serviceSelectors need aggregationLength ${DEFAULT_AGGREGATION_LENGTH} and aggregationLengthV6 ${DEFAULT_AGGREGATION_LENGTH_V6}`,
    );
  }
}

export function parseBgpAdvertisement(
  raw: unknown,
  index: number,
  ctx: AdvertisementContext,
): ParsedBgpAdvertisement | undefined {
  const env = readEnvelope(raw, index, 'BGPAdvertisement', ctx);
  if (!env) return undefined;
  const { r, spec } = env;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const aggregationLength =
    readInt(spec, 'aggregationLength', 'spec', r, 1, 32) ?? DEFAULT_AGGREGATION_LENGTH;
  const aggregationLengthV6 =
    readInt(spec, 'aggregationLengthV6', 'spec', r, 0, 128) ?? DEFAULT_AGGREGATION_LENGTH_V6;
  const localPref = readInt(spec, 'localPref', 'spec', r, 0, UINT32_MAX) ?? 0;
  const communities = readCommunities(spec, ctx.aliases, r);
  const poolRefs = readPoolRefs(spec, r);
  const peerNames = readStringList(spec, 'peers', 'spec', r, 'peer');
  const nodeSelectors = readSelectorList(spec, 'nodeSelectors', 'spec', r);
  const serviceSelectors = readSelectorList(spec, 'serviceSelectors', 'spec', r);
  checkServiceSelectors(spec, serviceSelectors.length > 0, r);
  const advertisement = {
    name: env.name,
    aggregationLength,
    aggregationLengthV6,
    localPref,
    communities,
    nodeSelectors,
    serviceSelectors,
  };
  return { env, poolRefs, peerNames, advertisement };
}

export function resolveBgpAdvertisement(
  parsed: ParsedBgpAdvertisement,
  pools: ReadonlyMap<string, Pool>,
  peers: ReadonlySet<string>,
): BgpAdvertisement {
  return {
    ...parsed.advertisement,
    pools: resolvePools(parsed.poolRefs, pools, parsed.env.r),
    peers: resolvePeers(parsed.peerNames, peers, parsed.env.r),
  };
}
