/**
 * Basic assignment and the keep rules (MetalLB TestAssignment style): rows run in order against one
 * allocator, invariants checked after each row.
 */
import { alloc, assignment, counters, release } from './harness.js';
import { ips, pool } from './helpers.js';
import { scenarioTable } from './table.js';

scenarioTable(
  'assignment',
  [pool('test', ['192.0.2.0/30']), pool('v6', ['2001:db8::/126'])],
  [
    {
      name: 's1 gets the lowest address',
      op: alloc('s1'),
      want: { ok: true, ips: ['192.0.2.0'], pool: 'test', changed: true, source: 'auto' },
    },
    { name: 's1 idempotent', op: alloc('s1'), want: { ips: ['192.0.2.0'], changed: false, source: 'kept' } },
    { name: 's2 gets the next address', op: alloc('s2'), want: { ips: ['192.0.2.1'] } },
    {
      name: 's3 gets the address it requests',
      op: alloc('s3', { requestedIps: ips('192.0.2.3') }),
      want: { ips: ['192.0.2.3'], pool: 'test', source: 'requested-ips' },
    },
    {
      name: "s4 can't grab s1's address",
      op: alloc('s4', { requestedIps: ips('192.0.2.0') }),
      want: {
        ok: false,
        error: 'ip-in-use',
        message: '"192.0.2.0" is already in use by default/s1: existing service does not allow sharing',
      },
    },
    {
      name: 's4 without a request gets the lowest free address',
      op: alloc('s4'),
      want: { ips: ['192.0.2.2'] },
    },
    {
      name: 's5 finds the pools exhausted',
      op: alloc('s5'),
      want: {
        ok: false,
        error: 'no-available-ips',
        message: 'no available IPs: no free IPv4 address in pool(s) "test", "v6"',
      },
    },
    {
      name: 'counters of a full pool',
      op: counters('test'),
      want: { assignedIPv4: 4n, availableIPv4: 0n, assignedIPv6: 0n, availableIPv6: 0n },
    },
    { name: 'release s2', op: release('s2'), want: { released: true } },
    { name: 'released address is gone', op: assignment('s2'), want: { none: true } },
    { name: 'releasing an unknown service is harmless', op: release('nobody'), want: { released: true } },
    { name: 's5 now gets the freed address', op: alloc('s5'), want: { ips: ['192.0.2.1'] } },
    {
      name: 'requested address outside every pool',
      op: alloc('s6', { requestedIps: ips('203.0.113.5') }),
      want: {
        ok: false,
        error: 'ip-not-in-pool',
        message: '"203.0.113.5" is not allowed in config: no IPAddressPool hands it out',
      },
    },
    {
      name: 'three requested addresses',
      op: alloc('s6', { requestedIps: ips('192.0.2.1', '2001:db8::1', '192.0.2.2') }),
      want: { ok: false, error: 'too-many-ips' },
    },
    {
      name: 'IPv6 address requested by an IPv4 service',
      op: alloc('s6', { requestedIps: ips('2001:db8::1') }),
      want: {
        ok: false,
        error: 'family-mismatch',
        message:
          'requested loadBalancer IP(s) ["2001:db8::1"] does not match the ipFamily of the service (IPv4)',
      },
    },
    {
      name: 'an IPv6 service gets the lowest IPv6 address',
      op: alloc('s6', { ipFamilies: ['IPv6'] }),
      want: { ips: ['2001:db8::'], pool: 'v6' },
    },
    { name: 'counters of the IPv6 pool', op: counters('v6'), want: { assignedIPv6: 1n, availableIPv6: 3n } },
    { name: 'counters of an unknown pool', op: counters('nope'), want: undefined },
  ],
);

scenarioTable(
  'keeping existing assignments',
  [pool('a', ['192.0.2.0/29']), pool('b', ['198.51.100.0/29'])],
  [
    { name: 's1 gets .0', op: alloc('s1'), want: { ips: ['192.0.2.0'] } },
    { name: 's2 gets .1', op: alloc('s2'), want: { ips: ['192.0.2.1'] } },
    { name: 'release s1', op: release('s1'), want: { released: true } },
    {
      name: 's2 keeps .1 although .0 is free (no churn)',
      op: alloc('s2'),
      want: { ips: ['192.0.2.1'], changed: false, source: 'kept' },
    },
    {
      name: 'empty status while the allocator holds s2 (status write in flight): kept, status must be written',
      op: alloc('s2', { currentIps: [] }),
      want: { ips: ['192.0.2.1'], changed: true, source: 'kept' },
    },
    {
      name: 'status naming another valid free address is the truth',
      op: alloc('s2', { currentIps: ips('192.0.2.5') }),
      want: { ips: ['192.0.2.5'], changed: false, source: 'kept' },
    },
    {
      name: 'requested pool changed: cleared and re-allocated from the new pool',
      op: alloc('s2', { requestedPool: 'b' }),
      want: {
        ips: ['198.51.100.0'],
        pool: 'b',
        source: 'requested-pool',
        cleared: 'requested-pool-changed',
        clearedIps: ['192.0.2.5'],
      },
    },
    {
      name: 'requested address changed: cleared and the new one taken',
      op: alloc('s2', { requestedPool: 'b', requestedIps: ips('198.51.100.7') }),
      want: { ips: ['198.51.100.7'], source: 'requested-ips', cleared: 'requested-ips-changed' },
    },
    {
      name: 'the same request again is kept',
      op: alloc('s2', { requestedPool: 'b', requestedIps: ips('198.51.100.7') }),
      want: { ips: ['198.51.100.7'], changed: false, source: 'kept' },
    },
    {
      name: 'requested address outside the requested pool',
      op: alloc('s3', { requestedPool: 'b', requestedIps: ips('192.0.2.3') }),
      want: {
        ok: false,
        error: 'ip-not-in-requested-pool',
        message:
          'requested loadBalancer IP(s) ["192.0.2.3"] is not compatible with requested address pool "b" (it belongs to pool "a")',
      },
    },
    {
      name: 'requested address with an unknown requested pool',
      op: alloc('s3', { requestedPool: 'zzz', requestedIps: ips('192.0.2.3') }),
      want: { ok: false, error: 'pool-not-found', message: 'unknown pool "zzz"' },
    },
    { name: 's4 takes .0', op: alloc('s4'), want: { ips: ['192.0.2.0'] } },
    {
      name: 'a stale status naming an address another service holds is cleared, not shared',
      op: alloc('s5', { currentIps: ips('192.0.2.0') }),
      want: {
        ips: ['192.0.2.1'],
        changed: true,
        source: 'auto',
        cleared: 'ip-in-use',
        clearedIps: ['192.0.2.0'],
      },
    },
    {
      name: 'a status address no longer in config is cleared and replaced',
      op: alloc('s6', { currentIps: ips('203.0.113.1') }),
      want: { ips: ['192.0.2.2'], cleared: 'ip-not-in-pool' },
    },
    {
      name: 'a failed new request after a clear leaves the service without addresses',
      op: alloc('s6', { requestedIps: ips('192.0.2.0') }),
      want: { ok: false, error: 'ip-in-use', cleared: 'requested-ips-changed', clearedIps: ['192.0.2.2'] },
    },
    { name: 's6 holds nothing', op: assignment('s6'), want: { none: true } },
    { name: 's4 still holds .0', op: assignment('s4'), want: { ips: ['192.0.2.0'], pool: 'a' } },
  ],
);
