/**
 * Reconcile one Service: from its key and what the cache says about it, decide with the Allocator what
 * the Service should hold, and compute the writes that make Kubernetes say so (status ingress, the
 * `metallb.io/ip-allocated-from-pool` annotation, the allocation condition) and the Events to record.
 * Synchronous and I/O-free: it mutates only the Allocator; term.ts performs the plan through the ports.
 *
 * Follows MetalLB `controller/service.go` convergeBalancer: a Service that is no longer a LoadBalancer
 * loses its state; one with an unusable request (no clusterIPs, too few for RequireDualStack) is
 * cleared; an invalid `loadBalancerIPs` keeps what the Service already holds. Events are recorded when
 * the outcome changes, not on every pass, so a reprocess or a restart adds none.
 */
import type { Allocation, AllocationError, Allocator, ClearedAssignment } from '../core/allocator/index.js';
import { formatIp, type IpAddress } from '../core/ip/index.js';
import { conditionReason } from '../k8s/index.js';
import type {
  AllocationCondition,
  ControllerEvent,
  CurrentStatus,
  DeprecatedAnnotation,
  ServiceRef,
  ServiceStatusUpdate,
  ServiceView,
} from './ports.js';

/** Event reasons, in MetalLB's spelling. */
export const EVENT = {
  ipAllocated: 'IPAllocated',
  allocationFailed: 'AllocationFailed',
  clearAssignment: 'ClearAssignment',
  additionalAssignFailed: 'AdditionalAssignFailed',
  deprecatedAnnotation: 'deprecatedAnnotation',
} as const;

export interface ServicePlan {
  readonly key: string;
  /** Undefined when the Service no longer exists (nothing to write to). */
  readonly ref: ServiceRef | undefined;
  /** Undefined when the Service already says what it should. */
  readonly write: ServiceStatusUpdate | undefined;
  readonly events: readonly ControllerEvent[];
  /** Addresses were released: Services waiting for one may now fit. */
  readonly freed: boolean;
  /** The Service still lacks an address it could get later (failed, or a PreferDualStack family missing). */
  readonly waiting: boolean;
}

/** Remembers warnings already given in this leadership term, so a reprocess does not repeat them. */
export class NoticeMemory {
  private readonly given = new Map<string, string>();

  /** True the first time (key, text) is seen, and whenever the text for the key changes. */
  firstTime(key: string, text: string): boolean {
    if (this.given.get(key) === text) return false;
    this.given.set(key, text);
    return true;
  }

  forget(key: string): void {
    this.given.delete(key);
  }
}

export interface ReconcileContext {
  readonly allocator: Allocator;
  readonly notices: NoticeMemory;
}

/** `["192.0.2.1" "2001:db8::1"]`: Go's %q of a []net.IP, as MetalLB's event messages print it. */
export function quoteIps(ips: readonly string[]): string {
  return `[${ips.map((ip) => JSON.stringify(ip)).join(' ')}]`;
}

function texts(ips: readonly IpAddress[]): string[] {
  return ips.map(formatIp);
}

const EMPTY: ServiceStatusUpdate = { ips: [], pool: undefined, condition: undefined };

function sameCondition(a: CurrentStatus['condition'], b: AllocationCondition | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.status === b.status && a.reason === b.reason && a.message === b.message;
}

export function sameStatus(a: CurrentStatus, b: ServiceStatusUpdate): boolean {
  return (
    a.pool === b.pool &&
    a.ips.length === b.ips.length &&
    a.ips.every((ip, i) => ip === b.ips[i]) &&
    sameCondition(a.condition, b.condition)
  );
}

function writeIfChanged(
  current: CurrentStatus,
  desired: ServiceStatusUpdate,
): ServiceStatusUpdate | undefined {
  return sameStatus(current, desired) ? undefined : desired;
}

function warning(reason: string, message: string): ControllerEvent {
  return { type: 'Warning', reason, message };
}

function normal(reason: string, message: string): ControllerEvent {
  return { type: 'Normal', reason, message };
}

function deprecationEvents(
  ctx: ReconcileContext,
  key: string,
  deprecated: readonly DeprecatedAnnotation[],
): ControllerEvent[] {
  if (deprecated.length === 0) {
    ctx.notices.forget(key);
    return [];
  }
  const text = deprecated.map((d) => `${d.used} is deprecated, use ${d.replacement} instead`).join('; ');
  return ctx.notices.firstTime(key, text) ? [warning(EVENT.deprecatedAnnotation, text)] : [];
}

function clearEvent(key: string, cleared: ClearedAssignment): ControllerEvent {
  return normal(
    EVENT.clearAssignment,
    `current IP ${quoteIps(texts(cleared.ips))} for "${key}" not allowed by config, will attempt for new IP assignment: ${cleared.reason.message}`,
  );
}

function allocatedCondition(allocation: Allocation): AllocationCondition {
  return {
    status: 'True',
    reason: EVENT.ipAllocated,
    message: `Assigned IP ${quoteIps(texts(allocation.ips))} from pool "${allocation.pool}"`,
  };
}

