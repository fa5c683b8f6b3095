/**
 * Dual-stack: RequireDualStack and PreferDualStack from one pool, primary family first, adding the
 * missing family later, family checks on requested and current addresses; plus avoidBuggyIPs and pools
 * as large as an IPv4 /8 and an IPv6 /64.
 */
import type { AllocationRequest } from '../../../../src/core/allocator/index.js';
import { alloc, counters, release, setPools, summarize, type Op } from './harness.js';
import { ips, pool, svc } from './helpers.js';
import { scenarioTable } from './table.js';

const require46: Partial<AllocationRequest> = {
  ipFamilyPolicy: 'RequireDualStack',
  ipFamilies: ['IPv4', 'IPv6'],
};
const require64: Partial<AllocationRequest> = {
  ipFamilyPolicy: 'RequireDualStack',
  ipFamilies: ['IPv6', 'IPv4'],
};
const prefer46: Partial<AllocationRequest> = {
  ipFamilyPolicy: 'PreferDualStack',
  ipFamilies: ['IPv4', 'IPv6'],
};
const prefer64: Partial<AllocationRequest> = {
  ipFamilyPolicy: 'PreferDualStack',
  ipFamilies: ['IPv6', 'IPv4'],
};

const aDual = pool('a-dual', ['192.0.2.0/31', '2001:db8::/127']);
const cV6 = pool('c-v6', ['2001:db8:1::/126']);

