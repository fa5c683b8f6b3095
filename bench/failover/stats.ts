/**
 * bench:failover measurement core (pure): per-trial records, the observations a trial is computed from
 * (gratuitous ARPs and HTTP poll results seen in the client namespace, all on CLOCK_MONOTONIC in
 * nanoseconds), nearest-rank percentiles, Herald-to-reference ratios and the JSON lines the bench prints.
 * No I/O, no clock: every time is an argument.
 */

/** A gratuitous ARP for the VIP seen by the client (sender IP == target IP == VIP). */
export interface GarpObservation {
  /** CLOCK_MONOTONIC (process.hrtime.bigint()) when the client agent received it. */
  readonly atNs: bigint;
  /** ARP sender hardware address, lowercase colon form. */
  readonly senderMac: string;
}

/** One HTTP request of the client poller. */
export interface HttpObservation {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly ok: boolean;
  /** Response body (the answering node's name) when ok. */
  readonly body: string;
}

/** One failover trial: times from the kill of the owner, in milliseconds; undefined = not seen in time. */
export interface TrialRecord {
  readonly target: string;
  readonly trial: number;
  readonly oldOwner: string;
  /** Node that answered the first successful request after the kill. */
  readonly newOwner: string | undefined;
  readonly garpMs: number | undefined;
  readonly httpMs: number | undefined;
  /** From the kill until `ip link set down` had returned (the link went down within this). */
  readonly linkDownLagMs: number;
  /** Target-specific breakdown (e.g. Herald's "announcing" log line), printed with the trial. */
  readonly detail?: Readonly<Record<string, number>>;
}

