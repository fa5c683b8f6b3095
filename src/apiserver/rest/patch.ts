/**
 * PATCH: JSON patch, JSON merge patch, strategic merge patch (built-in kinds only, as on a real server)
 * and server-side apply. The patch is applied to the live object at the client's version, then goes
 * through the update path; a resourceVersion the patch sets must match the live one (409 otherwise).
 * Apply creates the object when it does not exist.
 */
import { ApiError, conflict, notFound, unsupportedMediaType } from '../errors.js';
import { applyJsonPatch, JsonPatchError } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch, SmpError } from '../patch/strategic.js';
import { fromStorage } from '../strategies/conversion.js';
import { isObject, meta, type Json, type KubeObject } from '../types.js';
import { applyConfiguration } from './apply.js';
import {
  checkBody,
  nsKey,
  requireName,
  resourceVersionOf,
  storageOf,
  type Engine,
  type Scope,
} from './engine.js';
import { create, replace, type WriteResult } from './write.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';
export const PATCH_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];

function patchFailed(err: unknown): never {
  if (err instanceof JsonPatchError) {
    throw new ApiError(
      'Invalid',
      `the server rejected our request due to an error in our request: ${err.message}`,
    );
  }
  if (err instanceof SmpError) throw new ApiError('BadRequest', err.message);
  throw err;
}

function patched(scope: Scope, live: KubeObject, contentType: string, body: Json): KubeObject {
  try {
    let out: Json;
    if (contentType === JSON_PATCH) out = applyJsonPatch(live, body);
    else if (contentType === MERGE_PATCH) out = applyMergePatch(live, body);
    else if (contentType === STRATEGIC_PATCH) {
      if (scope.def.custom) throw unsupportedMediaType(contentType, [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]);
      out = applyStrategicMergePatch(live, body, scope.def.kind);
    } else throw unsupportedMediaType(contentType, PATCH_TYPES);
    if (!isObject(out)) throw new ApiError('BadRequest', 'the patch must produce a JSON object');
    return out;
  } catch (err) {
    return patchFailed(err);
  }
}

export interface PatchOptions {
  readonly force?: boolean;
}

export function patch(
  engine: Engine,
  scope: Scope,
  contentType: string,
  body: Json,
  _opts: PatchOptions = {},
): WriteResult {
  const name = requireName(scope);
  const storage = storageOf(engine, scope.def);
  const current = engine.store.get(storage, nsKey(scope), name);
  if (contentType === APPLY_PATCH) return apply(engine, scope, body, current);
  if (!current) throw notFound(scope.def, name);
  const live = fromStorage(scope.def, current);
  const result = patched(scope, live, contentType, body);
  const rv = resourceVersionOf(result);
  if (rv !== undefined && rv !== resourceVersionOf(current)) throw conflict(scope.def, name);
  meta(result).resourceVersion = resourceVersionOf(current) ?? '';
  return replace(engine, scope, checkBody(scope, result), current);
}

function apply(engine: Engine, scope: Scope, body: Json, current: KubeObject | undefined): WriteResult {
  const config = checkBody(scope, body);
  const manager = scope.fieldManager ?? '';
  if (!current) {
    const fresh = applyConfiguration(scope.def, undefined, config, manager, engine.ports.now());
    return create(engine, { ...scope, name: undefined }, fresh);
  }
  const live = fromStorage(scope.def, current);
  const result = applyConfiguration(scope.def, live, config, manager, engine.ports.now());
  const rv = resourceVersionOf(config);
  if (rv !== undefined && rv !== resourceVersionOf(current)) throw conflict(scope.def, scope.name ?? '');
  meta(result).resourceVersion = resourceVersionOf(current) ?? '';
  return replace(engine, scope, result, current);
}
