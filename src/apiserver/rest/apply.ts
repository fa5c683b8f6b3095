/**
 * Server-side apply (application/apply-patch+yaml), a documented subset: the applied configuration is
 * merged into the live object (maps recursively, keyed lists by key, sets as unions, other lists
 * replaced); each field manager's applied fields are recorded in metadata.managedFields (FieldsV1), so a
 * later apply by the same manager removes the fields it applied before and no longer applies, unless
 * another Apply manager also applied them. Not implemented: conflict detection (force is accepted and
 * conflicts are never reported) and ownership of fields written by Update operations.
 */
import { badRequest } from '../errors.js';
import { timestamp } from '../meta.js';
import { listStrategyFor } from '../patch/list-types.js';
import {
  apiVersionOf,
  clone,
  isObject,
  jsonEqual,
  meta,
  type Json,
  type JsonObject,
  type KubeObject,
  type ResourceDef,
} from '../types.js';

type Seg = string; // "f:name", "k:{...}", "v:..." as in FieldsV1

const SKIP_META = new Set([
  'name',
  'namespace',
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

function keyOf(elem: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (elem[k] !== undefined) out[k] = elem[k]!;
  return out;
}

/** Leaf paths of an applied configuration, each a list of FieldsV1 segments. */
function leaves(def: ResourceDef, value: Json, path: string, segs: Seg[], out: Seg[][], root = false): void {
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([k]) => !(root && (k === 'apiVersion' || k === 'kind')));
    if (entries.length === 0 && !root) out.push(segs);
    for (const [k, v] of entries) {
      if (path === 'metadata' && SKIP_META.has(k)) continue;
      leaves(def, v, path ? `${path}.${k}` : k, [...segs, `f:${k}`], out);
    }
    return;
  }
  if (Array.isArray(value)) {
    const strategy = listStrategyFor(def, path);
    if (strategy && 'set' in strategy) for (const v of value) out.push([...segs, `v:${JSON.stringify(v)}`]);
    else if (strategy) {
      for (const e of value)
        if (isObject(e))
          leaves(def, e, `${path}[]`, [...segs, `k:${JSON.stringify(keyOf(e, strategy.keys))}`], out);
    } else out.push(segs);
    return;
  }
  out.push(segs);
}

function toFieldsV1(paths: readonly Seg[][]): JsonObject {
  const root: JsonObject = {};
  for (const p of paths) {
    let cur = root;
    for (const s of p) {
      if (!isObject(cur[s])) cur[s] = {};
      cur = cur[s] as JsonObject;
    }
  }
  return root;
}

function fromFieldsV1(tree: Json | undefined, prefix: Seg[] = [], out: Seg[][] = []): Seg[][] {
  if (!isObject(tree)) return out;
  const children = Object.keys(tree).filter((k) => k !== '.');
  if (children.length === 0 && prefix.length > 0) out.push(prefix);
  for (const k of children) fromFieldsV1(tree[k], [...prefix, k], out);
  return out;
}

function findElem(list: Json[], seg: Seg): number {
  if (seg.startsWith('v:')) {
    const v = JSON.parse(seg.slice(2)) as Json;
    return list.findIndex((e) => jsonEqual(e, v));
  }
  const key = JSON.parse(seg.slice(2)) as JsonObject;
  return list.findIndex((e) => isObject(e) && Object.entries(key).every(([k, v]) => jsonEqual(e[k], v)));
}

/** Removes the value at a FieldsV1 path, if present. */
function removePath(obj: JsonObject, segs: readonly Seg[]): void {
  let cur: Json = obj;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg.startsWith('f:') && isObject(cur)) {
      const k = seg.slice(2);
      if (last) delete cur[k];
      else cur = cur[k] ?? null;
    } else if (Array.isArray(cur)) {
      const idx = findElem(cur, seg);
      if (idx < 0) return;
      if (last) cur.splice(idx, 1);
      else cur = cur[idx]!;
    } else return;
  }
}

