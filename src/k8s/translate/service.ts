/**
 * Service → AllocationRequest, at the boundary (Kubernetes types never enter src/core).
 *
 * Order of decisions, as MetalLB's controller takes them:
 * 1. a malformed object (no metadata.name / namespace, non-object spec) is invalid;
 * 2. spec.type other than LoadBalancer → ignored ('not-load-balancer': the controller clears its state);
 * 3. load-balancer class (service_controller.go filterByLoadBalancerClass): without `--lb-class` any
 *    Service that sets spec.loadBalancerClass is ignored; with `--lb-class=X` only class X is handled;
 * 4. every field is read into the request, the first problem making the Service invalid with the field,
 *    the reason and MetalLB's event reason (LoadBalancerFailed for requested-address errors).
 * Deprecated `metallb.universe.tf/*` annotations that were used are listed in every non-ignored result.
 */
import type { AllocationRequest } from '../../core/allocator/index.js';
import type { Labels } from '../../core/labels.js';
import { formatIp, parseIp } from '../../core/ip/index.js';
import { asRecord } from '../objects.js';
import { readAnnotation } from './annotations.js';
import {
  readBackendKey,
  readCurrentIps,
  readFamilies,
  readPolicy,
  readPorts,
  readRequestedIps,
  readStringMap,
} from './service-fields.js';
import {
  translationError,
  type DeprecatedAnnotation,
  type ServiceRef,
  type ServiceTranslation,
  type TranslateOptions,
  type TranslationError,
  type TranslationWarning,
} from './types.js';

export const SERVICE_TYPE_LOAD_BALANCER = 'LoadBalancer';

function refOf(service: unknown): ServiceRef {
  const meta = asRecord(asRecord(service)?.metadata);
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const uid = text(meta?.uid);
  return { namespace: text(meta?.namespace), name: text(meta?.name), ...(uid === '' ? {} : { uid }) };
}

/** Why a LoadBalancer Service is not ours under the class rules; undefined when it is ours. */
export function classMismatch(serviceClass: unknown, lbClass: string | undefined): string | undefined {
  const cls = typeof serviceClass === 'string' && serviceClass !== '' ? serviceClass : undefined;
  if (lbClass === undefined || lbClass === '') {
    return cls === undefined ? undefined : `spec.loadBalancerClass is "${cls}" and no --lb-class is set`;
  }
  if (cls === lbClass) return undefined;
  return cls === undefined
    ? `spec.loadBalancerClass is not set and --lb-class is "${lbClass}"`
    : `spec.loadBalancerClass is "${cls}", not "${lbClass}"`;
}

interface Parts {
  readonly request: AllocationRequest;
  readonly warnings: TranslationWarning[];
}

function buildRequest(
  ref: ServiceRef,
  meta: Readonly<Record<string, unknown>>,
  spec: Readonly<Record<string, unknown>>,
  status: unknown,
  annotations: Readonly<Record<string, string>>,
  namespaceLabels: Labels,
  options: TranslateOptions,
): Parts | TranslationError {
  const labels = readStringMap(meta.labels, 'metadata.labels');
  if (!labels.ok) return labels.error;
  const policy = readPolicy(spec);
  if (!policy.ok) return policy.error;
  const families = readFamilies(spec, policy.value, options.clusterIpFamilies ?? ['IPv4']);
  if (!families.ok) return families.error;
  const ports = readPorts(spec);
  if (!ports.ok) return ports.error;
  const backendKey = readBackendKey(spec);
  if (!backendKey.ok) return backendKey.error;
  const requested = readRequestedIps(readAnnotation(annotations, 'loadBalancerIPs'), spec);
  if (!requested.ok) return requested.error;
  const pool = readAnnotation(annotations, 'addressPool').value;
  const sharingKey = readAnnotation(annotations, 'allowSharedIp').value;
  const current = readCurrentIps(status);
  const request: AllocationRequest = {
    namespace: ref.namespace,
    name: ref.name,
    labels: labels.value,
    namespaceLabels,
    ipFamilyPolicy: policy.value,
    ipFamilies: families.value,
    requestedIps: requested.value,
    ...(pool === undefined || pool === '' ? {} : { requestedPool: pool }),
    ...(sharingKey === undefined || sharingKey === '' ? {} : { sharingKey }),
    ports: ports.value,
    backendKey: backendKey.value,
    currentIps: current.ips,
  };
  return { request, warnings: current.warning === undefined ? [] : [current.warning] };
}

