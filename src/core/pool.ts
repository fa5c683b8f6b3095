/**
 * The validated IPAddressPool as the core sees it (produced by src/config, consumed by the allocator and
 * the advertisement logic). Invariants guaranteed by config parsing: names are unique; ranges are
 * non-empty, of one family each, in spec order, and no two ranges of any two pools overlap.
 */
import type { IpRange } from './ip/index.js';
import type { Labels, LabelSelector } from './labels.js';

export interface ServiceAllocation {
  /** Lower number = higher priority; 0 means "unset" and ranks after every pool that has one (MetalLB). */
  readonly priority: number;
  readonly namespaces: readonly string[];
  readonly namespaceSelectors: readonly LabelSelector[];
  readonly serviceSelectors: readonly LabelSelector[];
}

export interface Pool {
  readonly name: string;
  /** Labels of the IPAddressPool object, matched by ipAddressPoolSelectors. */
  readonly labels: Labels;
  readonly ranges: readonly IpRange[];
  readonly autoAssign: boolean;
  readonly avoidBuggyIPs: boolean;
  /** Absent when spec.serviceAllocation is not set. */
  readonly serviceAllocation?: ServiceAllocation;
}
