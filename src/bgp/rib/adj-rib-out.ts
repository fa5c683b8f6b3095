/**
 * Adj-RIB-Out of one peer as desired state (MetalLB native `Set`/`sendUpdates`, done right): the caller
 * states the routes it wants announced; `planUpdates` diffs them against what was sent and returns the
 * UPDATEs to send (withdrawals first, then announcements grouped by attributes) and the new sent state.
 * Nothing here does I/O; the session sends the messages and keeps the returned `sent`.
 */
import { Afi, type AfiValue } from '../constants.js';
import { BgpInputError } from '../errors.js';
import { prefixKey } from '../nlri/prefix.js';
import type { Prefix, UpdateMessage } from '../types.js';
import { familyNegotiated, nextHopFor, type ExportContext } from './export.js';
import { packAnnouncements, packWithdrawals } from './pack.js';
import { attributesKey, validateRoute, type Route, type RouteAttributes } from './route.js';

export interface DesiredRoute {
  readonly route: Route;
  readonly attributesKey: string;
}

/** Routes to announce, by prefix key. */
export type DesiredRib = ReadonlyMap<string, DesiredRoute>;

export interface SentRoute {
  readonly prefix: Prefix;
  readonly attributesKey: string;
}

/** What the peer has been sent, by prefix key. */
export type SentRib = ReadonlyMap<string, SentRoute>;

export const EMPTY_SENT: SentRib = new Map();

/**
 * Validates and indexes the caller's routes. The same prefix twice with different attributes is an error
 * (which one to announce would be a guess); exact duplicates are merged.
 */
export function desiredRib(routes: Iterable<Route>): DesiredRib {
  const out = new Map<string, DesiredRoute>();
  let index = 0;
  for (const route of routes) {
    const field = `routes[${index++}]`;
    validateRoute(route, field);
    const key = prefixKey(route.prefix);
    const entry = { route, attributesKey: attributesKey(route.attributes) };
    const existing = out.get(key);
    if (existing !== undefined && existing.attributesKey !== entry.attributesKey) {
      throw new BgpInputError(field, `prefix ${key} appears twice with different attributes`);
    }
    out.set(key, entry);
  }
  return out;
}

export type SkipReason = 'family-not-negotiated' | 'no-next-hop' | 'attributes-too-large';

export interface Skipped {
  readonly prefix: Prefix;
  readonly reason: SkipReason;
}

export interface UpdatePlan {
  readonly updates: UpdateMessage[];
  readonly sent: SentRib;
  readonly announced: number;
  readonly withdrawn: number;
  readonly skipped: Skipped[];
}

interface Group {
  readonly afi: AfiValue;
  readonly nextHop: Uint8Array;
  readonly attributes: RouteAttributes | undefined;
  readonly attributesKey: string;
  readonly prefixes: Prefix[];
}

export interface PlanOptions {
  /** Re-announce every desired route of this family even if already sent (ROUTE-REFRESH, RFC 2918). */
  readonly refresh?: AfiValue;
}

function groupAnnouncements(
  desired: DesiredRib,
  sent: SentRib,
  ctx: ExportContext,
  options: PlanOptions,
  skipped: Skipped[],
): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const [key, d] of desired) {
    const { prefix, attributes } = d.route;
    const refresh = options.refresh === prefix.afi;
    if (!refresh && sent.get(key)?.attributesKey === d.attributesKey) continue;
    if (!familyNegotiated(ctx, prefix.afi)) {
      skipped.push({ prefix, reason: 'family-not-negotiated' });
      continue;
    }
    const nextHop = nextHopFor(ctx, prefix.afi, attributes);
    if (nextHop === undefined) {
      skipped.push({ prefix, reason: 'no-next-hop' });
      continue;
    }
    const groupKey = `${prefix.afi}#${d.attributesKey}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { afi: prefix.afi, nextHop, attributes, attributesKey: d.attributesKey, prefixes: [] };
      groups.set(groupKey, group);
    }
    group.prefixes.push(prefix);
  }
  return groups;
}

/**
 * The UPDATEs that take the peer from `sent` to `desired`, and the resulting sent state. A route that
 * cannot be sent any more (its attributes no longer fit) is withdrawn rather than left stale.
 */
export function planUpdates(
  desired: DesiredRib,
  sent: SentRib,
  ctx: ExportContext,
  options: PlanOptions = {},
): UpdatePlan {
  const next = new Map(sent);
  const skipped: Skipped[] = [];
  const announcements: UpdateMessage[] = [];
  let announced = 0;
  for (const group of groupAnnouncements(desired, sent, ctx, options, skipped).values()) {
    const packed = packAnnouncements(ctx, group.afi, group.nextHop, group.attributes, group.prefixes);
    announcements.push(...packed.updates);
    const tooLarge = new Set(packed.oversized.map(prefixKey));
    for (const prefix of packed.oversized) skipped.push({ prefix, reason: 'attributes-too-large' });
    for (const prefix of group.prefixes) {
      const key = prefixKey(prefix);
      if (tooLarge.has(key)) continue;
      next.set(key, { prefix, attributesKey: group.attributesKey });
      announced++;
    }
  }
  const withdrawals: Record<AfiValue, Prefix[]> = { [Afi.IPV4]: [], [Afi.IPV6]: [] };
  const unsendable = new Set(skipped.map((x) => prefixKey(x.prefix)));
  for (const [key, s] of sent) {
    if (desired.has(key) && !unsendable.has(key)) continue;
    withdrawals[s.prefix.afi].push(s.prefix);
    next.delete(key);
  }
  const updates: UpdateMessage[] = [];
  for (const afi of [Afi.IPV4, Afi.IPV6] as const) {
    updates.push(...packWithdrawals(ctx, afi, withdrawals[afi]));
  }
  updates.push(...announcements);
  return {
    updates,
    sent: next,
    announced,
    withdrawn: withdrawals[Afi.IPV4].length + withdrawals[Afi.IPV6].length,
    skipped,
  };
}
