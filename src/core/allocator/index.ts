/**
 * src/core/allocator: Service → LoadBalancer addresses (docs/allocation.md).
 *
 * Responsibilities:
 * - allocate one Service from a typed AllocationRequest: keep a still-valid allocation, else the
 *   requested IPs, else the requested pool, else the pools in a deterministic order (serviceAllocation
 *   priority, then name; pools without serviceAllocation by name), honouring autoAssign and avoidBuggyIPs;
 * - address sharing (allow-shared-ip key, disjoint protocol/port pairs, equal backend key);
 * - dual-stack (RequireDualStack / PreferDualStack, one pool per Service, adding a missing family later);
 * - restore: take every existing assignment back before any new allocation, reporting conflicts;
 * - re-evaluation on a new Config: clear what is no longer valid, re-allocate it and report it;
 * - IPAddressPool status counters.
 *
 * Pure and synchronous: no Kubernetes types, no I/O, no clock. Lowest-free choice is O(log n) per range
 * with no enumeration of addresses, so an IPv4 /8 or an IPv6 /64 costs the same as a /29.
 */
export { Allocator, type PoolsInput } from './allocator.js';
export type { IpsRole } from './errors.js';
export { IntervalSet } from './interval-set.js';
export { isBuggyIp, type PoolCounters } from './pool-state.js';
export { serviceKey } from './request.js';
export { poolSelects } from './selection.js';
export type * from './types.js';
