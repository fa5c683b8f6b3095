/**
 * A recording fake of every controller port (MetalLB's testK8S): Services and metallb.io objects held in
 * memory, every write and event recorded in order, status writes applied back to the Service so the next
 * reconcile sees them (as an informer cache would). Writes can be made to fail on demand. Also request
 * and view builders for scenario tables.
 */
import type { AllocationRequest, ServicePort } from '../../../src/core/allocator/index.js';
import { parseIp, type IpAddress } from '../../../src/core/ip/index.js';
import type { ObjectRef, ResourceSnapshot } from '../../../src/config/index.js';
import type {
  ConfigReport,
  ConfigSource,
  ControllerEvent,
  ControllerWriters,
  CurrentStatus,
  DeprecatedAnnotation,
  PoolStatus,
  ServiceSource,
  ServiceStatusUpdate,
  ServiceView,
  Log,
} from '../../../src/controller/ports.js';

export const NS = 'metallb-system';

export function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`bad test IP ${text}`);
  return parsed;
}

export function poolObject(name: string, addresses: string[], spec: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name, namespace: NS },
    spec: { addresses, ...spec },
  };
}

export interface ServiceSpec {
  families?: AllocationRequest['ipFamilies'];
  policy?: AllocationRequest['ipFamilyPolicy'];
  requested?: string[];
  pool?: string;
  sharingKey?: string;
  ports?: ServicePort[];
  backendKey?: string;
  labels?: Record<string, string>;
  createdAt?: string;
  deprecated?: DeprecatedAnnotation[];
}

export function request(key: string, spec: ServiceSpec = {}, currentIps: string[] = []): AllocationRequest {
  const [namespace, name] = key.split('/') as [string, string];
  return {
    namespace,
    name,
    labels: spec.labels ?? {},
    namespaceLabels: {},
    ipFamilyPolicy: spec.policy ?? 'SingleStack',
    ipFamilies: spec.families ?? ['IPv4'],
    requestedIps: (spec.requested ?? []).map(ip),
    ...(spec.pool !== undefined && { requestedPool: spec.pool }),
    ...(spec.sharingKey !== undefined && { sharingKey: spec.sharingKey }),
    ports: spec.ports ?? [{ protocol: 'TCP', port: 80 }],
    backendKey: spec.backendKey ?? '',
    currentIps: currentIps.map(ip),
  };
}

export const NO_STATUS: CurrentStatus = { ips: [], pool: undefined, condition: undefined };

export interface Recorded {
  readonly writes: { key: string; update: ServiceStatusUpdate }[];
  readonly events: { key: string; event: ControllerEvent }[];
  readonly objectEvents: { ref: ObjectRef; event: ControllerEvent }[];
  readonly reports: ConfigReport[];
  readonly poolStatus: { name: string; status: PoolStatus }[];
  secrets: number;
}

type StoredService = { view: ServiceView; spec: ServiceSpec | undefined };

export class FakeCluster implements ServiceSource, ConfigSource {
  private readonly services = new Map<string, StoredService>();
  snapshotValue: ResourceSnapshot = {};
  /** Number of upcoming status writes that throw. */
  failWrites = 0;
  readonly recorded: Recorded = {
    writes: [],
    events: [],
    objectEvents: [],
    reports: [],
    poolStatus: [],
    secrets: 0,
  };

  readonly writers: ControllerWriters = {
    services: {
      patchStatus: async (ref, update) => {
        const key = `${ref.namespace}/${ref.name}`;
        if (this.failWrites > 0) {
          this.failWrites--;
          throw new Error('injected write failure');
        }
        const stored = this.services.get(key);
        if (!stored) return 'not-found';
        this.recorded.writes.push({ key, update });
        this.setCurrent(key, update);
        return 'written';
      },
      event: async (ref, event) => {
        this.recorded.events.push({ key: `${ref.namespace}/${ref.name}`, event });
      },
    },
    config: {
      report: async (report) => {
        this.recorded.reports.push(report);
      },
      objectEvent: async (ref, event) => {
        this.recorded.objectEvents.push({ ref, event });
      },
    },
    pools: {
      patchPoolStatus: async (name, status) => {
        this.recorded.poolStatus.push({ name, status });
      },
    },
    secret: {
      ensureMemberlistSecret: async () => {
        this.recorded.secrets++;
        return this.recorded.secrets === 1;
      },
    },
  };

  setPools(...pools: unknown[]): void {
    this.snapshotValue = { ipAddressPools: pools };
  }

  snapshot(): ResourceSnapshot {
    return this.snapshotValue;
  }

  /** Creates or updates a LoadBalancer Service; its current status is kept unless `current` is given. */
  apply(key: string, spec: ServiceSpec = {}, current?: CurrentStatus): void {
    const previous = this.services.get(key)?.view.current ?? NO_STATUS;
    const status = current ?? previous;
    const [namespace, name] = key.split('/') as [string, string];
    const view: ServiceView = {
      kind: 'request',
      ref: { namespace, name },
      request: request(key, spec, [...status.ips]),
      deprecated: spec.deprecated ?? [],
      current: status,
      createdAt: spec.createdAt ?? '2026-01-01T00:00:00Z',
    };
    this.services.set(key, { view, spec });
  }

  /** Stores an arbitrary view (ignored / invalid Services). */
  applyView(key: string, view: ServiceView): void {
    this.services.set(key, { view, spec: undefined });
  }

  delete(key: string): void {
    this.services.delete(key);
  }

  get(key: string): ServiceView | undefined {
    return this.services.get(key)?.view;
  }

  keys(): Iterable<string> {
    return this.services.keys();
  }

  current(key: string): CurrentStatus | undefined {
    return this.services.get(key)?.view.current;
  }

  /** Every recorded event reason for one Service, in order. */
  reasons(key: string): string[] {
    return this.recorded.events.filter((e) => e.key === key).map((e) => e.event.reason);
  }

  private setCurrent(key: string, update: ServiceStatusUpdate): void {
    const stored = this.services.get(key)!;
    const current: CurrentStatus = { ips: [...update.ips], pool: update.pool, condition: update.condition };
    if (stored.spec) this.apply(key, stored.spec, current);
    else this.services.set(key, { view: { ...stored.view, current } as ServiceView, spec: undefined });
  }
}

/** A queue fake: remembers keys in insertion order without duplicates. */
export class RecordingQueue {
  readonly pending: string[] = [];
  add(key: string): void {
    if (!this.pending.includes(key)) this.pending.push(key);
  }
  take(): string | undefined {
    return this.pending.shift();
  }
}

export const silentLog: Log = { error() {}, warn() {}, info() {}, debug() {} };
