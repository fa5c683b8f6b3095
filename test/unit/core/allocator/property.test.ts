/**
 * Model-based property over random add/update/delete/config-change/restart sequences (model.ts).
 * 10,000 short sequences over tiny pools: every step checks determinism, invariants, lowest-address
 * choice and restart recovery.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { allocatorModelProperty } from './model.js';

const SEQUENCES = 10_000;

describe('allocator model property', () => {
  it(`holds over ${SEQUENCES} random operation sequences`, () => {
    fc.assert(allocatorModelProperty(), { numRuns: SEQUENCES });
  });
});
