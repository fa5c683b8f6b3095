/**
 * A minimal typed event emitter for BFD sessions and the BFD service. Listeners run synchronously in
 * registration order; a listener that throws does not stop the others, and its error is rethrown on a
 * microtask (as Node's EventTarget reports listener errors).
 */

export type Listener<T> = (event: T) => void;

export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes `listener`; returns a function that unsubscribes it. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(type)?.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.#listeners.get(type);
    if (set === undefined) return;
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
