/**
 * delete and deletecollection: DeleteOptions preconditions (uid, resourceVersion), finalizers (the object
 * gets deletionTimestamp and stays until its finalizers are removed), protected namespaces, dryRun, and
 * the cascades of hooks.ts (namespace contents, CRD instances, owner-reference garbage collection).
 */
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { finalizersOf, timestamp } from '../meta.js';
import { fromStorage } from '../strategies/conversion.js';
import { isObject, meta, metaString, type Json, type KubeObject } from '../types.js';
import { NAMESPACE_STORAGE, nsKey, requireName, storageOf, type Engine, type Scope } from './engine.js';
import { removeObject } from './hooks.js';
import { list, type ListOptions } from './read.js';

/** Namespaces the real server refuses to delete. */
export const PROTECTED_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

export interface DeleteResult {
  readonly object: KubeObject;
  /** False while finalizers keep the object (the response is then 202 Accepted). */
  readonly gone: boolean;
}

function checkPreconditions(scope: Scope, options: Json | undefined, current: KubeObject): void {
  if (options === undefined || options === null) return;
  if (!isObject(options)) throw badRequest('DeleteOptions must be a JSON object');
  const pre = options.preconditions;
  if (!isObject(pre)) return;
  const name = metaString(current, 'name') ?? '';
  const uid = metaString(current, 'uid');
  const rv = metaString(current, 'resourceVersion');
  if (typeof pre.uid === 'string' && pre.uid !== uid) {
    throw conflict(
      scope.def,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid ?? ''}`,
    );
  }
  if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== rv) {
    throw conflict(
      scope.def,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${rv ?? ''}`,
    );
  }
}

export function remove(engine: Engine, scope: Scope, options?: Json): DeleteResult {
  const name = requireName(scope);
  const storage = storageOf(engine, scope.def);
  const current = engine.store.get(storage, nsKey(scope), name);
  if (!current) throw notFound(scope.def, name);
  checkPreconditions(scope, options, current);
  if (storage === NAMESPACE_STORAGE && PROTECTED_NAMESPACES.has(name)) {
    throw forbidden(scope.def, name, 'this namespace may not be deleted');
  }
  if (finalizersOf(current).length > 0) {
    const m = meta(current);
    if (m.deletionTimestamp !== undefined || scope.dryRun)
      return { object: fromStorage(scope.def, current), gone: false };
    m.deletionTimestamp = timestamp(engine.ports.now());
    m.deletionGracePeriodSeconds = 0;
    m.generation = (typeof m.generation === 'number' ? m.generation : 1) + 1;
    return { object: fromStorage(scope.def, engine.store.update(storage, current)), gone: false };
  }
  if (scope.dryRun) return { object: fromStorage(scope.def, current), gone: true };
  return { object: fromStorage(scope.def, removeObject(engine, storage, current)), gone: true };
}

/** Deletes every object a list with `opts` returns; answers with the list of deleted objects. */
export function removeCollection(
  engine: Engine,
  scope: Scope,
  opts: ListOptions,
  options?: Json,
): KubeObject {
  const matched = list(engine, scope, opts);
  const items = (matched.items as KubeObject[]).map((o) => {
    const one: Scope = {
      ...scope,
      name: metaString(o, 'name') ?? '',
      namespace: metaString(o, 'namespace') ?? scope.namespace,
    };
    return remove(engine, one, options).object;
  });
  return { ...matched, items };
}
