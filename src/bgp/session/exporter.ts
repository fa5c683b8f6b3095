/**
 * Route export of one session: the desired routes (set at any time) and, while Established, the
 * Adj-RIB-Out already sent. `flush` sends the difference (withdrawals first), End-of-RIB markers after the
 * initial routes (RFC 4724 §2), and whole families again for ROUTE-REFRESH, framed by BoRR/EoRR when
 * enhanced route refresh was negotiated (RFC 7313 §4).
 */
import {
  IPV4_ADDRESS_LENGTH,
  IPV6_ADDRESS_LENGTH,
  RouteRefreshSubtype,
  type AfiValue,
} from '../constants.js';
import type { Negotiated } from '../fsm/types.js';
import { parseAddress } from '../nlri/prefix.js';
import { endOfRib } from '../messages/end-of-rib.js';
import {
  desiredRib,
  EMPTY_SENT,
  planUpdates,
  type DesiredRib,
  type SentRib,
  type Skipped,
} from '../rib/adj-rib-out.js';
import type { ExportContext } from '../rib/export.js';
import type { Route } from '../rib/route.js';
import type { AfiSafi, BgpMessage } from '../types.js';

export interface FlushOptions {
  /** Send End-of-RIB for every negotiated family after the routes (initial update). */
  readonly endOfRib?: boolean;
  /** Re-send this family in full (ROUTE-REFRESH). */
  readonly refresh?: AfiSafi;
  /** Wrap the refresh in BoRR/EoRR (enhanced route refresh negotiated). */
  readonly enhanced?: boolean;
}

export interface FlushResult {
  readonly updates: number;
  readonly announced: number;
  readonly withdrawn: number;
  readonly endOfRib: readonly AfiSafi[];
  readonly skipped: readonly Skipped[];
}

interface Active {
  readonly ctx: ExportContext;
  readonly send: (message: BgpMessage) => boolean;
  sent: SentRib;
}

/**
 * The export context of an Established session: next hops are our address on the connection for its
 * family, unless configured (needed for the other family, e.g. IPv6 routes over an IPv4 session).
 */
export function exportContextFor(
  localAddress: string | undefined,
  negotiated: Negotiated,
  localAs: number,
  nextHopIpv4?: Uint8Array,
  nextHopIpv6?: Uint8Array,
): ExportContext {
  const local = localAddress !== undefined ? parseAddress(localAddress) : undefined;
  const v4 = nextHopIpv4 ?? (local?.length === IPV4_ADDRESS_LENGTH ? local : undefined);
  const v6 = nextHopIpv6 ?? (local?.length === IPV6_ADDRESS_LENGTH ? local : undefined);
  return {
    localAs,
    peerAs: negotiated.peerAs,
    codec: negotiated.codec,
    families: negotiated.families,
    ...(v4 !== undefined ? { nextHopIpv4: v4 } : {}),
    ...(v6 !== undefined ? { nextHopIpv6: v6 } : {}),
  };
}

export class RouteExporter {
  #desired: DesiredRib = new Map();
  #active: Active | undefined;

  /** Validates and stores the routes to announce (throws BgpInputError naming the bad route). */
  setRoutes(routes: Iterable<Route>): void {
    this.#desired = desiredRib(routes);
  }

  get desiredCount(): number {
    return this.#desired.size;
  }

  get advertisedCount(): number {
    return this.#active?.sent.size ?? 0;
  }

  get established(): boolean {
    return this.#active !== undefined;
  }

  /** The session is Established: nothing has been sent on it yet. */
  open(ctx: ExportContext, send: (message: BgpMessage) => boolean): void {
    this.#active = { ctx, send, sent: EMPTY_SENT };
  }

  /** The session left Established: the peer's copy is gone (or kept stale by graceful restart). */
  close(): void {
    this.#active = undefined;
  }

  /** Sends what the peer is missing; undefined when not Established. */
  flush(options: FlushOptions = {}): FlushResult | undefined {
    const active = this.#active;
    if (active === undefined) return undefined;
    const refresh = options.refresh;
    const send = (m: BgpMessage): number => (active.send(m) ? 1 : 0);
    let updates = 0;
    if (refresh !== undefined && options.enhanced === true) {
      updates += send(routeRefresh(refresh, RouteRefreshSubtype.BEGIN_OF_RIB));
    }
    const plan = planUpdates(
      this.#desired,
      active.sent,
      active.ctx,
      refresh ? { refresh: refresh.afi as AfiValue } : {},
    );
    active.sent = plan.sent;
    for (const update of plan.updates) updates += send(update);
    const eor = options.endOfRib === true ? active.ctx.families : [];
    for (const family of eor) updates += send(endOfRib(family));
    if (refresh !== undefined && options.enhanced === true) {
      updates += send(routeRefresh(refresh, RouteRefreshSubtype.END_OF_RIB));
    }
    return {
      updates,
      announced: plan.announced,
      withdrawn: plan.withdrawn,
      endOfRib: eor,
      skipped: plan.skipped,
    };
  }
}

function routeRefresh(family: AfiSafi, subtype: number): BgpMessage {
  return { type: 'route-refresh', afi: family.afi, safi: family.safi, subtype };
}
