/**
 * The decoder never throws anything but BgpWireError: 100k random and mutated messages (seeded, so a
 * failure replays), starting from generated messages under every session shape and the real-daemon
 * captures. Accepted messages must also survive encode -> decode.
 */
import { describe, expect, it } from 'vitest';
import { buildCorpus, newStats, runFuzz } from '../../../laws/bgp-fuzz.js';
import { allFixtureMessages } from './fixture-files.js';

const ITERATIONS = 100_000;
const SEED = 0x4e524c44;

describe('decoder fuzzing', () => {
  it(`${ITERATIONS} random and mutated messages: only BgpWireError, and accepted ones round-trip`, () => {
    const corpus = buildCorpus(SEED, 60, allFixtureMessages());
    const stats = runFuzz(corpus, ITERATIONS, SEED, newStats());
    expect(stats.violations).toEqual([]);
    expect(stats.total).toBe(ITERATIONS);
    // The mutations reach every layer: some inputs are accepted, some with RFC 7606 warnings, and the
    // errors span header, OPEN and UPDATE codes.
    expect(stats.accepted).toBeGreaterThan(ITERATIONS / 20);
    expect(stats.withWarnings).toBeGreaterThan(100);
    const codes = new Set([...stats.errors.keys()].map((k) => k.split('/')[0]));
    expect([...codes].sort()).toEqual(expect.arrayContaining(['1', '2', '3']));
  });
});
