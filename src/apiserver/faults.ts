/**
 * Fault injection for tests of API clients: added latency, failing a fraction (or the next N) of the
 * matching requests with a chosen status, and dropping watch streams (now, or a fixed time after each
 * starts). Settings are validated; randomness is injected so tests can make failures deterministic.
 */
import { ApiError, type StatusReason } from './errors.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface FaultSettings {
  /** Latency added before each matching request is served (ms). */
  readonly delayMs?: number;
  /** Probability (0..1) that a matching request fails. */
  readonly failRate?: number;
  /** Fail exactly the next N matching requests (counts down). */
  readonly failNext?: number;
  /** HTTP status of injected failures: 429, 500 (default), 503 or 504. */
  readonly failCode?: 429 | 500 | 503 | 504;
  /** End every watch stream this long after it starts (ms). */
  readonly dropWatchesAfterMs?: number;
  /** Limit faults to these verbs (default: all). */
  readonly verbs?: readonly Verb[];
  /** Limit faults to these resources (plural names, default: all). */
  readonly resources?: readonly string[];
}

const REASON_BY_CODE: Readonly<Record<number, StatusReason>> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const VERBS: readonly Verb[] = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
];

export class FaultError extends Error {
  override readonly name = 'FaultError';
}

/** Checks raw settings (e.g. from JSON) and returns them typed; throws FaultError naming the field. */
export function parseFaultSettings(raw: unknown): FaultSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FaultError('fault settings must be a JSON object');
  const r = raw as Record<string, unknown>;
  const known = new Set([
    'delayMs',
    'failRate',
    'failNext',
    'failCode',
    'dropWatchesAfterMs',
    'verbs',
    'resources',
  ]);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new FaultError(`unknown fault setting "${k}"`);
  const nonNegative = (k: string): void => {
    if (r[k] !== undefined && (typeof r[k] !== 'number' || !Number.isFinite(r[k]) || r[k] < 0)) {
      throw new FaultError(`${k} must be a non-negative number`);
    }
  };
  ['delayMs', 'failNext', 'dropWatchesAfterMs'].forEach(nonNegative);
  if (r.failRate !== undefined && (typeof r.failRate !== 'number' || r.failRate < 0 || r.failRate > 1)) {
    throw new FaultError('failRate must be a number between 0 and 1');
  }
  if (r.failCode !== undefined && !(typeof r.failCode === 'number' && r.failCode in REASON_BY_CODE)) {
    throw new FaultError('failCode must be 429, 500, 503 or 504');
  }
  if (r.verbs !== undefined && (!Array.isArray(r.verbs) || r.verbs.some((v) => !VERBS.includes(v as Verb)))) {
    throw new FaultError(`verbs must be a list of ${VERBS.join(', ')}`);
  }
  if (
    r.resources !== undefined &&
    (!Array.isArray(r.resources) || r.resources.some((v) => typeof v !== 'string'))
  ) {
    throw new FaultError('resources must be a list of resource names');
  }
  return r as FaultSettings;
}

export class Faults {
  private settings: FaultSettings = {};
  private readonly dropListeners = new Set<() => void>();

  constructor(private readonly random: () => number = Math.random) {}

  set(settings: FaultSettings): void {
    this.settings = parseFaultSettings(settings);
  }

  clear(): void {
    this.settings = {};
  }

  get(): FaultSettings {
    return { ...this.settings };
  }

  private applies(verb: Verb, resource: string): boolean {
    const s = this.settings;
    return (
      (s.verbs === undefined || s.verbs.includes(verb)) &&
      (s.resources === undefined || s.resources.includes(resource))
    );
  }

  /** Latency to add before serving this request (0 when none). */
  delayFor(verb: Verb, resource: string): number {
    return this.applies(verb, resource) ? (this.settings.delayMs ?? 0) : 0;
  }

  /** The error to answer this request with, if a failure is injected. */
  failureFor(verb: Verb, resource: string): ApiError | undefined {
    if (!this.applies(verb, resource)) return undefined;
    const s = this.settings;
    let fail = false;
    if (s.failNext !== undefined && s.failNext > 0) {
      this.settings = { ...s, failNext: s.failNext - 1 };
      fail = true;
    } else if (s.failRate !== undefined && s.failRate > 0) fail = this.random() < s.failRate;
    if (!fail) return undefined;
    const reason = REASON_BY_CODE[s.failCode ?? 500]!;
    return new ApiError(
      reason,
      `injected fault: ${verb} ${resource} failed`,
      reason === 'TooManyRequests' ? { retryAfterSeconds: 1 } : undefined,
    );
  }

  get dropWatchesAfterMs(): number | undefined {
    return this.settings.dropWatchesAfterMs;
  }

  /** Ends every open watch stream now. */
  dropWatches(): void {
    for (const f of [...this.dropListeners]) f();
  }

  /** Registers an open watch; returns its unregister function. */
  onDrop(f: () => void): () => void {
    this.dropListeners.add(f);
    return () => this.dropListeners.delete(f);
  }
}
