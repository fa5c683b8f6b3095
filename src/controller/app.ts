/**
 * The Controller component: the caches, leader election and, while this replica leads, one LeaderTerm
 * fed by a keyed work queue. start(signal)/stop(); the constructor does no I/O.
 *
 * - Standby: caches run (so a takeover starts warm); nothing is written.
 * - onStartedLeading(signal): wait for the caches, build a fresh term, publish the configuration and
 *   run the restore pass before any Service is reconciled, then process the queue; ensure the
 *   memberlist Secret and keep IPAddressPool status up to date in the background.
 * - Losing the lease aborts the term's signal: the queue stops, in-flight writes are aborted, every
 *   later write is refused, the term's state is dropped, and the replica is a standby again.
 */
import { setMaxListeners } from 'node:events';
import type { ConfigState } from './config-state.js';
import type { HealthSource, Probe } from '../platform/http-endpoints.js';
import type { ControllerMetrics } from './metrics.js';
import type { ConfigSource, ControllerWriters, Log, ServiceSource } from './ports.js';
import { CONFIG_KEY, LeaderTerm, type SyncResult } from './term.js';

/** The caches the controller reads, as one port (adapters.ts implements it over informers). */
export interface CacheSet {
  start(signal: AbortSignal): void;
  stop(): Promise<void>;
  /** Resolves true once every cache holds a full list; false if `signal` aborted first. */
  waitForSync(signal: AbortSignal): Promise<boolean>;
  readonly synced: boolean;
  /** Subscribes to Service changes (key) and configuration changes; returns the unsubscribe function. */
  subscribe(onService: (key: string) => void, onConfig: () => void): () => void;
}

/** A keyed work queue (src/k8s WorkQueue has this shape). */
export interface Queue {
  add(key: string): void;
  start(signal: AbortSignal): void;
  shutdown(options: { drain: false }): Promise<void>;
  readonly length: number;
}

export interface ElectionCallbacks {
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading(reason: string): void;
  onNewLeader(identity: string): void;
}

export interface Election {
  start(signal: AbortSignal): void;
  stop(): Promise<void>;
}

export interface ControllerParts {
  readonly caches: CacheSet;
  readonly services: ServiceSource;
  readonly configSource: ConfigSource;
  readonly configState: ConfigState;
  readonly writers: ControllerWriters;
  readonly metrics: ControllerMetrics;
  readonly log: Log;
  readonly election: (callbacks: ElectionCallbacks) => Election;
  readonly queue: (handler: (key: string, signal: AbortSignal) => Promise<SyncResult>) => Queue;
  /** Memberlist Secret attempts back off up to this many ms (default 30 000). */
  readonly secretRetryMaxMs?: number;
}

const SECRET_RETRY_FIRST_MS = 500;
/** Abort listeners expected on one signal (informers, elector, queue, pool status, secret). */
const LISTENERS = 64;
const SECRET_RETRY_MAX_MS = 30_000;
/** A standby re-parses the configuration this long after the last change. */
const STANDBY_PARSE_DELAY_MS = 100;

type Role = 'starting' | 'standby' | 'leader';

