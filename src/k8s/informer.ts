/**
 * SupervisedInformer: a list+watch cache of one resource that never stops silently.
 *
 * - The first list fills the cache; only then are events dispatched (an `add` per listed object), and
 *   `synced` resolves. Later relists are diffed against the cache into adds, updates and deletes.
 * - 410 Gone / Expired (HTTP status or an ERROR event) resets the resourceVersion and relists at once;
 *   a second 410 in a row waits out the backoff first, so a broken server cannot spin the loop.
 * - Any other failure (refused connection after an API server restart, 5xx, a stream that stalls or
 *   closes at once) is reported through the `error` event and retried after capped exponential backoff
 *   with jitter; the watch resumes from the last resourceVersion. The loop ends only at stop().
 * - Malformed objects are reported (phase `decode`) and skipped; a throwing handler is reported (phase
 *   `handler`) and does not disturb the loop or the other handlers.
 * Time comes from an injected Clock, so tests drive backoff and the stall watchdog without sleeping.
 */
import { Backoff } from './backoff.js';
import { sleep, systemClock, type Clock } from './clock.js';
import { isGone, toKubeApiError } from './errors.js';
import type { ListWatchSource, WatchEvent } from './list-watch.js';
import { ObjectStore, type Change, type ObjectCache } from './object-store.js';
import { isKubeObject, type KubeObject } from './objects.js';
import {
  informerSettings,
  type InformerError,
  type InformerEvents,
  type InformerOptions,
  type InformerPhase,
  type InformerSettings,
  type InformerStats,
} from './informer-options.js';

export type { InformerError, InformerEvents, InformerOptions, InformerPhase, InformerStats };

type Listeners<T> = { [K in keyof InformerEvents<T>]: Set<InformerEvents<T>[K]> };

const MS_PER_S = 1000;

