/**
 * The allocator's input and output types: a typed request per Service (no Kubernetes types), the
 * allocation or typed error it gets back, and the reports of the restore and re-evaluation passes.
 */
import type { IpAddress, IpFamily } from '../ip/index.js';
import type { Labels } from '../labels.js';

/**
 * Why an allocation failed: a discriminated union with the facts a caller needs and a human message
 * (see errors.ts for the wording).
 */
export type AllocationError =
  | { kind: 'invalid-request'; field: string; reason: string; message: string }
  | { kind: 'pool-not-found'; pool: string; message: string }
  | { kind: 'pool-not-eligible'; pool: string; message: string }
  | { kind: 'pool-exhausted'; pool: string; families: IpFamily[]; message: string }
  | { kind: 'family-not-in-pool'; pool: string; families: IpFamily[]; message: string }
  | { kind: 'no-eligible-pool'; message: string }
  | { kind: 'auto-assign-disabled'; pools: string[]; message: string }
  | { kind: 'no-available-ips'; pools: string[]; families: IpFamily[]; message: string }
  | { kind: 'dual-stack-unavailable'; pools: string[]; message: string }
  | { kind: 'ip-not-in-pool'; ip: IpAddress; message: string }
  | { kind: 'ips-in-different-pools'; ips: IpAddress[]; pools: string[]; message: string }
  | { kind: 'ip-not-in-requested-pool'; ips: IpAddress[]; pool: string; actualPool: string; message: string }
  | { kind: 'too-many-ips'; ips: IpAddress[]; message: string }
  | { kind: 'family-mismatch'; ips: IpAddress[]; expected: IpFamily[]; message: string }
  | { kind: 'ip-in-use'; ip: IpAddress; users: string[]; message: string }
  | {
      kind: 'sharing-key-mismatch';
      ip: IpAddress;
      sharingKey: string;
      existingSharingKey: string;
      users: string[];
      message: string;
    }
  | { kind: 'backend-key-mismatch'; ip: IpAddress; users: string[]; message: string }
  | { kind: 'port-conflict'; ip: IpAddress; port: ServicePort; user: string; message: string };

/** Why an existing assignment was dropped: a failure, or the user asked for something else. */
export type ClearReason =
  | AllocationError
  | { kind: 'requested-ips-changed'; ips: IpAddress[]; message: string }
  | { kind: 'requested-pool-changed'; pool: string; actualPool: string; message: string };

export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePort {
  readonly protocol: Protocol;
  readonly port: number;
}

/** What the allocator needs to know about one Service of type LoadBalancer. Key: "namespace/name". */
export interface AllocationRequest {
  readonly namespace: string;
  readonly name: string;
  /** metadata.labels of the Service (serviceAllocation.serviceSelectors). */
  readonly labels: Labels;
  /** Labels of the Service's Namespace (serviceAllocation.namespaceSelectors). */
  readonly namespaceLabels: Labels;
  readonly ipFamilyPolicy: IpFamilyPolicy;
  /** spec.ipFamilies: one family, or two for dual-stack; the first is the primary family. */
  readonly ipFamilies: readonly IpFamily[];
  /** metallb.io/loadBalancerIPs or spec.loadBalancerIP, parsed; empty when none is requested. */
  readonly requestedIps: readonly IpAddress[];
  /** metallb.io/address-pool. */
  readonly requestedPool?: string;
  /** metallb.io/allow-shared-ip; empty or absent means the Service does not share. */
  readonly sharingKey?: string;
  readonly ports: readonly ServicePort[];
  /** '' for externalTrafficPolicy Cluster; the pod selector in canonical text for Local. */
  readonly backendKey: string;
  /** status.loadBalancer.ingress[].ip as currently written on the Service. */
  readonly currentIps: readonly IpAddress[];
}

/** Where a successful allocation came from. */
export type AllocationSource = 'kept' | 'requested-ips' | 'requested-pool' | 'auto';

export interface Allocation {
  /** Primary family first for new allocations; a kept allocation keeps its order. */
  readonly ips: readonly IpAddress[];
  readonly pool: string;
  /** True when ips differ (as a set) from request.currentIps: status needs writing. */
  readonly changed: boolean;
  readonly source: AllocationSource;
  /**
   * PreferDualStack with two ipFamilies but one address: why the missing family could not be added
   * from the same pool (MetalLB's AdditionalAssignFailed). Absent when nothing was missing or it was added.
   */
  readonly additionalFamilyError?: AllocationError;
}

/** An assignment the allocator dropped, with the reason (MetalLB's ClearAssignment event). */
export interface ClearedAssignment {
  readonly ips: readonly IpAddress[];
  readonly reason: ClearReason;
}

export type AllocationResult =
  | { readonly ok: true; readonly allocation: Allocation; readonly cleared?: ClearedAssignment }
  | { readonly ok: false; readonly error: AllocationError; readonly cleared?: ClearedAssignment };

export interface Assignment {
  readonly ips: readonly IpAddress[];
  readonly pool: string;
}

export interface RestoreConflict {
  readonly key: string;
  readonly ips: readonly IpAddress[];
  readonly reason: ClearReason;
}

export interface RestoreReport {
  /** Services whose status addresses were taken back unchanged. */
  readonly restored: number;
  /** Services whose status addresses could not be taken (conflict or no longer valid), in input order. */
  readonly cleared: readonly RestoreConflict[];
  /** Keys that still need allocate(): cleared ones and those without addresses, in input order. */
  readonly toAllocate: readonly string[];
}

export interface PoolMove {
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

export interface Reassignment {
  readonly key: string;
  readonly previous: Assignment;
  readonly reason: ClearReason;
  /** The new allocation (or why none could be made), tried after every invalid assignment was cleared. */
  readonly result: AllocationResult;
}

export interface ReevaluationReport {
  /** Assignments still valid under the new pools. */
  readonly kept: number;
  /** Still-valid assignments whose addresses now belong to a differently named pool. */
  readonly moved: readonly PoolMove[];
  /** Assignments no longer valid: cleared and re-allocated, in key order. */
  readonly reassigned: readonly Reassignment[];
}
