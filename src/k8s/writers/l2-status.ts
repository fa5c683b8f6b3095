/**
 * L2StatusWriter: keeps this node's ServiceL2Status objects (metallb.io/v1beta1) equal to what it
 * announces, as MetalLB's speaker does: one object per announced Service, `generateName: l2-`, labels
 * metallb.io/node, metallb.io/service-name and metallb.io/service-namespace, status {node, serviceName,
 * serviceNamespace, interfaces[].name}. Herald adds the annotation herald.io/announcing-macs (interface=MAC
 * list) so that speakers can tell whose frames they see in a split brain. Objects for Services no longer
 * announced are deleted. Writes only what differs from the informer cache it is given.
 */
import { isNotFound } from '../errors.js';
import { asRecord, type KubeObject } from '../objects.js';
import { apiVersionOf, collectionPath, objectPath, RESOURCES } from '../resources.js';
import { CONTENT_MERGE_PATCH, type RestClient } from '../rest.js';

export const L2_STATUS_NODE_LABEL = 'metallb.io/node';
export const L2_STATUS_SERVICE_NAME_LABEL = 'metallb.io/service-name';
export const L2_STATUS_SERVICE_NAMESPACE_LABEL = 'metallb.io/service-namespace';
export const ANNOUNCING_MACS_ANNOTATION = 'herald.io/announcing-macs';
export const L2_STATUS_GENERATE_NAME = 'l2-';
/** How many syncs an object created here may stay missing from the cache before it is forgotten. */
const CREATED_MAX_SYNCS = 50;

export interface L2StatusDesired {
  readonly serviceNamespace: string;
  readonly serviceName: string;
  readonly interfaces: readonly string[];
  /** `eth0=aa:bb:cc:dd:ee:ff,...` */
  readonly macs: string;
}

export interface L2StatusSyncResult {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

const RESOURCE = RESOURCES.serviceL2Statuses;

function labelsOf(o: KubeObject): Record<string, string> {
  return (o.metadata?.labels ?? {}) as Record<string, string>;
}

function statusBody(node: string, d: L2StatusDesired): Record<string, unknown> {
  return {
    node,
    serviceName: d.serviceName,
    serviceNamespace: d.serviceNamespace,
    interfaces: d.interfaces.map((name) => ({ name })),
  };
}

/** Field by field: a real API server returns CRD objects with their keys sorted, not in our order. */
function sameStatus(o: KubeObject, node: string, d: L2StatusDesired): boolean {
  const status = asRecord((o as Record<string, unknown>).status);
  const interfaces = Array.isArray(status?.interfaces) ? status.interfaces : [];
  return (
    o.metadata?.annotations?.[ANNOUNCING_MACS_ANNOTATION] === d.macs &&
    status?.node === node &&
    status.serviceName === d.serviceName &&
    status.serviceNamespace === d.serviceNamespace &&
    interfaces.length === d.interfaces.length &&
    interfaces.every((entry, i) => asRecord(entry)?.name === d.interfaces[i])
  );
}

export class L2StatusWriter {
  readonly #rest: RestClient;
  readonly #namespace: string;
  readonly #node: string;
  /**
   * Objects created here that the cache passed to sync() may not show yet (name → object as written):
   * without them a sync that runs before the watch delivers the creation would create a duplicate.
   */
  readonly #created = new Map<string, { object: KubeObject; syncs: number }>();

  constructor(options: { readonly rest: RestClient; readonly namespace: string; readonly node: string }) {
    this.#rest = options.rest;
    this.#namespace = options.namespace;
    this.#node = options.node;
  }

