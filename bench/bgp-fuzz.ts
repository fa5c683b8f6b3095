/**
 * bench:bgp-fuzz — the decoder fuzz run at scale (test/laws/bgp-fuzz.ts): 1,000,000 random and mutated
 * messages (--smoke: 20,000; --size N; --seed N to replay), seeded from generated messages under every
 * session shape and the real-daemon captures. Prints the count, the accepted share, errors and warnings
 * by NOTIFICATION code/subcode and action, and violations (anything thrown that is not a BgpWireError,
 * or an accepted message that does not survive encode -> decode); exits 1 on any violation.
 */
import { performance } from 'node:perf_hooks';
import { buildCorpus, newStats, runFuzz } from '../test/laws/bgp-fuzz.js';
import { allFixtureMessages } from '../test/unit/bgp/codec/fixture-files.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const smoke = process.argv.includes('--smoke');
const size = Number(arg('--size') ?? (smoke ? 20_000 : 1_000_000));
const seed = Number(arg('--seed') ?? 0x4e524c44);

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ bench: 'bgp-fuzz', metric, value, unit, size, seed, ...extra }));
}

const corpus = buildCorpus(seed, 200, allFixtureMessages());
const start = performance.now();
const stats = runFuzz(corpus, size, seed, newStats());
const ms = performance.now() - start;

emit('messages', stats.total, 'count', { corpus: corpus.length });
emit('accepted', stats.accepted, 'count');
emit('accepted_with_warnings', stats.withWarnings, 'count');
emit('rejected', stats.total - stats.accepted, 'count');
emit('throughput', Math.round((stats.total / ms) * 1000), 'msg/s', { ms: Math.round(ms) });
for (const [type, count] of [...stats.errors].sort((a, b) => b[1] - a[1]))
  emit('error', count, 'count', { type });
for (const [type, count] of [...stats.warnings].sort((a, b) => b[1] - a[1]))
  emit('warning', count, 'count', { type });
emit('violations', stats.violations.length, 'count');
for (const v of stats.violations) console.error(`violation: ${v}`);
if (stats.violations.length > 0) process.exitCode = 1;