function deprecatedUsed(annotations: Readonly<Record<string, string>>): DeprecatedAnnotation[] {
  const names = ['loadBalancerIPs', 'addressPool', 'allowSharedIp'] as const;
  return names.map((n) => readAnnotation(annotations, n).deprecated).filter((d) => d !== undefined);
}

/**
 * Translates one Service. `namespaceLabels` are the labels of its Namespace (for pool
 * serviceAllocation.namespaceSelectors). Never throws.
 */
export function serviceToRequest(
  service: unknown,
  namespaceLabels: Labels,
  options: TranslateOptions = {},
): ServiceTranslation {
  const ref = refOf(service);
  const meta = asRecord(asRecord(service)?.metadata);
  const spec = asRecord(asRecord(service)?.spec);
  if (meta === undefined || ref.name === '' || ref.namespace === '' || spec === undefined) {
    const field =
      meta === undefined || ref.name === ''
        ? 'metadata.name'
        : ref.namespace === ''
          ? 'metadata.namespace'
          : 'spec';
    const error = translationError('malformed-object', field, 'is missing', 'InvalidService');
    return { kind: 'invalid', ref, error, deprecated: [] };
  }
  if (spec.type !== SERVICE_TYPE_LOAD_BALANCER) {
    return {
      kind: 'ignored',
      ref,
      reason: 'not-load-balancer',
      message: `spec.type is ${JSON.stringify(spec.type ?? 'ClusterIP')}`,
    };
  }
  const mismatch = classMismatch(spec.loadBalancerClass, options.lbClass);
  if (mismatch !== undefined) return { kind: 'ignored', ref, reason: 'other-class', message: mismatch };
  const annotations = readStringMap(meta.annotations, 'metadata.annotations');
  if (!annotations.ok) return { kind: 'invalid', ref, error: annotations.error, deprecated: [] };
  const deprecated = deprecatedUsed(annotations.value);
  const parts = buildRequest(
    ref,
    meta,
    spec,
    asRecord(service)?.status,
    annotations.value,
    namespaceLabels,
    options,
  );
  if ('code' in parts) return { kind: 'invalid', ref, error: parts, deprecated };
  const createdAt = typeof meta.creationTimestamp === 'string' ? meta.creationTimestamp : '';
  return { kind: 'request', ref, request: parts.request, deprecated, warnings: parts.warnings, createdAt };
}

/** The allocation condition as read back from status.conditions. */
export interface ConditionState {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

/** What is written on a Service today: the fields the ServiceStatusWriter manages. */
export interface ServiceStatusState {
  /** status.loadBalancer.ingress[].ip in order (canonical text when parseable). */
  readonly ips: readonly string[];
  /** metallb.io/ip-allocated-from-pool (or its deprecated twin). */
  readonly pool: string | undefined;
  /** The condition of type `conditionType`, when present. */
  readonly condition: ConditionState | undefined;
}

/** Reads the managed status fields back from a Service (for "skip when unchanged" and restore). */
export function readServiceStatus(service: unknown, conditionType: string): ServiceStatusState {
  const meta = asRecord(asRecord(service)?.metadata);
  const annotations = readStringMap(meta?.annotations, 'metadata.annotations');
  const pool = annotations.ok ? readAnnotation(annotations.value, 'ipAllocatedFromPool').value : undefined;
  const status = asRecord(asRecord(service)?.status);
  const ingress = asRecord(status?.loadBalancer)?.ingress;
  const ips = (Array.isArray(ingress) ? ingress : [])
    .map((e) => asRecord(e)?.ip)
    .filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  const conditions = Array.isArray(status?.conditions) ? status.conditions : [];
  const found = conditions.map((c) => asRecord(c)).find((c) => c?.type === conditionType);
  const condition =
    found === undefined
      ? undefined
      : ({
          status: found.status === 'True' || found.status === 'False' ? found.status : 'Unknown',
          reason: typeof found.reason === 'string' ? found.reason : '',
          message: typeof found.message === 'string' ? found.message : '',
        } satisfies ConditionState);
  return { ips: ips.map(canonicalIp), pool, condition };
}

function canonicalIp(text: string): string {
  const parsed = parseIp(text);
  return parsed === undefined ? text : formatIp(parsed);
}
