/**
 * Strategic-merge-patch metadata for the built-in kinds: which lists merge by key (patchMergeKey, with the
 * extra listMapKeys that disambiguate, e.g. Service ports by port and protocol) and which primitive lists
 * merge as sets (patchStrategy=merge). Lists not named here are atomic (replaced). Paths use "." between
 * fields and "[]" for "every list element", from the object root.
 */

export type ListStrategy = { readonly keys: readonly string[] } | { readonly set: true };

const COMMON: Record<string, ListStrategy> = {
  'metadata.ownerReferences': { keys: ['uid'] },
  'metadata.finalizers': { set: true },
};

const CONTAINER: Record<string, ListStrategy> = {
  ports: { keys: ['containerPort', 'protocol'] },
  env: { keys: ['name'] },
  volumeMounts: { keys: ['mountPath'] },
  volumeDevices: { keys: ['devicePath'] },
  resizePolicy: { keys: ['resourceName'] },
};

function containerLists(prefix: string): Record<string, ListStrategy> {
  return Object.fromEntries(Object.entries(CONTAINER).map(([k, v]) => [`${prefix}[].${k}`, v]));
}

const POD_SPEC: Record<string, ListStrategy> = {
  containers: { keys: ['name'] },
  initContainers: { keys: ['name'] },
  ephemeralContainers: { keys: ['name'] },
  volumes: { keys: ['name'] },
  imagePullSecrets: { keys: ['name'] },
  hostAliases: { keys: ['ip'] },
  ...containerLists('containers'),
  ...containerLists('initContainers'),
  ...containerLists('ephemeralContainers'),
};

function prefixed(prefix: string, table: Record<string, ListStrategy>): Record<string, ListStrategy> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}.${k}`, v]));
}

const CONDITIONS: ListStrategy = { keys: ['type'] };

const BY_KIND: Record<string, Record<string, ListStrategy>> = {
  Service: {
    'spec.ports': { keys: ['port', 'protocol'] },
    'status.conditions': CONDITIONS,
  },
  Node: {
    'spec.podCIDRs': { set: true },
    'status.addresses': { keys: ['type'] },
    'status.conditions': CONDITIONS,
  },
  Pod: {
    ...prefixed('spec', POD_SPEC),
    'status.conditions': CONDITIONS,
    'status.podIPs': { keys: ['ip'] },
    'status.hostIPs': { keys: ['ip'] },
  },
  Namespace: { 'status.conditions': CONDITIONS },
};

/** The merge strategy of the list at `path` in an object of `kind`, or undefined when it is atomic. */
export function listStrategy(kind: string, path: string): ListStrategy | undefined {
  return COMMON[path] ?? BY_KIND[kind]?.[path];
}

/** Kinds with strategic-merge metadata (every built-in kind accepts strategic merge patch). */
export function knownSmpKinds(): string[] {
  return Object.keys(BY_KIND);
}
