/**
 * Server-side printing (meta.k8s.io/v1 Table) for `kubectl get`: columns for Services (TYPE, CLUSTER-IP,
 * EXTERNAL-IP with <pending>, PORT(S) with node ports), Nodes, Namespaces and EndpointSlices as the real
 * printers render them; custom resources use their CRD's additionalPrinterColumns; everything else gets
 * its printer columns from resources/builtin.ts. Rows carry PartialObjectMetadata.
 */
import {
  isObject,
  meta,
  stringMap,
  type Json,
  type JsonObject,
  type KubeObject,
  type PrinterColumn,
  type ResourceDef,
} from '../types.js';
import { evaluate } from './jsonpath.js';

export function acceptsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0]!.replace(/\s/g, '');
  return first.includes('as=Table') && first.includes('g=meta.k8s.io');
}

function age(ts: Json | undefined, now: number): string {
  if (typeof ts !== 'string') return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const str = (v: Json | undefined): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
const spec = (o: KubeObject): JsonObject => (isObject(o.spec) ? o.spec : {});
const none = (s: string): string => (s === '' ? '<none>' : s);

function serviceExternalIp(o: KubeObject): string {
  const s = spec(o);
  const external = Array.isArray(s.externalIPs) ? s.externalIPs.map(str) : [];
  if (s.type === 'ExternalName') return str(s.externalName);
  if (s.type !== 'LoadBalancer') return none(external.join(','));
  const ingress = evaluate(o, '.status.loadBalancer.ingress[*]').filter(isObject);
  const lb = ingress.map((i) => str(i.ip ?? i.hostname)).filter((x) => x !== '');
  const all = [...lb, ...external];
  return all.length > 0 ? all.join(',') : '<pending>';
}

function servicePorts(o: KubeObject): string {
  const ports = Array.isArray(spec(o).ports) ? (spec(o).ports as Json[]).filter(isObject) : [];
  return none(
    ports
      .map(
        (p) =>
          `${str(p.port)}${typeof p.nodePort === 'number' && p.nodePort > 0 ? `:${p.nodePort}` : ''}/${str(p.protocol ?? 'TCP')}`,
      )
      .join(','),
  );
}

function nodeStatus(o: KubeObject): string {
  const ready = evaluate(o, '.status.conditions[?(@.type=="Ready")].status')[0];
  const base = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  return spec(o).unschedulable === true ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(o: KubeObject): string {
  const prefix = 'node-role.kubernetes.io/';
  const roles = Object.keys(stringMap(meta(o).labels))
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
  return none(roles.sort().join(','));
}

type Cell = (o: KubeObject, now: number) => string | number;
interface Column {
  readonly def: PrinterColumn;
  readonly cell: Cell;
}

const col = (name: string, cell: Cell, priority = 0, type = 'string'): Column => ({
  def: { name, type, jsonPath: '', ...(priority ? { priority } : {}) },
  cell,
});
const AGE = col('Age', (o, now) => age(meta(o).creationTimestamp, now), 0, 'date');

const SPECIAL: Readonly<Record<string, readonly Column[]>> = {
  '/services': [
    col('Type', (o) => str(spec(o).type)),
    col('Cluster-IP', (o) => none(str(spec(o).clusterIP))),
    col('External-IP', serviceExternalIp),
    col('Port(s)', servicePorts),
    AGE,
    col(
      'Selector',
      (o) =>
        none(
          Object.entries(stringMap(spec(o).selector))
            .map(([k, v]) => `${k}=${v}`)
            .sort()
            .join(','),
        ),
      1,
    ),
  ],
  '/nodes': [
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', (o) => str(evaluate(o, '.status.nodeInfo.kubeletVersion')[0])),
    col(
      'Internal-IP',
      (o) => none(evaluate(o, '.status.addresses[?(@.type=="InternalIP")].address').map(str).join(',')),
      1,
    ),
  ],
  'discovery.k8s.io/endpointslices': [
    col('AddressType', (o) => str(o.addressType)),
    col('Ports', (o) => evaluate(o, '.ports[*].port').map(str).join(',') || '<unset>'),
    col('Endpoints', (o) => {
      const addrs = evaluate(o, '.endpoints[*].addresses[*]').map(str);
      return addrs.length === 0
        ? '<unset>'
        : addrs.length > 3
          ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...`
          : addrs.join(',');
    }),
    AGE,
  ],
  '/secrets': [
    col('Type', (o) => str(o.type)),
    col('Data', (o) => Object.keys(isObject(o.data) ? o.data : {}).length, 0, 'string'),
    AGE,
  ],
  '/configmaps': [
    col(
      'Data',
      (o) =>
        Object.keys(isObject(o.data) ? o.data : {}).length +
        Object.keys(isObject(o.binaryData) ? o.binaryData : {}).length,
    ),
    AGE,
  ],
};

function columnsFor(def: ResourceDef): readonly Column[] {
  const special = SPECIAL[`${def.group}/${def.resource}`];
  if (special) return special;
  const printer =
    def.printerColumns.length > 0
      ? def.printerColumns
      : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return printer.map((p) => ({
    def: p,
    cell: (o: KubeObject, now: number) => {
      const values = evaluate(o, p.jsonPath);
      if (p.type === 'date') return values.length ? age(values[0], now) : '<unknown>';
      if (values.length === 0) return def.custom ? '' : '<none>';
      return values.map(str).join(',');
    },
  }));
}

function partial(o: KubeObject): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta(o) };
}

/** A Table for a single object or a list object of `def`. */
export function toTable(def: ResourceDef, body: Json, now: number = Date.now()): JsonObject {
  const items =
    isObject(body) && Array.isArray(body.items) ? body.items.filter(isObject) : isObject(body) ? [body] : [];
  const cols = columnsFor(def);
  const listMeta =
    isObject(body) && Array.isArray(body.items) && isObject(body.metadata)
      ? body.metadata
      : { resourceVersion: str(meta(items[0] ?? {}).resourceVersion) };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      ...cols.map((c) => ({
        name: c.def.name,
        type: c.def.type,
        format: c.def.format ?? '',
        description: c.def.description ?? '',
        priority: c.def.priority ?? 0,
      })),
    ],
    rows: items.map((o) => ({
      cells: [str(meta(o).name), ...cols.map((c) => c.cell(o, now))],
      object: partial(o),
    })),
  };
}
