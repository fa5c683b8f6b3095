import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareCommunities,
  formatCommunity,
  isCommunity,
  parseCommunity,
  WELL_KNOWN_COMMUNITIES,
  type Community,
} from '../../../src/core/community.js';

describe('parseCommunity', () => {
  it.each([
    ['0:0', { kind: 'standard', value: 0 }],
    ['65000:100', { kind: 'standard', value: 65000 * 65536 + 100 }],
    ['65535:65535', { kind: 'standard', value: 0xffffffff }],
    ['007:08', { kind: 'standard', value: 7 * 65536 + 8 }],
    ['large:4294967295:0:1', { kind: 'large', globalAdmin: 4294967295, localData1: 0, localData2: 1 }],
    ['no-export', { kind: 'standard', value: 0xffffff01 }],
    ['no-advertise', { kind: 'standard', value: 0xffffff02 }],
    ['no-export-subconfed', { kind: 'standard', value: 0xffffff03 }],
    ['no-peer', { kind: 'standard', value: 0xffffff04 }],
    ['blackhole', { kind: 'standard', value: 0xffff029a }],
    ['graceful-shutdown', { kind: 'standard', value: 0xffff0000 }],
    ['accept-own', { kind: 'standard', value: 0xffff0001 }],
    ['llgr-stale', { kind: 'standard', value: 0xffff0006 }],
    ['no-llgr', { kind: 'standard', value: 0xffff0007 }],
  ])('%s', (text, want) => {
    expect(parseCommunity(text)).toEqual(want);
  });

  it.each([
    ['65536:1', 'part "65536" of community "65536:1" is out of range 0..65535', false],
    ['1:-1', 'part "-1" of community "1:-1" is not a decimal number', false],
    ['1:', 'part "" of community "1:" is not a decimal number', false],
    [' 1:1', 'part " 1" of community " 1:1" is not a decimal number', false],
    ['0x10:1', 'part "0x10" of community "0x10:1" is not a decimal number', false],
    [
      'large:1:2:4294967296',
      'part "4294967296" of community "large:1:2:4294967296" is out of range 0..4294967295',
      false,
    ],
    ['LARGE:1:2:3', 'community "LARGE:1:2:3" has 4 parts but does not start with "large:"', false],
    ['1:2:3', '"1:2:3" is not a community', true],
    ['gold', '"gold" is not a community', true],
    ['', '"" is not a community', true],
    ['No-Export', '"No-Export" is not a community', true],
  ])('rejects %j', (text, reason, malformed) => {
    const parsed = parseCommunity(text);
    expect(parsed).toMatchObject({ kind: 'invalid', malformed });
    if (parsed.kind === 'invalid') expect(parsed.reason).toContain(reason);
  });

  it('has exactly the nine well-known names', () => {
    expect([...WELL_KNOWN_COMMUNITIES.keys()].sort()).toEqual([
      'accept-own',
      'blackhole',
      'graceful-shutdown',
      'llgr-stale',
      'no-advertise',
      'no-export',
      'no-export-subconfed',
      'no-llgr',
      'no-peer',
    ]);
  });

  const community: fc.Arbitrary<Community> = fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ kind: 'standard' as const, value })),
    fc
      .tuple(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
      )
      .map(([globalAdmin, localData1, localData2]) => ({
        kind: 'large' as const,
        globalAdmin,
        localData1,
        localData2,
      })),
  );

  it('round-trips formatCommunity', () => {
    fc.assert(
      fc.property(community, (c) => {
        expect(parseCommunity(formatCommunity(c))).toEqual(c);
      }),
    );
  });

  it('never throws and always answers a community or a reason', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseCommunity(text);
        expect(isCommunity(parsed) || parsed.reason.length > 0).toBe(true);
      }),
    );
  });

  it('orders standard before large, then numerically (a total order consistent with equality)', () => {
    fc.assert(
      fc.property(community, community, (a, b) => {
        const ab = compareCommunities(a, b);
        // Antisymmetric (a sum, not toBe(-x): when a equals b, -Math.sign(0) is -0 and Object.is(0, -0) fails).
        expect(Math.sign(ab) + Math.sign(compareCommunities(b, a))).toBe(0);
        expect(ab === 0).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
    );
    expect(
      compareCommunities(
        { kind: 'standard', value: 0xffffffff },
        { kind: 'large', globalAdmin: 0, localData1: 0, localData2: 0 },
      ),
    ).toBeLessThan(0);
  });
});
