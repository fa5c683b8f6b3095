/**
 * Model-based property for the allocator, shared by the unit test (>= 10k sequences) and bench:alloc
 * (100k). Random sequences of allocate (add/update, with status as a controller would pass it, empty, or
 * random stale addresses), release (delete), config changes and restarts (restore) run against two
 * allocators that receive the pools in opposite orders. After every step: both gave identical answers
 * (pool order is deterministic), the invariants of helpers.ts hold, a fresh allocation is the lowest
 * usable address by brute force, and a restore from status takes every assignment back unchanged.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { AllocationRequest, IpFamilyPolicy, ServicePort } from '../../../../src/core/allocator/index.js';
import { ipEquals, type IpAddress, type IpFamily, type IpRange } from '../../../../src/core/ip/index.js';
import type { Pool } from '../../../../src/core/pool.js';
import { Harness, summarize } from './harness.js';
import { ip, keyOf, matchLabels, mayShare, poolHolds, range } from './helpers.js';

const RANGES: readonly IpRange[] = [
  range('192.0.2.0/30'),
  range('192.0.2.255-192.0.3.1'),
  range('2001:db8::/126'),
  range('198.51.100.254-198.51.101.0'),
  range('2001:db8:1::/127'),
];
const POOL_NAMES = ['p1', 'p2', 'p3'];
const ADDRESSES: readonly IpAddress[] = [
  '192.0.2.0',
  '192.0.2.2',
  '192.0.2.255',
  '192.0.3.1',
  '198.51.100.254',
  '198.51.101.0',
  '2001:db8::1',
  '2001:db8:1::',
  '203.0.113.1',
].map(ip);
const PORTS: readonly ServicePort[] = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];
const FAMILY_KINDS: Record<string, { policy: IpFamilyPolicy; families: IpFamily[] }> = {
  v4: { policy: 'SingleStack', families: ['IPv4'] },
  v6: { policy: 'SingleStack', families: ['IPv6'] },
  require46: { policy: 'RequireDualStack', families: ['IPv4', 'IPv6'] },
  require64: { policy: 'RequireDualStack', families: ['IPv6', 'IPv4'] },
  prefer46: { policy: 'PreferDualStack', families: ['IPv4', 'IPv6'] },
  prefer64: { policy: 'PreferDualStack', families: ['IPv6', 'IPv4'] },
  preferSingle: { policy: 'PreferDualStack', families: ['IPv4'] },
};

const poolSettings = fc.record({
  autoAssign: fc.constantFrom(true, true, false),
  avoidBuggyIPs: fc.boolean(),
  sa: fc.option(
    fc.record({
      priority: fc.integer({ min: 0, max: 2 }),
      namespaces: fc.subarray(['ns1']),
      web: fc.boolean(),
    }),
    { nil: undefined },
  ),
});

const poolsArb: fc.Arbitrary<Pool[]> = fc
  .record({
    owners: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: RANGES.length, maxLength: RANGES.length }),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
    settings: fc.array(poolSettings, { minLength: 3, maxLength: 3 }),
  })
  .map(({ owners, order, settings }) =>
    POOL_NAMES.flatMap((name, p) => {
      const s = settings[p]!;
      const ranges = order.filter((r) => owners[r] === p).map((r) => RANGES[r]!);
      if (ranges.length === 0) return [];
      const pool: Pool = {
        name,
        labels: {},
        ranges,
        autoAssign: s.autoAssign,
        avoidBuggyIPs: s.avoidBuggyIPs,
        ...(s.sa && {
          serviceAllocation: {
            priority: s.sa.priority,
            namespaces: s.sa.namespaces,
            namespaceSelectors: [],
            serviceSelectors: s.sa.web ? [matchLabels({ tier: 'web' })] : [],
          },
        }),
      };
      return [pool];
    }),
  );

const requestArb: fc.Arbitrary<AllocationRequest> = fc
  .record({
    name: fc.integer({ min: 0, max: 3 }),
    namespace: fc.constantFrom('ns1', 'ns1', 'ns1', 'ns2'),
    web: fc.boolean(),
    kind: fc.constantFrom('v4', 'v4', 'v4', ...Object.keys(FAMILY_KINDS)),
    sharingKey: fc.constantFrom('', 'k1', 'k1', 'k2'),
    backendKey: fc.constantFrom('', '', '', 'sel'),
    ports: fc.subarray([...PORTS]),
    requestedPool: fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constantFrom(...POOL_NAMES) },
      { weight: 1, arbitrary: fc.constant('zz') },
    ),
    requestedIps: fc.oneof(
      { weight: 8, arbitrary: fc.constant<IpAddress[]>([]) },
      { weight: 1, arbitrary: fc.subarray([...ADDRESSES], { minLength: 1, maxLength: 2 }) },
    ),
  })
  .map((r): AllocationRequest => ({
    namespace: r.namespace,
    name: `s${r.name}`,
    labels: r.web ? { tier: 'web' } : {},
    namespaceLabels: {},
    ipFamilyPolicy: FAMILY_KINDS[r.kind]!.policy,
    ipFamilies: FAMILY_KINDS[r.kind]!.families,
    requestedIps: r.requestedIps,
    ...(r.requestedPool !== undefined && { requestedPool: r.requestedPool }),
    sharingKey: r.sharingKey,
    ports: r.ports,
    backendKey: r.backendKey,
    currentIps: [],
  }));

type Current = 'status' | 'empty' | IpAddress[];
type Step =
  | { t: 'alloc'; req: AllocationRequest; current: Current }
  | { t: 'release'; name: number; namespace: string }
  | { t: 'config'; pools: Pool[] }
  | { t: 'restore' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('alloc' as const),
      req: requestArb,
      current: fc.oneof(
        { weight: 6, arbitrary: fc.constant<Current>('status') },
        { weight: 1, arbitrary: fc.constant<Current>('empty') },
        { weight: 1, arbitrary: fc.subarray([...ADDRESSES], { minLength: 1, maxLength: 3 }) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('release' as const),
      name: fc.integer({ min: 0, max: 3 }),
      namespace: fc.constantFrom('ns1', 'ns2'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('config' as const), pools: poolsArb }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restore' as const }) },
);

/** Users of every address before a step, as key -> request (excluding one service). */
function usersBefore(h: Harness, except: string): Map<string, AllocationRequest[]> {
  const users = new Map<string, AllocationRequest[]>();
  for (const [key, a] of h.alloc.assignments()) {
    if (key === except) continue;
    for (const addr of a.ips) {
      const k = `${addr.family}:${addr.value}`;
      users.set(k, [...(users.get(k) ?? []), h.requests.get(key)!]);
    }
  }
  return users;
}

