import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  benchLine,
  evaluateTrial,
  firstGarpAfter,
  firstHttpSuccessAfter,
  percentile,
  ratioLines,
  ratios,
  summarize,
  summaryLines,
  trialLine,
  type GarpObservation,
  type HttpObservation,
  type TrialRecord,
} from '../../../../bench/failover/stats.js';

const MS = 1_000_000n;
const OLD = 'aa:aa:aa:aa:aa:01';
const NEW = 'aa:aa:aa:aa:aa:02';
const THIRD = 'aa:aa:aa:aa:aa:03';
const macs = { 'node-1': OLD, 'node-2': NEW, 'node-3': THIRD };

const http = (startMs: number, endMs: number, body: string, ok = true): HttpObservation => ({
  startNs: BigInt(startMs) * MS,
  endNs: BigInt(endMs) * MS,
  ok,
  body,
});
const garp = (atMs: number, senderMac: string): GarpObservation => ({ atNs: BigInt(atMs) * MS, senderMac });

describe('percentile (nearest rank)', () => {
  it('picks ranks ceil(p n)', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 90)).toBe(9);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile([7], 50)).toBe(7);
  });

  it('with 20 values p99 is the maximum and p50 the 10th', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(v, 99)).toBe(20);
    expect(percentile(v, 50)).toBe(10);
  });

  it('rejects empty input and p outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(/p must be/);
    expect(() => percentile([1], 101)).toThrow(/p must be/);
  });

  it('is a member of the data, monotone in p, between min and max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 99 }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const a = percentile(sorted, p);
          const b = percentile(sorted, p + 1);
          expect(sorted).toContain(a);
          expect(a).toBeLessThanOrEqual(b);
          expect(a).toBeGreaterThanOrEqual(sorted[0]!);
          expect(b).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
          // At least p% of the values are <= the p-th percentile.
          expect(sorted.filter((x) => x <= a).length / sorted.length).toBeGreaterThanOrEqual(p / 100);
        },
      ),
    );
  });
});

describe('summarize and ratios', () => {
  it('counts undefined as missing and sorts the rest', () => {
    const s = summarize([30, undefined, 10, 20, undefined]);
    expect(s).toEqual({ n: 3, missing: 2, p50: 20, p99: 30, max: 30, mean: 20 });
    expect(summarize([undefined])).toBeUndefined();
  });

  it('divides Herald by the reference', () => {
    const h = summarize([100, 200])!;
    const r = summarize([1000, 4000])!;
    expect(ratios(h, r)).toEqual({ p50: 0.1, p99: 0.05, max: 0.05 });
  });
});

describe('first observations after the kill', () => {
  it('counts only requests started after the kill, answered by another node, within the bound', () => {
    const results = [
      http(90, 120, 'node-2'), // started before the kill
      http(105, 110, 'node-1'), // the old owner (link not down yet)
      http(110, 400, 'node-2', false), // failed
      http(140, 900, 'node-3'), // beyond untilNs
      http(160, 300, 'node-2'),
      http(180, 250, 'node-2'), // started later, finished earlier: the first success
    ];
    const first = firstHttpSuccessAfter(results, 100n * MS, 'node-1', 800n * MS);
    expect(first?.endNs).toBe(250n * MS);
    expect(firstHttpSuccessAfter(results.slice(0, 4), 100n * MS, 'node-1', 800n * MS)).toBeUndefined();
  });

  it('takes the earliest accepted gratuitous ARP in the window', () => {
    const garps = [garp(90, NEW), garp(300, NEW), garp(200, OLD), garp(250, NEW), garp(900, NEW)];
    const accept = (mac: string): boolean => mac !== OLD;
    expect(firstGarpAfter(garps, 100n * MS, accept, 800n * MS)?.atNs).toBe(250n * MS);
    expect(firstGarpAfter(garps, 100n * MS, () => false, 800n * MS)).toBeUndefined();
  });
});

describe('evaluateTrial', () => {
  const base = {
    target: 't',
    trial: 3,
    oldOwner: 'node-1',
    macs,
    killNs: 1_000n * MS,
    linkDownNs: 1_005n * MS,
    untilNs: 5_000n * MS,
  };

  it('measures from the kill to the new owner gARP and the first success', () => {
    const r = evaluateTrial({
      ...base,
      garps: [garp(1_200, THIRD), garp(1_300, NEW), garp(1_100, OLD)],
      http: [http(1_290, 1_310, 'node-2'), http(1_310, 1_320, 'node-2')],
    });
    // node-3's gARP is not from the node that took over.
    expect(r).toEqual({
      target: 't',
      trial: 3,
      oldOwner: 'node-1',
      newOwner: 'node-2',
      garpMs: 300,
      httpMs: 310,
      linkDownLagMs: 5,
    });
  });

  it('without a success, any gARP but the old owner counts and both are missing when nothing came', () => {
    const r = evaluateTrial({ ...base, garps: [garp(1_100, OLD), garp(1_400, THIRD)], http: [] });
    expect(r.httpMs).toBeUndefined();
    expect(r.newOwner).toBeUndefined();
    expect(r.garpMs).toBe(400);
    const none = evaluateTrial({ ...base, garps: [], http: [] });
    expect(none.garpMs).toBeUndefined();
  });
});

describe('output lines', () => {
  const trials: TrialRecord[] = [10, 20, 30].map((v, i) => ({
    target: 'herald-default',
    trial: i + 1,
    oldOwner: 'node-1',
    newOwner: 'node-2',
    garpMs: v,
    httpMs: v + 5,
    linkDownLagMs: 4,
  }));

  it('are JSON with bench, metric, value and unit', () => {
    const line = JSON.parse(benchLine('x_ms', 1.23456, 'ms', { target: 'a' })) as Record<string, unknown>;
    expect(line).toEqual({ bench: 'failover', metric: 'x_ms', value: 1.235, unit: 'ms', target: 'a' });
    expect(JSON.parse(benchLine('y', Number.NaN, 'ratio')).value).toBeNull();
  });

  it('summarise a target per measure', () => {
    const lines = summaryLines('herald-default', 'http', trials).map((l) => JSON.parse(l));
    const byMetric = Object.fromEntries(lines.map((l) => [l.metric, l.value]));
    expect(byMetric).toMatchObject({ http_p50_ms: 25, http_p99_ms: 35, http_max_ms: 35, http_missing: 0 });
    const empty = summaryLines('x', 'garp', [{ ...trials[0]!, garpMs: undefined }]).map((l) => JSON.parse(l));
    expect(empty).toEqual([expect.objectContaining({ metric: 'garp_missing', value: 1 })]);
  });

  it('give Herald / reference ratios', () => {
    const reference = trials.map((t) => ({ ...t, target: 'keepalived-1s', httpMs: (t.httpMs ?? 0) * 10 }));
    const lines = ratioLines(
      { target: 'herald-default', trials },
      { target: 'keepalived-1s', trials: reference },
      'http',
    ).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.metric, l.value])).toEqual([
      ['http_ratio_p50', 0.1],
      ['http_ratio_p99', 0.1],
      ['http_ratio_max', 0.1],
    ]);
    expect(lines[0]).toMatchObject({ target: 'herald-default', reference: 'keepalived-1s' });
  });

  it('report each trial with nulls for what was not seen', () => {
    const line = JSON.parse(trialLine({ ...trials[0]!, httpMs: undefined, newOwner: undefined }));
    expect(line).toMatchObject({
      metric: 'trial_http_ms',
      value: null,
      new_owner: null,
      garp_ms: 10,
      trial: 1,
    });
  });
});
