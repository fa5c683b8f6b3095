/**
 * How a list at a path merges, for both strategic merge patch and server-side apply: built-in kinds use
 * the smp-meta table; custom resources use their schema's x-kubernetes-list-type (map with
 * x-kubernetes-list-map-keys, or set). Anything else is atomic.
 */
import { isObject, type JsonObject, type ResourceDef } from '../types.js';
import { listStrategy, type ListStrategy } from './smp-meta.js';

function schemaAt(schema: JsonObject, path: string): JsonObject | undefined {
  let cur: JsonObject | undefined = schema;
  for (const raw of path.split('.')) {
    const isItem = raw.endsWith('[]');
    const field = isItem ? raw.slice(0, -2) : raw;
    const props: JsonObject | undefined = cur && isObject(cur.properties) ? cur.properties : undefined;
    const next: JsonObject[string] | undefined = props?.[field];
    cur = isObject(next) ? next : undefined;
    if (cur && isItem) cur = isObject(cur.items) ? cur.items : undefined;
    if (!cur) return undefined;
  }
  return cur;
}

/** The merge strategy of the list at `path` ("spec.ports", "spec.containers[].env") in objects of `def`. */
export function listStrategyFor(def: ResourceDef, path: string): ListStrategy | undefined {
  if (!def.custom) return listStrategy(def.kind, path);
  if (path === 'metadata.finalizers') return { set: true };
  if (path === 'metadata.ownerReferences') return { keys: ['uid'] };
  const s = def.schema ? schemaAt(def.schema, path) : undefined;
  if (!s) return undefined;
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') return { set: true };
  const keys = s['x-kubernetes-list-map-keys'];
  if (type === 'map' && Array.isArray(keys) && keys.length > 0) return { keys: keys.map(String) };
  return undefined;
}
