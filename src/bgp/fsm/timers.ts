/**
 * Every BGP timer duration in one place (BIRD bgp_start_timer): RFC 4271 §10 jitter, the OpenSent hold
 * time, keepalive intervals and the IdleHoldTimer back-off with error amnesia (BIRD
 * bgp_update_startup_delay). Pure: randomness comes in as a function.
 */
import type { IdleHoldPolicy } from './types.js';

export const MS_PER_SECOND = 1000;
/** RFC 4271 §10: jitter multiplies a timer by a random factor in [0.75, 1.0]. */
export const JITTER_MIN_FACTOR = 0.75;
export const JITTER_SPAN = 1 - JITTER_MIN_FACTOR;
/** RFC 4271 §8.2.2: the HoldTimer "large value" in OpenSent, suggested 4 minutes. */
export const OPEN_SENT_HOLD_TIME_S = 240;
/** RFC 4271 §4.4: KEEPALIVEs must not be sent more often than once per second. */
export const MIN_KEEPALIVE_INTERVAL_MS = 1000;
/** RFC 4271 §4.4: "a reasonable maximum time between KEEPALIVE messages would be one third of the Hold Time". */
export const KEEPALIVE_HOLD_TIME_DIVISOR = 3;

/** Default IdleHoldTimer back-off: 1 s doubling to 120 s; forgotten after 5 quiet minutes. */
export const DEFAULT_IDLE_HOLD_POLICY: IdleHoldPolicy = {
  minMs: 1_000,
  maxMs: 120_000,
  amnesiaMs: 300_000,
};

/** RFC 4271 §10 jitter: `ms` scaled by a factor in [0.75, 1.0] drawn from `random` (values in [0, 1)). */
export function jitter(ms: number, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ms * (JITTER_MIN_FACTOR + JITTER_SPAN * r));
}

/**
 * Keepalive interval for a negotiated hold time: the configured keepalive when set, else a third of the
 * hold time, never more than a third of the hold time; 0 (no keepalives) when the hold time is 0.
 */
export function keepaliveIntervalMs(holdTimeS: number, configuredKeepaliveS?: number): number {
  if (holdTimeS === 0) return 0;
  const third = (holdTimeS * MS_PER_SECOND) / KEEPALIVE_HOLD_TIME_DIVISOR;
  if (configuredKeepaliveS === undefined || configuredKeepaliveS <= 0) return Math.floor(third);
  return Math.floor(Math.min(configuredKeepaliveS * MS_PER_SECOND, third));
}

/** A jittered keepalive delay that still respects the once-per-second minimum. */
export function jitteredKeepaliveMs(intervalMs: number, random: () => number): number {
  return Math.max(jitter(intervalMs, random), Math.min(intervalMs, MIN_KEEPALIVE_INTERVAL_MS));
}

/**
 * Counts one more failure for the back-off. A failure more than `amnesiaMs` after the previous one starts
 * over at 1 (the earlier trouble is forgotten).
 */
export function countFailure(
  counter: number,
  lastFailureAt: number | undefined,
  now: number,
  policy: IdleHoldPolicy,
): number {
  if (lastFailureAt !== undefined && now - lastFailureAt > policy.amnesiaMs) return 1;
  return counter + 1;
}

/** IdleHoldTimer delay after `failures` consecutive failures: min·2^(failures-1), capped, jittered. */
export function idleHoldDelayMs(failures: number, policy: IdleHoldPolicy, random: () => number): number {
  const exponent = Math.max(failures - 1, 0);
  const raw = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(exponent, 52));
  return jitter(raw, random);
}
