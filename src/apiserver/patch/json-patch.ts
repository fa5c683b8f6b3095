/**
 * JSON patch (RFC 6902) over JSON pointers (RFC 6901): add, remove, replace, move, copy and test, applied
 * atomically to a copy. Every failure is a JsonPatchError naming the operation index and the pointer.
 */
import { clone, isObject, jsonEqual, type Json } from '../types.js';

export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
}

type Container = Json[] | { [key: string]: Json };

/** RFC 6901 §4: "~1" is "/", "~0" is "~". */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`invalid JSON pointer "${pointer}" (must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: Json[], token: string, forAdd: boolean, pointer: string): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw new JsonPatchError(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw new JsonPatchError(`index ${i} out of range in "${pointer}"`);
  return i;
}

function parentOf(doc: Json, tokens: string[], pointer: string): { parent: Container; last: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, pointer)]!;
    else if (isObject(cur) && t in cur) cur = cur[t]!;
    else throw new JsonPatchError(`path "${pointer}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new JsonPatchError(`path "${pointer}" does not exist`);
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, pointer: string): Json {
  let cur: Json = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false, pointer)]!;
    else if (isObject(cur) && t in cur) cur = cur[t]!;
    else throw new JsonPatchError(`path "${pointer}" does not exist`);
  }
  return cur;
}

function addAt(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, pointer), 0, value);
  else parent[last] = value;
  return doc;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new JsonPatchError('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false, pointer), 1);
  else if (last in parent) delete parent[last];
  else throw new JsonPatchError(`path "${pointer}" does not exist`);
  return doc;
}

function str(op: { [key: string]: Json }, field: string, index: number): string {
  const v = op[field];
  if (typeof v !== 'string')
    throw new JsonPatchError(`operation ${index}: "${field}" is required and must be a string`);
  return v;
}

function applyOne(doc: Json, op: Json, index: number): Json {
  if (!isObject(op)) throw new JsonPatchError(`operation ${index} is not an object`);
  const kind = str(op, 'op', index);
  const path = str(op, 'path', index);
  const value = (): Json => {
    if (!('value' in op)) throw new JsonPatchError(`operation ${index} (${kind}) needs "value"`);
    return clone(op.value!);
  };
  switch (kind) {
    case 'add':
      return addAt(doc, path, value());
    case 'remove':
      return removeAt(doc, path);
    case 'replace':
      getAt(doc, path);
      return addAt(parsePointer(path).length === 0 ? doc : removeAt(doc, path), path, value());
    case 'move': {
      const from = str(op, 'from', index);
      if (path.startsWith(`${from}/`))
        throw new JsonPatchError(`operation ${index}: cannot move "${from}" into itself`);
      const moved = clone(getAt(doc, from));
      return addAt(removeAt(doc, from), path, moved);
    }
    case 'copy':
      return addAt(doc, path, clone(getAt(doc, str(op, 'from', index))));
    case 'test':
      if (!jsonEqual(getAt(doc, path), op.value))
        throw new JsonPatchError(`operation ${index}: test failed at "${path}"`);
      return doc;
    default:
      throw new JsonPatchError(`operation ${index}: unknown op "${kind}"`);
  }
}

/** Applies a JSON patch document to a copy of `target`. */
export function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new JsonPatchError('a JSON patch must be an array of operations');
  let doc = clone(target);
  patch.forEach((op, i) => {
    doc = applyOne(doc, op, i);
  });
  return doc;
}
