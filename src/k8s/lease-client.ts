/**
 * The Lease port of leader election and its REST implementation over coordination.k8s.io/v1. The
 * elector sees only `LeaseRecord`s (holder, duration, times, transitions) plus the resourceVersion it
 * must send back for optimistic concurrency; a lost race surfaces as a KubeApiError 409 from
 * create (AlreadyExists) or update (Conflict). A malformed Lease is read leniently: missing fields take
 * neutral values (no holder, zero transitions), so a broken object can be taken over, not crash us.
 */
import { isNotFound } from './errors.js';
import { asRecord } from './objects.js';
import { apiVersionOf, collectionPath, objectPath, RESOURCES } from './resources.js';
import type { RestClient } from './rest.js';

export interface LeaseRecord {
  /** '' when nobody holds the lease (e.g. released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions: number;
}

export interface StoredLease {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
}

export interface LeaseClient {
  /** The current lease, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<StoredLease | undefined>;
  /** Creates the lease; rejects with 409 AlreadyExists when someone else created it first. */
  create(record: LeaseRecord, signal: AbortSignal): Promise<StoredLease>;
  /** Replaces the lease if it is still at `resourceVersion`; rejects with 409 Conflict otherwise. */
  update(record: LeaseRecord, resourceVersion: string, signal: AbortSignal): Promise<StoredLease>;
}

/** Reads a Lease object's spec leniently. */
export function leaseFromObject(object: unknown): StoredLease {
  const lease = asRecord(object);
  const spec = asRecord(lease?.spec) ?? {};
  const meta = asRecord(lease?.metadata) ?? {};
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    record: {
      holderIdentity: str(spec.holderIdentity) ?? '',
      leaseDurationSeconds: num(spec.leaseDurationSeconds),
      acquireTime: str(spec.acquireTime),
      renewTime: str(spec.renewTime),
      leaseTransitions: num(spec.leaseTransitions),
    },
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '',
  };
}

export function leaseToObject(
  namespace: string,
  name: string,
  record: LeaseRecord,
  resourceVersion?: string,
): object {
  return {
    apiVersion: apiVersionOf(RESOURCES.leases),
    kind: RESOURCES.leases.kind,
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.acquireTime === undefined ? {} : { acquireTime: record.acquireTime }),
      ...(record.renewTime === undefined ? {} : { renewTime: record.renewTime }),
      leaseTransitions: record.leaseTransitions,
    },
  };
}

/** A LeaseClient for the Lease `namespace/name`. */
export function apiLeaseClient(rest: RestClient, namespace: string, name: string): LeaseClient {
  const path = objectPath(RESOURCES.leases, namespace, name);
  return {
    async get(signal) {
      try {
        return leaseFromObject(await rest.request({ method: 'GET', path, signal }));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(record, signal) {
      const body = leaseToObject(namespace, name, record);
      const created = await rest.request({
        method: 'POST',
        path: collectionPath(RESOURCES.leases, namespace),
        body,
        signal,
      });
      return leaseFromObject(created);
    },
    async update(record, resourceVersion, signal) {
      const body = leaseToObject(namespace, name, record, resourceVersion);
      return leaseFromObject(await rest.request({ method: 'PUT', path, body, signal }));
    },
  };
}
