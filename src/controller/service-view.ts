/**
 * The ServiceSource port over the informer caches: a Service object (plain JSON) plus its Namespace's
 * labels become a ServiceView through src/k8s translate (serviceToRequest for the request, the
 * lb-class rule and the annotations; readServiceStatus for what is written today). Decides, per
 * translation error, whether the Service keeps what it holds (a bad requested address: MetalLB
 * LoadBalancerFailed) or loses it (too few clusterIPs for RequireDualStack: MetalLB clearServiceState).
 */
import type { Labels } from '../core/labels.js';
import {
  ANNOTATIONS,
  deprecatedKey,
  readServiceStatus,
  serviceToRequest,
  type TranslationError,
} from '../k8s/translate/index.js';
import {
  ALLOCATION_CONDITION_TYPE,
  type RequestProblem,
  type ServiceSource,
  type ServiceView,
} from './ports.js';

/** The parts of the caches a ServiceSource reads. */
export interface ServiceCaches {
  getService(key: string): unknown;
  serviceKeys(): Iterable<string>;
  namespaceLabels(namespace: string): Labels;
}

export interface ServiceViewOptions {
  readonly lbClass?: string;
}

const CLEARING_ERRORS: ReadonlySet<TranslationError['code']> = new Set(['not-enough-cluster-ips']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The Service without any requested address: what it may keep holding while its request is invalid. */
function withoutRequestedIps(service: unknown): unknown {
  const svc = record(service);
  const meta = record(svc.metadata);
  const annotations = { ...record(meta.annotations) };
  delete annotations[ANNOTATIONS.loadBalancerIPs];
  delete annotations[deprecatedKey('loadBalancerIPs')];
  const spec = { ...record(svc.spec) };
  delete spec.loadBalancerIP;
  return { ...svc, metadata: { ...meta, annotations }, spec };
}

function problemOf(error: TranslationError): RequestProblem {
  return {
    reason: error.eventReason,
    message: error.message,
    action: CLEARING_ERRORS.has(error.code) ? 'clear' : 'keep',
  };
}

export function viewOf(service: unknown, namespaceLabels: Labels, options: ServiceViewOptions): ServiceView {
  const translated = serviceToRequest(service, namespaceLabels, options);
  const current = readServiceStatus(service, ALLOCATION_CONDITION_TYPE);
  const meta = record(record(service).metadata);
  const createdAt = typeof meta.creationTimestamp === 'string' ? meta.creationTimestamp : '';
  switch (translated.kind) {
    case 'ignored':
      return { kind: 'ignored', ref: translated.ref, reason: translated.reason, current };
    case 'request':
      return { ...translated, current };
    case 'invalid': {
      if (translated.error.code === 'malformed-object') {
        return { kind: 'ignored', ref: translated.ref, reason: 'malformed', current };
      }
      const problem = problemOf(translated.error);
      const hold =
        problem.action === 'keep'
          ? serviceToRequest(withoutRequestedIps(service), namespaceLabels, options)
          : undefined;
      return {
        kind: 'invalid',
        ref: translated.ref,
        problem,
        ...(hold?.kind === 'request' && { hold: hold.request }),
        deprecated: translated.deprecated,
        current,
        createdAt,
      };
    }
  }
}

export class CachedServiceSource implements ServiceSource {
  constructor(
    private readonly caches: ServiceCaches,
    private readonly options: ServiceViewOptions,
  ) {}

  get(key: string): ServiceView | undefined {
    const service = this.caches.getService(key);
    if (service === undefined) return undefined;
    const namespace = record(record(service).metadata).namespace;
    const labels = typeof namespace === 'string' ? this.caches.namespaceLabels(namespace) : {};
    return viewOf(service, labels, this.options);
  }

  keys(): Iterable<string> {
    return this.caches.serviceKeys();
  }
}
