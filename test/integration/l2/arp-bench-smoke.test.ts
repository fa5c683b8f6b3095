// Smoke test of bench:arp (bench/arp.ts --smoke, a few seconds): it builds its own namespaces (prefix
// hbarpt-, so it never collides with a bench run using the default hbarp-), runs the Herald announcer and
// the kernel side by side, and must print well-formed JSON lines with sane values for both responders and
// leave no namespace behind. Not a timing assertion: the speed targets are read from the full bench.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { listNamespaces, requireRoot, run } from '../../helpers/netns.js';

const skip = requireRoot('the bench:arp smoke test');
const BENCH = fileURLToPath(new URL('../../../bench/arp.ts', import.meta.url));
const PREFIX = 'hbarpt-';
const RESPONDERS = ['herald', 'kernel'] as const;
/** One latency_* value above a second would mean something is broken, not slow. */
const LATENCY_SANE_MAX_US = 1_000_000;

interface Line {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  responder?: string;
  [field: string]: unknown;
}

describe.skipIf(skip !== undefined)('bench:arp --smoke', () => {
  let lines: Line[] = [];

  afterAll(async () => {
    // The bench cleans up after itself; this only checks that it did.
    expect((await listNamespaces()).filter((ns) => ns.startsWith(PREFIX))).toEqual([]);
  }, 30_000);

  it('prints JSON lines with latency, loss and rate results for Herald and the kernel', async () => {
    const argv = [process.execPath, '--import', 'tsx', BENCH, '--smoke', '--ns-prefix', PREFIX];
    const { stdout } = await run(argv, { timeoutMs: 100_000 });
    lines = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Line);
    for (const line of lines) {
      expect(line.bench).toBe('arp');
      expect(typeof line.metric).toBe('string');
      expect(Number.isFinite(line.value)).toBe(true);
      expect(typeof line.unit).toBe('string');
    }
    const find = (metric: string, responder: string): Line => {
      const line = lines.find((l) => l.metric === metric && l.responder === responder);
      if (line === undefined) throw new Error(`no ${metric} line for ${responder} in:\n${stdout}`);
      return line;
    };
    for (const who of RESPONDERS) {
      const [p50, p99, max] = ['latency_p50', 'latency_p99', 'latency_max'].map((m) => find(m, who).value);
      expect(p50).toBeGreaterThan(0);
      expect(p99).toBeGreaterThanOrEqual(p50!);
      expect(max).toBeGreaterThanOrEqual(p99!);
      expect(max).toBeLessThan(LATENCY_SANE_MAX_US);
      // At 1k requests/s both answer (nearly) everything; a responder that stopped answering fails here.
      const lost = find('latency_lost', who);
      expect(lost.value).toBeLessThanOrEqual(0.05 * Number(lost.requests));
      const steps = lines.filter((l) => l.metric === 'step_lost' && l.responder === who);
      expect(steps.length).toBeGreaterThan(0);
      for (const s of steps) expect(Number(s.received) + s.value).toBe(Number(s.sent));
      expect(find('max_lossless_rate', who).value).toBeGreaterThanOrEqual(0);
      expect(['loss', 'generator', 'plan']).toContain(find('max_lossless_rate', who).limited_by);
      expect(find('max_send_rate', who).value).toBeGreaterThan(0);
    }
    expect(find('generator_send_capacity', 'none').value).toBeGreaterThan(0);
    expect(find('responses_sent_total', 'herald').value).toBeGreaterThan(0);
  }, 120_000);
});
