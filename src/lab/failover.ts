/**
 * Failover measurement from the client's point of view: a prober (probe.ts) in the client namespace
 * starts a GET to every VIP every 20 ms; once each VIP answers, the lab injects the failure; the failover
 * time of a VIP is from the end of the injection to the end of the first successful request started
 * after it. `afterInject` runs after that moment, concurrently with the probing (e.g. the lab's own
 * reaction, such as marking endpoints not ready). Returns, per VIP, that time, the backend that answered
 * and how many requests started after the failure failed before it.
 */
import { join } from 'node:path';
import { unlessAborted, until, type LabContext } from './context.js';
import type { ProbeResult } from './probe.js';
import { BACKEND_PORT } from './pods.js';
import { programArgv, REPO_ROOT } from './programs.js';
import { sleep } from './netns.js';

export interface FailoverOptions {
  /** How often a new request starts, per VIP (default 20 ms). */
  intervalMs?: number;
  /** Per-request timeout (default 300 ms). */
  requestTimeoutMs?: number;
  /** Give up after this long (default 20 s). */
  maxMs?: number;
}

export interface FailoverResult {
  ip: string;
  /** Milliseconds from the end of the injection to the first successful answer; undefined: none. */
  ms: number | undefined;
  answeredBy: string | undefined;
  failedRequests: number;
}

const STEADY_WAIT_MS = 20_000;
const SETTLE_MS = 100;

function urlOf(ip: string): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${BACKEND_PORT}/`;
}

let probeCount = 0;

export async function measureFailover(
  ctx: LabContext,
  ips: readonly string[],
  inject: () => Promise<void>,
  options: FailoverOptions = {},
  afterInject?: () => Promise<void>,
): Promise<FailoverResult[]> {
  const maxMs = options.maxMs ?? 20_000;
  const urls = ips.map(urlOf);
  const logFile = join(ctx.dir, `probe-${++probeCount}.log`);
  const probe = {
    urls,
    intervalMs: options.intervalMs ?? 20,
    timeoutMs: options.requestTimeoutMs ?? 300,
    durationMs: STEADY_WAIT_MS + maxMs,
    maxInFlight: 25,
  };
  const proc = ctx.lab.spawnInNs(ctx.topology.clientNs, programArgv('probe', probe), {
    logFile,
    cwd: REPO_ROOT,
  });
  const results = (): ProbeResult[] =>
    proc
      .log()
      .split('\n')
      .filter((line) => line.startsWith('{"url"'))
      .map((line) => JSON.parse(line) as ProbeResult);
  try {
    await until(
      ctx,
      () => urls.every((u) => results().some((r) => r.url === u && r.ok)),
      STEADY_WAIT_MS,
      `every VIP to answer the prober (${ips.join(', ')})`,
      50,
    );
    await inject();
    const t0 = Date.now();
    const repair = afterInject?.();
    repair?.catch(() => {}); // awaited below; this only keeps an early exit (Ctrl-C) from an unhandled rejection
    const firstAfter = (u: string): ProbeResult | undefined =>
      results().find((r) => r.url === u && r.ok && r.start >= t0);
    await until(
      ctx,
      () => urls.every((u) => firstAfter(u)),
      maxMs,
      'the VIPs to answer after the failure',
      20,
    ).catch(unlessAborted(() => undefined));
    await repair;
    await sleep(probe.timeoutMs + SETTLE_MS); // requests still in flight finish (or time out) and are logged
    const all = results();
    return ips.map((ip, i) => {
      const first = firstAfter(urls[i]!);
      const failed = all.filter(
        (r) => r.url === urls[i] && !r.ok && r.start >= t0 && (!first || r.start < first.start),
      );
      return {
        ip,
        ms: first ? first.end - t0 : undefined,
        answeredBy: first?.body,
        failedRequests: failed.length,
      };
    });
  } finally {
    await ctx.lab.kill(proc);
  }
}
