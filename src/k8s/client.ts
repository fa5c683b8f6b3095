/**
 * The composition helpers of the adapter: one KubeClient (KubeConfig + REST client) per process, and
 * informers for any resource of the table in resources.ts. Constructors do no I/O; informers start
 * only when their start() is called.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { SupervisedInformer, type InformerOptions } from './informer.js';
import { apiListWatch, type ListWatchOptions } from './list-watch.js';
import type { KubeObject } from './objects.js';
import type { ResourceType } from './resources.js';
import { createRestClient, type RestClient, type RestClientOptions } from './rest.js';

export interface KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly rest: RestClient;
}

export function createKubeClient(kubeConfig: KubeConfig, options: RestClientOptions = {}): KubeClient {
  return { kubeConfig, rest: createRestClient(kubeConfig, options) };
}

/** A supervised informer over `resource` (optionally one namespace, label/field selectors). */
export function createInformer<T extends KubeObject = KubeObject>(
  client: KubeClient,
  resource: ResourceType,
  options: ListWatchOptions & InformerOptions = {},
): SupervisedInformer<T> {
  return new SupervisedInformer<T>(apiListWatch(client.kubeConfig, client.rest, resource, options), options);
}
