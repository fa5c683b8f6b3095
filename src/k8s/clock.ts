/**
 * The Clock port of the Kubernetes adapter: the only way informers, the work queue and leader election
 * read monotonic time or schedule work. Structurally the same port as bgp-ts-lite's (now / setTimeout /
 * clearTimeout), so the shared test FakeClock (`test/fakes/clock.ts`) drives every component without
 * sleeping. Wall-clock time (for API timestamps) is a separate injected function.
 */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a no-op for a timer that already fired or was cancelled. */
  clearTimeout(handle: TimerHandle): void;
}

/** Real time: performance.now() (monotonic) and Node's timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Wall-clock time for timestamps written to the API (Lease renewTime, Event lastTimestamp). */
export type WallClock = () => Date;

export const systemWallClock: WallClock = () => new Date();

/**
 * Resolves after `ms` on `clock`, or as soon as `signal` aborts. Never rejects: the result says which
 * happened (true: the time elapsed; false: aborted).
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts (at once if it already has): how the apps wait for SIGTERM/SIGINT. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
