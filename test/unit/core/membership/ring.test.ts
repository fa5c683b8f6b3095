import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildRing, fnv1a32, probePhase, ringTarget } from '../../../../src/core/membership/ring.js';

describe('probe ring', () => {
  it('FNV-1a 32 matches the reference vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('every period is a permutation: each member probed exactly once, never by itself (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 0, max: 10_000 }), (n, period) => {
        const ring = buildRing(Array.from({ length: n }, (_, i) => `node-${i}`));
        const targets = ring.map((self, i) => ringTarget(ring, i, period));
        return new Set(targets).size === n && targets.every((t, i) => t !== ring[i]);
      }),
    );
  });

  it('the prober of a member rotates through everyone over R - 1 periods', () => {
    const ring = buildRing(['a', 'b', 'c', 'd', 'e']);
    const probersOfA = new Set<string>();
    for (let p = 0; p < 4; p++) {
      ring.forEach((self, i) => {
        if (ringTarget(ring, i, p) === 'a') probersOfA.add(self);
      });
    }
    expect(probersOfA).toEqual(new Set(['b', 'c', 'd', 'e']));
  });

  it('is the same order whatever the input order; no target without peers', () => {
    expect(buildRing(['x', 'y', 'z', 'y'])).toEqual(buildRing(['z', 'y', 'x']));
    expect(ringTarget(['solo'], 0, 3)).toBeUndefined();
    expect(probePhase('node-1', 200)).toBeLessThan(200);
  });
});
