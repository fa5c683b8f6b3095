/**
 * The envelope of every metallb.io object: kind and apiVersion (when present), metadata.name,
 * metadata.namespace (must be the MetalLB namespace, as MetalLB's webhooks require), metadata.labels and
 * spec. Informer objects often omit kind and apiVersion, so both are optional; when present they must
 * match. Also duplicate-name detection within one kind.
 */
import type { Labels } from '../core/labels.js';
import { Reporter, type Findings, type ResourceKind } from './errors.js';
import { describe, dnsSubdomainProblem, isRecord, type JsonObject } from './fields.js';
import { readLabels } from './selectors.js';
import type { ParseOptions } from './types.js';

export const METALLB_GROUP = 'metallb.io';

/** Served versions per kind (metallb.md §1); the first is the one Herald reads natively. */
export const API_VERSIONS: Readonly<Record<ResourceKind, readonly string[]>> = {
  IPAddressPool: ['metallb.io/v1beta1'],
  L2Advertisement: ['metallb.io/v1beta1'],
  BGPAdvertisement: ['metallb.io/v1beta1'],
  BGPPeer: ['metallb.io/v1beta2', 'metallb.io/v1beta1'],
  BFDProfile: ['metallb.io/v1beta1'],
  Community: ['metallb.io/v1beta1'],
  Node: ['v1'],
};

export interface ObjectEnvelope {
  readonly r: Reporter;
  readonly name: string;
  readonly labels: Labels;
  /** The apiVersion as written, or the kind's native version when absent. */
  readonly apiVersion: string;
  readonly spec: JsonObject;
  /** False when the name is missing or invalid: the object is checked but cannot be referenced. */
  readonly named: boolean;
}

export interface ParseContext {
  readonly options: ParseOptions;
  readonly findings: Findings;
}

function itemName(index: number): string {
  return `<item ${index}>`;
}

function readName(meta: JsonObject | undefined): { name: string; problem?: string } {
  const name = meta?.name;
  if (typeof name !== 'string' || name === '') {
    return { name: '', problem: `is required and must be a non-empty string, got ${describe(name)}` };
  }
  const problem = dnsSubdomainProblem(name);
  return problem === undefined ? { name } : { name, problem };
}

function checkTypeMeta(raw: JsonObject, kind: ResourceKind, r: Reporter): string {
  const versions = API_VERSIONS[kind];
  if (raw.kind !== undefined && raw.kind !== kind) {
    r.error('kind', `must be ${kind} in this list, got ${describe(raw.kind)}`);
  }
  if (raw.apiVersion === undefined) return versions[0]!;
  if (typeof raw.apiVersion !== 'string' || !versions.includes(raw.apiVersion)) {
    r.error('apiVersion', `must be one of ${versions.join(', ')}, got ${describe(raw.apiVersion)}`);
    return versions[0]!;
  }
  return raw.apiVersion;
}

/**
 * Reads the envelope of item `index` of a kind's list. Returns undefined (after reporting) only when the
 * item is not an object at all. A missing metadata.namespace is taken as the MetalLB namespace (as
 * `kubectl apply -n` would place it).
 */
export function readEnvelope(
  raw: unknown,
  index: number,
  kind: ResourceKind,
  ctx: ParseContext,
): ObjectEnvelope | undefined {
  const expected = ctx.options.namespace;
  if (!isRecord(raw)) {
    new Reporter(ctx.findings, { kind, namespace: expected, name: itemName(index) }).error(
      '',
      `must be a ${kind} object, got ${describe(raw)}`,
    );
    return undefined;
  }
  const meta = isRecord(raw.metadata) ? raw.metadata : undefined;
  const { name, problem } = readName(meta);
  const ns = meta?.namespace;
  const namespace = kind === 'Node' ? '' : typeof ns === 'string' && ns !== '' ? ns : expected;
  const r = new Reporter(ctx.findings, { kind, namespace, name: problem ? itemName(index) : name });
  if (raw.metadata !== undefined && meta === undefined) r.error('metadata', 'must be an object');
  if (problem) r.error('metadata.name', problem);
  if (ns !== undefined && ns !== null && typeof ns !== 'string')
    r.error('metadata.namespace', 'must be a string');
  if (kind !== 'Node' && namespace !== expected) {
    r.error(
      'metadata.namespace',
      `must be "${expected}": MetalLB accepts metallb.io objects only in its own namespace`,
    );
  }
  const apiVersion = checkTypeMeta(raw, kind, r);
  const labels = meta ? readLabels(meta, 'labels', 'metadata', r) : {};
  let spec: JsonObject = {};
  if (isRecord(raw.spec)) spec = raw.spec;
  else if (raw.spec !== undefined && raw.spec !== null)
    r.error('spec', `must be an object, got ${describe(raw.spec)}`);
  return { r, name, labels, apiVersion, spec, named: problem === undefined };
}

/**
 * Keeps the first object of each name and reports every later one. Input order is the snapshot order;
 * the result is sorted by name so Config maps iterate deterministically.
 */
export function uniqueByName<T extends { readonly env: ObjectEnvelope }>(
  items: readonly T[],
  kind: string,
): T[] {
  const byName = new Map<string, T>();
  for (const item of items) {
    if (!item.env.named) continue;
    if (byName.has(item.env.name)) {
      item.env.r.error('metadata.name', `duplicate ${kind} name "${item.env.name}"`);
      continue;
    }
    byName.set(item.env.name, item);
  }
  return [...byName.values()].sort((a, b) =>
    a.env.name < b.env.name ? -1 : a.env.name > b.env.name ? 1 : 0,
  );
}
