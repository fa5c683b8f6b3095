/**
 * IPAddressPool status counters (assignedIPv4/6, availableIPv4/6): written by the leader, coalesced.
 * Reconciles only mark the counters dirty; a loop waits `delayMs` after the first mark, then writes the
 * pools whose counters differ from what it last wrote. A failed write keeps the pool dirty and is retried
 * after the next delay. Stops when its signal aborts.
 */
import type { PoolCounters } from '../core/allocator/index.js';
import type { Log, PoolStatusPort } from './ports.js';

export type PoolCountersSource = () => Iterable<readonly [string, PoolCounters]>;

/** Resolves after `ms`, or early (false) when the signal aborts. */
export type Delay = (ms: number, signal: AbortSignal) => Promise<boolean>;

export const realDelay: Delay = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

function sameCounters(a: PoolCounters | undefined, b: PoolCounters): boolean {
  return (
    a !== undefined &&
    a.assignedIPv4 === b.assignedIPv4 &&
    a.assignedIPv6 === b.assignedIPv6 &&
    a.availableIPv4 === b.availableIPv4 &&
    a.availableIPv6 === b.availableIPv6
  );
}

export class PoolStatusReporter {
  private readonly written = new Map<string, PoolCounters>();
  private dirty = true;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: PoolCountersSource,
    private readonly port: PoolStatusPort,
    private readonly log: Log,
    private readonly delayMs: number,
    private readonly delay: Delay = realDelay,
  ) {}

  markDirty(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Writes every pool whose counters changed since the last successful write; false if any failed. */
  async flush(signal: AbortSignal): Promise<boolean> {
    this.dirty = false;
    let ok = true;
    for (const [name, counters] of [...this.source()]) {
      if (sameCounters(this.written.get(name), counters)) continue;
      if (signal.aborted) return false;
      try {
        await this.port.patchPoolStatus(name, counters, signal);
        this.written.set(name, counters);
      } catch (err) {
        ok = false;
        this.dirty = true;
        this.log.warn({ pool: name, err }, 'writing IPAddressPool status failed; will retry');
      }
    }
    return ok;
  }

  async run(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    while (!signal.aborted) {
      if (!this.dirty) {
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), aborted]);
        this.wake = undefined;
        continue;
      }
      if (!(await this.delay(this.delayMs, signal))) return;
      await this.flush(signal);
    }
  }
}
