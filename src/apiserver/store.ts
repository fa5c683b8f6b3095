/**
 * The versioned object store: objects by storage (group/resource), namespace and name; one global,
 * monotonic resourceVersion counter (like etcd's revision); and a bounded log of change events that
 * watches replay from. A watch from a resourceVersion older than the log's window fails with StoreGone,
 * which the HTTP layer reports as 410 Expired. Synchronous and transport-free; callers own semantics.
 */
import { clone, meta, metaString, type KubeObject } from './types.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: StoreEventType;
  readonly storage: string;
  readonly namespace: string;
  readonly name: string;
  /** The object as stored after the change (for DELETED: the last state, with the deletion's RV). Read-only. */
  readonly object: KubeObject;
  /** For MODIFIED: the state before the change (watches with selectors turn it into ADDED/DELETED). */
  readonly previous?: KubeObject;
  readonly rv: number;
}

export type WatchListener = (event: StoreEvent) => void;

/** A watch asked for changes the log no longer holds. */
export class StoreGone extends Error {
  override readonly name = 'StoreGone';
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface StoreSnapshot {
  readonly resourceVersion: number;
  readonly objects: ReadonlyArray<{ readonly storage: string; readonly object: KubeObject }>;
}

interface Subscription {
  readonly storage: string;
  readonly namespace: string | undefined;
  readonly listener: WatchListener;
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class Store {
  private revision: number;
  /** RV of the newest event that fell out of the log (or the starting RV): watches from older RVs are Gone. */
  private floor: number;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly log: StoreEvent[] = [];
  private readonly subs = new Set<Subscription>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly windowSize = 1000,
    initialRv = 1,
  ) {
    if (!Number.isInteger(windowSize) || windowSize < 1)
      throw new RangeError('windowSize must be an integer >= 1');
    this.revision = initialRv;
    this.floor = initialRv;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestWatchable(): number {
    return this.floor;
  }

  get(storage: string, namespace: string, name: string): KubeObject | undefined {
    const obj = this.data.get(storage)?.get(objectKey(namespace, name));
    return obj ? clone(obj) : undefined;
  }

  has(storage: string, namespace: string, name: string): boolean {
    return this.data.get(storage)?.has(objectKey(namespace, name)) ?? false;
  }

  /** Objects of one storage (optionally one namespace), sorted by namespace then name. */
  list(storage: string, namespace?: string): KubeObject[] {
    const all = [...(this.data.get(storage)?.entries() ?? [])]
      .filter(([k]) => namespace === undefined || k.startsWith(`${namespace}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return all.map(([, o]) => clone(o));
  }

  /** Stored objects without copying (callers must not mutate them), unsorted. */
  *scan(storage: string, namespace?: string): Generator<Readonly<KubeObject>> {
    for (const [k, o] of this.data.get(storage) ?? []) {
      if (namespace === undefined || k.startsWith(`${namespace}/`)) yield o;
    }
  }

  count(storage: string): number {
    return this.data.get(storage)?.size ?? 0;
  }

  storages(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object (which must not exist) with the next resourceVersion; returns the stored copy. */
  create(storage: string, obj: KubeObject): KubeObject {
    return this.commit('ADDED', storage, obj);
  }

  /** Replaces an existing object with the next resourceVersion; returns the stored copy. */
  update(storage: string, obj: KubeObject): KubeObject {
    return this.commit('MODIFIED', storage, obj);
  }

  /**
   * Removes an object; the returned last state (`finalState` when given, e.g. with the last finalizer
   * removed) carries the deletion's resourceVersion.
   */
  delete(storage: string, namespace: string, name: string, finalState?: KubeObject): KubeObject {
    const current = this.data.get(storage)?.get(objectKey(namespace, name));
    if (!current) throw new Error(`store: ${storage} ${namespace}/${name} does not exist`);
    return this.commit('DELETED', storage, finalState ?? current);
  }

  private commit(type: StoreEventType, storage: string, input: KubeObject): KubeObject {
    const obj = clone(input);
    const namespace = metaString(obj, 'namespace') ?? '';
    const name = metaString(obj, 'name') ?? '';
    const key = objectKey(namespace, name);
    let bucket = this.data.get(storage);
    if (!bucket) this.data.set(storage, (bucket = new Map()));
    const previous = bucket.get(key);
    const exists = previous !== undefined;
    if ((type === 'ADDED') === exists)
      throw new Error(`store: ${type} on ${storage} ${key} (exists: ${exists})`);
    this.revision += 1;
    meta(obj).resourceVersion = String(this.revision);
    if (type === 'DELETED') bucket.delete(key);
    else bucket.set(key, obj);
    const event: StoreEvent = {
      type,
      storage,
      namespace,
      name,
      object: obj,
      ...(type === 'MODIFIED' && previous ? { previous } : {}),
      rv: this.revision,
    };
    this.append(event);
    for (const s of [...this.subs]) {
      if (s.storage !== storage || (s.namespace !== undefined && s.namespace !== namespace)) continue;
      try {
        s.listener(event);
      } catch {
        this.subs.delete(s); // a broken watcher must not fail the write; it is dropped
      }
    }
    for (const f of this.changeListeners) f();
    return clone(obj);
  }

  private append(event: StoreEvent): void {
    this.log.push(event);
    if (this.log.length > this.windowSize) {
      const dropped = this.log.splice(0, this.log.length - this.windowSize);
      this.floor = dropped[dropped.length - 1]!.rv;
    }
  }

  /**
   * Delivers every logged change after `fromRv`, then every new change, to `listener`, until the returned
   * function is called. Throws StoreGone when `fromRv` is older than the log's window.
   */
  watch(storage: string, namespace: string | undefined, fromRv: number, listener: WatchListener): () => void {
    if (fromRv < this.floor) throw new StoreGone(fromRv, this.floor);
    for (const e of this.log) {
      if (e.rv > fromRv && e.storage === storage && (namespace === undefined || e.namespace === namespace)) {
        listener(e);
      }
    }
    const sub: Subscription = { storage, namespace, listener };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  /** Calls `f` after every committed change (persistence hooks in here). Returns the unsubscribe. */
  onChange(f: () => void): () => void {
    this.changeListeners.add(f);
    return () => this.changeListeners.delete(f);
  }

  get watcherCount(): number {
    return this.subs.size;
  }

  snapshot(): StoreSnapshot {
    const objects: Array<{ storage: string; object: KubeObject }> = [];
    for (const [storage, bucket] of this.data)
      for (const o of bucket.values()) objects.push({ storage, object: clone(o) });
    return { resourceVersion: this.revision, objects };
  }

  /** A store holding a snapshot's objects; watches may start at the snapshot's resourceVersion or later. */
  static fromSnapshot(snapshot: StoreSnapshot, windowSize?: number): Store {
    const store = new Store(windowSize, snapshot.resourceVersion);
    for (const { storage, object } of snapshot.objects) {
      const key = objectKey(metaString(object, 'namespace') ?? '', metaString(object, 'name') ?? '');
      let bucket = store.data.get(storage);
      if (!bucket) store.data.set(storage, (bucket = new Map()));
      bucket.set(key, clone(object));
    }
    return store;
  }
}
