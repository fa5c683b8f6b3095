/**
 * Strategic merge patch (application/strategic-merge-patch+json) as kubectl sends it for built-in kinds:
 * maps merge recursively, `null` deletes, lists named in smp-meta.ts merge by key (or as sets for
 * primitives), every other list is replaced. Directives: `$patch: replace|delete|merge` (maps and list
 * elements), `$retainKeys`, `$setElementOrder/FIELD`, `$deleteFromPrimitiveList/FIELD`.
 * Limits: elements not named in `$setElementOrder` go after the ordered ones (the real server interleaves
 * them); merge keys come from a fixed table, not from Go struct tags.
 */
import { clone, isObject, jsonEqual, type Json, type JsonObject } from '../types.js';
import { listStrategy } from './smp-meta.js';

export class SmpError extends Error {
  override readonly name = 'SmpError';
}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const PATCH = '$patch';
const RETAIN = '$retainKeys';

function isDirectiveKey(k: string): boolean {
  return k === PATCH || k === RETAIN || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM);
}

/** A patch fragment with every directive removed (for `$patch: replace` and newly added elements). */
function strip(x: Json): Json {
  if (Array.isArray(x))
    return x.filter((e) => !(isObject(e) && PATCH in e && Object.keys(e).length === 1)).map(strip);
  if (!isObject(x)) return x;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(x)) if (!isDirectiveKey(k) && v !== null) out[k] = strip(v);
  return out;
}

class Merger {
  constructor(private readonly kind: string) {}

  map(original: JsonObject | undefined, patch: JsonObject, path: string): JsonObject | undefined {
    const directive = patch[PATCH];
    if (directive === 'delete') return undefined;
    if (directive === 'replace') return strip(patch) as JsonObject;
    if (directive !== undefined && directive !== 'merge')
      throw new SmpError(`unknown patch type: ${String(directive)}`);
    const result: JsonObject = original ? { ...original } : {};
    this.retainKeys(result, patch);
    for (const [k, v] of Object.entries(patch)) {
      if (isDirectiveKey(k)) continue;
      const child = path ? `${path}.${k}` : k;
      if (v === null) delete result[k];
      else if (isObject(v)) {
        const merged = this.map(isObject(result[k]) ? result[k] : undefined, v, child);
        if (merged === undefined) delete result[k];
        else result[k] = merged;
      } else if (Array.isArray(v)) result[k] = this.list(result[k], v, child);
      else result[k] = v;
    }
    this.primitiveDeletes(result, patch);
    this.elementOrder(result, patch, path);
    return result;
  }

  private retainKeys(result: JsonObject, patch: JsonObject): void {
    const keep = patch[RETAIN];
    if (keep === undefined) return;
    if (!Array.isArray(keep) || keep.some((k) => typeof k !== 'string')) {
      throw new SmpError('invalid patch: $retainKeys must be a list of strings');
    }
    for (const k of Object.keys(result)) if (!keep.includes(k)) delete result[k];
  }

  private primitiveDeletes(result: JsonObject, patch: JsonObject): void {
    for (const [k, v] of Object.entries(patch)) {
      if (!k.startsWith(DELETE_FROM)) continue;
      const field = k.slice(DELETE_FROM.length);
      if (!Array.isArray(v)) throw new SmpError(`invalid patch: ${k} must be a list`);
      const cur = result[field];
      if (Array.isArray(cur)) result[field] = cur.filter((e) => !v.some((d) => jsonEqual(d, e)));
    }
  }

  private elementOrder(result: JsonObject, patch: JsonObject, path: string): void {
    for (const [k, order] of Object.entries(patch)) {
      if (!k.startsWith(SET_ORDER)) continue;
      const field = k.slice(SET_ORDER.length);
      if (!Array.isArray(order)) throw new SmpError(`invalid patch: ${k} must be a list`);
      const cur = result[field];
      if (!Array.isArray(cur)) continue;
      const strategy = listStrategy(this.kind, path ? `${path}.${field}` : field);
      const keys = strategy && 'keys' in strategy ? strategy.keys : undefined;
      const rank = (e: Json): number => {
        const i = order.findIndex((o) =>
          keys && isObject(o) && isObject(e) ? this.matches(e, o, keys) : jsonEqual(o, e),
        );
        return i < 0 ? order.length : i;
      };
      result[field] = cur
        .map((e, i) => ({ e, i, r: rank(e) }))
        .sort((a, b) => a.r - b.r || a.i - b.i)
        .map((x) => x.e);
    }
  }

  /** Whether `candidate` is the element `patchElem` addresses: every merge key the patch names is equal. */
  private matches(candidate: JsonObject, patchElem: JsonObject, keys: readonly string[]): boolean {
    return keys.every((k) => !(k in patchElem) || jsonEqual(candidate[k], patchElem[k]));
  }

  list(original: Json | undefined, patch: Json[], path: string): Json {
    const strategy = listStrategy(this.kind, path);
    if (strategy === undefined) return strip(patch);
    const base = Array.isArray(original) ? original.map(clone) : [];
    if ('set' in strategy) {
      for (const v of patch) if (!base.some((e) => jsonEqual(e, v))) base.push(clone(v));
      return base;
    }
    if (patch.some((e) => isObject(e) && e[PATCH] === 'replace')) return strip(patch);
    const primary = strategy.keys[0]!;
    for (const elem of patch) {
      if (!isObject(elem)) throw new SmpError(`invalid patch: elements of ${path} must be objects`);
      if (!(primary in elem))
        throw new SmpError(`map: ${JSON.stringify(elem)} does not contain declared merge key: ${primary}`);
      if (elem[PATCH] === 'delete') {
        for (let i = base.length - 1; i >= 0; i--) {
          const cur = base[i];
          if (isObject(cur) && this.matches(cur, elem, strategy.keys)) base.splice(i, 1);
        }
        continue;
      }
      const idx = base.findIndex((cur) => isObject(cur) && this.matches(cur, elem, strategy.keys));
      const merged = this.map(idx >= 0 ? (base[idx] as JsonObject) : undefined, elem, `${path}[]`);
      if (merged === undefined) continue;
      if (idx >= 0) base[idx] = merged;
      else base.push(merged);
    }
    return base;
  }
}

/** Applies a strategic merge patch to `original` (an object of `kind`). Throws SmpError for bad patches. */
export function applyStrategicMergePatch(original: JsonObject, patch: Json, kind: string): JsonObject {
  if (!isObject(patch)) throw new SmpError('a strategic merge patch must be a JSON object');
  const result = new Merger(kind).map(clone(original), patch, '');
  if (result === undefined) throw new SmpError('a strategic merge patch may not delete the whole object');
  return result;
}
