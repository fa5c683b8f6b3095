// bench:arp's rate search (bench/arp/plan.ts): when it goes on, retries, and stops, and what it reports.
import { describe, expect, it } from 'vitest';

import { GENERATOR_SHORTFALL, RateSearch } from '../../../../bench/arp/plan.js';
import type { RunResult } from '../../../../bench/arp/protocol.js';

function result(rate: number, fields: Partial<RunResult> = {}): RunResult {
  return {
    step: 1,
    sent: rate,
    received: rate - (fields.lost ?? 0),
    lost: 0,
    duplicates: 0,
    late: 0,
    sendAgain: 0,
    sendSeconds: 1,
    achievedRate: rate,
    truncated: false,
    latencyUs: { p50: 1, p99: 2, max: 3 },
    generatorDrops: 0,
    generatorSched: { cpuMs: 0, waitMs: 0 },
    ...fields,
  };
}

describe('RateSearch', () => {
  it('goes on while steps are clean and ends with limited_by plan', () => {
    const search = new RateSearch();
    expect(search.record(1_000, result(1_000))).toBe('next');
    expect(search.record(2_000, result(2_000))).toBe('next');
    expect(search).toMatchObject({ best: 2_000, limitedBy: 'plan', done: false, maxAchievedRate: 2_000 });
  });

  it('retries a lossy step once and stops at the second loss (limited_by loss)', () => {
    const search = new RateSearch();
    search.record(1_000, result(1_000));
    expect(search.record(2_000, result(2_000, { lost: 5 }))).toBe('retry');
    expect(search.record(2_000, result(2_000, { lost: 3 }))).toBe('stop');
    expect(search).toMatchObject({ best: 1_000, limitedBy: 'loss', firstLossyRate: 2_000, done: true });
  });

  it('a clean retry continues the search', () => {
    const search = new RateSearch();
    expect(search.record(2_000, result(2_000, { lost: 1 }))).toBe('retry');
    expect(search.record(2_000, result(2_000))).toBe('next');
    expect(search.record(4_000, result(4_000, { lost: 1 }))).toBe('retry');
    expect(search.best).toBe(2_000);
  });

  it('retries a step where the generator fell short once, then stops with the achieved rate', () => {
    const search = new RateSearch();
    const short = 0.5 * GENERATOR_SHORTFALL * 10_000;
    expect(search.record(10_000, result(10_000, { achievedRate: short }))).toBe('retry');
    expect(search.best).toBe(Math.floor(short));
    expect(search.record(10_000, result(10_000, { achievedRate: 9_000 }))).toBe('stop');
    expect(search).toMatchObject({ best: 9_000, limitedBy: 'generator', done: true, maxAchievedRate: 9_000 });
    expect(search.firstLossyRate).toBeUndefined();
  });

  it('counts truncated steps and generator socket drops as generator-limited', () => {
    const truncated = new RateSearch();
    expect(truncated.record(1_000, result(1_000, { truncated: true }))).toBe('retry');
    expect(truncated.record(1_000, result(1_000, { generatorDrops: 2 }))).toBe('stop');
    expect(truncated.limitedBy).toBe('generator');
  });
});
