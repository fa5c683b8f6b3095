/**
 * Pure translation of what the speaker reads from the API: Services (type LoadBalancer, of our class,
 * with ingress IPs), EndpointSlices (MetalLB's readiness rule: `ready` unset or true, or `serving` true)
 * and Nodes (labels, conditions, Ready). Malformed objects are skipped with a reason; never throws.
 */
import { formatIp } from '../../core/ip/index.js';
import type { Labels } from '../../core/labels.js';
import { asRecord } from '../objects.js';
import { readAnnotation } from './annotations.js';
import { classMismatch, SERVICE_TYPE_LOAD_BALANCER } from './service.js';
import { readCurrentIps } from './service-fields.js';

/** The EndpointSlice label naming its Service (discovery.k8s.io). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface SpeakerService {
  /** namespace/name */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly labels: Labels;
  /** status.loadBalancer.ingress[].ip in order, canonical text. */
  readonly ips: readonly string[];
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  /** The `metallb.io/allow-shared-ip` key, when the Service may share its IP. */
  readonly sharingKey: string | undefined;
}

export interface EndpointReadiness {
  /** Some endpoint can serve (MetalLB EndpointCanServe), whether or not it names a node. */
  readonly anyReady: boolean;
  /** Nodes hosting an endpoint that can serve. */
  readonly readyNodes: ReadonlySet<string>;
}

export interface SpeakerNode {
  readonly name: string;
  readonly labels: Labels;
  readonly conditions: readonly { readonly type: string; readonly status: 'True' | 'False' | 'Unknown' }[];
}

function stringMap(value: unknown): Labels {
  const record = asRecord(value);
  if (!record) return {};
  return Object.fromEntries(
    Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The Service as the speaker needs it, or undefined when it is not ours to announce. */
export function speakerServiceFrom(object: unknown, lbClass: string | undefined): SpeakerService | undefined {
  const service = asRecord(object);
  const meta = asRecord(service?.metadata);
  const spec = asRecord(service?.spec);
  const namespace = text(meta?.namespace);
  const name = text(meta?.name);
  if (!spec || namespace === '' || name === '' || spec.type !== SERVICE_TYPE_LOAD_BALANCER) return undefined;
  if (classMismatch(spec.loadBalancerClass, lbClass) !== undefined) return undefined;
  const { ips } = readCurrentIps(service?.status);
  if (ips.length === 0) return undefined;
  const uid = text(meta?.uid);
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: uid === '' ? undefined : uid,
    labels: stringMap(meta?.labels),
    ips: ips.map(formatIp),
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    sharingKey: sharingKey(meta?.annotations),
  };
}

function sharingKey(annotations: unknown): string | undefined {
  const value = readAnnotation(asRecord(annotations) ?? {}, 'allowSharedIp').value;
  return value === undefined || value === '' ? undefined : value;
}

/** MetalLB EndpointCanServe: `ready` unset or true, or `serving` true. */
export function endpointCanServe(endpoint: unknown): boolean {
  const conditions = asRecord(asRecord(endpoint)?.conditions);
  if (!conditions) return true;
  return conditions.ready === undefined || conditions.ready === null || conditions.ready === true
    ? true
    : conditions.serving === true;
}

/** Readiness per Service key (namespace/name) over every EndpointSlice. */
export function endpointReadiness(slices: Iterable<unknown>): Map<string, EndpointReadiness> {
  const out = new Map<string, { anyReady: boolean; readyNodes: Set<string> }>();
  for (const object of slices) {
    const meta = asRecord(asRecord(object)?.metadata);
    const service = stringMap(meta?.labels)[SERVICE_NAME_LABEL];
    const namespace = text(meta?.namespace);
    if (service === undefined || service === '' || namespace === '') continue;
    const key = `${namespace}/${service}`;
    const entry = out.get(key) ?? { anyReady: false, readyNodes: new Set<string>() };
    out.set(key, entry);
    const endpoints = asRecord(object)?.endpoints;
    if (!Array.isArray(endpoints)) continue;
    for (const endpoint of endpoints) {
      if (!endpointCanServe(endpoint)) continue;
      entry.anyReady = true;
      const node = text(asRecord(endpoint)?.nodeName);
      if (node !== '') entry.readyNodes.add(node);
    }
  }
  return out;
}

const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

/** A Node's name, labels and conditions; undefined without a name. */
export function speakerNodeFrom(object: unknown): SpeakerNode | undefined {
  const node = asRecord(object);
  const name = text(asRecord(node?.metadata)?.name);
  if (name === '') return undefined;
  const raw = asRecord(node?.status)?.conditions;
  const conditions: SpeakerNode['conditions'][number][] = [];
  for (const c of Array.isArray(raw) ? raw : []) {
    const type = text(asRecord(c)?.type);
    const status = text(asRecord(c)?.status);
    if (type !== '' && CONDITION_STATUSES.has(status)) {
      conditions.push({ type, status: status as 'True' | 'False' | 'Unknown' });
    }
  }
  return { name, labels: stringMap(asRecord(node?.metadata)?.labels), conditions };
}

/** The Node's Ready condition is True (the backstop for split-brain yields). */
export function nodeReady(node: SpeakerNode | undefined): boolean {
  return node?.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
