/**
 * The path attribute table (BIRD's bgp_attr_table): type code -> { name, flags, RFC 7606 action, value
 * codec }. Adding an attribute is one spec file plus one row here. Types not in the table decode as
 * opaque 'unknown' attributes (GoBGP PathAttributeUnknown).
 */
import { AttrFlag, AttrType } from '../constants.js';
import { aggregatorAttribute, as4AggregatorAttribute, atomicAggregateAttribute } from './aggregator.js';
import { as4PathAttribute, asPathAttribute } from './as-path.js';
import { communitiesAttribute } from './communities.js';
import { extendedCommunitiesAttribute } from './extended-communities.js';
import { largeCommunitiesAttribute } from './large-communities.js';
import { localPrefAttribute, multiExitDiscAttribute } from './metric.js';
import { mpReachNlriAttribute, mpUnreachNlriAttribute } from './mp-nlri.js';
import { nextHopAttribute } from './next-hop.js';
import { originAttribute } from './origin.js';
import type { AttributeOf, AttributeSpec, KnownAttributeKind } from './spec.js';

export const ATTRIBUTE_SPECS: { readonly [K in KnownAttributeKind]: AttributeSpec<K> } = {
  origin: originAttribute,
  'as-path': asPathAttribute,
  'next-hop': nextHopAttribute,
  'multi-exit-disc': multiExitDiscAttribute,
  'local-pref': localPrefAttribute,
  'atomic-aggregate': atomicAggregateAttribute,
  aggregator: aggregatorAttribute,
  communities: communitiesAttribute,
  'mp-reach-nlri': mpReachNlriAttribute,
  'mp-unreach-nlri': mpUnreachNlriAttribute,
  'extended-communities': extendedCommunitiesAttribute,
  'as4-path': as4PathAttribute,
  'as4-aggregator': as4AggregatorAttribute,
  'large-communities': largeCommunitiesAttribute,
};

export type AnyAttributeSpec = AttributeSpec<KnownAttributeKind>;

const BY_CODE: ReadonlyMap<number, AnyAttributeSpec> = new Map(
  Object.values(ATTRIBUTE_SPECS).map((s) => [s.typeCode, s as AnyAttributeSpec]),
);

/** The spec for a type code, or undefined for a type bgp-ts-lite does not know. */
export function attributeSpecByCode(typeCode: number): AnyAttributeSpec | undefined {
  return BY_CODE.get(typeCode);
}

/** A known attribute of the model (anything but 'unknown'). */
export type KnownAttribute = AttributeOf<KnownAttributeKind>;

export function attributeSpecOf(v: KnownAttribute): AnyAttributeSpec {
  return ATTRIBUTE_SPECS[v.kind] as AnyAttributeSpec;
}

/** Flags used for an unknown attribute that carries none: optional transitive (it is passed on). */
export const UNKNOWN_ATTRIBUTE_FLAGS = AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE;

/** Type codes bgp-ts-lite decodes. */
export const KNOWN_ATTRIBUTE_CODES: ReadonlySet<number> = new Set(BY_CODE.keys());

/** The MP attributes, which RFC 7606 §5.1 puts first and §3(g) forbids to repeat. */
export function isMpAttributeCode(typeCode: number): boolean {
  return typeCode === AttrType.MP_REACH_NLRI || typeCode === AttrType.MP_UNREACH_NLRI;
}
