/**
 * The controller's story as one ordered scenario table against a single leadership term and a recording
 * fake of its ports (no API server): each row changes the fake cluster, drains the queue, and states the
 * addresses, pools, conditions and new events it expects. After every row the invariants hold: no
 * address held by two Services that do not share, and the Allocator agrees with the written status.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_KEY } from '../../../src/controller/term.js';
import type { ServiceView } from '../../../src/controller/ports.js';
import { NO_STATUS, poolObject, request, type FakeCluster } from './fake-cluster.js';
import { expectAllocatorMatchesStatus, expectNoDoubleAssignment, makeHarness } from './harness.js';

interface Row {
  name: string;
  act: (c: FakeCluster) => void;
  queue: string[];
  ips?: Record<string, string[]>;
  pool?: Record<string, string | undefined>;
  condition?: Record<string, 'True' | 'False' | undefined>;
  /** Event reasons recorded by this row, per Service (Services not listed must have none). */
  events?: Record<string, string[]>;
  configEvents?: number;
  /** The latest configuration summary published. */
  report?: 'Valid' | 'Invalid';
  stale?: 0 | 1;
}

const POOLS = [
  poolObject('a', ['192.0.2.1-192.0.2.4']),
  poolObject('b', ['198.51.100.1-198.51.100.2'], { autoAssign: false }),
  poolObject('dual', ['203.0.113.10-203.0.113.11', '2001:db8::10-2001:db8::11']),
];
const DNS = { sharingKey: 'dns', requested: ['192.0.2.3'] };
const DEPRECATED = [{ used: 'metallb.universe.tf/address-pool', replacement: 'metallb.io/address-pool' }];

function ignored(key: string, c: FakeCluster, reason: 'not-load-balancer' | 'other-class'): ServiceView {
  const [namespace, name] = key.split('/') as [string, string];
  return { kind: 'ignored', ref: { namespace, name }, reason, current: c.current(key) ?? NO_STATUS };
}

