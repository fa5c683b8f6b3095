// bench:failover --smoke as root: 2 trials of every target (keepalived VRRPv3 at 1 s and 0.1 s, Herald
// with the default and the tuned membership profile) on the bench's namespaces (prefix hbfo; the Herald
// lab clusters use hbfoh). Checks the JSON lines: one per trial with a failover seen from a node other
// than the old owner, p50/p99/max per target and measure, the Herald / keepalived ratios, and that no
// namespace with the prefix is left behind. The numbers themselves are the bench's business.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { Lab, listNamespaces, requireRoot, run } from '../../helpers/netns.js';

const KEEPALIVED = '/usr/sbin/keepalived';
const BENCH = fileURLToPath(new URL('../../../bench/failover.ts', import.meta.url));
const BENCH_TIMEOUT_MS = 420_000;
const TARGETS = ['keepalived-1s', 'keepalived-0.1s', 'herald-default', 'herald-tuned'];

function requireKeepalived(): string | undefined {
  if (existsSync(KEEPALIVED)) return undefined;
  const reason = 'bench:failover needs keepalived (apt-get install keepalived)';
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping it`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

const skip = requireRoot('the bench:failover smoke test') ?? requireKeepalived();

type Line = Record<string, unknown> & { bench: string; metric: string; value: number | null; unit: string };

describe.skipIf(skip !== undefined)('bench:failover --smoke', () => {
  afterAll(async () => {
    // The bench cleans up after itself; this sweeps what a killed run would leave.
    await new Lab('hbfo').removeStale();
  }, 60_000);

  it(
    'measures every target and prints trials, percentiles and ratios as JSON lines',
    async () => {
      // vitest runs from the repository root, where `--import tsx` resolves.
      const { stdout } = await run([process.execPath, '--import', 'tsx', BENCH, '--smoke'], {
        timeoutMs: BENCH_TIMEOUT_MS,
      });
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line);
      for (const line of lines) {
        expect(line.bench).toBe('failover');
        expect(typeof line.metric).toBe('string');
        expect(typeof line.unit).toBe('string');
      }
      for (const target of TARGETS) {
        const trials = lines.filter((l) => l.metric === 'trial_http_ms' && l.target === target);
        expect(trials, target).toHaveLength(2);
        for (const t of trials) {
          expect(t.value, `${target} trial ${String(t.trial)}`).toBeGreaterThan(0);
          expect(t.garp_ms, `${target} trial ${String(t.trial)} gARP`).toBeGreaterThan(0);
          expect(t.new_owner).not.toBe(t.old_owner);
          expect(t.link_down_lag_ms).toBeLessThan(1_000);
        }
        for (const measure of ['garp', 'http']) {
          const metrics = lines.filter((l) => l.target === target && l.metric.startsWith(`${measure}_`));
          const byName = Object.fromEntries(metrics.map((l) => [l.metric, l.value]));
          expect(byName[`${measure}_missing`], `${target} ${measure}`).toBe(0);
          expect(byName[`${measure}_p50_ms`]).toBeLessThanOrEqual(byName[`${measure}_p99_ms`]!);
          expect(byName[`${measure}_p99_ms`]).toBeLessThanOrEqual(byName[`${measure}_max_ms`]!);
        }
      }
      const ratios = lines.filter((l) => l.metric === 'http_ratio_p99');
      expect(ratios.map((l) => `${String(l.target)}/${String(l.reference)}`).sort()).toEqual([
        'herald-default/keepalived-0.1s',
        'herald-default/keepalived-1s',
        'herald-tuned/keepalived-0.1s',
        'herald-tuned/keepalived-1s',
      ]);
      for (const r of ratios) expect(r.value).toBeGreaterThan(0);
      expect(lines.some((l) => l.metric === 'wall_time')).toBe(true);
      expect((await listNamespaces()).filter((ns) => ns.startsWith('hbfo'))).toEqual([]);
    },
    BENCH_TIMEOUT_MS + 30_000,
  );
});
