/**
 * FakeClock: a manual clock for tests. It implements the `Clock` port of bgp-ts-lite
 * (`src/bgp/session/clock.ts`: now / setTimeout / clearTimeout) structurally, so any component with the
 * same port can use it. Time moves only when a test calls `advance`, `advanceAsync` or `runNext`; timers
 * fire in due order (ties in scheduling order), including timers scheduled while advancing. No sleeps.
 * Self-contained: imports nothing.
 */

/** The handle `setTimeout` returns; pass it to `clearTimeout`. */
export interface FakeTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly delayMs: number;
}

interface Scheduled extends FakeTimer {
  readonly callback: () => void;
}

export class FakeClock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Scheduled>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  /** Milliseconds since the clock's epoch (monotonic; moves only when the test advances it). */
  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): FakeTimer {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: Scheduled = { id: this.#nextId++, dueAt: this.#now + delay, delayMs: delay, callback };
    this.#timers.set(timer.id, timer);
    return { id: timer.id, dueAt: timer.dueAt, delayMs: timer.delayMs };
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'object' && handle !== null && 'id' in handle && typeof handle.id === 'number') {
      this.#timers.delete(handle.id);
    }
  }

  /** Timers still scheduled, earliest first. */
  pending(): FakeTimer[] {
    return [...this.#timers.values()].sort(byDue).map(({ id, dueAt, delayMs }) => ({ id, dueAt, delayMs }));
  }

  /** Milliseconds until the next timer fires, or undefined when none is scheduled. */
  nextDueIn(): number | undefined {
    const next = this.#earliest();
    return next === undefined ? undefined : next.dueAt - this.#now;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, synchronously. */
  advance(ms: number): void {
    const target = this.#now + checkMs(ms);
    for (let next = this.#earliest(); next !== undefined && next.dueAt <= target; next = this.#earliest()) {
      this.#fire(next);
    }
    this.#now = target;
  }

  /**
   * Like `advance`, but yields to the event loop (a macrotask) after each timer, so real I/O and promise
   * chains that a timer starts (a socket write, a reconnect) make progress between timers.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + checkMs(ms);
    for (let next = this.#earliest(); next !== undefined && next.dueAt <= target; next = this.#earliest()) {
      this.#fire(next);
      await yieldToEventLoop();
    }
    this.#now = target;
    await yieldToEventLoop();
  }

  /** Jumps to the earliest timer and fires it. Returns false when no timer is scheduled. */
  runNext(): boolean {
    const next = this.#earliest();
    if (next === undefined) return false;
    this.#fire(next);
    return true;
  }

  #earliest(): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const timer of this.#timers.values()) {
      if (best === undefined || byDue(timer, best) < 0) best = timer;
    }
    return best;
  }

  #fire(timer: Scheduled): void {
    this.#timers.delete(timer.id);
    this.#now = Math.max(this.#now, timer.dueAt);
    timer.callback();
  }
}

function byDue(a: FakeTimer, b: FakeTimer): number {
  return a.dueAt - b.dueAt || a.id - b.id;
}

function checkMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock: ms must be >= 0, got ${ms}`);
  return ms;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
