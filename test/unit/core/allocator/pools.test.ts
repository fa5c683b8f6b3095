/**
 * Pool choice: serviceAllocation (namespaces, namespace selectors, service selectors, priority with 0 =
 * unset last), deterministic order by name, autoAssign, named pools, and the errors when nothing fits.
 */
import type { AllocationRequest } from '../../../../src/core/allocator/index.js';
import { alloc, setPools, summarize, type Op } from './harness.js';
import { ips, matchLabels, pool, svc } from './helpers.js';
import { scenarioTable } from './table.js';

/** Allocates `count` services named prefix0.. and returns the address each got (or the error kind). */
const allocMany =
  (prefix: string, count: number, over: Partial<AllocationRequest> = {}): Op =>
  (h) =>
    Array.from({ length: count }, (_, i) => {
      const s = summarize(h.allocate(svc(`${prefix}${i}`, over)));
      return s.ok ? (s.ips as string[]).join(',') : s.error;
    });

const team = pool('prio2', ['198.51.100.0/30'], { serviceAllocation: { priority: 2, namespaces: ['team'] } });
const prod = pool('prio1', ['198.51.100.4/30'], {
  serviceAllocation: { priority: 1, namespaceSelectors: [matchLabels({ env: 'prod' })] },
});
const web = pool('prio0', ['198.51.100.8/30'], {
  serviceAllocation: { serviceSelectors: [matchLabels({ tier: 'web' })] },
});

scenarioTable(
  'pool order and serviceAllocation',
  [
    pool('zeta', ['192.0.2.0/30']),
    pool('alpha', ['192.0.2.4/30']),
    team,
    prod,
    web,
    pool('manual', ['203.0.113.0/30'], { autoAssign: false }),
    pool('v6only', ['2001:db8::/126']),
  ],
  [
    {
      name: 'pools without serviceAllocation go by name: alpha before zeta',
      op: alloc('a1'),
      want: { pool: 'alpha', ips: ['192.0.2.4'] },
    },
    {
      name: 'namespace pin',
      op: alloc('t1', { namespace: 'team' }),
      want: { pool: 'prio2', ips: ['198.51.100.0'] },
    },
    {
      name: 'priority 1 beats priority 2',
      op: alloc('t2', { namespace: 'team', namespaceLabels: { env: 'prod' } }),
      want: { pool: 'prio1', ips: ['198.51.100.4'] },
    },
    {
      name: 'priority 0 (unset) ranks after every set priority',
      op: alloc('t3', { namespace: 'team', labels: { tier: 'web' } }),
      want: { pool: 'prio2', ips: ['198.51.100.1'] },
    },
    {
      name: 'service selector',
      op: alloc('w1', { labels: { tier: 'web' } }),
      want: { pool: 'prio0', ips: ['198.51.100.8'] },
    },
    {
      name: 'namespace selector',
      op: alloc('p1', { namespaceLabels: { env: 'prod' } }),
      want: { pool: 'prio1', ips: ['198.51.100.5'] },
    },
    {
      name: 'fill the service-selector pool',
      op: allocMany('web', 3, { labels: { tier: 'web' } }),
      want: ['198.51.100.9', '198.51.100.10', '198.51.100.11'],
    },
    {
      name: 'exhausted pinned pools fall back to pools without serviceAllocation',
      op: alloc('w5', { labels: { tier: 'web' } }),
      want: { pool: 'alpha', ips: ['192.0.2.5'] },
    },
    {
      name: 'an autoAssign false pool serves when named',
      op: alloc('m1', { requestedPool: 'manual' }),
      want: { pool: 'manual', ips: ['203.0.113.0'], source: 'requested-pool' },
    },
    {
      name: 'an autoAssign false pool serves a requested address',
      op: alloc('m2', { requestedIps: ips('203.0.113.2') }),
      want: { pool: 'manual', ips: ['203.0.113.2'] },
    },
    {
      name: 'a named pool whose serviceAllocation does not select the service',
      op: alloc('m3', { requestedPool: 'prio2' }),
      want: {
        ok: false,
        error: 'pool-not-eligible',
        message:
          'pool "prio2" not compatible for ip assignment: its serviceAllocation selects neither namespace "default" nor this service\'s labels',
      },
    },
    {
      name: 'a requested address in a pool that does not select the service',
      op: alloc('m4', { requestedIps: ips('198.51.100.2') }),
      want: { ok: false, error: 'pool-not-eligible' },
    },
    {
      name: 'an unknown pool',
      op: alloc('m5', { requestedPool: 'nope' }),
      want: { ok: false, error: 'pool-not-found' },
    },
    {
      name: 'a named pool without the family',
      op: alloc('m6', { requestedPool: 'alpha', ipFamilies: ['IPv6'] }),
      want: { ok: false, error: 'family-not-in-pool', message: 'pool "alpha" has no IPv6 addresses' },
    },
    {
      name: 'an IPv6 service',
      op: alloc('v1', { ipFamilies: ['IPv6'] }),
      want: { pool: 'v6only', ips: ['2001:db8::'] },
    },
    {
      name: 'default-namespace services fill alpha then zeta, never a pinned pool',
      op: allocMany('f', 7),
      want: [
        '192.0.2.6',
        '192.0.2.7',
        '192.0.2.0',
        '192.0.2.1',
        '192.0.2.2',
        '192.0.2.3',
        'no-available-ips',
      ],
    },
    {
      name: 'the exhaustion error lists the pools tried',
      op: alloc('f7'),
      want: {
        ok: false,
        message: 'no available IPs: no free IPv4 address in pool(s) "alpha", "v6only", "zeta"',
      },
    },
    {
      name: 'a named exhausted pool',
      op: alloc('f8', { requestedPool: 'zeta' }),
      want: { ok: false, error: 'pool-exhausted', message: 'no available IPs in pool "zeta" for IPv4' },
    },
  ],
);

