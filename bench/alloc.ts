/**
 * bench:alloc — the IP allocator at scale. Assigns N Services (default 100k) across several pools
 * (an IPv4 /8, an IPv6 /64, a dual-stack pool with avoidBuggyIPs, a namespace-pinned pool) in an
 * IPv4 / IPv6 / dual-stack mix with some address sharing; restores N existing assignments (as after a
 * restart) and N scattered ones (worst case for the interval sets); re-evaluates N assignments against
 * an equal new configuration (setPools); then runs the model-based property
 * over many random operation sequences. Prints one JSON object per line.
 * Flags: --smoke (small sizes), --size N, --runs N (property sequences).
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { Allocator, type AllocationRequest } from '../src/core/allocator/index.js';
import { parseCidr, type IpAddress, type IpFamily, type IpRange } from '../src/core/ip/index.js';
import type { Pool, ServiceAllocation } from '../src/core/pool.js';
import { allocatorModelProperty } from '../test/unit/core/allocator/model.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const smoke = process.argv.includes('--smoke');
const size = Number(arg('--size') ?? (smoke ? 5_000 : 100_000));
const runs = Number(arg('--runs') ?? (smoke ? 1_000 : 100_000));

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(
    JSON.stringify({ bench: 'alloc', metric, value: Math.round(value * 100) / 100, unit, size, ...extra }),
  );
}

function range(cidr: string): IpRange {
  const r = parseCidr(cidr);
  if (!r.ok) throw new Error(r.reason);
  return r.range;
}

function pool(name: string, cidrs: string[], extra: Partial<Pool> = {}): Pool {
  return { name, labels: {}, ranges: cidrs.map(range), autoAssign: true, avoidBuggyIPs: false, ...extra };
}

const teamA: ServiceAllocation = {
  priority: 1,
  namespaces: ['team-a'],
  namespaceSelectors: [],
  serviceSelectors: [],
};
const POOLS: Pool[] = [
  pool('dual', ['172.16.0.0/12', 'fd00::/64'], { avoidBuggyIPs: true }),
  pool('v4-8', ['10.0.0.0/8']),
  pool('v6-64', ['2001:db8::/64']),
  pool('team-a', ['192.168.0.0/16'], { serviceAllocation: teamA }),
  pool('manual', ['198.51.100.0/24'], { autoAssign: false }),
];

function familiesFor(i: number): Pick<AllocationRequest, 'ipFamilyPolicy' | 'ipFamilies' | 'requestedPool'> {
  const kind = i % 20;
  if (kind < 8)
    return {
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      ...(i % 3 === 0 && { requestedPool: 'v4-8' }),
    };
  if (kind < 14)
    return {
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv6'],
      ...(i % 2 === 0 && { requestedPool: 'v6-64' }),
    };
  if (kind < 18) return { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] };
  return { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] };
}

function request(i: number, currentIps: readonly IpAddress[] = []): AllocationRequest {
  const share = i % 25;
  const sharing = share === 1 || share === 2;
  return {
    namespace: i % 10 === 0 ? 'team-a' : `ns-${i % 50}`,
    name: `svc-${i}`,
    labels: { app: `app-${i % 100}` },
    namespaceLabels: {},
    ...familiesFor(sharing ? 0 : i),
    requestedIps: [],
    ...(sharing && { sharingKey: `dns-${Math.floor(i / 25)}` }),
    ports: sharing
      ? [{ protocol: share === 1 ? 'UDP' : 'TCP', port: 53 }]
      : [
          { protocol: 'TCP', port: 80 },
          { protocol: 'TCP', port: 443 },
        ],
    backendKey: '',
    currentIps,
  };
}

/**
 * Runs fn, returning [result, wall ms, heap bytes retained after a full GC, CPU ms]. CPU time (user +
 * system of this process) is reported too because the machine is shared: wall time includes waiting.
 */
function measure<T>(fn: () => T): [T, number, number, number] {
  gc();
  const before = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  gc();
  return [out, ms, process.memoryUsage().heapUsed - before, (used.user + used.system) / 1000];
}

function benchAssign(requests: AllocationRequest[]): Allocator {
  let failed = 0;
  const [alloc, ms, heap, cpu] = measure(() => {
    const a = new Allocator(POOLS);
    for (const r of requests) if (!a.allocate(r).ok) failed++;
    return a;
  });
  if (failed > 0) throw new Error(`${failed} allocations failed`);
  emit('assign_ms', ms, 'ms');
  emit('assign_cpu_ms', cpu, 'ms');
  emit('assign_heap_bytes_per_service', heap / requests.length, 'bytes');
  return alloc;
}

/** setPools with an equal but new configuration: every assignment is re-checked and kept. */
function benchReevaluate(alloc: Allocator): void {
  const copy = structuredClone(POOLS);
  const [report, ms, , cpu] = measure(() => alloc.setPools(copy));
  if (report.kept !== size) throw new Error(`reevaluate kept ${report.kept}/${size}`);
  emit('reevaluate_ms', ms, 'ms');
  emit('reevaluate_cpu_ms', cpu, 'ms');
}

function benchRestore(metric: string, requests: AllocationRequest[]): void {
  const [report, ms, heap, cpu] = measure(() => {
    const a = new Allocator(POOLS);
    return { a, r: a.restore(requests) };
  });
  if (report.r.restored !== requests.length)
    throw new Error(`${metric}: restored ${report.r.restored}/${requests.length}`);
  emit(`${metric}_ms`, ms, 'ms');
  emit(`${metric}_cpu_ms`, cpu, 'ms');
  emit(`${metric}_heap_bytes_per_service`, heap / requests.length, 'bytes');
}

/** Deterministic xorshift-style PRNG so scattered addresses are reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Scattered, unique, non-shared addresses: IPv4 in 10.0.0.0/8 (v4-8), IPv6 across 2001:db8::/64. */
function scatteredRequests(): AllocationRequest[] {
  const rnd = prng(42);
  const seen = new Set<bigint>();
  const v4 = range('10.0.0.0/8');
  const v6 = range('2001:db8::/64');
  const pick = (fam: IpFamily): IpAddress => {
    for (;;) {
      const value =
        fam === 'IPv4'
          ? v4.first + BigInt(rnd() & 0xffffff)
          : v6.first + (BigInt(rnd()) << 32n) + BigInt(rnd());
      if (!seen.has(value)) {
        seen.add(value);
        return { family: fam, value };
      }
    }
  };
  return Array.from({ length: size }, (_, i) => {
    const fam: IpFamily = i % 2 === 0 ? 'IPv4' : 'IPv6';
    const base = request(i * 20 + (fam === 'IPv4' ? 0 : 8));
    return {
      ...base,
      name: `svc-${i}`,
      requestedPool: fam === 'IPv4' ? 'v4-8' : 'v6-64',
      currentIps: [pick(fam)],
    };
  });
}

function benchProperty(): void {
  if (runs === 0) return;
  const start = performance.now();
  fc.assert(allocatorModelProperty(), { numRuns: runs, seed: 1 });
  emit('property_sequences', runs, 'sequences');
  emit('property_ms', performance.now() - start, 'ms', { runs });
}

const requests = Array.from({ length: size }, (_, i) => request(i));
const assigned = benchAssign(requests);
const restoring = requests.map((r, i) => request(i, assigned.assignmentOf(`${r.namespace}/${r.name}`)!.ips));
benchReevaluate(assigned);
benchRestore('restore', restoring);
benchRestore('restore_scattered', scatteredRequests());
benchProperty();