export class SupervisedInformer<T extends KubeObject = KubeObject> implements ObjectCache<T> {
  readonly #source: ListWatchSource;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #backoff: Backoff;
  readonly #opts: InformerSettings;
  readonly #store = new ObjectStore<T>();
  readonly #listeners: Listeners<T> = {
    add: new Set(),
    update: new Set(),
    delete: new Set(),
    error: new Set(),
    relist: new Set(),
  };
  #resourceVersion = '';
  #isSynced = false;
  #resolveSynced: () => void = () => undefined;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #goneStreak = 0;
  #stats = { lists: 0, watches: 0, relists: 0, errors: 0 };
  /** Resolves once the first list is in the cache and its adds were dispatched; never rejects. */
  readonly synced: Promise<void>;

  constructor(source: ListWatchSource, options: InformerOptions = {}) {
    this.#source = source;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#opts = informerSettings(options);
    const { initialMs, maxMs, jitter } = this.#opts;
    this.#backoff = new Backoff({ initialMs, maxMs, jitter, random: this.#random });
    this.synced = new Promise((resolve) => (this.#resolveSynced = resolve));
  }

  get description(): string {
    return this.#source.description;
  }

  get isSynced(): boolean {
    return this.#isSynced;
  }

  get isRunning(): boolean {
    return this.#loop !== undefined;
  }

  /** The resourceVersion the next watch starts from ('' before the first list or after a 410). */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  stats(): InformerStats {
    return { ...this.#stats };
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof InformerEvents<T>>(event: K, listener: InformerEvents<T>[K]): () => void {
    const set = this.#listeners[event] as Set<InformerEvents<T>[K]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#store.get(name, namespace);
  }

  getByKey(key: string): T | undefined {
    return this.#store.getByKey(key);
  }

  list(namespace?: string): T[] {
    return this.#store.list(namespace);
  }

  keys(): string[] {
    return this.#store.keys();
  }

  /** Resolves true once synced, false if `signal` aborts or the informer stops first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#isSynced) return true;
    const stopped = this.#abort?.signal;
    const signals = [signal, stopped].filter((s): s is AbortSignal => s !== undefined);
    if (signals.some((s) => s.aborted)) return false;
    const any = AbortSignal.any(signals);
    return new Promise<boolean>((resolve) => {
      any.addEventListener('abort', () => resolve(false), { once: true });
      void this.synced.then(() => resolve(true));
    });
  }

  /** Starts the list/watch loop in the background; a no-op while running. Aborting `signal` stops it. */
  start(signal?: AbortSignal): void {
    if (this.#loop !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    if (signal?.aborted) abort.abort();
    this.#resourceVersion = '';
    this.#loop = this.#run(abort.signal).finally(() => (this.#loop = undefined));
  }

  /** Stops the loop and resolves once it has exited. The cache keeps its content. */
  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let phase: InformerPhase = 'list';
      let failure: unknown;
      try {
        if (this.#resourceVersion === '') await this.#list(signal);
        phase = 'watch';
        const productive = await this.#watchOnce(signal);
        if (productive === true) {
          this.#backoff.reset();
          this.#goneStreak = 0;
          continue;
        }
        failure = productive;
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.#resourceVersion = '';
          this.#stats.relists++;
          this.#emit('relist');
          if (this.#goneStreak++ === 0) continue;
        }
        failure = err;
      }
      if (signal.aborted) break;
      const retryInMs = this.#backoff.next();
      this.#stats.errors++;
      this.#report({ resource: this.description, phase, error: failure, retryInMs });
      await sleep(this.#clock, retryInMs, signal);
    }
  }

  async #list(signal: AbortSignal): Promise<void> {
    this.#stats.lists++;
    const result = await this.#source.list(signal);
    if (signal.aborted) return;
    const items = result.items.filter((item): item is T => this.#valid(item, 'list'));
    const changes = this.#store.replace(items);
    this.#resourceVersion = result.resourceVersion;
    const first = !this.#isSynced;
    this.#isSynced = true;
    for (const change of changes) this.#dispatch(change);
    if (first) this.#resolveSynced();
  }

  /**
   * One watch stream from the current resourceVersion. Returns true when it was productive (an event
   * arrived, or it lasted at least shortWatchMs), else the reason it counts as a failure.
   */
  async #watchOnce(signal: AbortSignal): Promise<true | Error> {
    this.#stats.watches++;
    const started = this.#clock.now();
    const timeoutSeconds = Math.round(this.#opts.watchTimeoutSeconds * (1 + this.#random()));
    const stallMs = 2 * this.#opts.watchTimeoutSeconds * MS_PER_S + this.#opts.stallGraceMs;
    const stream = new AbortController();
    const onAbort = (): void => stream.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let events = 0;
    let lastActivity = started;
    let stalled = false;
    const check = (): void => {
      if (this.#clock.now() - lastActivity >= stallMs) {
        stalled = true;
        stream.abort();
      } else timer = this.#clock.setTimeout(check, stallMs / 4);
    };
    let timer = this.#clock.setTimeout(check, stallMs / 4);
    const onEvent = (event: WatchEvent): void => {
      if (events++ === 0) {
        // Progress: the next failure starts a fresh backoff, and a 410 relists at once.
        this.#backoff.reset();
        this.#goneStreak = 0;
      }
      lastActivity = this.#clock.now();
      this.#apply(event);
    };
    try {
      await this.#source.watch({
        resourceVersion: this.#resourceVersion,
        timeoutSeconds,
        onEvent,
        signal: stream.signal,
      });
    } finally {
      this.#clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    if (stalled) return new Error(`watch ${this.description}: no event for ${stallMs} ms, reconnecting`);
    if (events > 0 || this.#clock.now() - started >= this.#opts.shortWatchMs || signal.aborted) return true;
    return new Error(`watch ${this.description}: closed by the server at once, without events`);
  }

  #apply(event: WatchEvent): void {
    if (event.type === 'BOOKMARK') {
      const rv = (event.object as KubeObject | undefined)?.metadata?.resourceVersion;
      if (typeof rv === 'string' && rv !== '') this.#resourceVersion = rv;
      return;
    }
    if (!this.#valid(event.object, 'watch')) return;
    const object = event.object;
    let change: Change<T> | undefined;
    if (event.type === 'ADDED' || event.type === 'MODIFIED') change = this.#store.upsert(object);
    else if (event.type === 'DELETED') change = this.#store.remove(object);
    else {
      this.#report({
        resource: this.description,
        phase: 'decode',
        error: new Error(`unknown watch event type "${event.type}"`),
      });
      return;
    }
    const rv = object.metadata?.resourceVersion;
    if (typeof rv === 'string' && rv !== '') this.#resourceVersion = rv;
    if (change) this.#dispatch(change);
  }

  #valid(item: unknown, from: 'list' | 'watch'): item is T {
    if (isKubeObject(item)) return true;
    const error = new Error(`${from} ${this.description}: skipped an object without metadata.name`);
    this.#report({ resource: this.description, phase: 'decode', error });
    return false;
  }

  #dispatch(change: Change<T>): void {
    if (change.type === 'update') this.#emit('update', change.object, change.old);
    else this.#emit(change.type, change.object);
  }

  #emit<K extends keyof InformerEvents<T>>(event: K, ...args: Parameters<InformerEvents<T>[K]>): void {
    for (const listener of [...this.#listeners[event]]) {
      try {
        (listener as (...a: Parameters<InformerEvents<T>[K]>) => void)(...args);
      } catch (err) {
        if (event === 'error') continue;
        this.#report({ resource: this.description, phase: 'handler', error: err });
      }
    }
  }

  #report(error: InformerError): void {
    const normalised =
      error.phase === 'list' || error.phase === 'watch'
        ? { ...error, error: toKubeApiError(error.error) }
        : error;
    this.#emit('error', normalised);
  }
}
