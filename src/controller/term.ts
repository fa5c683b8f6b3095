/**
 * One leadership term: everything the controller does while it holds the Lease, built from the caches
 * when the term starts and dropped when it ends (a new term starts from scratch). It owns the Allocator,
 * the set of Services still waiting for an address, and the pool status reporter.
 *
 * Phases: `waiting-config` until a good Config exists (nothing is touched), then the restore pass
 * (startup.ts) and `ready`. sync(key) handles one queue item: the reserved CONFIG_KEY re-parses the
 * configuration (config-state.ts), any other key reconciles one Service (reconcile.ts) and performs the
 * plan through the ports. Every write carries the term's signal and is refused once it is aborted.
 */
import { Allocator } from '../core/allocator/index.js';
import type { PoolCounters } from '../core/allocator/index.js';
import type { Config } from '../config/index.js';
import type { SyncResult } from '../k8s/index.js';
import type { ConfigState, ConfigEvaluation } from './config-state.js';
import type { ControllerMetrics } from './metrics.js';
import { EventSender } from './event-sender.js';
import { PoolStatusReporter, realDelay, type Delay } from './pool-status.js';
import type { ConfigSource, ControllerWriters, Log, ServiceSource } from './ports.js';
import { NoticeMemory, planService, type ReconcileContext, type ServicePlan } from './reconcile.js';
import { restoreFromStatus } from './startup.js';

/** Queue key for "the metallb.io configuration changed" (Service keys are namespace/name). */
export const CONFIG_KEY = '#config';

/** What a queue item's handler tells the queue (MetalLB SyncState); the WorkQueue's own type. */
export type { SyncResult };

export interface Requeue {
  add(key: string): void;
}

export interface TermDeps {
  readonly services: ServiceSource;
  readonly configSource: ConfigSource;
  readonly configState: ConfigState;
  readonly writers: ControllerWriters;
  readonly metrics: ControllerMetrics;
  readonly log: Log;
  readonly requeue: Requeue;
  /** The term's signal: aborted when leadership ends. */
  readonly signal: AbortSignal;
  /** Coalescing delay of IPAddressPool status writes (default 250 ms). */
  readonly poolStatusDelayMs?: number;
  /** Events recorded at the same time (default 4): status writes never wait behind Events. */
  readonly eventConcurrency?: number;
  readonly delay?: Delay;
}

export class TermAbortedError extends Error {
  override readonly name = 'TermAbortedError';
  constructor() {
    super('leadership term ended: writes are refused');
  }
}

const DEFAULT_POOL_STATUS_DELAY_MS = 250;
const DEFAULT_EVENT_CONCURRENCY = 4;

export class LeaderTerm {
  private phase: 'waiting-config' | 'ready' = 'waiting-config';
  private readonly allocator = new Allocator();
  private readonly ctx: ReconcileContext = { allocator: this.allocator, notices: new NoticeMemory() };
  private readonly waiting = new Set<string>();
  readonly poolStatus: PoolStatusReporter;
  private readonly events: EventSender;

  constructor(private readonly deps: TermDeps) {
    this.events = new EventSender(
      deps.writers.services,
      deps.metrics,
      deps.log,
      deps.signal,
      deps.eventConcurrency ?? DEFAULT_EVENT_CONCURRENCY,
    );
    this.poolStatus = new PoolStatusReporter(
      () => this.poolCounters(),
      deps.writers.pools,
      deps.log,
      deps.poolStatusDelayMs ?? DEFAULT_POOL_STATUS_DELAY_MS,
      deps.delay ?? realDelay,
    );
  }

  /** True once the restore pass has run: the term allocates and answers ready. */
  get ready(): boolean {
    return this.phase === 'ready';
  }

