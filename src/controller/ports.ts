/**
 * The controller's ports: the only ways it reads from and writes to Kubernetes (MetalLB's 3-method
 * `service` interface, declared by the consumer). The logic in reconcile.ts, config-state.ts and term.ts
 * depends on these types alone, so unit tests drive it with a recording fake and no API server;
 * adapters.ts implements them on top of src/k8s. Every write takes the leadership term's AbortSignal:
 * once it is aborted, nothing more may be written.
 */
import type { AllocationRequest, PoolCounters } from '../core/allocator/index.js';
import type { ObjectRef, ResourceSnapshot } from '../config/index.js';

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

export type EventType = 'Normal' | 'Warning';

/** A Kubernetes Event to record on an object (reason in MetalLB's spelling, e.g. `IPAllocated`). */
export interface ControllerEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

/** The Service condition Herald maintains (type ALLOCATION_CONDITION_TYPE). */
export interface AllocationCondition {
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

/** Condition type on Service.status.conditions stating whether the Service got its addresses. */
export { ALLOCATION_CONDITION_TYPE } from '../k8s/index.js';

/** What the controller wants on one Service; the writer makes the object say exactly this. */
export interface ServiceStatusUpdate {
  /** status.loadBalancer.ingress[].ip, in order, each with ipMode VIP; empty clears the ingress. */
  readonly ips: readonly string[];
  /** metallb.io/ip-allocated-from-pool; undefined removes the annotation. */
  readonly pool: string | undefined;
  /** The allocation condition; undefined removes it. */
  readonly condition: AllocationCondition | undefined;
}

/** What the controller currently sees written on a Service (from the informer cache). */
export interface CurrentStatus {
  readonly ips: readonly string[];
  readonly pool: string | undefined;
  /** As read back; `status` may be anything another writer put there (e.g. `Unknown`). */
  readonly condition:
    { readonly status: string; readonly reason: string; readonly message: string } | undefined;
}

/** 'not-found': the Service is gone (its deletion will arrive as its own event); nothing to retry. */
export type WriteOutcome = 'written' | 'not-found';

export interface ServiceStatusPort {
  /** Writes status, annotation and condition. Throws on a retryable failure. */
  patchStatus(ref: ServiceRef, update: ServiceStatusUpdate, signal: AbortSignal): Promise<WriteOutcome>;
  event(ref: ServiceRef, event: ControllerEvent, signal: AbortSignal): Promise<void>;
}

/**
 * Why a Service is not handed to the allocator: not a LoadBalancer (its state is cleared), another
 * load-balancer class (never written to), or an object too malformed to name (never written to).
 */
export type IgnoreReason = 'not-load-balancer' | 'other-class' | 'malformed';

/** A Service whose request could not be built (bad annotation, no clusterIPs, ...), MetalLB-style. */
export interface RequestProblem {
  /** Event and condition reason, e.g. `LoadBalancerFailed`, `not enough clusterips`. */
  readonly reason: string;
  readonly message: string;
  /**
   * `clear`: the Service loses its addresses (MetalLB clearServiceState: no clusterIPs, too few for
   * RequireDualStack). `keep`: what it holds stays (an unparsable `loadBalancerIPs`: MetalLB
   * LoadBalancerFailed).
   */
  readonly action: 'clear' | 'keep';
}

/** One Service as the controller sees it: translated once at the boundary. */
export type ServiceView =
  | {
      readonly kind: 'ignored';
      readonly ref: ServiceRef;
      readonly reason: IgnoreReason;
      readonly current: CurrentStatus;
    }
  | {
      readonly kind: 'invalid';
      readonly ref: ServiceRef;
      readonly problem: RequestProblem;
      /** For action `keep`: the request without the unusable part, used to take the addresses back on restore. */
      readonly hold?: AllocationRequest;
      readonly deprecated: readonly DeprecatedAnnotation[];
      readonly current: CurrentStatus;
      readonly createdAt: string;
    }
  | {
      readonly kind: 'request';
      readonly ref: ServiceRef;
      readonly request: AllocationRequest;
      readonly deprecated: readonly DeprecatedAnnotation[];
      readonly current: CurrentStatus;
      /** metadata.creationTimestamp (RFC 3339); orders the restore pass, oldest first. */
      readonly createdAt: string;
    };

/** A `metallb.universe.tf/*` annotation in use, and its replacement. */
export interface DeprecatedAnnotation {
  readonly used: string;
  readonly replacement: string;
}

/** Read access to the Service cache. */
export interface ServiceSource {
  get(key: string): ServiceView | undefined;
  /** Keys of every Service in the cache. */
  keys(): Iterable<string>;
}

/** Read access to the metallb.io caches (plus Secrets and Nodes), as one parseConfig snapshot. */
export interface ConfigSource {
  snapshot(): ResourceSnapshot;
}

/** The configuration summary the controller publishes (MetalLB ConfigurationState, component controller). */
export interface ConfigReport {
  readonly result: 'Valid' | 'Invalid';
  /** Every error, formatted (`IPAddressPool metallb-system/a: spec.addresses[0]: ...`); empty when valid. */
  readonly errors: readonly string[];
  /** One line: `2 errors: ...` or `valid: 3 pools`. */
  readonly summary: string;
}

export interface ConfigStatusPort {
  report(report: ConfigReport, signal: AbortSignal): Promise<void>;
  /** An Event on a metallb.io object named by a ConfigError. */
  objectEvent(ref: ObjectRef, event: ControllerEvent, signal: AbortSignal): Promise<void>;
}

/** IPAddressPool.status counters, exact (the writer clamps them to int64). */
export type PoolStatus = PoolCounters;

export interface PoolStatusPort {
  patchPoolStatus(name: string, status: PoolStatus, signal: AbortSignal): Promise<void>;
}

/** The logger the controller logs through (pino's Logger satisfies it). */
export interface Log {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SecretPort {
  /** Creates the speakers' memberlist Secret unless it exists; true when it was created. */
  ensureMemberlistSecret(signal: AbortSignal): Promise<boolean>;
}

/** Every write port, bundled. */
export interface ControllerWriters {
  readonly services: ServiceStatusPort;
  readonly config: ConfigStatusPort;
  readonly pools: PoolStatusPort;
  readonly secret: SecretPort;
}
