/**
 * The shared state and helpers of the REST operations: registry, store, allocators and injected ports,
 * plus the per-request scope (resource, namespace, name, subresource, dryRun, fieldValidation) and the
 * checks every verb repeats (namespace exists, body kind/apiVersion/namespace match the URL).
 */
import { badRequest, notFound, type FieldError } from '../errors.js';
import type { MetaPorts } from '../meta.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Store } from '../store.js';
import type { ServiceAllocators } from '../strategies/allocators.js';
import { apiVersionOf, isObject, meta, type Json, type KubeObject, type ResourceDef } from '../types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Engine {
  readonly registry: ResourceRegistry;
  readonly store: Store;
  readonly allocators: ServiceAllocators;
  readonly ports: MetaPorts;
}

export interface Scope {
  /** The served resource (its version is the one the client speaks). */
  readonly def: ResourceDef;
  /** The request's namespace; undefined for cluster-scoped resources and all-namespace lists. */
  readonly namespace: string | undefined;
  readonly name?: string;
  readonly subresource?: 'status';
  readonly dryRun: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation: FieldValidation;
  /** Warnings for the response's Warning headers. */
  readonly warnings: string[];
}

export const NAMESPACES = { group: '', resource: 'namespaces' } as const;
export const NAMESPACE_STORAGE = '/namespaces';

export function storageOf(engine: Engine, def: ResourceDef): string {
  return engine.registry.storageOf(def);
}

/** The namespace key objects of `def` are stored under ("" for cluster-scoped resources). */
export function nsKey(scope: Scope): string {
  return scope.def.namespaced ? (scope.namespace ?? '') : '';
}

export function requireName(scope: Scope): string {
  if (scope.name === undefined) throw badRequest('a resource name is required for this request');
  return scope.name;
}

/** 404 for writes into a namespace that does not exist (the NamespaceLifecycle admission plugin). */
export function requireNamespace(engine: Engine, scope: Scope): void {
  if (!scope.def.namespaced) return;
  const ns = scope.namespace;
  if (ns === undefined || ns === '') throw badRequest('a namespace is required for namespaced resources');
  if (!engine.store.has(NAMESPACE_STORAGE, '', ns)) throw notFound(NAMESPACES, ns);
}

/** Checks the body's kind, apiVersion and namespace against the URL; fills in missing kind/apiVersion. */
export function checkBody(scope: Scope, body: Json | undefined): KubeObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const want = apiVersionOf(scope.def);
  if (body.apiVersion !== undefined && body.apiVersion !== want) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`,
    );
  }
  if (body.kind !== undefined && body.kind !== scope.def.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${scope.def.kind})`,
    );
  }
  body.apiVersion = want;
  body.kind = scope.def.kind;
  const m = meta(body);
  if (
    scope.def.namespaced &&
    m.namespace !== undefined &&
    m.namespace !== '' &&
    m.namespace !== scope.namespace
  ) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (scope.name !== undefined && m.name !== undefined && m.name !== scope.name) {
    throw badRequest(
      `the name of the object (${String(m.name)}) does not match the name on the URL (${scope.name})`,
    );
  }
  return body;
}

export function resourceVersionOf(obj: KubeObject): string | undefined {
  const rv = meta(obj).resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

export function rvRequired(): FieldError {
  return {
    type: 'FieldValueInvalid',
    field: 'metadata.resourceVersion',
    value: '0x0',
    detail: 'must be specified for an update',
  };
}
