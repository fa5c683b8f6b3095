// A deterministic in-memory engine for unit tests: fixed clock, counting UIDs, a seeded random source,
// the standard namespaces and the MetalLB fallback CRDs (plus any CRDs a test passes).
import { bootstrap } from '../../../src/apiserver/bootstrap.js';
import { ResourceRegistry } from '../../../src/apiserver/resources/registry.js';
import type { Engine, FieldValidation, Scope } from '../../../src/apiserver/rest/engine.js';
import { Store } from '../../../src/apiserver/store.js';
import { ServiceAllocators } from '../../../src/apiserver/strategies/allocators.js';
import type { JsonObject, KubeObject } from '../../../src/apiserver/types.js';

export const NOW = new Date('2025-01-02T03:04:05.678Z');

export interface FixtureOptions {
  readonly crds?: readonly JsonObject[];
  readonly window?: number;
  readonly serviceCidrs?: readonly string[];
}

export function makeEngine(opts: FixtureOptions = {}): Engine {
  let uid = 0;
  let seed = 1;
  const engine: Engine = {
    registry: new ResourceRegistry(),
    store: new Store(opts.window ?? 1000),
    allocators: new ServiceAllocators(opts.serviceCidrs),
    ports: {
      now: () => NOW,
      uid: () => `uid-${++uid}`,
      random: () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      },
    },
  };
  bootstrap(engine, opts.crds ?? []);
  return engine;
}

export interface ScopeOptions {
  readonly namespace?: string;
  readonly name?: string;
  readonly status?: boolean;
  readonly dryRun?: boolean;
  readonly fieldValidation?: FieldValidation;
  readonly fieldManager?: string;
}

/** A request scope for group/version/resource (core group is ""). */
export function scope(engine: Engine, gvr: string, o: ScopeOptions = {}): Scope {
  const [group, version, resource] = gvr.split('/') as [string, string, string];
  const def = engine.registry.lookup(group, version, resource);
  if (!def) throw new Error(`test fixture: ${gvr} is not served`);
  return {
    def,
    namespace: def.namespaced ? (o.namespace ?? 'default') : undefined,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.status ? { subresource: 'status' as const } : {}),
    dryRun: o.dryRun ?? false,
    fieldValidation: o.fieldValidation ?? 'Strict',
    ...(o.fieldManager !== undefined ? { fieldManager: o.fieldManager } : {}),
    warnings: [],
  };
}

export const CORE = (resource: string) => `/v1/${resource}`;

export function metaOf(o: KubeObject): JsonObject {
  return o.metadata as JsonObject;
}

/** Runs `f` and returns the ApiError-like object it throws (fails the test when nothing is thrown). */
export function thrown(f: () => unknown): {
  code: number;
  reason: string;
  message: string;
  toStatus(): JsonObject;
} {
  try {
    f();
  } catch (err) {
    return err as { code: number; reason: string; message: string; toStatus(): JsonObject };
  }
  throw new Error('expected an error, none was thrown');
}
