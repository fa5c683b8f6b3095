/**
 * Restart and configuration changes: restore takes every existing assignment back before anything new
 * is allocated and reports conflicts; setPools keeps what is still valid (re-filing moved ranges),
 * clears what is not, re-allocates it and reports it.
 */
import type { ServicePort } from '../../../../src/core/allocator/index.js';
import { alloc, assignment, restore, setPools } from './harness.js';
import { ips, pool, svc } from './helpers.js';
import { scenarioTable } from './table.js';

const tcp = (port: number): ServicePort[] => [{ protocol: 'TCP', port }];

scenarioTable(
  'restore after a restart',
  [pool('a', ['192.0.2.0/29'])],
  [
    { name: 'state before the restart', op: alloc('pre'), want: { ips: ['192.0.2.0'] } },
    {
      name: 'restore takes back every valid status address and reports the rest',
      op: restore([
        svc('s1', { currentIps: ips('192.0.2.3') }),
        svc('s2', { currentIps: ips('192.0.2.3') }),
        svc('s3', { currentIps: ips('203.0.113.1') }),
        svc('s4'),
        svc('s5', { sharingKey: 'k', ports: tcp(1), currentIps: ips('192.0.2.5') }),
        svc('s6', { sharingKey: 'k', ports: tcp(2), currentIps: ips('192.0.2.5') }),
        svc('s7', { requestedIps: ips('192.0.2.6'), currentIps: ips('192.0.2.7') }),
        svc('s8', { ipFamilyPolicy: 'RequireDualStack', currentIps: ips('192.0.2.1') }),
      ]),
      want: {
        restored: 3,
        cleared: [
          {
            key: 'default/s2',
            ips: ['192.0.2.3'],
            reason: 'ip-in-use',
            message: '"192.0.2.3" is already in use by default/s1: existing service does not allow sharing',
          },
          { key: 'default/s3', reason: 'ip-not-in-pool' },
          { key: 'default/s7', reason: 'requested-ips-changed' },
          { key: 'default/s8', reason: 'invalid-request' },
        ],
        toAllocate: ['default/s2', 'default/s3', 'default/s4', 'default/s7', 'default/s8'],
      },
    },
    { name: 'restore replaced the earlier state', op: assignment('pre'), want: { none: true } },
    { name: 'the sharing pair is back on .5', op: assignment('s6'), want: { ips: ['192.0.2.5'] } },
    {
      name: 'a new service does not steal restored addresses',
      op: alloc('s4'),
      want: { ips: ['192.0.2.0'], changed: true, source: 'auto' },
    },
    { name: 'the losing service gets a new address', op: alloc('s2'), want: { ips: ['192.0.2.1'] } },
    {
      name: 'the winner keeps its address',
      op: alloc('s1'),
      want: { ips: ['192.0.2.3'], changed: false, source: 'kept' },
    },
    {
      name: 'the service whose request changed gets the requested address',
      op: alloc('s7', { requestedIps: ips('192.0.2.6') }),
      want: { ips: ['192.0.2.6'], source: 'requested-ips' },
    },
  ],
);

const v1 = [
  pool('a', ['192.0.2.0/30', '192.0.2.8/30']),
  pool('b', ['198.51.100.0/30'], { serviceAllocation: { priority: 1, namespaces: ['team'] } }),
  pool('c', ['203.0.113.0/30']),
];
const v2 = [
  pool('a', ['192.0.2.0/30']),
  pool('a2', ['192.0.2.8/30']),
  pool('b', ['198.51.100.0/30'], { serviceAllocation: { priority: 1, namespaces: ['other'] } }),
  pool('c', ['203.0.113.0/30'], { avoidBuggyIPs: true }),
];
const v3 = [pool('a', ['192.0.2.0/30'], { autoAssign: false }), ...v2.slice(1)];
const v4 = [pool('a', ['192.0.2.0/30', '2001:db8::/126']), ...v2.slice(1)];
const v5 = [pool('a', ['192.0.2.0/30']), pool('a6', ['2001:db8::/126']), ...v2.slice(1)];

scenarioTable('re-evaluation when the configuration changes', v1, [
  { name: 's1 from a', op: alloc('s1'), want: { ips: ['192.0.2.0'], pool: 'a' } },
  { name: 's2 requests .9 in a', op: alloc('s2', { requestedIps: ips('192.0.2.9') }), want: { pool: 'a' } },
  {
    name: 't1 is pinned to b',
    op: alloc('t1', { namespace: 'team' }),
    want: { ips: ['198.51.100.0'], pool: 'b' },
  },
  {
    name: 's3 names pool c',
    op: alloc('s3', { requestedPool: 'c' }),
    want: { ips: ['203.0.113.0'], pool: 'c' },
  },
  {
    name: 'a range moves to a new pool, b stops selecting team, c avoids buggy addresses',
    op: setPools(v2),
    want: {
      kept: 2,
      moved: [{ key: 'default/s2', from: 'a', to: 'a2' }],
      reassigned: [
        {
          key: 'default/s3',
          previous: ['203.0.113.0'],
          reason: 'ip-not-in-pool',
          result: { ok: true, ips: ['203.0.113.1'], pool: 'c', changed: true },
        },
        {
          key: 'team/t1',
          previous: ['198.51.100.0'],
          reason: 'pool-not-eligible',
          result: { ok: true, ips: ['192.0.2.1'], pool: 'a' },
        },
      ],
    },
  },
  { name: 's2 now belongs to a2', op: assignment('s2'), want: { ips: ['192.0.2.9'], pool: 'a2' } },
  {
    name: 'autoAssign false keeps existing assignments',
    op: setPools(v3),
    want: { kept: 4, moved: [], reassigned: [] },
  },
  {
    name: 'a new service skips the autoAssign false pool',
    op: alloc('x'),
    want: { ips: ['192.0.2.8'], pool: 'a2' },
  },
  { name: 'pool a gains IPv6', op: setPools(v4), want: { kept: 5, reassigned: [] } },
  {
    name: 'a dual-stack service from a',
    op: alloc('d1', { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }),
    want: { ips: ['192.0.2.2', '2001:db8::'], pool: 'a' },
  },
  {
    name: "splitting a dual-stack service's pool clears it",
    op: setPools(v5),
    want: {
      kept: 5,
      reassigned: [
        {
          key: 'default/d1',
          reason: 'ips-in-different-pools',
          result: { ok: false, error: 'dual-stack-unavailable' },
        },
      ],
    },
  },
]);

scenarioTable(
  'restore edge cases',
  [pool('a', ['192.0.2.0/30'])],
  [
    {
      name: 'a key listed twice: the last entry wins and is counted once',
      op: restore([svc('s1', { currentIps: ips('192.0.2.1') }), svc('s1', { currentIps: ips('192.0.2.2') })]),
      want: { restored: 1, cleared: [], toAllocate: [] },
    },
    { name: 's1 holds the last address', op: assignment('s1'), want: { ips: ['192.0.2.2'] } },
    {
      name: 'an empty restore forgets everything',
      op: restore([]),
      want: { restored: 0, cleared: [], toAllocate: [] },
    },
    { name: 's1 holds nothing', op: assignment('s1'), want: { none: true } },
  ],
);
