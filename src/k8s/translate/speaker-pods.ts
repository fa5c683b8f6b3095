/**
 * Speaker Pods → the membership roster (`peerSetChanged` peers), at the boundary. The informer filters
 * by label selector (DEFAULT_SPEAKER_SELECTOR); this module only translates: a Pod is a peer when it is
 * scheduled (spec.nodeName), Running (optionally Ready), not being deleted, and has a valid status.podIP.
 * One peer per node:
 * when two Pods claim the same node (a rollout overlap), the newest (metadata.creationTimestamp) wins and
 * the other is reported. Pure and total: never throws.
 */
import { formatIp, parseIp } from '../../core/ip/index.js';
import { asRecord } from '../objects.js';

/** MetalLB's speaker Pod labels (the manifests' DaemonSet template). */
export const DEFAULT_SPEAKER_SELECTOR = 'app=metallb,component=speaker';

const POD_PHASE_RUNNING = 'Running';
const POD_CONDITION_READY = 'Ready';

export interface SpeakerPodOptions {
  /**
   * Leave out Pods whose Ready condition is present and not True. A Running speaker may not have bound
   * its membership socket yet; with optimistic admission the others would declare it down, then up again,
   * while it starts. The speaker's /readyz passes only once its membership socket listens. A Pod with no
   * Ready condition at all (nobody reports readiness, as in a lab without kubelets) is admitted.
   * Default false.
   */
  readonly requireReady?: boolean;
}

export interface SpeakerPeer {
  /** spec.nodeName: the member name the speakers agree on. */
  readonly name: string;
  /** status.podIP (canonical text form); speakers run with host networking, so this is the node IP. */
  readonly address: string;
}

export interface SpeakerPodProblem {
  /** `namespace/name` of the Pod, or `pods[i]` when it has no name. */
  readonly pod: string;
  readonly reason: string;
}

export interface SpeakerPeers {
  /** Sorted by name, one per node. */
  readonly peers: readonly SpeakerPeer[];
  /** Pods that look wrong (malformed, bad podIP, a second Pod on one node). */
  readonly problems: readonly SpeakerPodProblem[];
  /** Pods that are normal but not peers yet or any more (not scheduled, not Running, terminating). */
  readonly skipped: readonly SpeakerPodProblem[];
}

interface Candidate {
  readonly pod: string;
  readonly peer: SpeakerPeer;
  readonly created: number;
}

type Reading =
  | { readonly kind: 'peer'; readonly candidate: Candidate }
  | { readonly kind: 'problem' | 'skipped'; readonly entry: SpeakerPodProblem };

function podRef(meta: Readonly<Record<string, unknown>> | undefined, index: number): string {
  const name = typeof meta?.name === 'string' && meta.name !== '' ? meta.name : undefined;
  if (name === undefined) return `pods[${index}]`;
  return typeof meta?.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/${name}` : name;
}

function readPodIp(status: Readonly<Record<string, unknown>> | undefined): unknown {
  if (status?.podIP !== undefined && status.podIP !== '') return status.podIP;
  const first = Array.isArray(status?.podIPs) ? asRecord(status.podIPs[0]) : undefined;
  return first?.ip;
}

function isReady(status: Readonly<Record<string, unknown>> | undefined): boolean {
  const conditions = Array.isArray(status?.conditions) ? status.conditions : [];
  const ready = conditions.map(asRecord).find((r) => r?.type === POD_CONDITION_READY);
  return ready === undefined || ready.status === 'True';
}

/** Reads one Pod: a peer candidate, a problem, or a normal reason to skip it. */
function readPod(pod: unknown, index: number, options: SpeakerPodOptions): Reading {
  const meta = asRecord(asRecord(pod)?.metadata);
  const ref = podRef(meta, index);
  const skip = (reason: string): Reading => ({ kind: 'skipped', entry: { pod: ref, reason } });
  const problem = (reason: string): Reading => ({ kind: 'problem', entry: { pod: ref, reason } });
  if (meta === undefined) return problem('not a Pod object (no metadata)');
  const spec = asRecord(asRecord(pod)?.spec);
  const status = asRecord(asRecord(pod)?.status);
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null)
    return skip('metadata.deletionTimestamp is set (terminating)');
  const nodeName = spec?.nodeName;
  if (typeof nodeName !== 'string' || nodeName === '')
    return skip('spec.nodeName is not set (not scheduled)');
  if (status?.phase !== POD_PHASE_RUNNING)
    return skip(`status.phase is ${String(status?.phase)}, not Running`);
  if (options.requireReady === true && !isReady(status)) return skip('condition Ready is not True');
  const rawIp = readPodIp(status);
  if (typeof rawIp !== 'string' || rawIp === '') return skip('status.podIP is not set yet');
  const ip = parseIp(rawIp);
  if (ip === undefined) return problem(`status.podIP: "${rawIp}" is not an IP address`);
  const created = typeof meta.creationTimestamp === 'string' ? Date.parse(meta.creationTimestamp) : NaN;
  const candidate = {
    pod: ref,
    peer: { name: nodeName, address: formatIp(ip) },
    created: Number.isNaN(created) ? -Infinity : created,
  };
  return { kind: 'peer', candidate };
}

/** True when `a` should win over `b` for the same node: newer, then (for determinism) the larger ref. */
function newer(a: Candidate, b: Candidate): boolean {
  return a.created !== b.created ? a.created > b.created : a.pod > b.pod;
}

/** The roster from the speaker Pods the informer lists (see the module comment). */
export function peersFromPods(pods: readonly unknown[], options: SpeakerPodOptions = {}): SpeakerPeers {
  const byNode = new Map<string, Candidate>();
  const problems: SpeakerPodProblem[] = [];
  const skipped: SpeakerPodProblem[] = [];
  const losers: Candidate[] = [];
  pods.forEach((pod, index) => {
    const reading = readPod(pod, index, options);
    if (reading.kind !== 'peer') {
      (reading.kind === 'problem' ? problems : skipped).push(reading.entry);
      return;
    }
    const c = reading.candidate;
    const held = byNode.get(c.peer.name);
    if (held === undefined || newer(c, held)) byNode.set(c.peer.name, c);
    if (held !== undefined) losers.push(newer(c, held) ? held : c);
  });
  for (const lost of losers) {
    const winner = byNode.get(lost.peer.name)!;
    problems.push({
      pod: lost.pod,
      reason: `spec.nodeName "${lost.peer.name}" is also claimed by the newer Pod ${winner.pod}; ignored`,
    });
  }
  const peers = [...byNode.values()].map((c) => c.peer).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { peers, problems, skipped };
}
