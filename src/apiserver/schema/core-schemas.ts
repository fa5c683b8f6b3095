/**
 * OpenAPI v3 schemas of the built-in kinds, as far as the server checks them: the fields each kind
 * has at the top level and, for Services, EndpointSlices, Leases and Events, inside spec and status.
 * Deep or rarely used subtrees (Pod specs, Node status) preserve unknown fields, so a field this table
 * does not name is never rejected there. Used for strict field validation and for /openapi/v3.
 */
import type { JsonObject } from '../types.js';

const str: JsonObject = { type: 'string' };
const int: JsonObject = { type: 'integer' };
const bool: JsonObject = { type: 'boolean' };
const intOrString: JsonObject = { 'x-kubernetes-int-or-string': true };
const anyObject: JsonObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const stringMap: JsonObject = { type: 'object', additionalProperties: str };
const strings: JsonObject = { type: 'array', items: str };
const anyList: JsonObject = { type: 'array', items: anyObject };

function obj(properties: JsonObject, required: string[] = []): JsonObject {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

function list(items: JsonObject): JsonObject {
  return { type: 'array', items };
}

function kind(fields: JsonObject): JsonObject {
  return obj({ apiVersion: str, kind: str, metadata: { type: 'object' }, ...fields });
}

const servicePort = obj({
  name: str,
  protocol: str,
  appProtocol: str,
  port: int,
  targetPort: intOrString,
  nodePort: int,
});

const serviceSpec = obj({
  ports: list(servicePort),
  selector: stringMap,
  clusterIP: str,
  clusterIPs: strings,
  type: str,
  externalIPs: strings,
  sessionAffinity: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: strings,
  externalName: str,
  externalTrafficPolicy: str,
  healthCheckNodePort: int,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: anyObject,
  ipFamilies: strings,
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str,
  internalTrafficPolicy: str,
  trafficDistribution: str,
});

const ingressPort = obj({ port: int, protocol: str, error: str });
const serviceStatus = obj({
  loadBalancer: obj({
    ingress: list(obj({ ip: str, hostname: str, ipMode: str, ports: list(ingressPort) })),
  }),
  conditions: anyList,
});

const endpoint = obj({
  addresses: strings,
  conditions: obj({ ready: bool, serving: bool, terminating: bool }),
  hostname: str,
  targetRef: anyObject,
  deprecatedTopology: stringMap,
  nodeName: str,
  zone: str,
  hints: anyObject,
});

const eventSeries = obj({ count: int, lastObservedTime: str });

const coreEvent = kind({
  involvedObject: anyObject,
  reason: str,
  message: str,
  source: obj({ component: str, host: str }),
  firstTimestamp: str,
  lastTimestamp: str,
  count: int,
  type: str,
  eventTime: str,
  series: eventSeries,
  action: str,
  related: anyObject,
  reportingComponent: str,
  reportingInstance: str,
});

const eventsV1Event = kind({
  eventTime: str,
  series: eventSeries,
  reportingController: str,
  reportingInstance: str,
  action: str,
  reason: str,
  regarding: anyObject,
  related: anyObject,
  note: str,
  type: str,
  deprecatedSource: obj({ component: str, host: str }),
  deprecatedFirstTimestamp: str,
  deprecatedLastTimestamp: str,
  deprecatedCount: int,
});

/** Schemas by "group/version/Kind" (core group is ""). */
export const CORE_SCHEMAS: Readonly<Record<string, JsonObject>> = {
  '/v1/Namespace': kind({
    spec: obj({ finalizers: strings }),
    status: obj({ phase: str, conditions: anyList }),
  }),
  '/v1/Node': kind({
    spec: obj({
      podCIDR: str,
      podCIDRs: strings,
      providerID: str,
      unschedulable: bool,
      taints: list(obj({ key: str, value: str, effect: str, timeAdded: str })),
      configSource: anyObject,
      externalID: str,
    }),
    status: anyObject,
  }),
  '/v1/Service': kind({ spec: serviceSpec, status: serviceStatus }),
  '/v1/Secret': kind({ data: stringMap, stringData: stringMap, type: str, immutable: bool }),
  '/v1/ConfigMap': kind({ data: stringMap, binaryData: stringMap, immutable: bool }),
  '/v1/Endpoints': kind({ subsets: anyList }),
  '/v1/Pod': kind({ spec: anyObject, status: anyObject }),
  '/v1/Event': coreEvent,
  'events.k8s.io/v1/Event': eventsV1Event,
  'discovery.k8s.io/v1/EndpointSlice': kind({
    addressType: str,
    endpoints: list(endpoint),
    ports: list(obj({ name: str, protocol: str, port: int, appProtocol: str })),
  }),
  'coordination.k8s.io/v1/Lease': kind({
    spec: obj({
      holderIdentity: str,
      leaseDurationSeconds: int,
      acquireTime: str,
      renewTime: str,
      leaseTransitions: int,
      strategy: str,
      preferredHolder: str,
    }),
  }),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': kind({ spec: anyObject, status: anyObject }),
};

/** Fields of metav1.ObjectMeta; anything else under metadata is an unknown field. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

export function coreSchema(group: string, version: string, kindName: string): JsonObject | undefined {
  return CORE_SCHEMAS[`${group}/${version}/${kindName}`];
}
