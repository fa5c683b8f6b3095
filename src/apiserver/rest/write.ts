/**
 * create and update (PUT, including the /status subresource) with the real apiserver's semantics:
 * conversion to the storage version, schema pruning/defaulting/validation, ObjectMeta rules, per-resource
 * strategies (Service allocation), optimistic concurrency on resourceVersion, status kept apart from
 * the main resource, finalizers (removing the last one from a deleting object deletes it), no-op
 * updates that change nothing (no new resourceVersion, no watch event), and dryRun.
 */
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  type FieldError,
} from '../errors.js';
import { carryUpdateMeta, finalizersOf, initCreateMeta, validateMeta } from '../meta.js';
import { checkObject } from '../schema/check.js';
import { AllocationTxn } from '../strategies/allocators.js';
import { fromStorage, toStorage } from '../strategies/conversion.js';
import { strategyFor } from '../strategies/index.js';
import { clone, jsonEqual, meta, metaString, type Json, type KubeObject } from '../types.js';
import {
  checkBody,
  nsKey,
  requireName,
  requireNamespace,
  resourceVersionOf,
  rvRequired,
  storageOf,
  type Engine,
  type Scope,
} from './engine.js';
import { afterCrdWrite, CRD_STORAGE, prepareCrd, removeObject } from './hooks.js';

export interface WriteResult {
  readonly object: KubeObject;
  readonly created: boolean;
}

function fail(scope: Scope, name: string, errors: readonly FieldError[], txn: AllocationTxn): never {
  txn.rollback();
  throw invalid(scope.def, name, errors);
}

/** Schema + ObjectMeta checks, returning the (pruned, defaulted) object or throwing Invalid. */
function checked(engine: Engine, scope: Scope, obj: KubeObject): KubeObject {
  const storageDef = engine.registry.storageDef(scope.def);
  const { object, errors } = checkObject(scope.def, obj, scope.fieldValidation, scope.warnings);
  const all = [...errors, ...validateMeta(storageDef, object)];
  if (all.length > 0) throw invalid(scope.def, metaString(object, 'name') ?? '', all);
  return object;
}

export function create(engine: Engine, scope: Scope, body: Json | undefined): WriteResult {
  requireNamespace(engine, scope);
  const input = checkBody({ ...scope, name: undefined }, body);
  if (resourceVersionOf(input) !== undefined) {
    throw badRequest('resourceVersion should not be set on objects to be created');
  }
  initCreateMeta(input, scope.def.namespaced ? scope.namespace : undefined, engine.ports);
  const storage = storageOf(engine, scope.def);
  const storageDef = engine.registry.storageDef(scope.def);
  let obj = toStorage(scope.def, storageDef, checked(engine, scope, input));
  const strategy = strategyFor(storage);
  if (scope.def.statusSubresource && !strategy.keepStatusOnCreate) delete obj.status;
  const name = metaString(obj, 'name') ?? '';
  if (engine.store.has(storage, nsKey(scope), name)) throw alreadyExists(scope.def, name);
  if (storage === CRD_STORAGE) prepareCrd(obj, true);
  const txn = new AllocationTxn();
  const errors = strategy.prepareCreate?.(obj, { allocators: engine.allocators, txn }) ?? [];
  if (errors.length > 0) fail(scope, name, errors, txn);
  if (scope.dryRun) {
    txn.rollback();
    return { object: fromStorage(scope.def, obj), created: true };
  }
  obj = engine.store.create(storage, obj);
  txn.commit();
  if (storage === CRD_STORAGE) afterCrdWrite(engine, obj);
  return { object: fromStorage(scope.def, obj), created: true };
}

/** The object to store for a PUT of `input` over `current` (both storage form): status rules applied. */
function merged(scope: Scope, input: KubeObject, current: KubeObject): KubeObject {
  if (scope.subresource === 'status') {
    const next = clone(current);
    if (input.status === undefined) delete next.status;
    else next.status = clone(input.status);
    return next;
  }
  const next = clone(input);
  if (scope.def.statusSubresource) {
    if (current.status === undefined) delete next.status;
    else next.status = clone(current.status);
  }
  return next;
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const c = clone(o);
    delete meta(c).resourceVersion;
    return c;
  };
  return jsonEqual(strip(a), strip(b));
}

function checkFinalizers(scope: Scope, next: KubeObject, current: KubeObject): void {
  if (meta(current).deletionTimestamp === undefined) return;
  const before = new Set(finalizersOf(current));
  const added = finalizersOf(next).filter((f) => !before.has(f));
  if (added.length > 0) {
    throw forbidden(
      scope.def,
      metaString(current, 'name') ?? '',
      `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    );
  }
}

/**
 * Replaces an object (PUT). `expectedRv` (from the body, or from a patch) must match the stored one; an
 * absent resourceVersion is allowed only for resources that allow unconditional updates.
 */
export function update(engine: Engine, scope: Scope, body: Json | undefined): WriteResult {
  const name = requireName(scope);
  const input = checkBody(scope, body);
  const storage = storageOf(engine, scope.def);
  const current = engine.store.get(storage, nsKey(scope), name);
  if (!current) throw notFound(scope.def, name);
  const rv = resourceVersionOf(input);
  if (rv === undefined && !scope.def.unconditionalUpdate) throw invalid(scope.def, name, [rvRequired()]);
  if (rv !== undefined && rv !== resourceVersionOf(current)) throw conflict(scope.def, name);
  return replace(engine, scope, input, current);
}

/** The update path shared by PUT and PATCH once preconditions hold. */
export function replace(engine: Engine, scope: Scope, input: KubeObject, current: KubeObject): WriteResult {
  const name = metaString(current, 'name') ?? '';
  const storage = storageOf(engine, scope.def);
  const storageDef = engine.registry.storageDef(scope.def);
  meta(input).name = name;
  const served = checked(engine, scope, input);
  let next = merged(scope, toStorage(scope.def, storageDef, served, current), current);
  carryUpdateMeta(storageDef, next, current);
  if (meta(next).managedFields === undefined && meta(current).managedFields !== undefined) {
    meta(next).managedFields = clone(meta(current).managedFields!);
  }
  meta(next).resourceVersion = meta(current).resourceVersion ?? '';
  checkFinalizers(scope, next, current);
  if (storage === CRD_STORAGE) prepareCrd(next, false);
  const txn = new AllocationTxn();
  const errors =
    strategyFor(storage).prepareUpdate?.(next, current, { allocators: engine.allocators, txn }) ?? [];
  if (errors.length > 0) fail(scope, name, errors, txn);
  if (sameContent(next, current) || scope.dryRun) {
    txn.rollback();
    return { object: fromStorage(scope.def, scope.dryRun ? next : current), created: false };
  }
  if (meta(next).deletionTimestamp !== undefined && finalizersOf(next).length === 0) {
    txn.rollback();
    return { object: fromStorage(scope.def, removeObject(engine, storage, next)), created: false };
  }
  next = engine.store.update(storage, next);
  txn.commit();
  if (storage === CRD_STORAGE) afterCrdWrite(engine, next);
  return { object: fromStorage(scope.def, next), created: false };
}