const teamOnly = pool('team-only', ['198.51.100.0/30'], { serviceAllocation: { namespaces: ['team'] } });

scenarioTable(
  'no pool for the service',
  [pool('manual', ['192.0.2.0/30'], { autoAssign: false }), teamOnly],
  [
    {
      name: 'only an autoAssign false pool would fit',
      op: alloc('x'),
      want: {
        ok: false,
        error: 'auto-assign-disabled',
        message:
          'no available IPs: pool(s) "manual" have autoAssign disabled; request one with the metallb.io/address-pool annotation',
      },
    },
    {
      name: 'the team service gets its pool',
      op: alloc('t', { namespace: 'team' }),
      want: { pool: 'team-only' },
    },
    { name: 'drop the manual pool', op: setPools([teamOnly]), want: { kept: 1, reassigned: [] } },
    {
      name: 'no pool selects the default namespace',
      op: alloc('x'),
      want: {
        ok: false,
        error: 'no-eligible-pool',
        message:
          'no available IPs: no pool with autoAssign selects namespace "default" and this service\'s labels',
      },
    },
    {
      name: 'deleting every pool clears every service',
      op: setPools([]),
      want: {
        kept: 0,
        reassigned: [
          {
            key: 'team/t',
            previous: ['198.51.100.0'],
            reason: 'ip-not-in-pool',
            result: {
              ok: false,
              error: 'no-eligible-pool',
              message: 'no available IPs: no IPAddressPool is configured',
            },
          },
        ],
      },
    },
    { name: 'nothing is configured', op: alloc('x'), want: { ok: false, error: 'no-eligible-pool' } },
  ],
);

scenarioTable(
  'priority ties and match-everything serviceAllocation',
  [
    pool('aaa', ['192.0.2.0/32']),
    pool('zzz', ['192.0.2.1/32'], { serviceAllocation: { priority: 0 } }),
    pool('zb', ['192.0.2.2/32'], { serviceAllocation: { priority: 1 } }),
    pool('za', ['192.0.2.3/32'], { serviceAllocation: { priority: 1 } }),
    pool('both', ['192.0.2.4/32'], {
      serviceAllocation: {
        priority: 1,
        namespaces: ['team'],
        serviceSelectors: [matchLabels({ tier: 'web' })],
      },
    }),
  ],
  [
    {
      name: 'equal priorities go by name; a serviceAllocation without selectors matches everything',
      op: allocMany('s', 5),
      want: ['192.0.2.3', '192.0.2.2', '192.0.2.1', '192.0.2.0', 'no-available-ips'],
    },
    {
      name: 'namespace and service selector must both match: namespace only',
      op: alloc('t1', { namespace: 'team' }),
      want: { ok: false, error: 'no-available-ips' },
    },
    {
      name: 'namespace and service selector must both match: labels only',
      op: alloc('t2', { labels: { tier: 'web' } }),
      want: { ok: false, error: 'no-available-ips' },
    },
    {
      name: 'namespace and service selector must both match: both',
      op: alloc('t3', { namespace: 'team', labels: { tier: 'web' } }),
      want: { pool: 'both', ips: ['192.0.2.4'] },
    },
  ],
);