  /**
   * Makes this node's objects match `desired` (keyed namespace/name). `existing` is the cache of
   * ServiceL2Status objects in the namespace; objects of other nodes are ignored.
   */
  async sync(
    desired: ReadonlyMap<string, L2StatusDesired>,
    existing: readonly KubeObject[],
    signal?: AbortSignal,
  ): Promise<L2StatusSyncResult> {
    const result = { created: 0, updated: 0, deleted: 0 };
    const mine = this.#mine(existing);
    const seen = new Set<string>();
    for (const object of mine) {
      const labels = labelsOf(object);
      const key = `${labels[L2_STATUS_SERVICE_NAMESPACE_LABEL] ?? ''}/${labels[L2_STATUS_SERVICE_NAME_LABEL] ?? ''}`;
      const want = desired.get(key);
      if (want === undefined || seen.has(key)) {
        if (await this.#delete(object, signal)) result.deleted++;
        continue;
      }
      seen.add(key);
      if (sameStatus(object, this.#node, want)) continue;
      const name = object.metadata?.name ?? '';
      try {
        await this.#write(name, want, signal);
        result.updated++;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.#created.delete(name);
        seen.delete(key);
      }
    }
    for (const [key, want] of desired) {
      if (seen.has(key)) continue;
      await this.#create(want, signal);
      result.created++;
    }
    return result;
  }

  /** Deletes every object of this node (graceful shutdown). */
  async deleteAll(existing: readonly KubeObject[], signal?: AbortSignal): Promise<number> {
    let deleted = 0;
    for (const object of this.#mine(existing)) {
      if (await this.#delete(object, signal)) deleted++;
    }
    return deleted;
  }

  /** Deletes other objects by name (those a dead node left behind); a missing one is not an error. */
  async deleteNamed(names: readonly string[], signal?: AbortSignal): Promise<number> {
    let deleted = 0;
    for (const name of names) {
      if (await this.#delete({ metadata: { name } }, signal)) deleted++;
    }
    return deleted;
  }

  /** This node's objects in the cache, plus those created here that the cache does not show yet. */
  #mine(existing: readonly KubeObject[]): KubeObject[] {
    const mine = existing.filter((o) => labelsOf(o)[L2_STATUS_NODE_LABEL] === this.#node);
    const cached = new Set(mine.map((o) => o.metadata?.name));
    for (const [name, entry] of this.#created) {
      // Seen by the cache, or never seen after many syncs (deleted by someone before the watch showed it).
      if (cached.has(name) || ++entry.syncs > CREATED_MAX_SYNCS) this.#created.delete(name);
      else mine.push(entry.object);
    }
    return mine;
  }

  async #create(want: L2StatusDesired, signal?: AbortSignal): Promise<void> {
    const body = {
      apiVersion: apiVersionOf(RESOURCE),
      kind: RESOURCE.kind,
      metadata: {
        generateName: L2_STATUS_GENERATE_NAME,
        namespace: this.#namespace,
        labels: {
          [L2_STATUS_NODE_LABEL]: this.#node,
          [L2_STATUS_SERVICE_NAME_LABEL]: want.serviceName,
          [L2_STATUS_SERVICE_NAMESPACE_LABEL]: want.serviceNamespace,
        },
        annotations: { [ANNOUNCING_MACS_ANNOTATION]: want.macs },
      },
    };
    const created = asRecord(
      await this.#rest.request({
        method: 'POST',
        path: collectionPath(RESOURCE, this.#namespace),
        body,
        signal,
      }),
    );
    const name = asRecord(created?.metadata)?.name;
    if (typeof name !== 'string') return;
    const object = created as KubeObject;
    this.#created.set(name, { object, syncs: 0 });
    await this.#write(name, want, signal, false);
    this.#created.set(name, {
      object: { ...object, status: statusBody(this.#node, want) } as KubeObject,
      syncs: 0,
    });
  }

  async #write(name: string, want: L2StatusDesired, signal?: AbortSignal, annotate = true): Promise<void> {
    if (annotate) {
      await this.#rest.request({
        method: 'PATCH',
        path: objectPath(RESOURCE, this.#namespace, name),
        body: { metadata: { annotations: { [ANNOUNCING_MACS_ANNOTATION]: want.macs } } },
        contentType: CONTENT_MERGE_PATCH,
        signal,
      });
    }
    await this.#rest.request({
      method: 'PATCH',
      path: objectPath(RESOURCE, this.#namespace, name, 'status'),
      body: { status: statusBody(this.#node, want) },
      contentType: CONTENT_MERGE_PATCH,
      signal,
    });
  }

  async #delete(object: KubeObject, signal?: AbortSignal): Promise<boolean> {
    const name = object.metadata?.name;
    if (name === undefined) return false;
    this.#created.delete(name);
    try {
      await this.#rest.request({
        method: 'DELETE',
        path: objectPath(RESOURCE, this.#namespace, name),
        signal,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
