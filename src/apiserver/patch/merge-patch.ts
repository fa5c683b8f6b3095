/** JSON merge patch (RFC 7386): objects merge recursively, `null` deletes a member, anything else replaces. */
import { clone, isObject, type Json } from '../types.js';

export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The merge patch that turns `from` into `to` (used by tests and server-side apply bookkeeping). */
export function createMergePatch(from: Json, to: Json): Json {
  if (!isObject(from) || !isObject(to)) return clone(to);
  const patch: { [key: string]: Json } = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (before === undefined) patch[key] = clone(value);
    else if (JSON.stringify(before) !== JSON.stringify(value)) patch[key] = createMergePatch(before, value);
  }
  return patch;
}