export class Controller implements HealthSource {
  private role: Role = 'starting';
  private term: LeaderTerm | undefined;
  private leaderIdentity = '';
  private election: Election | undefined;
  private stopping: AbortController | undefined;
  private standbyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly parts: ControllerParts) {}

  /** The current term (tests and metrics); undefined on a standby. */
  get currentTerm(): LeaderTerm | undefined {
    return this.term;
  }

  start(signal?: AbortSignal): void {
    if (this.stopping) return;
    const stop = new AbortController();
    setMaxListeners(LISTENERS, stop.signal); // one per informer, the elector and the term
    this.stopping = stop;
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    this.parts.caches.start(stop.signal);
    this.role = 'standby';
    this.followConfigAsStandby(stop.signal);
    this.election = this.parts.election({
      onStartedLeading: (termSignal) => this.lead(termSignal),
      onStoppedLeading: (reason) => this.standDown(reason),
      onNewLeader: (identity) => {
        this.leaderIdentity = identity;
        this.parts.log.info({ leader: identity }, 'leader observed');
      },
    });
    this.election.start(stop.signal);
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.election?.stop();
    await this.parts.caches.stop();
  }

  /**
   * A standby parses the configuration too (writing nothing), so its config metrics are true and, when
   * it takes over while the configuration is bad, it serves the last good one it saw.
   */
  private followConfigAsStandby(signal: AbortSignal): void {
    const { caches } = this.parts;
    const off = caches.subscribe(
      () => undefined,
      () => this.standbyParse(),
    );
    signal.addEventListener(
      'abort',
      () => {
        off();
        clearTimeout(this.standbyTimer);
      },
      { once: true },
    );
    void caches.waitForSync(signal).then((synced) => (synced ? this.standbyParse() : undefined));
  }

  private standbyParse(): void {
    if (this.role === 'leader' || this.standbyTimer !== undefined) return;
    this.standbyTimer = setTimeout(() => {
      this.standbyTimer = undefined;
      if (this.role === 'leader' || !this.parts.caches.synced || this.stopping?.signal.aborted) return;
      const { configState, configSource, metrics } = this.parts;
      configState.evaluate(configSource.snapshot());
      metrics.configLoaded.set(configState.loaded ? 1 : 0);
      metrics.configStale.set(configState.stale ? 1 : 0);
    }, STANDBY_PARSE_DELAY_MS);
  }

  /** Live from start() until stop(). */
  healthz(): Probe {
    const running = this.stopping !== undefined && !this.stopping.signal.aborted;
    return { ok: running, detail: { role: this.role } };
  }

  readyz(): Probe {
    const synced = this.parts.caches.synced;
    const restored = this.term?.ready ?? false;
    const ok = synced && (this.role === 'standby' || (this.role === 'leader' && restored));
    return {
      ok,
      detail: {
        role: this.role,
        synced,
        restored,
        configLoaded: this.parts.configState.loaded,
        leader: this.leaderIdentity,
      },
    };
  }

  private async lead(signal: AbortSignal): Promise<void> {
    const { caches, metrics, log } = this.parts;
    setMaxListeners(LISTENERS, signal);
    this.role = 'leader';
    metrics.leader.set(1);
    metrics.leaderTransitions.inc();
    log.info({}, 'started leading');
    if (!(await caches.waitForSync(signal))) return;
    // The term requeues through the queue, which is created right after it (used only once running).
    const term: LeaderTerm = this.newTerm({ add: (key) => queue.add(key) }, signal);
    const queue = this.parts.queue((key, s) => term.sync(key, AbortSignal.any([s, signal])));
    const unsubscribe = caches.subscribe(
      (key) => queue.add(key),
      () => queue.add(CONFIG_KEY),
    );
    signal.addEventListener(
      'abort',
      () => {
        unsubscribe();
        void queue.shutdown({ drain: false });
      },
      { once: true },
    );
    if (signal.aborted) return;
    this.term = term;
    metrics.setPoolSource(() => term.poolCounters());
    queue.add(CONFIG_KEY);
    queue.start(signal);
    void term.poolStatus.run(signal);
    void this.ensureSecret(signal);
  }

  private newTerm(requeue: { add(key: string): void }, signal: AbortSignal): LeaderTerm {
    const p = this.parts;
    p.configState.resetPublished();
    return new LeaderTerm({
      services: p.services,
      configSource: p.configSource,
      configState: p.configState,
      writers: p.writers,
      metrics: p.metrics,
      log: p.log,
      requeue,
      signal,
    });
  }

  private standDown(reason: string): void {
    const { metrics, log } = this.parts;
    this.term = undefined;
    metrics.setPoolSource(undefined);
    metrics.leader.set(0);
    if (this.role === 'leader') log.warn({ reason }, 'stopped leading: all writes stopped');
    this.role = this.stopping?.signal.aborted ? 'starting' : 'standby';
  }

  private async ensureSecret(signal: AbortSignal): Promise<void> {
    let delay = SECRET_RETRY_FIRST_MS;
    const max = this.parts.secretRetryMaxMs ?? SECRET_RETRY_MAX_MS;
    while (!signal.aborted) {
      try {
        const created = await this.parts.writers.secret.ensureMemberlistSecret(signal);
        if (created) this.parts.log.info({}, 'created the memberlist Secret');
        return;
      } catch (err) {
        if (signal.aborted) return;
        this.parts.log.warn({ err, retryInMs: delay }, 'creating the memberlist Secret failed; will retry');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      delay = Math.min(delay * 2, max);
    }
  }
}
