/**
 * The built-in (non-CRD) resources the server serves: core/v1, discovery.k8s.io/v1,
 * coordination.k8s.io/v1 and events.k8s.io/v1, with the scope, short names, status subresources, field
 * selectors and printer columns of the real kube-apiserver.
 */
import type { PrinterColumn, ResourceDef } from '../types.js';

interface BuiltinSpec {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly status?: boolean;
  readonly fieldSelectors?: readonly string[];
  readonly columns?: readonly PrinterColumn[];
  /** Storage version, when a different group/version holds the objects (events.k8s.io → core). */
  readonly storage?: { group: string; version: string };
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function col(name: string, jsonPath: string, priority = 0, type = 'string'): PrinterColumn {
  return { name, type, jsonPath, ...(priority ? { priority } : {}) };
}

const SPECS: readonly BuiltinSpec[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    fieldSelectors: ['status.phase'],
    columns: [col('Status', '.status.phase'), AGE],
  },
  {
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    fieldSelectors: ['spec.unschedulable'],
    columns: [AGE, col('Internal-IP', '.status.addresses[?(@.type=="InternalIP")].address', 1)],
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    fieldSelectors: ['spec.clusterIP', 'spec.type'],
    columns: [
      col('Type', '.spec.type'),
      col('Cluster-IP', '.spec.clusterIP'),
      col('External-IP', '.status.loadBalancer.ingress[*].ip'),
      col('Port(s)', '.spec.ports[*].port'),
      AGE,
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    fieldSelectors: ['type'],
    columns: [col('Type', '.type'), AGE],
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    fieldSelectors: [
      'spec.nodeName',
      'status.phase',
      'status.podIP',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.nominatedNodeName',
    ],
    columns: [col('Status', '.status.phase'), col('Node', '.spec.nodeName', 1), AGE],
  },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    fieldSelectors: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
    columns: [
      col('Type', '.type'),
      col('Reason', '.reason'),
      col('Object', '.involvedObject.name'),
      col('Message', '.message'),
    ],
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    fieldSelectors: [
      'regarding.kind',
      'regarding.namespace',
      'regarding.name',
      'regarding.uid',
      'reason',
      'type',
      'reportingController',
    ],
    storage: { group: '', version: 'v1' },
    columns: [
      col('Type', '.type'),
      col('Reason', '.reason'),
      col('Object', '.regarding.name'),
      col('Note', '.note'),
    ],
  },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    columns: [
      col('AddressType', '.addressType'),
      col('Ports', '.ports[*].port'),
      col('Endpoints', '.endpoints[*].addresses[0]'),
      AGE,
    ],
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
    columns: [col('Holder', '.spec.holderIdentity'), AGE],
  },
];

function toDef(s: BuiltinSpec): ResourceDef {
  return {
    group: s.group,
    version: s.version,
    resource: s.resource,
    kind: s.kind,
    listKind: `${s.kind}List`,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    statusSubresource: s.status ?? false,
    storageVersion: s.version,
    fieldSelectors: s.fieldSelectors ?? [],
    unconditionalUpdate: true,
    printerColumns: s.columns ?? [AGE],
    custom: false,
  };
}

export const BUILTIN_RESOURCES: readonly ResourceDef[] = SPECS.map(toDef);

/**
 * Where a resource's objects live when another group/version owns the storage. events.k8s.io/v1 Events
 * are the core/v1 Events, converted field by field (strategies/events.ts).
 */
export const SHARED_STORAGE: ReadonlyMap<string, { group: string; resource: string }> = new Map(
  SPECS.filter((s) => s.storage).map((s) => [
    `${s.group}/${s.resource}`,
    { group: s.storage!.group, resource: s.resource },
  ]),
);
