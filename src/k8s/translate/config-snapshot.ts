/**
 * The parseConfig input from the informer caches: one ResourceSnapshot of plain JSON arrays, each
 * sorted by namespace/name so the same cache content always gives the same snapshot (and the same
 * error order). Secrets are limited to the MetalLB namespace (BGPPeer passwordSecret lives there);
 * metallb.io objects from other namespaces are passed on so parseConfig can reject them by name.
 */
import type { ResourceSnapshot } from '../../config/index.js';
import type { ObjectCache } from '../object-store.js';
import { objectKey, type KubeObject } from '../objects.js';

export interface ConfigCaches {
  readonly ipAddressPools: ObjectCache<KubeObject>;
  readonly l2Advertisements: ObjectCache<KubeObject>;
  readonly bgpAdvertisements: ObjectCache<KubeObject>;
  readonly bgpPeers: ObjectCache<KubeObject>;
  readonly bfdProfiles: ObjectCache<KubeObject>;
  readonly communities: ObjectCache<KubeObject>;
  /** Optional: without it BGPPeer password references cannot be resolved. */
  readonly secrets?: ObjectCache<KubeObject>;
  /** Optional: without it parseConfig assumes selector lists may share a node. */
  readonly nodes?: ObjectCache<KubeObject>;
}

/** The namespaced kinds whose informers feed ConfigCaches (in RESOURCES' spelling): what the apps watch. */
export const CONFIG_KINDS = [
  'ipAddressPools',
  'l2Advertisements',
  'bgpAdvertisements',
  'bgpPeers',
  'bfdProfiles',
  'communities',
  'secrets',
] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

function sorted(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => {
    const ka = objectKey(a);
    const kb = objectKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export function configSnapshotFromCache(caches: ConfigCaches, namespace: string): ResourceSnapshot {
  return {
    ipAddressPools: sorted(caches.ipAddressPools.list()),
    l2Advertisements: sorted(caches.l2Advertisements.list()),
    bgpAdvertisements: sorted(caches.bgpAdvertisements.list()),
    bgpPeers: sorted(caches.bgpPeers.list()),
    bfdProfiles: sorted(caches.bfdProfiles.list()),
    communities: sorted(caches.communities.list()),
    ...(caches.secrets === undefined ? {} : { secrets: sorted(caches.secrets.list(namespace)) }),
    ...(caches.nodes === undefined ? {} : { nodes: sorted(caches.nodes.list()) }),
  };
}