function invalid(key: string, c: FakeCluster, action: 'keep' | 'clear', reason: string): ServiceView {
  const [namespace, name] = key.split('/') as [string, string];
  const current = c.current(key) ?? NO_STATUS;
  return {
    kind: 'invalid',
    ref: { namespace, name },
    problem: { reason, message: `${reason}: test problem`, action },
    hold: request(key, {}, [...current.ips]),
    deprecated: [],
    current,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

const ROWS: Row[] = [
  {
    name: 'a good config makes the term ready',
    act: (c) => c.setPools(...POOLS),
    queue: [CONFIG_KEY],
    stale: 0,
  },
  {
    name: 'a new Service gets the lowest free address of the first pool',
    act: (c) => c.apply('ns/s1'),
    queue: ['ns/s1'],
    ips: { 'ns/s1': ['192.0.2.1'] },
    pool: { 'ns/s1': 'a' },
    condition: { 'ns/s1': 'True' },
    events: { 'ns/s1': ['IPAllocated'] },
  },
  {
    name: 'metallb.io/loadBalancerIPs is honoured',
    act: (c) => c.apply('ns/s2', { requested: ['192.0.2.4'] }),
    queue: ['ns/s2'],
    ips: { 'ns/s2': ['192.0.2.4'] },
    events: { 'ns/s2': ['IPAllocated'] },
  },
  {
    name: 'a requested address in use fails with AllocationFailed and a False condition',
    act: (c) => c.apply('ns/s3', { requested: ['192.0.2.4'] }),
    queue: ['ns/s3'],
    ips: { 'ns/s3': [], 'ns/s2': ['192.0.2.4'] },
    condition: { 'ns/s3': 'False' },
    events: { 'ns/s3': ['AllocationFailed'] },
  },
  {
    name: 'reprocessing a failed Service adds no event',
    act: () => {},
    queue: ['ns/s3'],
    events: {},
  },
  {
    name: 'metallb.io/address-pool picks an autoAssign=false pool',
    act: (c) => c.apply('ns/s4', { pool: 'b' }),
    queue: ['ns/s4'],
    ips: { 'ns/s4': ['198.51.100.1'] },
    pool: { 'ns/s4': 'b' },
    events: { 'ns/s4': ['IPAllocated'] },
  },
  {
    name: 'two Services with one sharing key and disjoint ports share an address',
    act: (c) => {
      c.apply('ns/dns-tcp', { ...DNS, ports: [{ protocol: 'TCP', port: 53 }] });
      c.apply('ns/dns-udp', { ...DNS, ports: [{ protocol: 'UDP', port: 53 }] });
    },
    queue: ['ns/dns-tcp', 'ns/dns-udp'],
    ips: { 'ns/dns-tcp': ['192.0.2.3'], 'ns/dns-udp': ['192.0.2.3'] },
    events: { 'ns/dns-tcp': ['IPAllocated'], 'ns/dns-udp': ['IPAllocated'] },
  },
  {
    name: 'a sharing Service with an overlapping port cannot join',
    act: (c) => c.apply('ns/dns-tcp2', { ...DNS, ports: [{ protocol: 'TCP', port: 53 }] }),
    queue: ['ns/dns-tcp2'],
    ips: { 'ns/dns-tcp2': [] },
    events: { 'ns/dns-tcp2': ['AllocationFailed'] },
  },
  {
    name: 'RequireDualStack gets one address of each family from one pool',
    act: (c) => c.apply('ns/s5', { policy: 'RequireDualStack', families: ['IPv4', 'IPv6'] }),
    queue: ['ns/s5'],
    ips: { 'ns/s5': ['203.0.113.10', '2001:db8::10'] },
    pool: { 'ns/s5': 'dual' },
    events: { 'ns/s5': ['IPAllocated'] },
  },
  {
    name: 'PreferDualStack with IPv6 primary lists IPv6 first',
    act: (c) => c.apply('ns/s6', { policy: 'PreferDualStack', families: ['IPv6', 'IPv4'] }),
    queue: ['ns/s6'],
    ips: { 'ns/s6': ['2001:db8::11', '203.0.113.11'] },
    events: { 'ns/s6': ['IPAllocated'] },
  },
  {
    name: 'deleting a Service releases its address and requeues the waiting Services',
    act: (c) => c.delete('ns/s2'),
    queue: ['ns/s2'],
    ips: { 'ns/s3': ['192.0.2.4'] },
    condition: { 'ns/s3': 'True' },
    events: { 'ns/s3': ['IPAllocated'] },
  },
  {
    name: 'a Service of another loadBalancerClass is never written to',
    act: (c) => c.applyView('ns/s7', ignored('ns/s7', c, 'other-class')),
    queue: ['ns/s7'],
    ips: { 'ns/s7': [] },
    events: {},
  },
  {
    name: 'a Service that stops being a LoadBalancer loses its state, silently',
    act: (c) => c.applyView('ns/s1', ignored('ns/s1', c, 'not-load-balancer')),
    queue: ['ns/s1'],
    ips: { 'ns/s1': [] },
    pool: { 'ns/s1': undefined },
    condition: { 'ns/s1': undefined },
    events: {},
  },
  {
    name: 'the freed address goes to the next new Service',
    act: (c) => c.apply('ns/s8'),
    queue: ['ns/s8'],
    ips: { 'ns/s8': ['192.0.2.1'] },
    events: { 'ns/s8': ['IPAllocated'] },
  },
  {
    name: 'a deprecated annotation gets a deprecatedAnnotation warning',
    act: (c) => c.apply('ns/s9', { pool: 'b', deprecated: DEPRECATED }),
    queue: ['ns/s9'],
    ips: { 'ns/s9': ['198.51.100.2'] },
    events: { 'ns/s9': ['deprecatedAnnotation', 'IPAllocated'] },
  },
  {
    name: 'and only once per term',
    act: () => {},
    queue: ['ns/s9'],
    events: {},
  },
  {
    name: 'a bad configuration is rejected whole: events, stale, nothing withdrawn',
    act: (c) =>
      c.setPools(
        poolObject('a', ['192.0.2.0/24']),
        poolObject('bad', ['192.0.2.300/32']),
        poolObject('z', ['192.0.2.128/25']),
      ),
    queue: [CONFIG_KEY],
    ips: { 'ns/s8': ['192.0.2.1'], 'ns/s3': ['192.0.2.4'], 'ns/s5': ['203.0.113.10', '2001:db8::10'] },
    events: {},
    configEvents: 2,
    report: 'Invalid',
    stale: 1,
  },
  {
    name: 'a good configuration that drops an address clears and reallocates only that Service',
    act: (c) =>
      c.setPools(
        poolObject('a', ['192.0.2.2-192.0.2.6']),
        poolObject('b', ['198.51.100.1-198.51.100.2'], { autoAssign: false }),
        poolObject('dual', ['203.0.113.10-203.0.113.11', '2001:db8::10-2001:db8::11']),
      ),
    queue: [CONFIG_KEY],
    ips: { 'ns/s8': ['192.0.2.2'], 'ns/s3': ['192.0.2.4'], 'ns/dns-tcp': ['192.0.2.3'] },
    events: { 'ns/s8': ['ClearAssignment', 'IPAllocated'] },
    report: 'Valid',
    stale: 0,
  },
  {
    name: 'an unparsable loadBalancerIPs keeps the addresses (LoadBalancerFailed)',
    act: (c) => c.applyView('ns/s3', invalid('ns/s3', c, 'keep', 'LoadBalancerFailed')),
    queue: ['ns/s3'],
    ips: { 'ns/s3': ['192.0.2.4'] },
    condition: { 'ns/s3': 'False' },
    events: { 'ns/s3': ['LoadBalancerFailed'] },
  },
  {
    name: 'RequireDualStack without two clusterIPs clears the Service',
    act: (c) => c.applyView('ns/s4', invalid('ns/s4', c, 'clear', 'not enough clusterips')),
    queue: ['ns/s4'],
    ips: { 'ns/s4': [] },
    pool: { 'ns/s4': undefined },
    events: { 'ns/s4': ['not enough clusterips'] },
  },
  {
    name: 'a failed status write is retried and announced once',
    act: (c) => {
      c.apply('ns/s10');
      c.failWrites = 1;
    },
    queue: ['ns/s10'],
    ips: { 'ns/s10': ['192.0.2.5'] },
    events: { 'ns/s10': ['IPAllocated'] },
  },
];

describe('controller scenario table (one term, recording fake)', () => {
  const h = makeHarness();
  let seenEvents = 0;
  let seenConfigEvents = 0;

  it.each(ROWS)('$name', async (row) => {
    row.act(h.cluster);
    for (const key of row.queue) h.queue.add(key);
    await h.drain();
    for (const [key, ips] of Object.entries(row.ips ?? {}))
      expect(h.cluster.current(key)?.ips ?? [], key).toEqual(ips);
    for (const [key, pool] of Object.entries(row.pool ?? {}))
      expect(h.cluster.current(key)?.pool, key).toBe(pool);
    for (const [key, status] of Object.entries(row.condition ?? {})) {
      expect(h.cluster.current(key)?.condition?.status, key).toBe(status);
    }
    const fresh = h.cluster.recorded.events.slice(seenEvents);
    seenEvents = h.cluster.recorded.events.length;
    if (row.events) {
      const byKey: Record<string, string[]> = {};
      for (const e of fresh) (byKey[e.key] ??= []).push(e.event.reason);
      expect(byKey).toEqual(row.events);
    }
    const freshConfig = h.cluster.recorded.objectEvents.length - seenConfigEvents;
    seenConfigEvents = h.cluster.recorded.objectEvents.length;
    expect(freshConfig).toBe(row.configEvents ?? 0);
    if (row.report) expect(h.cluster.recorded.reports.at(-1)?.result).toBe(row.report);
    if (row.stale !== undefined) expect((await h.metrics.configStale.get()).values[0]?.value).toBe(row.stale);
    expect(h.term.ready).toBe(true);
    expectNoDoubleAssignment(h.cluster);
    expectAllocatorMatchesStatus(h);
  });
});
