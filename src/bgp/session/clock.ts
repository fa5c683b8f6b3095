/**
 * The Clock port of bgp-ts-lite sessions: the only way the session layer reads time or schedules work.
 * `systemClock` is the real one (monotonic `performance.now()` and Node timers); tests inject a fake
 * (`test/fakes/clock.ts`) and move time by hand, so no test sleeps.
 */

/** An opaque timer handle returned by `setTimeout` (the same shape as the BFD session's clock port). */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a no-op for a timer that already fired or was cancelled. */
  clearTimeout(handle: TimerHandle): void;
}

/** Real time: performance.now() and Node's timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