/** Brute force: the first address of the family in the pool's ranges (spec order) the request may use. */
function lowestUsable(
  pool: Pool,
  family: IpFamily,
  req: AllocationRequest,
  users: Map<string, AllocationRequest[]>,
): IpAddress | undefined {
  for (const r of pool.ranges) {
    if (r.family !== family) continue;
    for (let v = r.first; v <= r.last; v++) {
      const addr = { family, value: v };
      if (!poolHolds(pool, addr)) continue;
      const on = users.get(`${family}:${v}`) ?? [];
      if (on.every((u) => mayShare(u, req))) return addr;
    }
  }
  return undefined;
}

function checkLowest(
  h: Harness,
  pools: readonly Pool[],
  req: AllocationRequest,
  users: Map<string, AllocationRequest[]>,
): void {
  const a = h.alloc.assignmentOf(keyOf(req));
  const pool = pools.find((p) => p.name === a?.pool);
  for (const addr of a?.ips ?? []) {
    const want = lowestUsable(pool!, addr.family, req, users);
    if (want === undefined || !ipEquals(want, addr))
      throw new Error(`${keyOf(req)} got a non-lowest address`);
  }
}

function runAlloc(a: Harness, b: Harness, pools: readonly Pool[], step: Extract<Step, { t: 'alloc' }>): void {
  const key = keyOf(step.req);
  const current =
    step.current === 'status' ? (a.status.get(key) ?? []) : step.current === 'empty' ? [] : step.current;
  const req = { ...step.req, currentIps: current };
  const users = usersBefore(a, key);
  const ra = a.allocate(req, true);
  const rb = b.allocate(req, true);
  if (!isDeepStrictEqual(summarize(ra), summarize(rb))) throw new Error('pool order changed the result');
  if (ra.ok && (ra.allocation.source === 'auto' || ra.allocation.source === 'requested-pool')) {
    checkLowest(a, pools, req, users);
  }
}

function runRestore(a: Harness, b: Harness): void {
  const before = [...a.alloc.assignments()];
  const reqs = [...a.requests.values()].map((r) => ({ ...r, currentIps: a.status.get(keyOf(r)) ?? [] }));
  const ra = a.restore(reqs);
  b.restore(reqs);
  if (ra.cleared.length > 0 || ra.restored !== before.length) throw new Error('restore lost assignments');
  for (const [key, asg] of before) {
    if (!isDeepStrictEqual(a.alloc.assignmentOf(key), asg)) throw new Error(`restore changed ${key}`);
  }
}

function runStep(a: Harness, b: Harness, pools: Pool[], step: Step): Pool[] {
  switch (step.t) {
    case 'alloc':
      runAlloc(a, b, pools, step);
      return pools;
    case 'release':
      a.release(`${step.namespace}/s${step.name}`);
      b.release(`${step.namespace}/s${step.name}`);
      return pools;
    case 'config': {
      const ra = a.setPools(step.pools);
      const rb = b.setPools([...step.pools].reverse());
      if (!isDeepStrictEqual(JSON.stringify(ra, big), JSON.stringify(rb, big)))
        throw new Error('setPools differs');
      return step.pools;
    }
    case 'restore':
      runRestore(a, b);
      return pools;
  }
}

const big = (_: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

export function allocatorModelProperty(): fc.IPropertyWithHooks<[Pool[], Step[]]> {
  return fc.property(poolsArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), (initial, steps) => {
    const a = new Harness(initial);
    const b = new Harness([...initial].reverse());
    let pools = initial;
    for (const step of steps) {
      pools = runStep(a, b, pools, step);
      a.check();
    }
  });
}
