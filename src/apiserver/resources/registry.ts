/**
 * The table of served resources: built-ins plus one entry per served version of every registered CRD.
 * Answers lookups by group/version/resource, the storage a resource lives in, and the groups and
 * versions discovery lists (ordered by Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1).
 */
import { storageKey, type JsonObject, type ResourceDef } from '../types.js';
import { BUILTIN_RESOURCES, SHARED_STORAGE } from './builtin.js';
import { crdToResources } from './crd.js';

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kube-aware version order: GA before beta before alpha, higher numbers first, others last (lexical). */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = VERSION_RE.exec(v);
    if (!m) return [3, 0, 0];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const CRD_RESOURCE: ResourceDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  statusSubresource: true,
  storageVersion: 'v1',
  fieldSelectors: [],
  unconditionalUpdate: true,
  printerColumns: [{ name: 'Created At', type: 'string', jsonPath: '.metadata.creationTimestamp' }],
  custom: false,
};

export interface GroupInfo {
  readonly name: string;
  /** Versions, preferred first. */
  readonly versions: readonly string[];
}

export class ResourceRegistry {
  private readonly defs = new Map<string, ResourceDef>();

  constructor(builtin: readonly ResourceDef[] = [...BUILTIN_RESOURCES, CRD_RESOURCE]) {
    for (const d of builtin) this.defs.set(this.key(d.group, d.version, d.resource), d);
  }

  private key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  /** Registers (or replaces) the served versions of a CRD. Throws CrdError for a malformed CRD. */
  setCrd(crd: JsonObject): ResourceDef[] {
    const defs = crdToResources(crd);
    const first = defs[0];
    if (first) this.removeResource(first.group, first.resource);
    for (const d of defs) this.defs.set(this.key(d.group, d.version, d.resource), d);
    return defs;
  }

  removeResource(group: string, resource: string): void {
    for (const [k, d] of this.defs)
      if (d.group === group && d.resource === resource && d.custom) this.defs.delete(k);
  }

  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.defs.get(this.key(group, version, resource));
  }

  /** The storage key objects of `def` live under (shared for events.k8s.io Events). */
  storageOf(def: Pick<ResourceDef, 'group' | 'resource'>): string {
    const shared = SHARED_STORAGE.get(storageKey(def));
    return shared ? storageKey(shared) : storageKey(def);
  }

  /** The ResourceDef of the storage version of `def`. */
  storageDef(def: ResourceDef): ResourceDef {
    const shared = SHARED_STORAGE.get(storageKey(def));
    if (shared) return this.lookup(shared.group, 'v1', shared.resource) ?? def;
    return this.lookup(def.group, def.storageVersion, def.resource) ?? def;
  }

  all(): ResourceDef[] {
    return [...this.defs.values()];
  }

  /** Resources served at one group/version, sorted by name. */
  resourcesIn(group: string, version: string): ResourceDef[] {
    return this.all()
      .filter((d) => d.group === group && d.version === version)
      .sort((a, b) => (a.resource < b.resource ? -1 : 1));
  }

  /** Non-core groups with their versions, preferred version first, groups in registration order. */
  groups(): GroupInfo[] {
    const byGroup = new Map<string, Set<string>>();
    for (const d of this.defs.values()) {
      if (d.group === '') continue;
      const set = byGroup.get(d.group) ?? new Set<string>();
      set.add(d.version);
      byGroup.set(d.group, set);
    }
    return [...byGroup].map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }));
  }

  /** Every served group/version path: "api/v1", "apis/metallb.io/v1beta1", ... */
  groupVersionPaths(): string[] {
    return ['api/v1', ...this.groups().flatMap((g) => g.versions.map((v) => `apis/${g.name}/${v}`))];
  }
}
