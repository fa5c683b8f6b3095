/**
 * The Adj-RIB-Out as desired state: input validation, diffing against what was sent (MetalLB native
 * Set/sendUpdates semantics: nothing to send when nothing changed, withdrawals first), families and next
 * hops, and ROUTE-REFRESH re-announcement. A scenario table runs in order against one sent state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Afi } from '../../../../src/bgp/constants.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import { desiredRib, EMPTY_SENT, planUpdates, type SentRib } from '../../../../src/bgp/rib/adj-rib-out.js';
import type { Route } from '../../../../src/bgp/rib/route.js';
import { ctx, onTheWire, route, v4Hosts } from './helpers.js';

describe('desiredRib', () => {
  it.each([
    {
      name: 'MED above 2^32-1',
      r: route('192.0.2.0/24', { med: 2 ** 32 }),
      field: 'routes[0].attributes.med',
    },
    {
      name: 'negative LOCAL_PREF',
      r: route('192.0.2.0/24', { localPref: -1 }),
      field: 'routes[0].attributes.localPref',
    },
    {
      name: 'fractional community',
      r: route('192.0.2.0/24', { communities: [1.5] }),
      field: 'routes[0].attributes.communities[0]',
    },
    {
      name: 'large community out of range',
      r: route('192.0.2.0/24', {
        largeCommunities: [{ globalAdmin: 1, localData1: 2 ** 32, localData2: 0 }],
      }),
      field: 'routes[0].attributes.largeCommunities[0].localData1',
    },
    { name: 'ORIGIN 7', r: route('192.0.2.0/24', { origin: 7 as 0 }), field: 'routes[0].attributes.origin' },
    {
      name: 'IPv6 next hop on an IPv4 route',
      r: route('192.0.2.0/24', { nextHop: new Uint8Array(16) }),
      field: 'routes[0].attributes.nextHop',
    },
    {
      name: 'extended community of 7 octets',
      r: route('192.0.2.0/24', { extendedCommunities: [new Uint8Array(7)] }),
      field: 'routes[0].attributes.extendedCommunities[0]',
    },
    {
      name: 'prefix length 33',
      r: { prefix: { afi: Afi.IPV4, length: 33, address: new Uint8Array(4) } } as Route,
      field: 'routes[0].prefix',
    },
  ])('rejects $name naming the field', ({ r, field }) => {
    try {
      desiredRib([r]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BgpInputError);
      expect((error as BgpInputError).field).toBe(field);
    }
  });

  it('rejects one prefix with two attribute sets, merges exact duplicates', () => {
    expect(() => desiredRib([route('192.0.2.0/24', { med: 1 }), route('192.0.2.0/24', { med: 2 })])).toThrow(
      /routes\[1\]/,
    );
    expect(desiredRib([route('192.0.2.0/24', { med: 1 }), route('192.0.2.0/24', { med: 1 })]).size).toBe(1);
  });

  it('treats communities as a set (order and duplicates do not matter)', () => {
    const a = desiredRib([route('192.0.2.0/24', { communities: [3, 1, 2, 2] })]);
    const b = desiredRib([route('192.0.2.0/24', { communities: [1, 2, 3] })]);
    expect([...a.values()][0]?.attributesKey).toBe([...b.values()][0]?.attributesKey);
  });
});

describe('planUpdates scenario (rows run in order against one peer)', () => {
  const rows: { name: string; routes: Route[]; announced: string[]; withdrawn: string[] }[] = [
    {
      name: 'initial set is announced in full',
      routes: [route('192.0.2.10/32'), route('192.0.2.11/32'), route('2001:db8::10/128')],
      announced: ['192.0.2.10/32', '192.0.2.11/32', '2001:db8::10/128'],
      withdrawn: [],
    },
    {
      name: 'same set again sends nothing',
      routes: [route('192.0.2.11/32'), route('192.0.2.10/32'), route('2001:db8::10/128')],
      announced: [],
      withdrawn: [],
    },
    {
      name: 'a removed route is withdrawn, an added one announced',
      routes: [route('192.0.2.10/32'), route('192.0.2.12/32'), route('2001:db8::10/128')],
      announced: ['192.0.2.12/32'],
      withdrawn: ['192.0.2.11/32'],
    },
    {
      name: 'changed attributes re-announce (implicit withdraw)',
      routes: [
        route('192.0.2.10/32', { communities: [0xfde80064] }),
        route('192.0.2.12/32'),
        route('2001:db8::10/128'),
      ],
      announced: ['192.0.2.10/32'],
      withdrawn: [],
    },
    {
      name: 'an empty set withdraws everything, IPv6 by MP_UNREACH_NLRI',
      routes: [],
      announced: [],
      withdrawn: ['192.0.2.10/32', '192.0.2.12/32', '2001:db8::10/128'],
    },
  ];

  let sent: SentRib = EMPTY_SENT;
  it.each(rows)('$name', ({ routes, announced, withdrawn }) => {
    const desired = desiredRib(routes);
    const plan = planUpdates(desired, sent, ctx());
    const wire = onTheWire(plan.updates);
    expect(wire.announced.sort()).toEqual([...announced].sort());
    expect(wire.withdrawn.sort()).toEqual([...withdrawn].sort());
    expect([plan.announced, plan.withdrawn]).toEqual([announced.length, withdrawn.length]);
    // Withdrawals come before announcements.
    const firstAnnounce = plan.updates.findIndex(
      (u) => u.nlri.length > 0 || u.attributes.some((a) => a.kind === 'mp-reach-nlri'),
    );
    const lastWithdraw = plan.updates.findLastIndex(
      (u) => u.withdrawn.length > 0 || u.attributes.some((a) => a.kind === 'mp-unreach-nlri'),
    );
    if (firstAnnounce >= 0 && lastWithdraw >= 0) expect(lastWithdraw).toBeLessThan(firstAnnounce);
    // Invariant: after every row the sent state equals the desired state.
    expect([...plan.sent.keys()].sort()).toEqual([...desired.keys()].sort());
    sent = plan.sent;
  });
});

describe('what cannot be sent', () => {
  it('skips a family the peer did not negotiate', () => {
    const plan = planUpdates(
      desiredRib([route('2001:db8::1/128'), route('192.0.2.1/32')]),
      EMPTY_SENT,
      ctx({ families: [{ afi: Afi.IPV4, safi: 1 }] }),
    );
    expect(plan.skipped).toEqual([
      { prefix: expect.objectContaining({ afi: Afi.IPV6 }), reason: 'family-not-negotiated' },
    ]);
    expect(onTheWire(plan.updates).announced).toEqual(['192.0.2.1/32']);
    expect(plan.sent.size).toBe(1);
  });

  it('skips IPv6 routes without an IPv6 next hop (IPv4 session, none configured)', () => {
    const plan = planUpdates(
      desiredRib([route('2001:db8::1/128')]),
      EMPTY_SENT,
      ctx({ nextHopIpv6: undefined }),
    );
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no-next-hop']);
    expect(plan.updates).toEqual([]);
  });

  it('uses a route’s own next hop when it has one', () => {
    const plan = planUpdates(
      desiredRib([route('2001:db8::1/128', { nextHop: new Uint8Array(16).fill(0x20) })]),
      EMPTY_SENT,
      ctx({ nextHopIpv6: undefined }),
    );
    const mp = onTheWire(plan.updates).messages[0]?.attributes.find((a) => a.kind === 'mp-reach-nlri');
    expect(mp?.kind === 'mp-reach-nlri' && Array.from(mp.nextHops[0] ?? [])).toEqual(
      new Array(16).fill(0x20),
    );
  });

  it('withdraws a sent route whose new attributes no longer fit in a message', () => {
    const first = planUpdates(desiredRib([route('192.0.2.1/32')]), EMPTY_SENT, ctx());
    const huge = Array.from({ length: 1100 }, (_, i) => i);
    const second = planUpdates(desiredRib([route('192.0.2.1/32', { communities: huge })]), first.sent, ctx());
    expect(second.skipped.map((s) => s.reason)).toEqual(['attributes-too-large']);
    expect(onTheWire(second.updates).withdrawn).toEqual(['192.0.2.1/32']);
    expect(second.sent.size).toBe(0);
  });
});

describe('refresh', () => {
  it('re-announces every route of the family and nothing else', () => {
    const desired = desiredRib([route('192.0.2.1/32'), route('2001:db8::1/128')]);
    const sent = planUpdates(desired, EMPTY_SENT, ctx()).sent;
    expect(planUpdates(desired, sent, ctx()).updates).toEqual([]);
    const refresh = planUpdates(desired, sent, ctx(), { refresh: Afi.IPV6 });
    expect(onTheWire(refresh.updates).announced).toEqual(['2001:db8::1/128']);
  });
});

describe('properties', () => {
  const prefixArb = fc.integer({ min: 0, max: 4095 }).map((i) => `10.0.${i >> 4}.${(i & 15) * 16}/28`);
  const attrsArb = fc.record({ med: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) });

  it('after any sequence of desired sets, the peer saw exactly the last set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(prefixArb, attrsArb), { maxLength: 60 }), { minLength: 1, maxLength: 6 }),
        (sets) => {
          let sent: SentRib = EMPTY_SENT;
          const peer = new Map<string, string>();
          for (const set of sets) {
            const byPrefix = new Map(set.map(([p, a]) => [p, a]));
            const routes = [...byPrefix].map(([p, a]) =>
              route(p, a.med === undefined ? undefined : { med: a.med }),
            );
            const plan = planUpdates(desiredRib(routes), sent, ctx());
            for (const m of onTheWire(plan.updates).messages) {
              for (const n of m.withdrawn) peer.delete(`${n.prefix.address.join('.')}/${n.prefix.length}`);
              const med = m.attributes.find((x) => x.kind === 'multi-exit-disc');
              for (const n of m.nlri)
                peer.set(
                  `${n.prefix.address.join('.')}/${n.prefix.length}`,
                  med?.kind === 'multi-exit-disc' ? String(med.value) : '-',
                );
            }
            sent = plan.sent;
            const want = new Map(
              [...byPrefix].map(([p, a]) => [p, a.med === undefined ? '-' : String(a.med)]),
            );
            expect(new Map([...peer].sort())).toEqual(new Map([...want].sort()));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

it('packs 1000 routes with equal attributes into few UPDATEs', () => {
  const plan = planUpdates(desiredRib(v4Hosts(1000)), EMPTY_SENT, ctx());
  expect(plan.updates.length).toBeLessThanOrEqual(3);
});