/** Condition reasons must be CamelCase (metav1.Condition); `not enough clusterips` → `NotEnoughClusterips`. */
function failedCondition(reason: string, message: string): AllocationCondition {
  return { status: 'False', reason: conditionReason(reason), message };
}

function planAllocated(
  current: CurrentStatus,
  allocation: Allocation,
  events: ControllerEvent[],
): { write: ServiceStatusUpdate | undefined; waiting: boolean } {
  const ips = texts(allocation.ips);
  if (allocation.changed) events.push(normal(EVENT.ipAllocated, `Assigned IP ${quoteIps(ips)}`));
  const missing: AllocationError | undefined = allocation.additionalFamilyError;
  const desired = { ips, pool: allocation.pool, condition: allocatedCondition(allocation) };
  const write = writeIfChanged(current, desired);
  if (missing && (write || allocation.changed)) {
    events.push(
      normal(
        EVENT.additionalAssignFailed,
        `cannot assign additional IP in PreferDualStack: ${missing.message}`,
      ),
    );
  }
  return { write, waiting: missing !== undefined };
}

function planRequest(
  ctx: ReconcileContext,
  key: string,
  view: ServiceView & { kind: 'request' },
): ServicePlan {
  const events = deprecationEvents(ctx, key, view.deprecated);
  const result = ctx.allocator.allocate(view.request);
  if (result.cleared) events.push(clearEvent(key, result.cleared));
  const freed = result.cleared !== undefined;
  if (result.ok) {
    const { write, waiting } = planAllocated(view.current, result.allocation, events);
    return { key, ref: view.ref, write, events, freed, waiting };
  }
  const message = `Failed to allocate IP for "${key}": ${result.error.message}`;
  const condition = failedCondition(EVENT.allocationFailed, message);
  if (!sameCondition(view.current.condition, condition))
    events.push(warning(EVENT.allocationFailed, message));
  const write = writeIfChanged(view.current, { ips: [], pool: undefined, condition });
  return { key, ref: view.ref, write, events, freed, waiting: true };
}

function planInvalid(
  ctx: ReconcileContext,
  key: string,
  view: ServiceView & { kind: 'invalid' },
): ServicePlan {
  const events = deprecationEvents(ctx, key, view.deprecated);
  const { problem, current } = view;
  const condition = failedCondition(problem.reason, problem.message);
  if (!sameCondition(current.condition, condition)) events.push(warning(problem.reason, problem.message));
  if (problem.action === 'keep') return planKeep(ctx, key, view, condition, events);
  const released = ctx.allocator.release(key);
  const write = writeIfChanged(current, { ips: [], pool: undefined, condition });
  return { key, ref: view.ref, write, events, freed: released !== undefined, waiting: false };
}

/** An unusable request on a Service that holds addresses: keep them (MetalLB LoadBalancerFailed). */
function planKeep(
  ctx: ReconcileContext,
  key: string,
  view: ServiceView & { kind: 'invalid' },
  condition: AllocationCondition,
  events: ControllerEvent[],
): ServicePlan {
  const held = ctx.allocator.assignmentOf(key);
  const current = view.current;
  if (held) {
    const ips = texts(held.ips);
    const sameSet = ips.length === current.ips.length && ips.every((ip) => current.ips.includes(ip));
    const write = writeIfChanged(current, { ips: sameSet ? current.ips : ips, pool: held.pool, condition });
    return { key, ref: view.ref, write, events, freed: false, waiting: false };
  }
  if (current.ips.length > 0) {
    events.push(
      normal(
        EVENT.clearAssignment,
        `current IP ${quoteIps(current.ips)} for "${key}" could not be taken back while its request is invalid`,
      ),
    );
  }
  const write = writeIfChanged(current, { ips: [], pool: undefined, condition });
  return { key, ref: view.ref, write, events, freed: false, waiting: false };
}

function planIgnored(
  ctx: ReconcileContext,
  key: string,
  view: ServiceView & { kind: 'ignored' },
): ServicePlan {
  ctx.notices.forget(key);
  const released = ctx.allocator.release(key);
  // A Service of another class belongs to another implementation, and a malformed one cannot be
  // addressed: release what it held here, never write to it.
  const write = view.reason === 'not-load-balancer' ? writeIfChanged(view.current, EMPTY) : undefined;
  return { key, ref: view.ref, write, events: [], freed: released !== undefined, waiting: false };
}

/** The plan for one Service key; `view` is undefined when the Service was deleted. */
export function planService(ctx: ReconcileContext, key: string, view: ServiceView | undefined): ServicePlan {
  if (view === undefined) {
    ctx.notices.forget(key);
    const released = ctx.allocator.release(key);
    return {
      key,
      ref: undefined,
      write: undefined,
      events: [],
      freed: released !== undefined,
      waiting: false,
    };
  }
  switch (view.kind) {
    case 'ignored':
      return planIgnored(ctx, key, view);
    case 'invalid':
      return planInvalid(ctx, key, view);
    case 'request':
      return planRequest(ctx, key, view);
  }
}
