/**
 * Per-range address bookkeeping: the compressed index space of avoidBuggyIPs ranges against brute-force
 * enumeration (offsets dense, order-preserving, buggy addresses excluded, capacity exact), and the
 * range index lookup against a linear scan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBuggyIp } from '../../../../src/core/allocator/index.js';
import { PoolState, RangeIndex, RangeState } from '../../../../src/core/allocator/pool-state.js';
import type { IpRange } from '../../../../src/core/ip/index.js';
import { ip, pool, poolHolds } from './helpers.js';

/** Ranges that often start or end right at a .0/.255 boundary. */
const v4Range = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 2n ** 24n - 4n }),
    fc.constantFrom(0n, 1n, 254n, 255n, 17n),
    fc.bigInt({ min: 0n, max: 700n }),
  )
  .map(([block, low, len]): IpRange => ({
    family: 'IPv4',
    first: block * 256n + low,
    last: block * 256n + low + len,
  }));

describe('RangeState', () => {
  it('numbers exactly the usable addresses, densely and in order', () => {
    fc.assert(
      fc.property(v4Range, fc.boolean(), (r, avoid) => {
        const state = new RangeState(r, avoid);
        const offsets: (bigint | undefined)[] = [];
        const want: (bigint | undefined)[] = [];
        const back: bigint[] = [];
        const usable: bigint[] = [];
        for (let v = r.first; v <= r.last; v++) {
          const addr = { family: 'IPv4' as const, value: v };
          const offset = state.offsetOf(addr);
          offsets.push(offset);
          const skip = avoid && isBuggyIp(addr);
          want.push(skip ? undefined : BigInt(usable.length));
          if (!skip) usable.push(v);
          if (offset !== undefined) back.push(state.valueAt(offset));
        }
        expect(offsets).toEqual(want);
        expect(back).toEqual(usable);
        expect(state.capacity).toBe(BigInt(usable.length));
        expect(state.offsetOf({ family: 'IPv4', value: r.last + 1n })).toBeUndefined();
        expect(state.offsetOf({ family: 'IPv6', value: r.first })).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('lowestFree skips used and buggy addresses', () => {
    const state = new RangeState(
      { family: 'IPv4', first: ip('192.0.2.253').value, last: ip('192.0.3.2').value },
      true,
    );
    expect(state.lowestFree()).toBe(ip('192.0.2.253').value);
    state.used.add(state.offsetOf(ip('192.0.2.253'))!);
    state.used.add(state.offsetOf(ip('192.0.2.254'))!);
    expect(state.lowestFree()).toBe(ip('192.0.3.1').value);
    state.used.add(state.offsetOf(ip('192.0.3.1'))!);
    state.used.add(state.offsetOf(ip('192.0.3.2'))!);
    expect(state.lowestFree()).toBeUndefined();
  });

  it('IPv6 ranges ignore avoidBuggyIPs', () => {
    const state = new RangeState(
      { family: 'IPv6', first: ip('2001:db8::').value, last: ip('2001:db8::ff').value },
      true,
    );
    expect(state.capacity).toBe(256n);
    expect(state.offsetOf(ip('2001:db8::ff'))).toBe(255n);
  });
});

describe('RangeIndex', () => {
  it('finds the pool and range of an address like a linear scan does', () => {
    const pools = [
      pool('a', ['192.0.2.0/30', '2001:db8::/126', '192.0.2.250-192.0.3.5'], { avoidBuggyIPs: true }),
      pool('b', ['192.0.2.8/29', '198.51.100.0/24']),
      pool('c', ['2001:db8:1::/64']),
    ];
    const states = pools.map((p) => new PoolState(p));
    const index = new RangeIndex(states);
    const probes = [
      '192.0.2.0',
      '192.0.2.3',
      '192.0.2.4',
      '192.0.2.8',
      '192.0.2.15',
      '192.0.2.16',
      '192.0.2.255',
      '192.0.3.0',
      '192.0.3.5',
      '198.51.100.255',
      '2001:db8::3',
      '2001:db8::4',
      '2001:db8:1::ffff',
      '10.0.0.1',
    ];
    for (const text of probes) {
      const addr = ip(text);
      const want = pools.find((p) => poolHolds(p, addr))?.name;
      expect(index.lookup(addr)?.pool.name, text).toBe(want);
    }
  });
});
