/**
 * The informer's object cache: objects by namespace and name (client-node's `ObjectCache` shape:
 * get/list), and the three ways it changes: a full `replace` from a list (which yields the adds,
 * updates and deletes that bring a stale cache up to date after a relist), an `upsert` and a `remove`
 * from watch events. An update with an unchanged resourceVersion is not a change (client-node
 * `isSameVersion`). Objects are stored as given; callers treat them as read-only.
 */
import { keyOf, objectKey, resourceVersionOf, splitKey, type KubeObject } from './objects.js';

export type Change<T> =
  | { readonly type: 'add'; readonly object: T }
  | { readonly type: 'update'; readonly object: T; readonly old: T }
  | { readonly type: 'delete'; readonly object: T };

/** Read access to a cache (the same shape as client-node's ObjectCache). */
export interface ObjectCache<T> {
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): readonly T[];
}

export class ObjectStore<T extends KubeObject> implements ObjectCache<T> {
  /** namespace ('' for cluster-scoped) → name → object */
  #objects = new Map<string, Map<string, T>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#objects.get(namespace ?? '')?.get(name);
  }

  /** By key as made by objectKey (`namespace/name` or `name`). */
  getByKey(key: string): T | undefined {
    const { namespace, name } = splitKey(key);
    return this.get(name, namespace);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined && namespace !== '')
      return [...(this.#objects.get(namespace)?.values() ?? [])];
    const all: T[] = [];
    for (const names of this.#objects.values()) all.push(...names.values());
    return all;
  }

  keys(): string[] {
    const keys: string[] = [];
    for (const [namespace, names] of this.#objects)
      for (const name of names.keys()) keys.push(keyOf(namespace, name));
    return keys;
  }

  /** Adds or replaces one object; undefined when it is already stored at the same resourceVersion. */
  upsert(object: T): Change<T> | undefined {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    let names = this.#objects.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.#objects.set(namespace, names);
    }
    const old = names.get(name);
    if (
      old !== undefined &&
      resourceVersionOf(old) !== '' &&
      resourceVersionOf(old) === resourceVersionOf(object)
    ) {
      return undefined;
    }
    names.set(name, object);
    if (old === undefined) {
      this.#size++;
      return { type: 'add', object };
    }
    return { type: 'update', object, old };
  }

  /** Removes one object; the change carries the deleted state from the event (or the cached one). */
  remove(object: T): Change<T> | undefined {
    const namespace = object.metadata?.namespace ?? '';
    const names = this.#objects.get(namespace);
    const name = object.metadata?.name ?? '';
    if (names === undefined || !names.has(name)) return undefined;
    names.delete(name);
    if (names.size === 0) this.#objects.delete(namespace);
    this.#size--;
    return { type: 'delete', object };
  }

  /** Makes the cache equal to `items`: deletes first (in key order), then adds and updates in list order. */
  replace(items: readonly T[]): Change<T>[] {
    const incoming = new Set(items.map(objectKey));
    const changes: Change<T>[] = [];
    for (const key of this.keys().sort()) {
      if (incoming.has(key)) continue;
      const old = this.getByKey(key);
      if (old === undefined) continue;
      const change = this.remove(old);
      if (change) changes.push(change);
    }
    for (const item of items) {
      const change = this.upsert(item);
      if (change) changes.push(change);
    }
    return changes;
  }
}
