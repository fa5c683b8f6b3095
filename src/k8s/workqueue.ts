/**
 * WorkQueue: a keyed, coalescing work queue in the manner of client-go's workqueue.
 *
 * - add(key) merges repeats: a key waiting in the queue keeps its place and is processed once.
 * - At most one handler runs per key. An add() while that key is being processed marks it dirty; it is
 *   queued again as soon as the handler returns, so the last event is never lost.
 * - The handler's SyncResult (MetalLB's SyncState) decides what happens next: 'ok' and 'no-retry'
 *   forget the key's failures; 'retry' (or a throw) re-adds it after a per-key exponential backoff;
 *   'reprocess-all' forgets the key and adds every key from the `reprocessAll` option, in its order.
 * - Up to `concurrency` different keys are processed at once (default 1), in FIFO order.
 * - shutdown() stops new adds and cancels delayed retries; with drain it finishes the queued keys
 *   first, and its signal bounds how long that may take (then in-flight handlers see their signal abort).
 * Time comes from an injected Clock (delayed retries), so tests need no sleeps.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

export type SyncResult = 'ok' | 'retry' | 'no-retry' | 'reprocess-all';

export type SyncHandler = (key: string, signal: AbortSignal) => Promise<SyncResult> | SyncResult;

export interface WorkQueueOptions {
  readonly handler: SyncHandler;
  /** Different keys processed at the same time (default 1). */
  readonly concurrency?: number;
  readonly clock?: Clock;
  /** Per-key retry backoff (defaults: first 100 ms, doubling, at most 60 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** The keys to process after a 'reprocess-all' result, in the order they should run. */
  readonly reprocessAll?: () => Iterable<string>;
  /** A handler threw (treated as 'retry'). */
  readonly onError?: (key: string, error: unknown) => void;
}

export interface WorkQueueStats {
  readonly queued: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly processed: number;
  readonly retries: number;
}

const DEFAULT_BACKOFF = { initialMs: 100, maxMs: 60_000 };

export class WorkQueue {
  readonly #handler: SyncHandler;
  readonly #concurrency: number;
  readonly #clock: Clock;
  readonly #backoff: BackoffOptions;
  readonly #reprocessAll: (() => Iterable<string>) | undefined;
  readonly #onError: ((key: string, error: unknown) => void) | undefined;
  /** Insertion-ordered: FIFO, and re-adding a waiting key keeps its place. */
  readonly #queue = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, { readonly handle: TimerHandle; readonly dueAt: number }>();
  readonly #failures = new Map<string, number>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #abort = new AbortController();
  #running = false;
  #closed = false;
  #processed = 0;
  #retries = 0;

  constructor(options: WorkQueueOptions) {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`workqueue: concurrency must be an integer >= 1, got ${concurrency}`);
    }
    this.#handler = options.handler;
    this.#concurrency = concurrency;
    this.#clock = options.clock ?? systemClock;
    this.#backoff = {
      initialMs: options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
      maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    };
    this.#reprocessAll = options.reprocessAll;
    this.#onError = options.onError;
  }

  /** Keys waiting to be processed (not in flight, not delayed). */
  get length(): number {
    return this.#queue.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  stats(): WorkQueueStats {
    return {
      queued: this.#queue.size,
      inFlight: this.#processing.size,
      delayed: this.#delayed.size,
      processed: this.#processed,
      retries: this.#retries,
    };
  }

  /** Consecutive failures of `key` since its last success (drives its backoff). */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Queues `key` (merged with a pending add). Ignored after shutdown(). */
  add(key: string): void {
    if (this.#closed) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    this.#queue.add(key);
    this.#pump();
  }

  /** Queues `key` after `delayMs`; an earlier pending delay for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#closed) return;
    if (delayMs <= 0) return this.add(key);
    const dueAt = this.#clock.now() + delayMs;
    const pending = this.#delayed.get(key);
    if (pending !== undefined && pending.dueAt <= dueAt) return;
    if (pending !== undefined) this.#clock.clearTimeout(pending.handle);
    const handle = this.#clock.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, { handle, dueAt });
  }

  /** Forgets `key`'s failures and cancels its pending delayed retry (e.g. the object was deleted). */
  forget(key: string): void {
    this.#failures.delete(key);
    this.#cancelDelayed(key);
  }

  /** Begins processing; keys added before start() wait until now. Aborting `signal` = shutdown without drain. */
  start(signal?: AbortSignal): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    signal?.addEventListener('abort', () => void this.shutdown({ drain: false }), { once: true });
    if (signal?.aborted) void this.shutdown({ drain: false });
    this.#pump();
  }

  /** Resolves when nothing is queued or in flight (delayed retries do not count). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops accepting keys and cancels delayed retries. drain (default true): process what is queued,
   * until `signal` aborts; otherwise drop the queue at once. In both cases in-flight handlers are
   * awaited; when not draining (or when the signal aborts) their AbortSignal is aborted first.
   */
  async shutdown(options: { drain?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    this.#closed = true;
    for (const key of [...this.#delayed.keys()]) this.#cancelDelayed(key);
    const stopNow = (): void => {
      this.#queue.clear();
      this.#dirty.clear();
      this.#abort.abort();
      this.#settleIdle();
    };
    if (options.drain === false || options.signal?.aborted) stopNow();
    else {
      options.signal?.addEventListener('abort', stopNow, { once: true });
      if (!this.#running) this.#queue.clear();
    }
    await this.idle();
    options.signal?.removeEventListener('abort', stopNow);
  }

  #pump(): void {
    if (!this.#running) return;
    while (this.#processing.size < this.#concurrency && this.#queue.size > 0) {
      const key = this.#queue.values().next().value as string;
      this.#queue.delete(key);
      this.#cancelDelayed(key);
      this.#processing.add(key);
      void this.#process(key);
    }
  }

  async #process(key: string): Promise<void> {
    let result: SyncResult;
    try {
      result = await this.#handler(key, this.#abort.signal);
    } catch (err) {
      this.#onError?.(key, err);
      result = 'retry';
    }
    this.#processing.delete(key);
    this.#processed++;
    this.#settle(key, result);
    if (this.#dirty.delete(key) && !this.#closed) this.#queue.add(key);
    this.#pump();
    this.#settleIdle();
  }

  #settle(key: string, result: SyncResult): void {
    if (result === 'retry') {
      const failures = this.failures(key) + 1;
      this.#failures.set(key, failures);
      this.#retries++;
      // A key marked dirty runs again at once; the fresh event supersedes the delayed retry.
      if (!this.#dirty.has(key)) this.addAfter(key, backoffDelay(this.#backoff, failures));
      return;
    }
    this.#failures.delete(key);
    if (result === 'reprocess-all' && this.#reprocessAll !== undefined && !this.#closed) {
      for (const k of this.#reprocessAll()) this.add(k);
    }
  }

  #cancelDelayed(key: string): void {
    const pending = this.#delayed.get(key);
    if (pending === undefined) return;
    this.#clock.clearTimeout(pending.handle);
    this.#delayed.delete(key);
  }

  #isIdle(): boolean {
    return this.#processing.size === 0 && (this.#queue.size === 0 || (this.#closed && !this.#running));
  }

  #settleIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
