/**
 * The controller's configuration state: parses every metallb.io snapshot with parseConfig, keeps the last
 * good Config, and decides what to tell the world. A bad snapshot is rejected as a whole: the last good
 * Config keeps serving (config_stale = 1) and nothing already assigned is withdrawn. Every error is
 * reported twice: a Warning Event `InvalidConfiguration` on each offending object (all of that object's
 * errors in one message), and a summary (MetalLB's ConfigurationState for the controller: result,
 * errorSummary). Events and the summary are produced only when they change. Synchronous; term.ts
 * performs the writes.
 */
import {
  formatConfigError,
  parseConfig,
  type Config,
  type ConfigError,
  type ObjectRef,
} from '../config/index.js';
import type { ResourceSnapshot } from '../config/index.js';
import type { Pool } from '../core/pool.js';
import type { ConfigReport, ControllerEvent } from './ports.js';

export const CONFIG_EVENT = {
  invalid: 'InvalidConfiguration',
} as const;

export interface ObjectEvent {
  readonly ref: ObjectRef;
  readonly event: ControllerEvent;
}

export type ConfigOutcome =
  | {
      readonly kind: 'invalid';
      readonly errors: readonly ConfigError[];
      /** True when an older good Config keeps serving. */
      readonly stale: boolean;
    }
  | {
      readonly kind: 'valid';
      readonly config: Config;
      /** The pools differ from the previous good Config (always true for the first one). */
      readonly poolsChanged: boolean;
      readonly warnings: readonly ConfigError[];
    };

export interface ConfigEvaluation {
  readonly outcome: ConfigOutcome;
  /** Events to record (only objects whose errors changed since the last evaluation). */
  readonly events: readonly ObjectEvent[];
  /** The summary to publish, when it differs from the last one published. */
  readonly report: ConfigReport | undefined;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Whether two pool maps hand out the same addresses the same way (names, ranges, flags, selectors). */
export function samePools(a: ReadonlyMap<string, Pool>, b: ReadonlyMap<string, Pool>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, pool] of a) {
    const other = b.get(name);
    if (other === undefined || canonical(pool) !== canonical(other)) return false;
  }
  return true;
}

function objectKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function reportFor(outcome: ConfigOutcome): ConfigReport {
  if (outcome.kind === 'valid') {
    const pools = outcome.config.pools.size;
    const w = outcome.warnings.length;
    const tail =
      w === 0 ? '' : `, ${plural(w, 'warning')}: ${outcome.warnings.map(formatConfigError).join('; ')}`;
    return { result: 'Valid', errors: [], summary: `valid: ${plural(pools, 'pool')}${tail}` };
  }
  const errors = outcome.errors.map(formatConfigError);
  const keeping = outcome.stale ? 'keeping the last good configuration' : 'no configuration loaded yet';
  return {
    result: 'Invalid',
    errors,
    summary: `${plural(errors.length, 'error')} (${keeping}): ${errors.join('; ')}`,
  };
}

/** Groups errors by object; snapshot-level errors have no object to carry an event. */
function eventsByObject(errors: readonly ConfigError[], stale: boolean): Map<string, ObjectEvent> {
  const grouped = new Map<string, { ref: ObjectRef; reasons: string[] }>();
  for (const e of errors) {
    if (e.kind === 'ResourceSnapshot') continue;
    const ref: ObjectRef = { kind: e.kind, namespace: e.namespace, name: e.name };
    const entry = grouped.get(objectKey(ref)) ?? { ref, reasons: [] };
    entry.reasons.push(e.path ? `${e.path}: ${e.reason}` : e.reason);
    grouped.set(objectKey(ref), entry);
  }
  const out = new Map<string, ObjectEvent>();
  for (const [key, { ref, reasons }] of grouped) {
    const keeping = stale ? 'the last good configuration stays in use' : 'no configuration is loaded';
    const message = `configuration rejected (${keeping}): ${reasons.join('; ')}`;
    out.set(key, { ref, event: { type: 'Warning', reason: CONFIG_EVENT.invalid, message } });
  }
  return out;
}

export class ConfigState {
  private good: Config | undefined;
  private lastStale = false;
  private published: string | undefined;
  private announced = new Map<string, string>();

  constructor(private readonly namespace: string) {}

  /** The last good Config, or undefined when none has been loaded. */
  get config(): Config | undefined {
    return this.good;
  }

  get loaded(): boolean {
    return this.good !== undefined;
  }

  /** True while a rejected snapshot is the latest one and an older good Config serves. */
  get stale(): boolean {
    return this.lastStale;
  }

  evaluate(snapshot: ResourceSnapshot): ConfigEvaluation {
    const result = parseConfig(snapshot, { namespace: this.namespace });
    let outcome: ConfigOutcome;
    if (result.ok) {
      const poolsChanged = this.good === undefined || !samePools(this.good.pools, result.config.pools);
      this.good = result.config;
      this.lastStale = false;
      outcome = { kind: 'valid', config: result.config, poolsChanged, warnings: result.warnings };
    } else {
      this.lastStale = this.good !== undefined;
      outcome = { kind: 'invalid', errors: result.errors, stale: this.lastStale };
    }
    return { outcome, events: this.newEvents(outcome), report: this.newReport(outcome) };
  }

  /** Forget what was published (a new leadership term publishes afresh). */
  resetPublished(): void {
    this.published = undefined;
    this.announced = new Map();
  }

  /** Marks a report as not published (its write failed), so the next evaluation offers it again. */
  unpublish(): void {
    this.published = undefined;
  }

  private newReport(outcome: ConfigOutcome): ConfigReport | undefined {
    const report = reportFor(outcome);
    const text = canonical(report);
    if (text === this.published) return undefined;
    this.published = text;
    return report;
  }

  private newEvents(outcome: ConfigOutcome): ObjectEvent[] {
    const current =
      outcome.kind === 'invalid'
        ? eventsByObject(outcome.errors, outcome.stale)
        : new Map<string, ObjectEvent>();
    const fresh: ObjectEvent[] = [];
    const next = new Map<string, string>();
    for (const [key, ev] of current) {
      next.set(key, ev.event.message);
      if (this.announced.get(key) !== ev.event.message) fresh.push(ev);
    }
    this.announced = next;
    return fresh;
  }
}
