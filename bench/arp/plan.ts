/**
 * bench:arp's plan (warm-up, latency phase, rate steps; full and --smoke sizes) and the rate search: per
 * responder, the rates go up step by step until a step loses requests, or the generator itself falls short
 * of the rate asked for, twice in a row (one immediate retry absorbs a hiccup on a shared machine).
 */
import type { RunResult } from './protocol.js';

export interface Plan {
  readonly warmupRate: number;
  readonly warmupCount: number;
  /** The rate asked for when measuring the generator's send capacity (far above what it can reach). */
  readonly calibrationRate: number;
  readonly latencyRate: number;
  readonly latencyCount: number;
  readonly rates: readonly number[];
  readonly stepMs: number;
  readonly drainMs: number;
  /** Bound on the children's life (they exit on their own after it). */
  readonly lifetimeMs: number;
}

export const FULL_PLAN: Plan = {
  warmupRate: 10_000,
  warmupCount: 5_000,
  calibrationRate: 1_000_000,
  latencyRate: 1_000,
  latencyCount: 5_000,
  rates: [
    2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 75_000, 100_000, 125_000, 150_000, 200_000, 250_000,
    300_000,
  ],
  stepMs: 1_000,
  drainMs: 300,
  lifetimeMs: 600_000,
};

export const SMOKE_PLAN: Plan = {
  warmupRate: 5_000,
  warmupCount: 500,
  calibrationRate: 100_000,
  latencyRate: 1_000,
  latencyCount: 300,
  rates: [2_000, 5_000, 10_000],
  stepMs: 250,
  drainMs: 150,
  lifetimeMs: 120_000,
};

/** A step whose achieved send rate is below this share of the rate asked for is generator-limited. */
export const GENERATOR_SHORTFALL = 0.95;

export type LimitedBy = 'loss' | 'generator' | 'plan';
export type SearchVerdict = 'next' | 'retry' | 'stop';

/** Sending fell short of the rate, ran out of time, or replies were dropped by the generator's own socket. */
export function generatorLimited(rate: number, result: RunResult): boolean {
  return result.truncated || result.achievedRate < GENERATOR_SHORTFALL * rate || result.generatorDrops > 0;
}

/** The rate search of one responder. */
export class RateSearch {
  /** Highest rate (requests/s) answered without loss. */
  best = 0;
  firstLossyRate: number | undefined;
  limitedBy: LimitedBy = 'plan';
  done = false;
  maxAchievedRate = 0;
  #retried = false;

  /**
   * A step that lost requests, or where the generator fell short, is retried once (a hiccup on a shared
   * machine: another process took the CPU for a few hundred milliseconds); a second such step ends the
   * search. Without loss, a generator-limited step still counts at the rate actually achieved.
   */
  record(rate: number, result: RunResult): SearchVerdict {
    this.maxAchievedRate = Math.max(this.maxAchievedRate, result.achievedRate);
    const short = generatorLimited(rate, result);
    if (result.lost === 0) this.best = Math.max(this.best, short ? Math.floor(result.achievedRate) : rate);
    if (result.lost === 0 && !short) {
      this.#retried = false;
      return 'next';
    }
    if (!this.#retried) {
      this.#retried = true;
      return 'retry';
    }
    if (result.lost > 0) this.firstLossyRate = rate;
    return this.#stop(short ? 'generator' : 'loss');
  }

  #stop(reason: LimitedBy): SearchVerdict {
    this.limitedBy = reason;
    this.done = true;
    return 'stop';
  }
}
