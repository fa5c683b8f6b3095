/**
 * Capped exponential backoff with optional jitter, shared by the informer supervisor (reconnects) and
 * the work queue (per-key retries). Jitter only shortens a delay (d × (1 − jitter × r)), so the cap is
 * a true upper bound. Randomness is injected so tests are deterministic.
 */

export interface BackoffOptions {
  /** First delay, in ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, in ms. */
  readonly maxMs: number;
  /** Growth per failure (default 2). */
  readonly factor?: number;
  /** Fraction of the delay that may be removed at random, 0..1 (default 0: no jitter). */
  readonly jitter?: number;
  /** Uniform random source in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

/** The delay before retry number `attempt` (1-based), without jitter. */
export function backoffDelay(options: BackoffOptions, attempt: number): number {
  const factor = options.factor ?? 2;
  const exponent = Math.max(0, attempt - 1);
  const raw = options.initialMs * Math.pow(factor, exponent);
  return Math.min(options.maxMs, Number.isFinite(raw) ? raw : options.maxMs);
}

export class Backoff {
  readonly #options: BackoffOptions;
  #attempts = 0;

  constructor(options: BackoffOptions) {
    if (!(options.initialMs >= 0) || !(options.maxMs >= options.initialMs)) {
      throw new RangeError(
        `backoff: need 0 <= initialMs <= maxMs, got ${options.initialMs}/${options.maxMs}`,
      );
    }
    this.#options = options;
  }

  /** Failures since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  next(): number {
    this.#attempts++;
    const delay = backoffDelay(this.#options, this.#attempts);
    const jitter = Math.min(1, Math.max(0, this.#options.jitter ?? 0));
    if (jitter === 0) return delay;
    const random = this.#options.random ?? Math.random;
    return delay - delay * jitter * random();
  }

  /** Forgets past failures (after a success). */
  reset(): void {
    this.#attempts = 0;
  }
}
