/**
 * The API resources Herald reads, as descriptors (group, version, plural, scope), and their REST
 * paths. One table instead of a typed client per kind: lists, watches and status patches for core
 * objects and metallb.io CRDs are built the same way.
 */

export interface ResourceType {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural used in paths, e.g. `services`, `ipaddresspools`. */
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

function type(group: string, version: string, plural: string, kind: string, namespaced = true): ResourceType {
  return { group, version, plural, kind, namespaced };
}

export const METALLB_GROUP = 'metallb.io';

/** Every kind the controller and speaker watch, plus the ones the writers touch. */
export const RESOURCES = {
  services: type('', 'v1', 'services', 'Service'),
  namespaces: type('', 'v1', 'namespaces', 'Namespace', false),
  nodes: type('', 'v1', 'nodes', 'Node', false),
  secrets: type('', 'v1', 'secrets', 'Secret'),
  configMaps: type('', 'v1', 'configmaps', 'ConfigMap'),
  pods: type('', 'v1', 'pods', 'Pod'),
  events: type('', 'v1', 'events', 'Event'),
  endpointSlices: type('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  leases: type('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  ipAddressPools: type(METALLB_GROUP, 'v1beta1', 'ipaddresspools', 'IPAddressPool'),
  l2Advertisements: type(METALLB_GROUP, 'v1beta1', 'l2advertisements', 'L2Advertisement'),
  bgpAdvertisements: type(METALLB_GROUP, 'v1beta1', 'bgpadvertisements', 'BGPAdvertisement'),
  bgpPeers: type(METALLB_GROUP, 'v1beta2', 'bgppeers', 'BGPPeer'),
  bfdProfiles: type(METALLB_GROUP, 'v1beta1', 'bfdprofiles', 'BFDProfile'),
  communities: type(METALLB_GROUP, 'v1beta1', 'communities', 'Community'),
  configurationStates: type(METALLB_GROUP, 'v1beta1', 'configurationstates', 'ConfigurationState'),
  serviceL2Statuses: type(METALLB_GROUP, 'v1beta1', 'servicel2statuses', 'ServiceL2Status'),
  serviceBgpStatuses: type(METALLB_GROUP, 'v1beta1', 'servicebgpstatuses', 'ServiceBGPStatus'),
} as const satisfies Record<string, ResourceType>;

/** `v1` or `group/version`, as written in an object's apiVersion. */
export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * The collection path: `/api/v1/services` (all namespaces), `/api/v1/namespaces/ns/services`, or
 * `/apis/group/version/plural`. `namespace` is ignored for cluster-scoped resources.
 */
export function collectionPath(resource: ResourceType, namespace?: string): string {
  const root =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope =
    resource.namespaced && namespace !== undefined && namespace !== ''
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${root}${scope}/${resource.plural}`;
}

/** The path of one object, optionally a subresource (`status`). */
export function objectPath(
  resource: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): string {
  const base = `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}
