/**
 * A small typed event emitter (libp2p TypedEventTarget, without DOM event objects): `on(type, listener)`
 * returns an unsubscribe function. Listeners run synchronously in subscription order; one that throws does
 * not stop the others or the session, its error is re-thrown on a microtask (reported like any uncaught
 * error).
 */

export type Listener<T> = (detail: T) => void;

export class TypedEmitter<EventMap extends object> {
  readonly #listeners = new Map<keyof EventMap, Set<Listener<never>>>();

  on<K extends keyof EventMap>(type: K, listener: Listener<EventMap[K]>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  off<K extends keyof EventMap>(type: K, listener: Listener<EventMap[K]>): void {
    this.#listeners.get(type)?.delete(listener as Listener<never>);
  }

  /** Resolves with the next event of `type` (rejects if `signal` aborts first). */
  once<K extends keyof EventMap>(type: K, options: { signal?: AbortSignal } = {}): Promise<EventMap[K]> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        off();
        reject(options.signal?.reason);
      };
      const off = this.on(type, (detail) => {
        off();
        options.signal?.removeEventListener('abort', onAbort);
        resolve(detail);
      });
      if (options.signal?.aborted === true) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  protected emit<K extends keyof EventMap>(type: K, detail: EventMap[K]): void {
    const set = this.#listeners.get(type);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<EventMap[K]>)(detail);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