scenarioTable(
  'dual-stack',
  [aDual, pool('b-v4', ['198.51.100.0/30']), cV6],
  [
    {
      name: 'RequireDualStack gets both families from one pool, primary first',
      op: alloc('d1', require46),
      want: { ips: ['192.0.2.0', '2001:db8::'], pool: 'a-dual' },
    },
    {
      name: 'IPv6 as primary family',
      op: alloc('d2', require64),
      want: { ips: ['2001:db8::1', '192.0.2.1'] },
    },
    {
      name: 'RequireDualStack when no pool has both families free',
      op: alloc('d3', require46),
      want: {
        ok: false,
        error: 'dual-stack-unavailable',
        message:
          'no available IPs: none of pool(s) "a-dual", "b-v4", "c-v6" has both a free IPv4 and a free IPv6 address (RequireDualStack)',
      },
    },
    {
      name: 'PreferDualStack falls back to the primary family',
      op: alloc('p1', prefer46),
      want: { ips: ['198.51.100.0'], pool: 'b-v4' },
    },
    {
      name: 'PreferDualStack with IPv6 primary',
      op: alloc('p2', prefer64),
      want: { ips: ['2001:db8:1::'], pool: 'c-v6' },
    },
    {
      name: 'a single-family PreferDualStack service is kept and told why the other family is missing',
      op: alloc('p1', prefer46),
      want: { ips: ['198.51.100.0'], changed: false, source: 'kept', additional: 'family-not-in-pool' },
    },
    {
      name: 'the pool gains an IPv6 range',
      op: setPools([aDual, pool('b-v4', ['198.51.100.0/30', '2001:db8:2::/126']), cV6]),
      want: { kept: 4, moved: [], reassigned: [] },
    },
    {
      name: 'the missing family is added from the same pool',
      op: alloc('p1', prefer46),
      want: { ips: ['198.51.100.0', '2001:db8:2::'], changed: true, source: 'kept' },
    },
    {
      name: 'a SingleStack service whose status is dual-stack is cleared',
      op: alloc('s1', { currentIps: ips('198.51.100.1', '2001:db8:2::1') }),
      want: { ips: ['198.51.100.1'], changed: true, cleared: 'family-mismatch' },
    },
    { name: 'release d1', op: release('d1'), want: { released: true } },
    {
      name: 'a RequireDualStack service whose status has one family is cleared and re-allocated',
      op: alloc('d4', { ...require46, currentIps: ips('198.51.100.2') }),
      want: { ips: ['192.0.2.0', '2001:db8::'], pool: 'a-dual', cleared: 'family-mismatch' },
    },
    {
      name: 'requested dual-stack addresses from one pool',
      op: alloc('r1', { ...require46, requestedIps: ips('198.51.100.3', '2001:db8:2::3') }),
      want: { ips: ['198.51.100.3', '2001:db8:2::3'], pool: 'b-v4', source: 'requested-ips' },
    },
    {
      name: 'requested dual-stack addresses from two pools',
      op: alloc('r2', { ...require46, requestedIps: ips('198.51.100.2', '2001:db8:1::3') }),
      want: {
        ok: false,
        error: 'ips-in-different-pools',
        message:
          '["198.51.100.2" "2001:db8:1::3"] are in different pools ("b-v4", "c-v6"); all addresses of a service must come from one pool',
      },
    },
    {
      name: 'two requested addresses of one family',
      op: alloc('r3', { ...require46, requestedIps: ips('198.51.100.2', '198.51.100.3') }),
      want: { ok: false, error: 'family-mismatch' },
    },
    {
      name: 'a single requested address for a dual-stack service (as MetalLB: families must match)',
      op: alloc('r3', { ...prefer46, requestedIps: ips('198.51.100.2') }),
      want: { ok: false, error: 'family-mismatch' },
    },
    {
      name: 'RequireDualStack from a named single-family pool',
      op: alloc('r4', { ...require46, requestedPool: 'c-v6' }),
      want: { ok: false, error: 'family-not-in-pool', message: 'pool "c-v6" has no IPv4 addresses' },
    },
    {
      name: 'RequireDualStack with a single cluster family is invalid',
      op: alloc('bad', { ...require46, ipFamilies: ['IPv4'] }),
      want: {
        ok: false,
        error: 'invalid-request',
        message:
          'invalid service: spec.ipFamilies: service requires dual stack but has only IPv4 cluster IPs',
      },
    },
    {
      name: 'PreferDualStack on a single-stack cluster is single-stack, nothing to add',
      op: alloc('p3', { ...prefer46, ipFamilies: ['IPv4'] }),
      want: { ips: ['198.51.100.2'], pool: 'b-v4', source: 'auto' },
    },
    {
      name: 'PreferDualStack from a named pool with neither family free',
      op: alloc('p4', { ...prefer46, requestedPool: 'a-dual' }),
      want: {
        ok: false,
        error: 'pool-exhausted',
        message: 'no available IPs in pool "a-dual" for IPv4 and IPv6',
      },
    },
    { name: 'release d2', op: release('d2'), want: { released: true } },
    {
      name: 'PreferDualStack from a named pool gets both',
      op: alloc('p4', { ...prefer46, requestedPool: 'a-dual' }),
      want: { ips: ['192.0.2.1', '2001:db8::1'], source: 'requested-pool' },
    },
    {
      name: 'PreferDualStack from a named single-family pool gets that family',
      op: alloc('p5', { ...prefer64, requestedPool: 'c-v6' }),
      want: { ips: ['2001:db8:1::1'], pool: 'c-v6' },
    },
  ],
);

scenarioTable(
  'PreferDualStack and pinned pools (MetalLB: a pinned single-family pool wins)',
  [
    pool('pinned-v4', ['192.0.2.0/30'], { serviceAllocation: { namespaces: ['team'] } }),
    pool('open-dual', ['198.51.100.0/30', '2001:db8::/126']),
  ],
  [
    {
      name: 'PreferDualStack takes the primary family from the pinned pool',
      op: alloc('p1', { ...prefer46, namespace: 'team' }),
      want: { ips: ['192.0.2.0'], pool: 'pinned-v4' },
    },
    {
      name: 'RequireDualStack skips the pinned pool',
      op: alloc('r1', { ...require46, namespace: 'team' }),
      want: { ips: ['198.51.100.0', '2001:db8::'], pool: 'open-dual' },
    },
    {
      name: 'the PreferDualStack service stays single-stack',
      op: alloc('p1', { ...prefer46, namespace: 'team' }),
      want: { ips: ['192.0.2.0'], changed: false, additional: 'family-not-in-pool' },
    },
  ],
);

