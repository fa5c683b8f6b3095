/**
 * The outcomes of translating a Service into the allocator's request: handled (an AllocationRequest),
 * deliberately ignored (not a LoadBalancer, another load-balancer class) or invalid (a typed error
 * with the field, the reason and the MetalLB event reason to report). Translation never throws.
 */
import type { AllocationRequest } from '../../core/allocator/index.js';

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

/** Why a Service is not handed to the allocator (MetalLB ignores it the same way). */
export type IgnoreReason = 'not-load-balancer' | 'other-class';

export type TranslationErrorCode =
  | 'malformed-object'
  | 'bad-field'
  | 'lb-ips-and-lb-ip'
  | 'bad-lb-ips'
  | 'too-many-lb-ips'
  | 'lb-ips-same-family'
  | 'bad-lb-ip'
  | 'not-enough-cluster-ips';

export interface TranslationError {
  readonly code: TranslationErrorCode;
  /** Field path, e.g. `spec.ports[1].port` or `metadata.annotations["metallb.io/loadBalancerIPs"]`. */
  readonly field: string;
  readonly reason: string;
  /** MetalLB's event reason for this failure (Warning), e.g. `LoadBalancerFailed`. */
  readonly eventReason: string;
  /** `field: reason`, ready for an event or a log line. */
  readonly message: string;
}

/** A `metallb.universe.tf/*` annotation whose value was used, and the `metallb.io/*` replacement. */
export interface DeprecatedAnnotation {
  readonly used: string;
  readonly replacement: string;
}

/** A non-fatal finding to report as a Warning event (the request is still built). */
export interface TranslationWarning {
  readonly eventReason: string;
  readonly message: string;
}

export type ServiceTranslation =
  | {
      readonly kind: 'ignored';
      readonly ref: ServiceRef;
      readonly reason: IgnoreReason;
      readonly message: string;
    }
  | {
      readonly kind: 'invalid';
      readonly ref: ServiceRef;
      readonly error: TranslationError;
      readonly deprecated: readonly DeprecatedAnnotation[];
    }
  | {
      readonly kind: 'request';
      readonly ref: ServiceRef;
      readonly request: AllocationRequest;
      readonly deprecated: readonly DeprecatedAnnotation[];
      readonly warnings: readonly TranslationWarning[];
      /** metadata.creationTimestamp ('' when absent): orders restore, oldest first. */
      readonly createdAt: string;
    };

export interface TranslateOptions {
  /** `--lb-class`: handle only Services of this class; when absent, only Services without a class. */
  readonly lbClass?: string;
  /**
   * The cluster's IP families, primary first, used only when a Service has neither spec.ipFamilies nor
   * clusterIPs (the API server normally fills them). Default ['IPv4'].
   */
  readonly clusterIpFamilies?: readonly ('IPv4' | 'IPv6')[];
}

/** Builds a TranslationError with its message. */
export function translationError(
  code: TranslationErrorCode,
  field: string,
  reason: string,
  eventReason = 'LoadBalancerFailed',
): TranslationError {
  return { code, field, reason, eventReason, message: `${field}: ${reason}` };
}