export interface Summary {
  /** Trials with a value. */
  readonly n: number;
  /** Trials where nothing was observed within the trial's bound. */
  readonly missing: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

const NS_PER_MS = 1_000_000;

export function nsToMs(ns: bigint): number {
  return Number(ns) / NS_PER_MS;
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below it) of an
 * ascending array. With n values, p99 is the value of rank ceil(0.99 n): for n <= 100 that is the maximum.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile: no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p99/max/mean of the observed values; undefined values are counted as missing. */
export function summarize(values: readonly (number | undefined)[]): Summary | undefined {
  const seen = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (seen.length === 0) return undefined;
  const sorted = [...seen].sort((a, b) => a - b);
  return {
    n: sorted.length,
    missing: values.length - sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

/** Herald / reference for p50, p99 and max (below 1 = Herald is faster). */
export function ratios(herald: Summary, reference: Summary): { p50: number; p99: number; max: number } {
  const div = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);
  return {
    p50: div(herald.p50, reference.p50),
    p99: div(herald.p99, reference.p99),
    max: div(herald.max, reference.max),
  };
}

/** The first gratuitous ARP in [killNs, untilNs] whose sender MAC passes `accept`. */
export function firstGarpAfter(
  garps: readonly GarpObservation[],
  killNs: bigint,
  accept: (mac: string) => boolean,
  untilNs: bigint,
): GarpObservation | undefined {
  let first: GarpObservation | undefined;
  for (const g of garps) {
    if (g.atNs < killNs || g.atNs > untilNs || !accept(g.senderMac.toLowerCase())) continue;
    if (first === undefined || g.atNs < first.atNs) first = g;
  }
  return first;
}

/**
 * The first success (by completion time) among requests started at or after the kill and answered by a
 * node other than the old owner: a request started before the kill could have been in flight to the old
 * owner, so it does not count.
 */
export function firstHttpSuccessAfter(
  results: readonly HttpObservation[],
  killNs: bigint,
  oldOwner: string,
  untilNs: bigint,
): HttpObservation | undefined {
  let first: HttpObservation | undefined;
  for (const r of results) {
    if (!r.ok || r.startNs < killNs || r.endNs > untilNs || r.body === oldOwner) continue;
    if (first === undefined || r.endNs < first.endNs) first = r;
  }
  return first;
}

/**
 * Builds a trial record from what the client saw between the kill and untilNs. The gratuitous ARP
 * counted is the first one from the new owner's MAC (the node that answered the first successful
 * request); when no request succeeded, the first one from any MAC but the old owner's.
 */
export function evaluateTrial(input: {
  target: string;
  trial: number;
  oldOwner: string;
  /** Node name -> lowercase MAC of its interface on the client's link. */
  macs: Readonly<Record<string, string>>;
  killNs: bigint;
  linkDownNs: bigint;
  untilNs: bigint;
  garps: readonly GarpObservation[];
  http: readonly HttpObservation[];
}): TrialRecord {
  const ok = firstHttpSuccessAfter(input.http, input.killNs, input.oldOwner, input.untilNs);
  const oldMac = input.macs[input.oldOwner];
  const newMac = ok === undefined ? undefined : input.macs[ok.body];
  const accept = (mac: string): boolean => mac !== oldMac && (newMac === undefined || mac === newMac);
  const garp = firstGarpAfter(input.garps, input.killNs, accept, input.untilNs);
  return {
    target: input.target,
    trial: input.trial,
    oldOwner: input.oldOwner,
    newOwner: ok?.body,
    garpMs: garp === undefined ? undefined : nsToMs(garp.atNs - input.killNs),
    httpMs: ok === undefined ? undefined : nsToMs(ok.endNs - input.killNs),
    linkDownLagMs: nsToMs(input.linkDownNs - input.killNs),
  };
}

export type JsonValue = string | number | boolean | null;

/** One bench output line: {"bench":"failover","metric",...,"value","unit",...extra}. */
export function benchLine(
  metric: string,
  value: number | null,
  unit: string,
  extra: Record<string, JsonValue> = {},
): string {
  const rounded = value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
  return JSON.stringify({ bench: 'failover', metric, value: rounded, unit, ...extra });
}

/** The summary lines of one target and one measure ('garp' or 'http'). */
export function summaryLines(
  target: string,
  measure: 'garp' | 'http',
  trials: readonly TrialRecord[],
): string[] {
  const values = trials.map((t) => (measure === 'garp' ? t.garpMs : t.httpMs));
  const s = summarize(values);
  const extra = { target, trials: trials.length };
  if (s === undefined) return [benchLine(`${measure}_missing`, values.length, 'count', extra)];
  return [
    benchLine(`${measure}_p50_ms`, s.p50, 'ms', extra),
    benchLine(`${measure}_p99_ms`, s.p99, 'ms', extra),
    benchLine(`${measure}_max_ms`, s.max, 'ms', extra),
    benchLine(`${measure}_mean_ms`, s.mean, 'ms', extra),
    benchLine(`${measure}_missing`, s.missing, 'count', extra),
  ];
}

/** Ratio lines Herald / reference for one measure (skipped when either side saw nothing). */
export function ratioLines(
  herald: { target: string; trials: readonly TrialRecord[] },
  reference: { target: string; trials: readonly TrialRecord[] },
  measure: 'garp' | 'http',
): string[] {
  const pick = (t: TrialRecord): number | undefined => (measure === 'garp' ? t.garpMs : t.httpMs);
  const h = summarize(herald.trials.map(pick));
  const r = summarize(reference.trials.map(pick));
  if (h === undefined || r === undefined) return [];
  const q = ratios(h, r);
  const extra = { target: herald.target, reference: reference.target };
  return [
    benchLine(`${measure}_ratio_p50`, q.p50, 'ratio', extra),
    benchLine(`${measure}_ratio_p99`, q.p99, 'ratio', extra),
    benchLine(`${measure}_ratio_max`, q.max, 'ratio', extra),
  ];
}

/** The per-trial line. */
export function trialLine(t: TrialRecord): string {
  return benchLine('trial_http_ms', t.httpMs ?? null, 'ms', {
    target: t.target,
    trial: t.trial,
    old_owner: t.oldOwner,
    new_owner: t.newOwner ?? null,
    garp_ms: t.garpMs === undefined ? null : Math.round(t.garpMs * 1000) / 1000,
    link_down_lag_ms: Math.round(t.linkDownLagMs * 1000) / 1000,
    ...t.detail,
  });
}
