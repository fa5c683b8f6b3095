/**
 * LeaderElector: leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm and one
 * hard guarantee: two leaders never act together.
 *
 * - A candidate tries every retryPeriod (with client-go's 1.2 jitter factor). It takes the lease when
 *   nobody holds it, or when the record it reads has not changed for the record's leaseDurationSeconds
 *   as measured on its own monotonic clock since it first observed that record (remote clocks are never
 *   compared). Writes carry the resourceVersion read, so a lost race is a 409 and changes nothing.
 * - The leader renews every retryPeriod. Its term ends at (start of the last successful renew) +
 *   renewDeadline, which is shorter than leaseDuration: when that moment comes without a newer renew,
 *   the term's AbortSignal is aborted at once (a timer, and isLeader() re-checks the deadline too).
 *   Any other replica can take over only after (its observation of that renew) + leaseDuration, which
 *   is later. A renew that finds another holder ends the term immediately.
 * - stop() ends the term and (releaseOnStop, default) releases the lease so a successor need not wait.
 * Time comes from an injected Clock (monotonic) and WallClock (timestamps written into the Lease).
 */
import {
  sleep,
  systemClock,
  systemWallClock,
  type Clock,
  type TimerHandle,
  type WallClock,
} from './clock.js';
import type { LeaseClient, LeaseRecord, StoredLease } from './lease-client.js';
import { isConflict } from './errors.js';
import { formatMicroTime } from './time.js';

export interface LeaderElectorOptions {
  readonly client: LeaseClient;
  /** This replica's holderIdentity; unique among candidates. */
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  readonly random?: () => number;
  /** Release the lease when stopped while leading (default true). */
  readonly releaseOnStop?: boolean;
  /** Called when this replica becomes leader; `signal` aborts when the term ends. */
  readonly onStartedLeading?: (signal: AbortSignal) => void | Promise<void>;
  /** Called once per term, right after its signal was aborted; `reason` says why. */
  readonly onStoppedLeading?: (reason: string) => void;
  /** The observed holder changed ('' when nobody holds the lease). */
  readonly onNewLeader?: (identity: string) => void;
  readonly onError?: (error: unknown) => void;
}

export const LEASE_DEFAULTS = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
} as const;
/** client-go leaderelection.JitterFactor. */
export const JITTER_FACTOR = 1.2;
const MS_PER_S = 1000;
const RELEASED_DURATION_S = 1;

interface Term {
  readonly abort: AbortController;
  deadline: number;
  timer: TimerHandle;
}