  /** Resolves when every Event queued so far has been recorded (or dropped). */
  eventsIdle(): Promise<void> {
    return this.events.idle();
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Counters of every configured pool (empty before a Config is loaded). */
  *poolCounters(): Generator<readonly [string, PoolCounters]> {
    for (const name of this.deps.configState.config?.pools.keys() ?? []) {
      const counters = this.allocator.poolCounters(name);
      if (counters) yield [name, counters];
    }
  }

  assignmentOf(key: string): ReturnType<Allocator['assignmentOf']> {
    return this.allocator.assignmentOf(key);
  }

  /** Handles one queue item. */
  async sync(key: string, signal: AbortSignal): Promise<SyncResult> {
    if (signal.aborted) return 'no-retry';
    const result = key === CONFIG_KEY ? await this.syncConfig(signal) : await this.syncService(key, signal);
    if (result === 'retry') this.deps.metrics.updateErrors.inc();
    else this.deps.metrics.updates.inc();
    return result;
  }

  private async syncConfig(signal: AbortSignal): Promise<SyncResult> {
    const { configState, metrics, log } = this.deps;
    const evaluation = configState.evaluate(this.deps.configSource.snapshot());
    metrics.configLoaded.set(configState.loaded ? 1 : 0);
    metrics.configStale.set(configState.stale ? 1 : 0);
    this.logConfig(evaluation);
    const config = configState.config;
    if (config && this.phase === 'waiting-config') this.restore(config);
    else if (config && evaluation.outcome.kind === 'valid' && evaluation.outcome.poolsChanged) {
      this.applyPools(config);
    } else if (!config) log.warn({}, 'no valid configuration yet: not touching any Service');
    // Published after the allocator has the new pools, so readiness does not wait for these writes.
    return (await this.publishConfig(evaluation, signal)) ? 'ok' : 'retry';
  }

  private logConfig({ outcome }: ConfigEvaluation): void {
    if (outcome.kind === 'valid') {
      const level = outcome.poolsChanged || outcome.warnings.length > 0 ? 'info' : 'debug';
      this.deps.log[level](
        {
          pools: outcome.config.pools.size,
          poolsChanged: outcome.poolsChanged,
          warnings: outcome.warnings.length,
        },
        'configuration loaded',
      );
    } else {
      this.deps.log.error(
        { errors: outcome.errors.length, stale: outcome.stale },
        'configuration rejected; nothing already assigned is withdrawn',
      );
    }
  }

  private async publishConfig(evaluation: ConfigEvaluation, signal: AbortSignal): Promise<boolean> {
    const { writers, configState, metrics, log } = this.deps;
    for (const { ref, event } of evaluation.events) {
      try {
        this.guard(signal);
        await writers.config.objectEvent(ref, event, signal);
        metrics.events.inc({ reason: event.reason });
      } catch (err) {
        if (signal.aborted) return false;
        log.warn({ object: ref, err }, 'recording a configuration event failed');
      }
    }
    if (evaluation.report === undefined) return true;
    try {
      this.guard(signal);
      await writers.config.report(evaluation.report, signal);
      return true;
    } catch (err) {
      configState.unpublish();
      if (!signal.aborted) log.warn({ err }, 'writing the configuration status failed; will retry');
      return false;
    }
  }

  /** The startup pass: restore every status address, then queue every Service. */
  private restore(config: Config): void {
    const { log, metrics, services, requeue } = this.deps;
    const started = performance.now();
    this.allocator.setPools(config.pools);
    const { report, order } = restoreFromStatus(this.allocator, services);
    for (const c of report.cleared) {
      log.warn({ service: c.key, reason: c.reason.message }, 'status address not restorable; reallocating');
    }
    metrics.restoredServices.set(report.restored);
    metrics.restoreConflicts.set(report.cleared.length);
    metrics.restoreSeconds.set((performance.now() - started) / 1000);
    log.info(
      { restored: report.restored, conflicts: report.cleared.length, toAllocate: report.toAllocate.length },
      'restored assignments from Service status',
    );
    this.phase = 'ready';
    for (const key of order) requeue.add(key);
    this.poolStatus.markDirty();
  }

  /** A new good Config with different pools: re-evaluate every assignment, requeue what changed. */
  private applyPools(config: Config): void {
    const report = this.allocator.setPools(config.pools);
    const keys = new Set<string>([...report.reassigned.map((r) => r.key), ...report.moved.map((m) => m.key)]);
    for (const key of this.waiting) keys.add(key);
    this.deps.log.info(
      {
        kept: report.kept,
        moved: report.moved.length,
        reassigned: report.reassigned.length,
        requeued: keys.size,
      },
      'pools changed: re-evaluated every assignment',
    );
    for (const key of keys) this.deps.requeue.add(key);
    this.poolStatus.markDirty();
  }

  private async syncService(key: string, signal: AbortSignal): Promise<SyncResult> {
    if (this.phase !== 'ready') return 'ok'; // the restore pass queues every Service
    const started = performance.now();
    const plan = planService(this.ctx, key, this.deps.services.get(key));
    if (plan.waiting) this.waiting.add(key);
    else this.waiting.delete(key);
    this.deps.metrics.waitingServices.set(this.waiting.size);
    if (plan.freed) for (const other of this.waiting) if (other !== key) this.deps.requeue.add(other);
    if (plan.freed || plan.write) this.poolStatus.markDirty();
    try {
      await this.perform(plan, signal);
    } catch (err) {
      if (signal.aborted) return 'no-retry';
      this.deps.log.warn({ service: key, err }, 'writing Service status failed; will retry');
      return 'retry';
    } finally {
      this.deps.metrics.reconcileSeconds.observe((performance.now() - started) / 1000);
    }
    return 'ok';
  }

  /** Status first; Events (queued, best effort) only once the status says what they announce. */
  private async perform(plan: ServicePlan, signal: AbortSignal): Promise<void> {
    const { writers, metrics, log } = this.deps;
    if (plan.ref === undefined) return;
    if (plan.write) {
      this.guard(signal);
      try {
        const outcome = await writers.services.patchStatus(plan.ref, plan.write, signal);
        metrics.statusWrites.inc({ result: outcome === 'written' ? 'ok' : 'not_found' });
        if (outcome === 'not-found') return;
      } catch (err) {
        metrics.statusWrites.inc({ result: 'error' });
        throw err;
      }
      log.debug({ service: plan.key, ips: plan.write.ips, pool: plan.write.pool }, 'status written');
    }
    this.guard(signal);
    this.events.send(plan.key, plan.ref, plan.events);
  }

  private guard(signal: AbortSignal): void {
    if (signal.aborted) throw new TermAbortedError();
  }
}
