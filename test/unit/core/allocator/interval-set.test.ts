/**
 * IntervalSet against a plain Set of offsets: membership, lowest absent offset, maximal coalesced
 * intervals, and the AVL height bound, over random add/delete sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalSet } from '../../../../src/core/allocator/index.js';

/** Maximal runs of consecutive members of a reference set. */
function runs(members: Set<bigint>): [bigint, bigint][] {
  const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] + 1n === x) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

function lowestAbsent(members: Set<bigint>, limit: bigint): bigint | undefined {
  for (let x = 0n; x < limit; x++) if (!members.has(x)) return x;
  return undefined;
}

const op = fc.record({ add: fc.boolean(), x: fc.bigInt({ min: 0n, max: 40n }) });

describe('IntervalSet', () => {
  it('behaves like a set of offsets with coalesced intervals', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.bigInt({ min: 0n, max: 45n }), (ops, limit) => {
        const set = new IntervalSet();
        const ref = new Set<bigint>();
        for (const { add, x } of ops) {
          const changed = add ? set.add(x) : set.delete(x);
          expect(changed).toBe(add ? !ref.has(x) : ref.has(x));
          if (add) ref.add(x);
          else ref.delete(x);
          expect(set.has(x)).toBe(ref.has(x));
        }
        expect(set.size).toBe(ref.size);
        expect([...set.intervals()]).toEqual(runs(ref));
        expect(set.intervalCount).toBe(runs(ref).length);
        expect(set.lowestAbsent(limit)).toBe(lowestAbsent(ref, limit));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the AVL height bound with many scattered intervals', () => {
    const set = new IntervalSet();
    const n = 50_000;
    for (let i = 0; i < n; i++) set.add(BigInt((i * 7919) % n) * 2n);
    expect(set.intervalCount).toBe(n);
    expect(set.depth).toBeLessThanOrEqual(Math.ceil(1.45 * Math.log2(n + 2)));
    for (let i = 0; i < n; i += 2) set.delete(BigInt(i) * 2n);
    expect(set.intervalCount).toBe(n / 2);
    expect(set.depth).toBeLessThanOrEqual(Math.ceil(1.45 * Math.log2(n / 2 + 2)));
    expect(set.lowestAbsent(10n ** 30n)).toBe(0n);
  });

  it('fills from the bottom as one interval and finds the gap left by a delete', () => {
    const set = new IntervalSet();
    for (let i = 0n; i < 1000n; i++) set.add(i);
    expect(set.intervalCount).toBe(1);
    expect(set.lowestAbsent(2n ** 64n)).toBe(1000n);
    expect(set.lowestAbsent(1000n)).toBeUndefined();
    set.delete(500n);
    expect([...set.intervals()]).toEqual([
      [0n, 499n],
      [501n, 999n],
    ]);
    expect(set.lowestAbsent(2n ** 64n)).toBe(500n);
  });

  it('handles offsets beyond 2^53 exactly (IPv6 /64)', () => {
    const set = new IntervalSet();
    const big = 2n ** 64n - 2n;
    expect(set.add(big)).toBe(true);
    expect(set.add(big + 1n)).toBe(true);
    expect(set.has(big - 1n)).toBe(false);
    expect([...set.intervals()]).toEqual([[big, big + 1n]]);
    expect(set.lowestAbsent(2n ** 64n)).toBe(0n);
    expect(new IntervalSet().lowestAbsent(0n)).toBeUndefined();
  });
});
