/**
 * The speaker's informer caches: Services and EndpointSlices (all namespaces), Nodes, and in the MetalLB
 * namespace the speaker Pods (membership roster), every metallb.io kind the config reads, Secrets (the
 * memberlist key, BGP passwords), ConfigMaps (metallb-excludel2) and ServiceL2Status objects. One
 * `onChange` callback for any change; Node heartbeats that change only the status timestamps do not count.
 */
import type { ResourceSnapshot } from '../config/index.js';
import {
  CONFIG_KINDS,
  configSnapshotFromCache,
  type ConfigKind,
  createInformer,
  RESOURCES,
  type InformerError,
  type KubeClient,
  type KubeObject,
  type ResourceType,
  type SupervisedInformer,
} from '../k8s/index.js';
import type { Log } from './ports.js';

/** Node updates matter when labels or conditions change, not when only heartbeat times move. */
export function nodeRelevant(object: KubeObject, old: KubeObject): boolean {
  const view = (o: KubeObject): string => {
    const r = o as { status?: { conditions?: { type?: string; status?: string }[] } };
    const conditions = (r.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
    return JSON.stringify([o.metadata?.labels ?? {}, conditions]);
  };
  return view(object) !== view(old);
}

export class SpeakerCaches {
  readonly services: SupervisedInformer;
  readonly endpointSlices: SupervisedInformer;
  readonly nodes: SupervisedInformer;
  readonly pods: SupervisedInformer;
  readonly configMaps: SupervisedInformer;
  readonly l2Statuses: SupervisedInformer;
  readonly config: Record<ConfigKind, SupervisedInformer>;
  readonly #all: SupervisedInformer[];

  constructor(
    client: KubeClient,
    private readonly namespace: string,
    speakerSelector: string,
    log: Log,
  ) {
    const make = (resource: ResourceType, inNamespace: boolean, labelSelector?: string): SupervisedInformer =>
      createInformer(client, resource, {
        ...(inNamespace ? { namespace } : {}),
        ...(labelSelector === undefined ? {} : { labelSelector }),
      });
    this.services = make(RESOURCES.services, false);
    this.endpointSlices = make(RESOURCES.endpointSlices, false);
    this.nodes = make(RESOURCES.nodes, false);
    this.pods = make(RESOURCES.pods, true, speakerSelector);
    this.configMaps = make(RESOURCES.configMaps, true);
    this.l2Statuses = make(RESOURCES.serviceL2Statuses, true);
    this.config = Object.fromEntries(CONFIG_KINDS.map((k) => [k, make(RESOURCES[k], true)])) as Record<
      ConfigKind,
      SupervisedInformer
    >;
    this.#all = [
      this.services,
      this.endpointSlices,
      this.nodes,
      this.pods,
      this.configMaps,
      this.l2Statuses,
      ...Object.values(this.config),
    ];
    for (const informer of this.#all) {
      informer.on('error', (e: InformerError) =>
        log.warn(
          { resource: e.resource, phase: e.phase, retryInMs: e.retryInMs, err: e.error },
          'watch failed; retrying',
        ),
      );
    }
  }

  get synced(): boolean {
    return this.#all.every((i) => i.isSynced);
  }

  start(signal: AbortSignal): void {
    for (const informer of this.#all) informer.start(signal);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#all.map((i) => i.stop()));
  }

  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all(this.#all.map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Calls `onChange(what)` for every relevant change; returns the unsubscribe function. */
  subscribe(onChange: (what: string) => void): () => void {
    const offs: (() => void)[] = [];
    for (const informer of this.#all) {
      const what = informer.description;
      const relevant =
        informer === this.nodes
          ? nodeRelevant
          : (o: KubeObject, old: KubeObject) => o.metadata?.resourceVersion !== old.metadata?.resourceVersion;
      offs.push(
        informer.on('add', () => onChange(what)),
        informer.on('update', (o: KubeObject, old: KubeObject) =>
          relevant(o, old) ? onChange(what) : undefined,
        ),
        informer.on('delete', () => onChange(what)),
      );
    }
    return () => offs.forEach((off) => off());
  }

  configSnapshot(): ResourceSnapshot {
    return configSnapshotFromCache({ ...this.config, nodes: this.nodes }, this.namespace);
  }
}