export class LeaderElector {
  readonly #o: Required<Pick<LeaderElectorOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>> &
    LeaderElectorOptions;
  readonly #clock: Clock;
  readonly #wall: WallClock;
  #observed: StoredLease | undefined;
  #observedAt = 0;
  #term: Term | undefined;
  #stop: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    const o = {
      ...options,
      leaseDurationMs: options.leaseDurationMs ?? LEASE_DEFAULTS.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs ?? LEASE_DEFAULTS.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? LEASE_DEFAULTS.retryPeriodMs,
    };
    if (options.identity === '') throw new RangeError('leader election: identity must not be empty');
    if (!(o.leaseDurationMs > o.renewDeadlineMs)) {
      throw new RangeError(
        `leader election: leaseDuration (${o.leaseDurationMs} ms) must exceed renewDeadline (${o.renewDeadlineMs} ms)`,
      );
    }
    if (!(o.renewDeadlineMs > JITTER_FACTOR * o.retryPeriodMs) || !(o.retryPeriodMs > 0)) {
      throw new RangeError(
        `leader election: renewDeadline (${o.renewDeadlineMs} ms) must exceed ${JITTER_FACTOR} × retryPeriod (${o.retryPeriodMs} ms)`,
      );
    }
    this.#o = o;
    this.#clock = options.clock ?? systemClock;
    this.#wall = options.wallClock ?? systemWallClock;
  }

  get identity(): string {
    return this.#o.identity;
  }

  /** The holder in the last Lease read or written ('' when free, undefined before the first read). */
  get leader(): string | undefined {
    return this.#observed?.record.holderIdentity;
  }

  /** True while this replica's term is valid; ends the term if its deadline has already passed. */
  isLeader(): boolean {
    const term = this.#term;
    if (term === undefined) return false;
    if (this.#clock.now() >= term.deadline) {
      this.#endTerm('renew deadline passed');
      return false;
    }
    return true;
  }

  start(signal?: AbortSignal): void {
    if (this.#loop !== undefined) return;
    const stop = new AbortController();
    this.#stop = stop;
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    if (signal?.aborted) stop.abort();
    this.#loop = this.#run(stop.signal).finally(() => (this.#loop = undefined));
  }

  /** Ends any term, releases the lease if configured, and resolves once the loop has exited. */
  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#loop;
  }

  async #run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const attemptStart = this.#clock.now();
      // An attempt that takes longer than renewDeadline could not start a valid term anyway.
      const attempt = this.#bounded(stop, this.#o.renewDeadlineMs);
      const acquired = await this.#tryAcquireOrRenew(attempt.signal);
      attempt.cancel();
      if (acquired) {
        this.#beginTerm(attemptStart);
        await this.#renewLoop(stop);
        continue;
      }
      const jitter = 1 + JITTER_FACTOR * (this.#o.random ?? Math.random)();
      await sleep(this.#clock, this.#o.retryPeriodMs * jitter, stop);
    }
    const wasLeader = this.#term !== undefined;
    this.#endTerm('stopped');
    if (wasLeader && this.#o.releaseOnStop !== false) await this.#release();
  }

  async #renewLoop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted && this.isLeader()) {
      const term = this.#term;
      if (
        term === undefined ||
        !(await sleep(this.#clock, this.#o.retryPeriodMs, AbortSignal.any([stop, term.abort.signal])))
      )
        return;
      const attemptStart = this.#clock.now();
      const renewed = await this.#tryAcquireOrRenew(AbortSignal.any([stop, term.abort.signal]));
      if (this.#term !== term) return;
      if (renewed) this.#extendTerm(term, attemptStart);
      else if (this.#heldByOther()) this.#endTerm(`lease taken by ${this.leader}`);
    }
  }

  /** `parent`, also aborted after `ms` on the injected clock; cancel() clears the timer. */
  #bounded(parent: AbortSignal, ms: number): { signal: AbortSignal; cancel: () => void } {
    const timeout = new AbortController();
    const timer = this.#clock.setTimeout(() => timeout.abort(), ms);
    return {
      signal: AbortSignal.any([parent, timeout.signal]),
      cancel: () => this.#clock.clearTimeout(timer),
    };
  }

  #beginTerm(attemptStart: number): void {
    const abort = new AbortController();
    const term: Term = { abort, deadline: 0, timer: undefined };
    this.#term = term;
    this.#extendTerm(term, attemptStart);
    try {
      const started = this.#o.onStartedLeading?.(abort.signal);
      if (started instanceof Promise) started.catch((err: unknown) => this.#o.onError?.(err));
    } catch (err) {
      this.#o.onError?.(err);
    }
  }

  #extendTerm(term: Term, attemptStart: number): void {
    this.#clock.clearTimeout(term.timer);
    term.deadline = attemptStart + this.#o.renewDeadlineMs;
    const remaining = Math.max(0, term.deadline - this.#clock.now());
    term.timer = this.#clock.setTimeout(() => {
      if (this.#term === term) this.#endTerm('renew deadline passed');
    }, remaining);
  }

  #endTerm(reason: string): void {
    const term = this.#term;
    if (term === undefined) return;
    this.#term = undefined;
    this.#clock.clearTimeout(term.timer);
    term.abort.abort(new Error(`leadership lost: ${reason}`));
    try {
      this.#o.onStoppedLeading?.(reason);
    } catch (err) {
      this.#o.onError?.(err);
    }
  }

  #heldByOther(): boolean {
    const holder = this.#observed?.record.holderIdentity ?? '';
    return holder !== '' && holder !== this.#o.identity;
  }

  #observe(lease: StoredLease): void {
    const previous = this.#observed;
    const same =
      previous !== undefined &&
      previous.resourceVersion === lease.resourceVersion &&
      sameRecord(previous.record, lease.record);
    if (same) return;
    this.#observed = lease;
    this.#observedAt = this.#clock.now();
    if (previous?.record.holderIdentity !== lease.record.holderIdentity) {
      this.#o.onNewLeader?.(lease.record.holderIdentity);
    }
  }

  /** One attempt: true when this replica holds the lease afterwards. Never throws. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = formatMicroTime(this.#wall());
    const durationS = Math.ceil(this.#o.leaseDurationMs / MS_PER_S);
    try {
      const current = await this.#o.client.get(signal);
      if (signal.aborted) return false;
      if (current === undefined) {
        const record = {
          holderIdentity: this.#o.identity,
          leaseDurationSeconds: durationS,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: 0,
        };
        this.#observe(await this.#o.client.create(record, signal));
        return !signal.aborted;
      }
      this.#observe(current);
      const held = current.record;
      const mine = held.holderIdentity === this.#o.identity;
      const expired = this.#clock.now() >= this.#observedAt + held.leaseDurationSeconds * MS_PER_S;
      if (!mine && held.holderIdentity !== '' && !expired) return false;
      const next: LeaseRecord = mine
        ? { ...held, leaseDurationSeconds: durationS, renewTime: now }
        : {
            holderIdentity: this.#o.identity,
            leaseDurationSeconds: durationS,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: held.leaseTransitions + 1,
          };
      this.#observe(await this.#o.client.update(next, current.resourceVersion, signal));
      return !signal.aborted;
    } catch (err) {
      if (this.#stop?.signal.aborted !== true) this.#o.onError?.(err);
      return false;
    }
  }

  async #release(): Promise<void> {
    const held = this.#observed;
    if (held === undefined || held.record.holderIdentity !== this.#o.identity) return;
    const signal = AbortSignal.timeout(this.#o.retryPeriodMs);
    try {
      this.#observe(
        await this.#o.client.update(this.#releasedRecord(held.record), held.resourceVersion, signal),
      );
    } catch (err) {
      // A renew we aborted locally may still have reached the server, so our resourceVersion can be stale:
      // re-read once and release if the Lease still names us (a successor would otherwise wait it out).
      if (isConflict(err)) await this.#releaseCurrent(signal);
      else this.#o.onError?.(err);
    }
  }

  async #releaseCurrent(signal: AbortSignal): Promise<void> {
    try {
      const current = await this.#o.client.get(signal);
      if (current === undefined || current.record.holderIdentity !== this.#o.identity) return;
      this.#observe(
        await this.#o.client.update(this.#releasedRecord(current.record), current.resourceVersion, signal),
      );
    } catch (err) {
      this.#o.onError?.(err);
    }
  }

  #releasedRecord(record: LeaseRecord): LeaseRecord {
    return {
      ...record,
      holderIdentity: '',
      leaseDurationSeconds: RELEASED_DURATION_S,
      renewTime: formatMicroTime(this.#wall()),
    };
  }
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}
