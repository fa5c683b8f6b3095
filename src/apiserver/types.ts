/**
 * Shared value types of the in-memory API server: JSON objects as they travel over the wire, the
 * description of one served resource (group, version, plural, kind, scope, subresources) and small JSON
 * helpers. Objects are plain JSON values; every layer copies before it mutates.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A Kubernetes object in JSON form (apiVersion, kind, metadata, then anything). */
export type KubeObject = JsonObject;

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

/** One served group/version/resource. Several versions of a resource share one storage (group+resource). */
export interface ResourceDef {
  readonly group: string;
  readonly version: string;
  /** Lower-case plural, as in the URL. */
  readonly resource: string;
  readonly kind: string;
  readonly listKind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** Whether a `/status` subresource exists (status is then ignored on the main resource). */
  readonly statusSubresource: boolean;
  /** The version objects are stored in; equal to `version` unless the resource is converted. */
  readonly storageVersion: string;
  /** Extra field-selector labels besides metadata.name and metadata.namespace. */
  readonly fieldSelectors: readonly string[];
  /** Whether PUT without metadata.resourceVersion is allowed (core types yes, custom resources no). */
  readonly unconditionalUpdate: boolean;
  /** OpenAPI v3 schema of the whole object; undefined means "anything goes". */
  readonly schema?: JsonObject;
  readonly printerColumns: readonly PrinterColumn[];
  /** True for custom resources (CRD-backed): merge patch only, schema pruning and defaulting. */
  readonly custom: boolean;
}

/** The key of a storage: group and resource, independent of version ("" group is core). */
export function storageKey(def: Pick<ResourceDef, 'group' | 'resource'>): string {
  return `${def.group}/${def.resource}`;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** "services" for core, "ipaddresspools.metallb.io" otherwise, as API error messages name resources. */
export function qualifiedResource(def: Pick<ResourceDef, 'group' | 'resource'>): string {
  return def.group === '' ? def.resource : `${def.resource}.${def.group}`;
}

export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function clone<T extends Json>(x: T): T {
  return structuredClone(x);
}

/** metadata of an object, created when missing. */
export function meta(obj: KubeObject): JsonObject {
  const m = obj.metadata;
  if (isObject(m)) return m;
  const fresh: JsonObject = {};
  obj.metadata = fresh;
  return fresh;
}

export function metaString(obj: KubeObject, field: string): string | undefined {
  const m = obj.metadata;
  if (!isObject(m)) return undefined;
  const v = m[field];
  return typeof v === 'string' ? v : undefined;
}

export function stringMap(x: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(x)) return out;
  for (const [k, v] of Object.entries(x)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
