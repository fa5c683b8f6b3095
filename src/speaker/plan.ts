/**
 * The speaker's Layer 2 plan, pure: from the validated config, the Services with their ingress IPs,
 * endpoint readiness, the Nodes and the live speaker set, decide for every Service which node owns it
 * (MetalLB's election, src/core/election) and which addresses this node must announce, on which
 * interfaces. Split-brain yields (split-brain.ts) turn an owned address into a withdrawn one.
 * No I/O, no clock.
 */
import type { Config, L2Advertisement } from '../config/index.js';
import {
  rankCandidates,
  type ElectionInput,
  type ElectionNode,
  type SkipReason,
} from '../core/election/index.js';
import { parseIp, rangeContains } from '../core/ip/index.js';
import { anySelectorMatches } from '../core/labels.js';
import type { EndpointReadiness, SpeakerNode, SpeakerService } from '../k8s/translate/speaker.js';

export interface PlanInput {
  readonly myNode: string;
  readonly config: Config;
  readonly services: readonly SpeakerService[];
  readonly endpoints: ReadonlyMap<string, EndpointReadiness>;
  readonly nodes: readonly SpeakerNode[];
  /** Live speakers by node name (self included); undefined: no membership, every node counts as live. */
  readonly live: ReadonlySet<string> | undefined;
  /** This node has at least one interface to announce on (a node whose interface is down is not eligible). */
  readonly myInterfacesUp: boolean;
  readonly ignoreExcludeLb: boolean;
  /** First ingress IP → the node this one yielded to after a split-brain conflict. */
  readonly yields: ReadonlyMap<string, string>;
}

export type ServiceSkip = SkipReason | 'no-pool' | 'yielded';

export interface ServicePlan {
  readonly service: SpeakerService;
  /** The elected owner, when there is one. */
  readonly owner: string | undefined;
  readonly skip: ServiceSkip | undefined;
  /** Set when this node announces the Service: interface names, or 'all'. */
  readonly interfaces: readonly string[] | 'all' | undefined;
}

export interface Announcement {
  /** Interface names, or 'all' (every selected interface). */
  readonly interfaces: readonly string[] | 'all';
  /** Services (keys) announced through this address. */
  readonly services: readonly string[];
}

export interface Plan {
  readonly services: ReadonlyMap<string, ServicePlan>;
  /** IP (canonical text) → what to announce. */
  readonly announce: ReadonlyMap<string, Announcement>;
}

function poolOf(config: Config, ipText: string): string | undefined {
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  for (const pool of config.pools.values()) {
    if (pool.ranges.some((r) => rangeContains(r, ip))) return pool.name;
  }
  return undefined;
}

/**
 * The L2Advertisements covering the Service's pool and selecting it. As in MetalLB, an advertisement with
 * serviceSelectors never applies to a Service that shares its IP (`allow-shared-ip`): the sharers could
 * otherwise be announced from different nodes.
 */
export function advertisementsFor(config: Config, pool: string, service: SpeakerService): L2Advertisement[] {
  return [...config.l2Advertisements.values()].filter(
    (ad) =>
      ad.pools.includes(pool) &&
      (ad.serviceSelectors.length === 0 ||
        (service.sharingKey === undefined && anySelectorMatches(ad.serviceSelectors, service.labels))),
  );
}

/** The union of the interfaces of the advertisements that select `node` ('all' if any lists none). */
export function interfacesFor(
  ads: readonly L2Advertisement[],
  node: SpeakerNode | undefined,
): string[] | 'all' {
  const mine = ads.filter(
    (ad) =>
      ad.nodeSelectors.length === 0 ||
      (node !== undefined && anySelectorMatches(ad.nodeSelectors, node.labels)),
  );
  if (mine.some((ad) => ad.interfaces.length === 0)) return 'all';
  return [...new Set(mine.flatMap((ad) => ad.interfaces))].sort();
}

export function electionNodes(input: PlanInput, assumeAllLive: boolean): ElectionNode[] {
  return input.nodes.map((n) => {
    const live = assumeAllLive || input.live === undefined || input.live.has(n.name);
    return { ...n, live: n.name === input.myNode ? live && input.myInterfacesUp : live };
  });
}

/** The election input for a Service (its first IP), or undefined when no pool contains that IP. */
export function serviceElection(
  input: PlanInput,
  nodes: readonly ElectionNode[],
  service: SpeakerService,
): { ads: L2Advertisement[]; election: ElectionInput } | undefined {
  const first = service.ips[0] as string;
  const pool = poolOf(input.config, first);
  if (pool === undefined) return undefined;
  const ads = advertisementsFor(input.config, pool, service);
  const ready = input.endpoints.get(service.key);
  const election: ElectionInput = {
    ip: first,
    nodes,
    advertisements: ads,
    externalTrafficPolicy: service.externalTrafficPolicy,
    anyReadyEndpoint: ready?.anyReady ?? false,
    readyEndpointNodes: ready?.readyNodes ?? new Set(),
    ignoreExcludeLb: input.ignoreExcludeLb,
  };
  return { ads, election };
}

function planService(input: PlanInput, nodes: readonly ElectionNode[], service: SpeakerService): ServicePlan {
  const none = { service, owner: undefined, interfaces: undefined };
  const elected = serviceElection(input, nodes, service);
  if (elected === undefined) return { ...none, skip: 'no-pool' };
  const ranking = rankCandidates(elected.election);
  if ('skip' in ranking) return { ...none, skip: ranking.skip };
  const owner = ranking.candidates[0]?.name;
  if (owner === undefined) return { ...none, skip: 'no-candidate' };
  if (owner !== input.myNode) return { service, owner, skip: undefined, interfaces: undefined };
  if (input.yields.has(elected.election.ip))
    return { service, owner, skip: 'yielded', interfaces: undefined };
  const me = input.nodes.find((n) => n.name === input.myNode);
  return { service, owner, skip: undefined, interfaces: interfacesFor(elected.ads, me) };
}

function mergeInterfaces(
  a: readonly string[] | 'all',
  b: readonly string[] | 'all',
): readonly string[] | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])].sort();
}

export function planLayer2(input: PlanInput): Plan {
  const nodes = electionNodes(input, false);
  const services = new Map<string, ServicePlan>();
  const announce = new Map<string, Announcement>();
  const sorted = [...input.services].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const service of sorted) {
    const plan = planService(input, nodes, service);
    services.set(service.key, plan);
    if (plan.interfaces === undefined) continue;
    for (const ip of service.ips) {
      const prior = announce.get(ip);
      announce.set(ip, {
        interfaces: prior ? mergeInterfaces(prior.interfaces, plan.interfaces) : plan.interfaces,
        services: prior ? [...prior.services, service.key] : [service.key],
      });
    }
  }
  return { services, announce };
}
