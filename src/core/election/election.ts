/**
 * Layer 2 owner election, compatible with MetalLB (speaker/layer2_controller.go `ShouldAnnounce`): no
 * coordination, every speaker computes the same ranking from the same input. Candidates are the live
 * speaker nodes without NetworkUnavailable=True, without the exclude-from-external-load-balancers label
 * (unless ignored), matching at least one applicable L2Advertisement's node selectors, and for
 * ETP=Local with a ready endpoint of the service. They are ranked by ascending
 * sha256(nodeName + "#" + ip), where ip is the first ingress IP in Go's net.IP.String() form, so a
 * MetalLB cluster and a Herald cluster pick the same owner and services sharing an IP share an owner.
 * Pure and synchronous; no Kubernetes types.
 */
import { compareBytes, sha256Utf8, toHex } from '../hash/index.js';
import { formatIp, parseIp } from '../ip/index.js';
import { anySelectorMatches, type Labels, type LabelSelector } from '../labels.js';

/** Kubernetes well-known label that keeps a node out of external load balancers. */
export const EXCLUDE_FROM_EXTERNAL_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** Node condition type that, when True, makes a node ineligible. */
export const NETWORK_UNAVAILABLE_CONDITION = 'NetworkUnavailable';
/** Separator between node name and IP in the ranking key (MetalLB `node + "#" + ip`). */
export const RANKING_SEPARATOR = '#';

export type ExternalTrafficPolicy = 'Cluster' | 'Local';

export interface ElectionNodeCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
}

export interface ElectionNode {
  readonly name: string;
  readonly labels: Labels;
  readonly conditions: readonly ElectionNodeCondition[];
  /** The node's speaker is alive according to membership (or membership is disabled). */
  readonly live: boolean;
}

/** An L2Advertisement that applies to the service (its pool and service selectors already matched). */
export interface ElectionAdvertisement {
  /** ORed; an empty list selects every node. */
  readonly nodeSelectors: readonly LabelSelector[];
}

export interface ElectionInput {
  /** The service's first ingress IP. */
  readonly ip: string;
  readonly nodes: readonly ElectionNode[];
  readonly advertisements: readonly ElectionAdvertisement[];
  readonly externalTrafficPolicy: ExternalTrafficPolicy;
  /** Some endpoint of the service is ready (or serving), whether or not it names a node. */
  readonly anyReadyEndpoint: boolean;
  /** Names of the nodes that host a ready endpoint of the service. */
  readonly readyEndpointNodes: ReadonlySet<string>;
  /** `--ignore-exclude-lb`: do not honour the exclude-from-external-load-balancers label. */
  readonly ignoreExcludeLb: boolean;
}

export type SkipReason = 'invalid-ip' | 'no-advertisement' | 'no-ready-endpoint' | 'no-candidate';

/** Why a node is not a candidate. */
export type IneligibleReason =
  | 'duplicate-name'
  | 'not-live'
  | 'network-unavailable'
  | 'excluded-from-lb'
  | 'node-not-selected'
  | 'no-local-endpoint';

export interface RankedCandidate {
  readonly name: string;
  /** Lower-case hex of sha256(name + "#" + ip); the ranking key. */
  readonly hash: string;
}

export type Ranking =
  | {
      readonly ip: string;
      readonly candidates: readonly RankedCandidate[];
      readonly ineligible: readonly { readonly name: string; readonly reason: IneligibleReason }[];
    }
  | { readonly skip: SkipReason };

export type ElectionResult = { readonly owner: string } | { readonly skip: SkipReason };

export type AnnounceDecision =
  | { readonly announce: true }
  | { readonly announce: false; readonly reason: SkipReason | 'node-not-selected' | 'not-owner' };

/** The IP as Go's net.IP.String() prints it (dotted quad, RFC 5952); IPv4-mapped IPv6 is not special-cased. */
export function goIpString(ip: string): string | undefined {
  const parsed = parseIp(ip.trim());
  return parsed ? formatIp(parsed) : undefined;
}

function nodeSelected(node: ElectionNode, ads: readonly ElectionAdvertisement[]): boolean {
  return ads.some((ad) => ad.nodeSelectors.length === 0 || anySelectorMatches(ad.nodeSelectors, node.labels));
}

function ineligibleReason(node: ElectionNode, input: ElectionInput): IneligibleReason | undefined {
  if (!node.live) return 'not-live';
  if (node.conditions.some((c) => c.type === NETWORK_UNAVAILABLE_CONDITION && c.status === 'True')) {
    return 'network-unavailable';
  }
  if (!input.ignoreExcludeLb && EXCLUDE_FROM_EXTERNAL_LB_LABEL in node.labels) return 'excluded-from-lb';
  if (!nodeSelected(node, input.advertisements)) return 'node-not-selected';
  if (input.externalTrafficPolicy === 'Local' && !input.readyEndpointNodes.has(node.name)) {
    return 'no-local-endpoint';
  }
  return undefined;
}

/** The full ranking (best first) with the reason each other node is not a candidate. */
export function rankCandidates(input: ElectionInput): Ranking {
  const ip = goIpString(input.ip);
  if (ip === undefined) return { skip: 'invalid-ip' };
  if (input.advertisements.length === 0) return { skip: 'no-advertisement' };
  if (!input.anyReadyEndpoint && input.readyEndpointNodes.size === 0) return { skip: 'no-ready-endpoint' };
  const seen = new Set<string>();
  const keyed: { name: string; digest: Uint8Array }[] = [];
  const ineligible: { name: string; reason: IneligibleReason }[] = [];
  for (const node of input.nodes) {
    const reason = seen.has(node.name) ? 'duplicate-name' : ineligibleReason(node, input);
    seen.add(node.name);
    if (reason !== undefined) ineligible.push({ name: node.name, reason });
    else keyed.push({ name: node.name, digest: sha256Utf8(node.name + RANKING_SEPARATOR + ip) });
  }
  keyed.sort((a, b) => compareBytes(a.digest, b.digest));
  return { ip, candidates: keyed.map((k) => ({ name: k.name, hash: toHex(k.digest) })), ineligible };
}

/** The owner of the IP, or why nobody announces it. */
export function electOwner(input: ElectionInput): ElectionResult {
  const ranking = rankCandidates(input);
  if ('skip' in ranking) return ranking;
  const first = ranking.candidates[0];
  return first ? { owner: first.name } : { skip: 'no-candidate' };
}

/** What one speaker decides for itself (MetalLB `ShouldAnnounce` from `myNode`'s point of view). */
export function shouldAnnounce(input: ElectionInput, myNode: string): AnnounceDecision {
  const me = input.nodes.find((n) => n.name === myNode);
  if (goIpString(input.ip) !== undefined && input.advertisements.length > 0) {
    if (!me || !nodeSelected(me, input.advertisements))
      return { announce: false, reason: 'node-not-selected' };
  }
  const result = electOwner(input);
  if ('skip' in result) return { announce: false, reason: result.skip };
  return result.owner === myNode ? { announce: true } : { announce: false, reason: 'not-owner' };
}
