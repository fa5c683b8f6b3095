/**
 * What a fresh (or restored) server contains before the first request: the CRDs from the CRD directory
 * (created or updated), MetalLB fallback CRDs for kinds whose manifests are missing, every stored CRD
 * registered, the standard namespaces, and the Service allocators primed with stored allocations.
 */
import { metallbFallbackCrds } from './resources/metallb.js';
import { CRD_RESOURCE } from './resources/registry.js';
import type { Engine, Scope } from './rest/engine.js';
import { CRD_STORAGE } from './rest/hooks.js';
import { create, replace } from './rest/write.js';
import { reserveService } from './strategies/service.js';
import { clone, jsonEqual, meta, metaString, type JsonObject, type ResourceDef } from './types.js';

export const STANDARD_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'metallb-system',
];

function internalScope(def: ResourceDef, name?: string): Scope {
  return {
    def,
    namespace: undefined,
    ...(name !== undefined ? { name } : {}),
    dryRun: false,
    fieldValidation: 'Ignore',
    warnings: [],
  };
}

function upsertCrd(engine: Engine, crd: JsonObject): void {
  const name = metaString(crd, 'name') ?? '';
  const existing = engine.store.get(CRD_STORAGE, '', name);
  if (!existing) {
    create(engine, internalScope(CRD_RESOURCE), clone(crd));
    return;
  }
  if (jsonEqual(existing.spec, crd.spec)) return;
  const next = clone(crd);
  meta(next).resourceVersion = metaString(existing, 'resourceVersion') ?? '';
  replace(engine, internalScope(CRD_RESOURCE, name), next, existing);
}

export function bootstrap(engine: Engine, crds: readonly JsonObject[]): void {
  for (const stored of engine.store.list(CRD_STORAGE)) engine.registry.setCrd(stored);
  for (const crd of crds) upsertCrd(engine, crd);
  const present = engine.store.list(CRD_STORAGE);
  for (const crd of metallbFallbackCrds(present)) upsertCrd(engine, crd);
  const nsDef = engine.registry.lookup('', 'v1', 'namespaces')!;
  for (const ns of STANDARD_NAMESPACES) {
    if (!engine.store.has('/namespaces', '', ns))
      create(engine, internalScope(nsDef), { metadata: { name: ns } });
  }
  for (const svc of engine.store.list('/services')) reserveService(svc, engine.allocators);
}
