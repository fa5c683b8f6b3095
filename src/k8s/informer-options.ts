/**
 * The SupervisedInformer's public types (events, errors, options, stats) and its option defaults, kept
 * apart from the loop so informer.ts stays about the loop itself.
 */
import type { Clock } from './clock.js';

export type InformerPhase = 'list' | 'watch' | 'decode' | 'handler';

export interface InformerError {
  /** The source's description, e.g. `services`. */
  readonly resource: string;
  readonly phase: InformerPhase;
  readonly error: unknown;
  /** When the loop retries (list/watch failures), the delay before the next attempt. */
  readonly retryInMs?: number;
}

export interface InformerEvents<T> {
  add: (object: T) => void;
  update: (object: T, old: T) => void;
  delete: (object: T) => void;
  error: (error: InformerError) => void;
  /** The resourceVersion expired (410): the informer relists. */
  relist: () => void;
}

export interface InformerOptions {
  readonly clock?: Clock;
  /** Reconnect backoff: first delay, cap and jitter fraction (defaults 250 ms, 30 s, 0.5). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number; readonly jitter?: number };
  readonly random?: () => number;
  /** Server-side watch timeout base; each watch asks for base..2×base seconds (default 300). */
  readonly watchTimeoutSeconds?: number;
  /** A watch with no event for 2×timeout + this many ms is presumed dead and reopened (default 30 000). */
  readonly stallGraceMs?: number;
  /** A watch that ends normally sooner than this without any event counts as a failure (default 1000). */
  readonly shortWatchMs?: number;
}

export interface InformerStats {
  readonly lists: number;
  readonly watches: number;
  readonly relists: number;
  readonly errors: number;
}

export const INFORMER_DEFAULTS = {
  initialMs: 250,
  maxMs: 30_000,
  jitter: 0.5,
  watchTimeoutSeconds: 300,
  stallGraceMs: 30_000,
  shortWatchMs: 1000,
};

export type InformerSettings = typeof INFORMER_DEFAULTS;

/** The options with every default filled in. */
export function informerSettings(options: InformerOptions): InformerSettings {
  const d = INFORMER_DEFAULTS;
  return {
    initialMs: options.backoff?.initialMs ?? d.initialMs,
    maxMs: options.backoff?.maxMs ?? d.maxMs,
    jitter: options.backoff?.jitter ?? d.jitter,
    watchTimeoutSeconds: options.watchTimeoutSeconds ?? d.watchTimeoutSeconds,
    stallGraceMs: options.stallGraceMs ?? d.stallGraceMs,
    shortWatchMs: options.shortWatchMs ?? d.shortWatchMs,
  };
}
