/**
 * The controller's caches over src/k8s informers: Services (all namespaces), Namespaces (their labels
 * feed pool namespaceSelectors), Nodes (node-aware config rules, as the speaker parses them), and in the
 * MetalLB namespace every metallb.io kind the config reads plus Secrets (BGP passwords). Implements the
 * CacheSet port (start/stop, sync, change subscriptions), ServiceCaches and ConfigSource. Node and
 * Namespace updates count only when labels change, so node heartbeats do not re-parse the config.
 */
import type { Labels } from '../core/labels.js';
import type { ResourceSnapshot } from '../config/index.js';
import {
  CONFIG_KINDS,
  configSnapshotFromCache,
  type ConfigKind,
  createInformer,
  objectKey,
  RESOURCES,
  type InformerError,
  type KubeClient,
  type KubeObject,
  type ResourceType,
  type SupervisedInformer,
} from '../k8s/index.js';
import type { CacheSet } from './app.js';
import type { ConfigSource, Log } from './ports.js';
import type { ServiceCaches } from './service-view.js';

const SERVICE_PAGE_SIZE = 5000;

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  const la = a.metadata?.labels ?? {};
  const lb = b.metadata?.labels ?? {};
  const ka = Object.keys(la);
  return ka.length === Object.keys(lb).length && ka.every((k) => la[k] === lb[k]);
}

/**
 * Whether an update can change the parsed config: a new generation (spec) or new labels. Objects
 * without a generation (Secrets) always count. Status-only writes, such as the pool counters this
 * controller writes itself, do not.
 */
export function configRelevant(object: KubeObject, old: KubeObject): boolean {
  const gen = object.metadata?.generation;
  if (typeof gen !== 'number' || gen !== old.metadata?.generation) return true;
  return !sameLabels(object, old);
}

export class KubeCaches implements CacheSet, ServiceCaches, ConfigSource {
  readonly services: SupervisedInformer;
  readonly namespaces: SupervisedInformer;
  readonly nodes: SupervisedInformer;
  readonly config: Record<ConfigKind, SupervisedInformer>;
  private readonly all: SupervisedInformer[];

  constructor(
    client: KubeClient,
    private readonly namespace: string,
    private readonly log: Log,
  ) {
    const make = (resource: ResourceType, inNamespace: boolean): SupervisedInformer =>
      createInformer(client, resource, inNamespace ? { namespace } : {});
    // Services are the one big list: larger pages mean fewer round trips when a term starts.
    this.services = createInformer(client, RESOURCES.services, { pageSize: SERVICE_PAGE_SIZE });
    this.namespaces = make(RESOURCES.namespaces, false);
    this.nodes = make(RESOURCES.nodes, false);
    this.config = Object.fromEntries(CONFIG_KINDS.map((k) => [k, make(RESOURCES[k], true)])) as Record<
      ConfigKind,
      SupervisedInformer
    >;
    this.all = [this.services, this.namespaces, this.nodes, ...Object.values(this.config)];
    for (const informer of this.all) {
      informer.on('error', (e: InformerError) =>
        this.log.warn(
          { resource: e.resource, phase: e.phase, retryInMs: e.retryInMs, err: e.error },
          'watch failed; retrying',
        ),
      );
      informer.on('relist', () =>
        this.log.info({ resource: informer.description }, 'resourceVersion expired; relisting'),
      );
    }
  }

  get synced(): boolean {
    return this.all.every((i) => i.isSynced);
  }

  start(signal: AbortSignal): void {
    for (const informer of this.all) informer.start(signal);
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((i) => i.stop()));
  }

  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all(this.all.map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  subscribe(onService: (key: string) => void, onConfig: () => void): () => void {
    const service = (o: KubeObject): void => onService(objectKey(o));
    const namespaceChanged = (o: KubeObject): void => {
      const name = o.metadata?.name ?? '';
      for (const svc of this.services.list(name)) onService(objectKey(svc));
    };
    const offs = [
      this.services.on('add', service),
      this.services.on('update', service),
      this.services.on('delete', service),
      this.namespaces.on('update', (o, old) => (sameLabels(o, old) ? undefined : namespaceChanged(o))),
      this.namespaces.on('add', namespaceChanged),
      this.nodes.on('add', onConfig),
      this.nodes.on('delete', onConfig),
      this.nodes.on('update', (o, old) => (sameLabels(o, old) ? undefined : onConfig())),
    ];
    for (const informer of Object.values(this.config)) {
      offs.push(
        informer.on('add', onConfig),
        informer.on('update', (o, old) => (configRelevant(o, old) ? onConfig() : undefined)),
        informer.on('delete', onConfig),
      );
    }
    return () => offs.forEach((off) => off());
  }

  getService(key: string): unknown {
    return this.services.getByKey(key);
  }

  serviceKeys(): Iterable<string> {
    return this.services.keys();
  }

  namespaceLabels(namespace: string): Labels {
    return this.namespaces.get(namespace)?.metadata?.labels ?? {};
  }

  snapshot(): ResourceSnapshot {
    return configSnapshotFromCache({ ...this.config, nodes: this.nodes }, this.namespace);
  }
}