const buggy = pool('buggy', ['192.0.2.254-192.0.3.1'], { avoidBuggyIPs: true });

scenarioTable(
  'avoidBuggyIPs',
  [buggy, pool('plain', ['198.51.100.255/32'])],
  [
    {
      name: 'capacity leaves out .255 and .0',
      op: counters('buggy'),
      want: { assignedIPv4: 0n, availableIPv4: 2n },
    },
    { name: 'first address', op: alloc('s1'), want: { ips: ['192.0.2.254'] } },
    { name: 'next skips .255 and .0', op: alloc('s2'), want: { ips: ['192.0.3.1'] } },
    {
      name: 'a pool without avoidBuggyIPs hands out .255',
      op: alloc('s3'),
      want: { ips: ['198.51.100.255'], pool: 'plain' },
    },
    {
      name: 'requesting a .255 of an avoidBuggyIPs pool',
      op: alloc('r1', { requestedIps: ips('192.0.2.255') }),
      want: { ok: false, error: 'ip-not-in-pool' },
    },
    {
      name: 'requesting a .0 of an avoidBuggyIPs pool',
      op: alloc('r2', { requestedIps: ips('192.0.3.0') }),
      want: { ok: false, error: 'ip-not-in-pool' },
    },
    { name: 'counters after use', op: counters('buggy'), want: { assignedIPv4: 2n, availableIPv4: 0n } },
    {
      name: 'turning avoidBuggyIPs on clears a .255 in use',
      op: setPools([buggy, pool('plain', ['198.51.100.255/32'], { avoidBuggyIPs: true })]),
      want: {
        kept: 2,
        reassigned: [
          {
            key: 'default/s3',
            previous: ['198.51.100.255'],
            reason: 'ip-not-in-pool',
            result: { ok: false, error: 'no-available-ips' },
          },
        ],
      },
    },
    {
      name: 'an all-buggy range has no capacity',
      op: counters('plain'),
      want: { assignedIPv4: 0n, availableIPv4: 0n },
    },
  ],
);

const lastOf =
  (prefix: string, count: number): Op =>
  (h) => {
    let last: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) last = summarize(h.allocate(svc(`${prefix}${i}`)));
    return last;
  };

scenarioTable(
  'an IPv4 /8 and an IPv6 /64',
  [pool('big4', ['10.0.0.0/8'], { avoidBuggyIPs: true }), pool('big6', ['2001:db8::/64'])],
  [
    { name: 'first usable address of the /8', op: alloc('a'), want: { ips: ['10.0.0.1'] } },
    { name: '300 more cross the first .255/.0 boundary', op: lastOf('s', 300), want: { ips: ['10.0.1.47'] } },
    {
      name: 'counters of the /8',
      op: counters('big4'),
      want: { assignedIPv4: 301n, availableIPv4: 2n ** 24n - 2n * 2n ** 16n - 301n },
    },
    {
      name: 'the last usable address of the /8',
      op: alloc('r4', { requestedIps: ips('10.255.255.254') }),
      want: { ips: ['10.255.255.254'] },
    },
    {
      name: 'the broadcast-looking last address is skipped',
      op: alloc('r5', { requestedIps: ips('10.255.255.255') }),
      want: { ok: false, error: 'ip-not-in-pool' },
    },
    {
      name: 'an address near the end of the /64',
      op: alloc('r6', { ipFamilies: ['IPv6'], requestedIps: ips('2001:db8::ffff:ffff:ffff:fffe') }),
      want: { ips: ['2001:db8::ffff:ffff:ffff:fffe'] },
    },
    {
      name: 'automatic IPv6 is still the lowest',
      op: alloc('v6', { ipFamilies: ['IPv6'] }),
      want: { ips: ['2001:db8::'] },
    },
    {
      name: 'counters of the /64',
      op: counters('big6'),
      want: { assignedIPv6: 2n, availableIPv6: 2n ** 64n - 2n, assignedIPv4: 0n, availableIPv4: 0n },
    },
  ],
);
