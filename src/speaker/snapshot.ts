/**
 * The speaker's input snapshot (what the Layer 2 controller decides from) and the pure readings of it the
 * controller needs: who published a MAC for a Service, which statuses dead nodes left behind, and the
 * context that keeps or drops split-brain yields.
 */
import type { Config } from '../config/index.js';
import type { AnnouncerInterface } from '../l2/announcer/types.js';
import {
  nodeReady,
  type EndpointReadiness,
  type SpeakerNode,
  type SpeakerService,
} from '../k8s/translate/speaker.js';
import { activeYields } from './split-brain.js';

export interface L2StatusView {
  /** Object name (metadata.name). */
  readonly name: string;
  readonly node: string;
  readonly serviceKey: string;
  readonly macs: readonly string[];
}

export interface SpeakerSnapshot {
  /** The last configuration that parsed; undefined until one did (nothing is announced before). */
  readonly config: Config | undefined;
  readonly services: readonly SpeakerService[];
  readonly endpoints: ReadonlyMap<string, EndpointReadiness>;
  readonly nodes: readonly SpeakerNode[];
  /** undefined: membership disabled (every node counts as live). */
  readonly live: ReadonlySet<string> | undefined;
  /** This node's interfaces selected for Layer 2. */
  readonly interfaces: readonly AnnouncerInterface[];
  /** Every node's ServiceL2Status objects (who announces what, with which MACs). */
  readonly l2Statuses: readonly L2StatusView[];
}

/**
 * The node whose ServiceL2Status for one of `services` lists `mac`. Only statuses of the Services behind
 * the address count: a node known from another Service may not yet have written this one, and a yield
 * to it would be dropped at once (activeYields needs its status for this address).
 */
export function macOwner(
  statuses: readonly L2StatusView[],
  mac: string,
  self: string,
  services: readonly string[],
): string | undefined {
  const wanted = mac.toLowerCase();
  return statuses.find((s) => s.node !== self && services.includes(s.serviceKey) && s.macs.includes(wanted))
    ?.node;
}

/**
 * Other nodes' ServiceL2Status objects for Services this node now announces, left behind by a node that
 * died (nobody else deletes them; MetalLB keeps them forever): the node is not a live speaker and its Node
 * is not Ready (or gone). The Ready condition is the backstop, so a split brain (both Nodes Ready) never
 * deletes the other side's objects, which the split-brain policy reads.
 */
export function staleStatuses(
  snapshot: SpeakerSnapshot,
  desired: { has(serviceKey: string): boolean },
  self: string,
): string[] {
  const ready = readyNodeNames(snapshot);
  return snapshot.l2Statuses
    .filter(
      (s) =>
        s.node !== self &&
        desired.has(s.serviceKey) &&
        !ready.has(s.node) &&
        !(snapshot.live?.has(s.node) ?? false),
    )
    .map((s) => s.name);
}

function readyNodeNames(snapshot: SpeakerSnapshot): Set<string> {
  return new Set(snapshot.nodes.filter((n) => nodeReady(n)).map((n) => n.name));
}

export function yieldContext(snapshot: SpeakerSnapshot): Parameters<typeof activeYields>[1] {
  const announcedBy = new Map<string, Set<string>>();
  const byKey = new Map(snapshot.services.map((s) => [s.key, s]));
  for (const st of snapshot.l2Statuses) {
    const ips = byKey.get(st.serviceKey)?.ips ?? [];
    const set = announcedBy.get(st.node) ?? new Set<string>();
    for (const ip of ips) set.add(ip);
    announcedBy.set(st.node, set);
  }
  return { live: snapshot.live, readyNodes: readyNodeNames(snapshot), announcedBy };
}
