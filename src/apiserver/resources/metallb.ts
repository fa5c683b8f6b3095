/**
 * Fallback definitions of MetalLB's CRDs (group metallb.io), used for every kind whose CRD manifest is
 * missing from the CRD directory. They carry MetalLB's names, scope, versions (BGPPeer: v1beta1 served,
 * v1beta2 storage) and status subresources, with a permissive schema (x-kubernetes-preserve-unknown-fields).
 */
import type { JsonObject } from '../types.js';

export const METALLB_GROUP = 'metallb.io';

interface Kind {
  readonly kind: string;
  readonly plural: string;
  readonly versions: readonly string[];
  readonly storage: string;
}

const KINDS: readonly Kind[] = [
  { kind: 'IPAddressPool', plural: 'ipaddresspools', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'L2Advertisement', plural: 'l2advertisements', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'BGPAdvertisement', plural: 'bgpadvertisements', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'BGPPeer', plural: 'bgppeers', versions: ['v1beta1', 'v1beta2'], storage: 'v1beta2' },
  { kind: 'BFDProfile', plural: 'bfdprofiles', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'Community', plural: 'communities', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'ServiceL2Status', plural: 'servicel2statuses', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'ServiceBGPStatus', plural: 'servicebgpstatuses', versions: ['v1beta1'], storage: 'v1beta1' },
  { kind: 'ConfigurationState', plural: 'configurationstates', versions: ['v1beta1'], storage: 'v1beta1' },
];

const PERMISSIVE: JsonObject = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

function fallbackCrd(k: Kind): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${METALLB_GROUP}` },
    spec: {
      group: METALLB_GROUP,
      names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.kind.toLowerCase() },
      scope: 'Namespaced',
      versions: k.versions.map((v) => ({
        name: v,
        served: true,
        storage: v === k.storage,
        subresources: { status: {} },
        schema: { openAPIV3Schema: structuredClone(PERMISSIVE) },
      })),
    },
  };
}

/** Fallback CRDs for the MetalLB kinds not present in `loaded` (matched by CRD name plural.group). */
export function metallbFallbackCrds(loaded: readonly JsonObject[]): JsonObject[] {
  const have = new Set(
    loaded.map((c) => {
      const spec = c.spec as { group?: unknown; names?: { plural?: unknown } } | undefined;
      return `${String(spec?.names?.plural)}.${String(spec?.group)}`;
    }),
  );
  return KINDS.filter((k) => !have.has(`${k.plural}.${METALLB_GROUP}`)).map(fallbackCrd);
}
