/**
 * IPAddressPool (metallb.io/v1beta1) → core Pool. Reads spec.addresses (CIDRs and "first-last" ranges,
 * IPv4 and IPv6, mixed), autoAssign (default true), avoidBuggyIPs (default false) and serviceAllocation
 * (priority, namespaces, namespaceSelectors, serviceSelectors). Overlaps between pools are checked later
 * (cross-checks.ts), from the per-entry data kept here.
 */
import { parseAddressEntry, summarizeRange, type IpRange } from '../core/ip/index.js';
import type { Pool, ServiceAllocation } from '../core/pool.js';
import {
  checkFields,
  describe,
  dnsLabelProblem,
  readBool,
  readInt,
  readList,
  readObject,
  readStringList,
  type JsonObject,
} from './fields.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import { readSelectorList } from './selectors.js';
import type { Reporter } from './errors.js';

const SPEC_FIELDS = ['addresses', 'autoAssign', 'avoidBuggyIPs', 'serviceAllocation'];
const ALLOCATION_FIELDS = ['priority', 'namespaces', 'namespaceSelectors', 'serviceSelectors'];
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** One spec.addresses entry, kept for the overlap and aggregation-length checks. */
export interface PoolEntry {
  readonly index: number;
  readonly text: string;
  readonly range: IpRange;
  /** Shortest prefix length among the CIDR blocks the entry summarizes to (MetalLB `lowestMask`). */
  readonly shortestPrefix: number;
}

export interface ParsedPool {
  readonly env: ObjectEnvelope;
  readonly pool: Pool;
  readonly entries: readonly PoolEntry[];
}

function readAddresses(spec: JsonObject, r: Reporter): PoolEntry[] {
  if (spec.addresses === undefined || spec.addresses === null) {
    r.error('spec.addresses', 'is required: a pool needs at least one CIDR or range');
    return [];
  }
  const list = readList(spec, 'addresses', 'spec', r);
  if (Array.isArray(spec.addresses) && list.length === 0) {
    r.error('spec.addresses', 'must not be empty: a pool needs at least one CIDR or range');
  }
  const entries: PoolEntry[] = [];
  list.forEach((item, index) => {
    const path = `spec.addresses[${index}]`;
    if (typeof item !== 'string') {
      r.error(path, `must be a string (a CIDR or a range "first-last"), got ${describe(item)}`);
      return;
    }
    const parsed = parseAddressEntry(item);
    if (!parsed.ok) {
      r.error(path, `"${item}": ${parsed.reason}`);
      return;
    }
    const shortestPrefix = Math.min(...summarizeRange(parsed.range).map((b) => b.prefixLength));
    entries.push({ index, text: item, range: parsed.range, shortestPrefix });
  });
  return entries;
}

function readNamespaces(alloc: JsonObject, r: Reporter): string[] {
  const names = readStringList(alloc, 'namespaces', 'spec.serviceAllocation', r, 'namespace');
  names.forEach((ns, i) => {
    const problem = dnsLabelProblem(ns);
    if (problem) r.error(`spec.serviceAllocation.namespaces[${i}]`, problem);
  });
  return [...new Set(names)];
}

function readServiceAllocation(spec: JsonObject, r: Reporter): ServiceAllocation | undefined {
  const alloc = readObject(spec, 'serviceAllocation', 'spec', r);
  if (!alloc) return undefined;
  const path = 'spec.serviceAllocation';
  checkFields(alloc, ALLOCATION_FIELDS, path, r);
  return {
    priority: readInt(alloc, 'priority', path, r, INT32_MIN, INT32_MAX) ?? 0,
    namespaces: readNamespaces(alloc, r),
    namespaceSelectors: readSelectorList(alloc, 'namespaceSelectors', path, r),
    serviceSelectors: readSelectorList(alloc, 'serviceSelectors', path, r),
  };
}

export function parsePool(raw: unknown, index: number, ctx: ParseContext): ParsedPool | undefined {
  const env = readEnvelope(raw, index, 'IPAddressPool', ctx);
  if (!env) return undefined;
  const { r, spec } = env;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const entries = readAddresses(spec, r);
  const serviceAllocation = readServiceAllocation(spec, r);
  const pool: Pool = {
    name: env.name,
    labels: env.labels,
    ranges: entries.map((e) => e.range),
    autoAssign: readBool(spec, 'autoAssign', 'spec', r) ?? true,
    avoidBuggyIPs: readBool(spec, 'avoidBuggyIPs', 'spec', r) ?? false,
    ...(serviceAllocation ? { serviceAllocation } : {}),
  };
  return { env, pool, entries };
}
