/**
 * Attributes on exported routes (RFC 4271 §5.1, RFC 6793 §4.2.2) checked on the wire, packing into
 * UPDATEs within the session's maximum length (RFC 4271 §4.3, RFC 4760, RFC 8654), and End-of-RIB markers
 * (RFC 4724 §2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Afi, AS_TRANS, AsPathSegmentType, Origin, Safi } from '../../../../src/bgp/constants.js';
import { desiredRib, EMPTY_SENT, planUpdates } from '../../../../src/bgp/rib/adj-rib-out.js';
import { endOfRib, endOfRibFamily } from '../../../../src/bgp/rib/index.js';
import { chunkPrefixes } from '../../../../src/bgp/rib/pack.js';
import type { PathAttribute } from '../../../../src/bgp/types.js';
import { CODEC, ctx, onTheWire, route, v4Hosts, v6Hosts } from './helpers.js';

function attrs(kind: PathAttribute['kind'], list: readonly PathAttribute[]): PathAttribute | undefined {
  return list.find((a) => a.kind === kind);
}

function firstAttributes(routes: Parameters<typeof desiredRib>[0], c = ctx()): readonly PathAttribute[] {
  const plan = planUpdates(desiredRib(routes), EMPTY_SENT, c);
  return onTheWire(plan.updates, c.codec).messages[0]?.attributes ?? [];
}

describe('AS_PATH, LOCAL_PREF, NEXT_HOP', () => {
  it('eBGP: AS_PATH [our AS], no LOCAL_PREF, NEXT_HOP = our address, ORIGIN IGP', () => {
    const a = firstAttributes([route('192.0.2.0/24')]);
    expect(attrs('as-path', a)).toMatchObject({
      segments: [{ type: AsPathSegmentType.AS_SEQUENCE, asns: [65001] }],
    });
    expect(attrs('local-pref', a)).toBeUndefined();
    expect(attrs('origin', a)).toMatchObject({ value: Origin.IGP });
    expect(Array.from((attrs('next-hop', a) as { address: Uint8Array }).address)).toEqual([192, 0, 2, 1]);
    expect(a.map((x) => x.kind)).toEqual(['origin', 'as-path', 'next-hop']);
  });

  it('iBGP: empty AS_PATH and LOCAL_PREF (100 by default, or the route’s)', () => {
    const ibgp = ctx({ peerAs: 65001 });
    expect(attrs('as-path', firstAttributes([route('192.0.2.0/24')], ibgp))).toMatchObject({ segments: [] });
    expect(attrs('local-pref', firstAttributes([route('192.0.2.0/24')], ibgp))).toMatchObject({ value: 100 });
    expect(
      attrs('local-pref', firstAttributes([route('192.0.2.0/24', { localPref: 250 })], ibgp)),
    ).toMatchObject({ value: 250 });
  });

  it('4-octet AS towards a 2-octet peer: AS_TRANS in AS_PATH plus AS4_PATH (RFC 6793)', () => {
    const old = ctx({ localAs: 4_200_000_001, codec: { ...CODEC, fourOctetAs: false } });
    const a = firstAttributes([route('192.0.2.0/24')], old);
    expect(attrs('as-path', a)).toMatchObject({ segments: [{ asns: [AS_TRANS] }] });
    expect(attrs('as4-path', a)).toMatchObject({
      segments: [{ type: AsPathSegmentType.AS_SEQUENCE, asns: [4_200_000_001] }],
    });
  });

  it('4-octet AS towards a 4-octet peer: the real AS and no AS4_PATH', () => {
    const a = firstAttributes([route('192.0.2.0/24')], ctx({ localAs: 4_200_000_001 }));
    expect(attrs('as-path', a)).toMatchObject({ segments: [{ asns: [4_200_000_001] }] });
    expect(attrs('as4-path', a)).toBeUndefined();
  });

  it('2-octet AS towards a 2-octet peer: no AS4_PATH', () => {
    const a = firstAttributes([route('192.0.2.0/24')], ctx({ codec: { ...CODEC, fourOctetAs: false } }));
    expect(attrs('as-path', a)).toMatchObject({ segments: [{ asns: [65001] }] });
    expect(attrs('as4-path', a)).toBeUndefined();
  });

  it('IPv6 routes go in MP_REACH_NLRI with our IPv6 address as next hop', () => {
    const a = firstAttributes([route('2001:db8:1::/48')]);
    const mp = attrs('mp-reach-nlri', a);
    expect(mp).toMatchObject({ afi: Afi.IPV6, safi: Safi.UNICAST });
    expect(mp?.kind === 'mp-reach-nlri' && mp.nextHops.length).toBe(1);
    expect(attrs('next-hop', a)).toBeUndefined();
  });

  it('carries MED, communities (sorted), large and extended communities', () => {
    const ext = Uint8Array.of(0, 2, 0xfd, 0xe8, 0, 0, 0, 100);
    const a = firstAttributes([
      route('192.0.2.0/24', {
        med: 5,
        communities: [0xfde80002, 0xfde80001],
        largeCommunities: [{ globalAdmin: 65001, localData1: 1, localData2: 2 }],
        extendedCommunities: [ext],
        origin: Origin.INCOMPLETE,
      }),
    ]);
    expect(attrs('multi-exit-disc', a)).toMatchObject({ value: 5 });
    expect(attrs('communities', a)).toMatchObject({ values: [0xfde80001, 0xfde80002] });
    expect(attrs('large-communities', a)).toMatchObject({
      values: [{ globalAdmin: 65001, localData1: 1, localData2: 2 }],
    });
    expect(attrs('extended-communities', a)).toMatchObject({ values: [ext] });
    expect(attrs('origin', a)).toMatchObject({ value: Origin.INCOMPLETE });
  });
});

describe('packing', () => {
  it.each([
    { name: 'IPv4 /32s', routes: v4Hosts(3000), family: 'v4' },
    { name: 'IPv6 /128s', routes: v6Hosts(3000), family: 'v6' },
  ])('$name with equal attributes fill messages up to 4096 octets', ({ routes }) => {
    const plan = planUpdates(desiredRib(routes), EMPTY_SENT, ctx());
    const wire = onTheWire(plan.updates);
    expect(wire.maxLength).toBeLessThanOrEqual(4096);
    expect(new Set(wire.announced).size).toBe(routes.length);
    expect(wire.announced).toHaveLength(routes.length);
    const perPrefix = routes[0]?.prefix.afi === Afi.IPV4 ? 5 : 17;
    // Within one message of the ideal count.
    expect(plan.updates.length).toBeLessThanOrEqual(Math.ceil((routes.length * perPrefix) / 4000) + 1);
  });

  it('uses up to 65535 octets with extended messages (RFC 8654)', () => {
    const ext = { ...CODEC, extendedMessage: true };
    const plan = planUpdates(desiredRib(v4Hosts(20_000)), EMPTY_SENT, ctx({ codec: ext }));
    const wire = onTheWire(plan.updates, ext);
    expect(wire.maxLength).toBeGreaterThan(4096);
    expect(wire.maxLength).toBeLessThanOrEqual(65535);
    expect(plan.updates.length).toBe(2);
  });

  it('groups prefixes by attributes: one group per attribute set', () => {
    const routes = [
      ...v4Hosts(10, { med: 1 }),
      ...v4Hosts(10, { med: 2 }).map((r) => route(`172.16.0.${r.prefix.address[3]}/32`, { med: 2 })),
    ];
    const plan = planUpdates(desiredRib(routes), EMPTY_SENT, ctx());
    expect(plan.updates).toHaveLength(2);
  });

  it('splits withdrawals across messages too', () => {
    const desired = desiredRib(v6Hosts(1000));
    const sent = planUpdates(desired, EMPTY_SENT, ctx()).sent;
    const plan = planUpdates(desiredRib([]), sent, ctx());
    const wire = onTheWire(plan.updates);
    expect(wire.withdrawn).toHaveLength(1000);
    expect(wire.maxLength).toBeLessThanOrEqual(4096);
    expect(plan.updates.length).toBeGreaterThan(1);
  });

  it('chunkPrefixes never exceeds the limit and keeps order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 32 }), { maxLength: 300 }),
        fc.integer({ min: 23, max: 200 }),
        (lengths, max) => {
          const prefixes = lengths.map((length) => ({ afi: Afi.IPV4, length, address: new Uint8Array(4) }));
          const chunks = chunkPrefixes(prefixes, 23, max);
          expect(chunks.flat()).toEqual(prefixes);
          for (const c of chunks) {
            const size = 23 + c.reduce((n, p) => n + 1 + Math.ceil(p.length / 8), 0);
            if (c.length > 1) expect(size).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it('is an empty UPDATE for IPv4 unicast and an empty MP_UNREACH_NLRI for IPv6', () => {
    const v4 = onTheWire([endOfRib({ afi: Afi.IPV4, safi: Safi.UNICAST })]);
    const v6 = onTheWire([endOfRib({ afi: Afi.IPV6, safi: Safi.UNICAST })]);
    expect(v4.maxLength).toBe(23);
    expect(v6.messages[0]?.attributes).toEqual([
      { kind: 'mp-unreach-nlri', afi: Afi.IPV6, safi: Safi.UNICAST, withdrawn: [] },
    ]);
    expect(endOfRibFamily(v4.messages[0] as never)).toEqual({ afi: Afi.IPV4, safi: Safi.UNICAST });
    expect(endOfRibFamily(v6.messages[0] as never)).toEqual({ afi: Afi.IPV6, safi: Safi.UNICAST });
  });
});
