/**
 * The controller's write ports over src/k8s writers: Service status/condition/annotation
 * (ServiceStatusWriter, planned against the cached object), Events (EventRecorder, aggregated),
 * IPAddressPool status (PoolStatusWriter), the memberlist Secret (SecretWriter). The configuration
 * summary has no writer in src/k8s, so it is implemented here: MetalLB's ConfigurationState object
 * `controller` (label metallb.io/component-type=controller) with status.result and errorSummary.
 */
import type { ObjectRef } from '../config/index.js';
import {
  EventRecorder,
  involvedObject,
  isNotFound,
  PoolStatusWriter,
  RESOURCES,
  SecretWriter,
  ServiceStatusWriter,
  apiVersionOf,
  collectionPath,
  objectPath,
  CONTENT_MERGE_PATCH,
  type InvolvedObject,
  type KubeClient,
  type KubeObject,
  type RestClient,
} from '../k8s/index.js';
import type { KubeCaches } from './kube-caches.js';
import type { ConfigReport, ConfigStatusPort, ControllerWriters, Log } from './ports.js';

export const CONFIGURATION_STATE_NAME = 'controller';
export const COMPONENT_LABEL = 'metallb.io/component-type';
export const COMPONENT = 'herald-controller';

const KIND_VERSION: Readonly<Record<ObjectRef['kind'], string>> = {
  IPAddressPool: apiVersionOf(RESOURCES.ipAddressPools),
  L2Advertisement: apiVersionOf(RESOURCES.l2Advertisements),
  BGPAdvertisement: apiVersionOf(RESOURCES.bgpAdvertisements),
  BGPPeer: apiVersionOf(RESOURCES.bgpPeers),
  BFDProfile: apiVersionOf(RESOURCES.bfdProfiles),
  Community: apiVersionOf(RESOURCES.communities),
  Node: apiVersionOf(RESOURCES.nodes),
  ResourceSnapshot: '',
};

export interface KubeWritersOptions {
  readonly namespace: string;
  readonly memberlistSecret: string;
  /** reportingInstance of Events (the replica's identity). */
  readonly identity: string;
}

/** The cached object an ObjectRef names (for its uid), when there is one. */
function cachedObject(caches: KubeCaches, ref: ObjectRef): KubeObject | undefined {
  const byKind: Partial<Record<ObjectRef['kind'], { getByKey(key: string): KubeObject | undefined }>> = {
    IPAddressPool: caches.config.ipAddressPools,
    L2Advertisement: caches.config.l2Advertisements,
    BGPAdvertisement: caches.config.bgpAdvertisements,
    BGPPeer: caches.config.bgpPeers,
    BFDProfile: caches.config.bfdProfiles,
    Community: caches.config.communities,
    Node: caches.nodes,
  };
  return byKind[ref.kind]?.getByKey(ref.kind === 'Node' ? ref.name : `${ref.namespace}/${ref.name}`);
}

export function configObjectRef(caches: KubeCaches, ref: ObjectRef): InvolvedObject {
  const defaults = { apiVersion: KIND_VERSION[ref.kind], kind: ref.kind };
  const cached = cachedObject(caches, ref);
  if (cached) return involvedObject(cached, defaults);
  return {
    ...defaults,
    name: ref.name,
    ...(ref.kind !== 'Node' && ref.namespace !== '' && { namespace: ref.namespace }),
  };
}

/** Publishes the summary on the ConfigurationState object, creating it when missing. */
export async function writeConfigurationState(
  rest: RestClient,
  namespace: string,
  report: ConfigReport,
  signal: AbortSignal,
): Promise<void> {
  const resource = RESOURCES.configurationStates;
  const body = { status: { result: report.result, errorSummary: report.errors.join('\n') } };
  const patch = (): Promise<unknown> =>
    rest.request({
      method: 'PATCH',
      path: objectPath(resource, namespace, CONFIGURATION_STATE_NAME, 'status'),
      body,
      contentType: CONTENT_MERGE_PATCH,
      signal,
    });
  try {
    await patch();
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await rest.request({
    method: 'POST',
    path: collectionPath(resource, namespace),
    body: {
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
      metadata: { name: CONFIGURATION_STATE_NAME, namespace, labels: { [COMPONENT_LABEL]: 'controller' } },
    },
    signal,
  });
  await patch();
}

export function kubeWriters(
  client: KubeClient,
  caches: KubeCaches,
  options: KubeWritersOptions,
  log: Log,
): ControllerWriters {
  const status = new ServiceStatusWriter({ rest: client.rest });
  const recorder = new EventRecorder({
    rest: client.rest,
    component: COMPONENT,
    instance: options.identity,
    onError: (err) => log.warn({ err }, 'recording an event failed'),
  });
  const pools = new PoolStatusWriter({ rest: client.rest });
  const secrets = new SecretWriter({ rest: client.rest });
  const config: ConfigStatusPort = {
    report: (report, signal) => writeConfigurationState(client.rest, options.namespace, report, signal),
    objectEvent: (ref, event, signal) =>
      recorder.event(configObjectRef(caches, ref), event.type, event.reason, event.message, signal),
  };
  return {
    services: {
      async patchStatus(ref, update, signal) {
        const service = caches.services.get(ref.name, ref.namespace);
        if (service === undefined) return 'not-found';
        const outcome = await status.write(service, update, signal);
        return outcome === 'not-found' ? 'not-found' : 'written';
      },
      event(ref, event, signal) {
        const service = caches.services.get(ref.name, ref.namespace);
        const object = service
          ? involvedObject(service, { apiVersion: 'v1', kind: 'Service' })
          : {
              apiVersion: 'v1',
              kind: 'Service',
              namespace: ref.namespace,
              name: ref.name,
              ...(ref.uid && { uid: ref.uid }),
            };
        return recorder.event(object, event.type, event.reason, event.message, signal);
      },
    },
    config,
    pools: {
      async patchPoolStatus(name, counters, signal) {
        const pool = caches.config.ipAddressPools.get(name, options.namespace);
        if (pool !== undefined) await pools.write(pool, counters, signal);
      },
    },
    secret: {
      async ensureMemberlistSecret(signal) {
        const outcome = await secrets.ensureMemberlistSecret(
          options.namespace,
          options.memberlistSecret,
          signal,
        );
        return outcome === 'created';
      },
    },
  };
}