/** Every proper prefix of the given paths, as JSON keys. */
function prefixes(paths: readonly Seg[][]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) for (let n = 1; n <= p.length; n++) out.add(JSON.stringify(p.slice(0, n)));
  return out;
}

/** Whether the value at a FieldsV1 path is an empty map or list (a leftover of removed fields). */
function isEmptyAt(obj: JsonObject, segs: readonly Seg[]): boolean {
  let cur: Json | undefined = obj;
  for (const seg of segs) {
    if (seg.startsWith('f:') && isObject(cur)) cur = cur[seg.slice(2)];
    else if (Array.isArray(cur)) cur = cur[findElem(cur, seg)];
    else return false;
  }
  return (isObject(cur) && Object.keys(cur).length === 0) || (Array.isArray(cur) && cur.length === 0);
}

function mergeInto(def: ResourceDef, target: Json | undefined, applied: Json, path: string): Json {
  if (isObject(applied)) {
    const out: JsonObject = isObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeInto(def, out[k], v, path ? `${path}.${k}` : k);
    }
    return out;
  }
  if (!Array.isArray(applied)) return clone(applied);
  const strategy = listStrategyFor(def, path);
  const base = Array.isArray(target) ? target.map(clone) : [];
  if (!strategy) return clone(applied);
  if ('set' in strategy) return [...base, ...applied.filter((v) => !base.some((b) => jsonEqual(b, v)))];
  for (const e of applied) {
    if (!isObject(e)) continue;
    const idx = findElem(base, `k:${JSON.stringify(keyOf(e, strategy.keys))}`);
    if (idx >= 0) base[idx] = mergeInto(def, base[idx], e, `${path}[]`);
    else base.push(clone(e));
  }
  return base;
}

interface ManagedEntry extends JsonObject {
  manager: string;
  operation: string;
}

function managedEntries(obj: KubeObject): ManagedEntry[] {
  const mf = meta(obj).managedFields;
  return Array.isArray(mf)
    ? (mf.filter((e) => isObject(e) && typeof e.manager === 'string') as ManagedEntry[])
    : [];
}

/**
 * The object that results from applying `config` as `manager` over `live` (undefined when it does not
 * exist yet), with managedFields updated. `now` stamps the managedFields entry.
 */
export function applyConfiguration(
  def: ResourceDef,
  live: KubeObject | undefined,
  config: KubeObject,
  manager: string,
  now: Date,
): KubeObject {
  if (manager === '') throw badRequest('fieldManager is required for apply requests');
  const applied: Seg[][] = [];
  leaves(def, config, '', [], applied, true);
  const appliedKeys = new Set(applied.map((p) => JSON.stringify(p)));
  let result: JsonObject = live ? clone(live) : {};
  const entries = live ? managedEntries(live) : [];
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const othersOwn = new Set(
    entries
      .filter((e) => e.operation === 'Apply' && e.manager !== manager)
      .flatMap((e) => fromFieldsV1(e.fieldsV1))
      .map((p) => JSON.stringify(p)),
  );
  const kept = prefixes([...applied, ...[...othersOwn].map((k) => JSON.parse(k) as Seg[])]);
  for (const p of fromFieldsV1(previous?.fieldsV1)) {
    const k = JSON.stringify(p);
    if (appliedKeys.has(k) || othersOwn.has(k)) continue;
    removePath(result, p);
    for (let n = p.length - 1; n > 0; n--) {
      const parent = p.slice(0, n);
      if (kept.has(JSON.stringify(parent)) || !isEmptyAt(result, parent)) break;
      removePath(result, parent);
    }
  }
  result = mergeInto(def, result, config, '') as JsonObject;
  const entry: ManagedEntry = {
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(def),
    time: timestamp(now),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(applied),
  };
  meta(result).managedFields = [
    ...entries.filter((e) => !(e.manager === manager && e.operation === 'Apply')),
    entry,
  ];
  return result;
}
