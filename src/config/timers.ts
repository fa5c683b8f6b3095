/**
 * BGPPeer timers: holdTime and keepaliveTime (RFC 4271 §4.2, §10) with MetalLB's `parseTimers` rules
 * (the missing one is derived ×3 or ÷3; hold must be 0 or >= 3 s; keepalive must not exceed hold), the
 * native-mode default of 90 s when neither is set, and connectTime (1..65535 whole seconds, the CRD's
 * CEL rule).
 */
import { formatMs, parseDuration } from './duration.js';
import type { Reporter } from './errors.js';
import { describe, type JsonObject } from './fields.js';

/** MetalLB native mode's default hold time (native.go). */
export const DEFAULT_HOLD_TIME_MS = 90_000;
/** RFC 4271 §4.2: a non-zero hold time must be at least three seconds. */
export const MIN_HOLD_TIME_MS = 3_000;
/** RFC 4271 §10: suggested ConnectRetryTime. */
export const DEFAULT_CONNECT_TIME_MS = 120_000;
export const MAX_CONNECT_TIME_MS = 65_535_000;
/** RFC 4271 §10 suggests KeepaliveTime = HoldTime / 3. */
const KEEPALIVE_DIVISOR = 3;
const MS_PER_SECOND = 1000;

export interface Timers {
  readonly holdTimeMs: number;
  readonly keepaliveTimeMs: number;
  readonly connectTimeMs: number;
}

function readDuration(spec: JsonObject, key: string, r: Reporter): number | undefined {
  const value = spec[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    r.error(`spec.${key}`, `must be a duration string such as "90s", got ${describe(value)}`);
    return undefined;
  }
  const parsed = parseDuration(value);
  if (!parsed.ok) {
    r.error(`spec.${key}`, parsed.reason);
    return undefined;
  }
  if (parsed.ms < 0) {
    r.error(`spec.${key}`, `"${value}" must not be negative`);
    return undefined;
  }
  return parsed.ms;
}

function resolveHoldAndKeepalive(
  hold: number | undefined,
  keepalive: number | undefined,
  r: Reporter,
): { holdTimeMs: number; keepaliveTimeMs: number } {
  if (hold === undefined && keepalive === undefined) {
    return { holdTimeMs: DEFAULT_HOLD_TIME_MS, keepaliveTimeMs: DEFAULT_HOLD_TIME_MS / KEEPALIVE_DIVISOR };
  }
  const rawHold = hold ?? keepalive! * KEEPALIVE_DIVISOR;
  const keepaliveTimeMs = keepalive ?? Math.floor(rawHold / KEEPALIVE_DIVISOR);
  // The OPEN message carries whole seconds; MetalLB checks the truncated value too.
  const holdTimeMs = Math.floor(rawHold / MS_PER_SECOND) * MS_PER_SECOND;
  if (holdTimeMs !== 0 && holdTimeMs < MIN_HOLD_TIME_MS) {
    const derived = hold === undefined ? ` (derived as 3 × keepaliveTime ${formatMs(keepalive!)})` : '';
    r.error(
      hold === undefined ? 'spec.keepaliveTime' : 'spec.holdTime',
      `hold time ${formatMs(rawHold)}${derived} must be 0 or at least 3s (RFC 4271 §4.2)`,
    );
  } else if (keepaliveTimeMs > holdTimeMs) {
    r.error(
      'spec.keepaliveTime',
      `keepaliveTime ${formatMs(keepaliveTimeMs)} must not exceed holdTime ${formatMs(holdTimeMs)}`,
    );
  }
  return { holdTimeMs, keepaliveTimeMs };
}

function readConnectTime(spec: JsonObject, r: Reporter): number {
  const ms = readDuration(spec, 'connectTime', r);
  if (ms === undefined) return DEFAULT_CONNECT_TIME_MS;
  if (ms % MS_PER_SECOND !== 0) {
    r.error('spec.connectTime', `connect time ${formatMs(ms)} must be a whole number of seconds`);
  } else if (ms < MS_PER_SECOND || ms > MAX_CONNECT_TIME_MS) {
    r.error('spec.connectTime', `connect time ${formatMs(ms)} must be between 1s and 65535s`);
  }
  return ms;
}

export function readTimers(spec: JsonObject, r: Reporter): Timers {
  const hold = readDuration(spec, 'holdTime', r);
  const keepalive = readDuration(spec, 'keepaliveTime', r);
  return { ...resolveHoldAndKeepalive(hold, keepalive, r), connectTimeMs: readConnectTime(spec, r) };
}
