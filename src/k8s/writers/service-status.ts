/**
 * ServiceStatusWriter: makes a Service say what the controller decided, and skips every write that
 * would change nothing.
 *
 * - status.loadBalancer.ingress: one entry per address, `{ ip, ipMode: 'VIP' }` (an existing entry
 *   without ipMode counts as VIP: API servers before 1.29 drop the field, and we must not rewrite
 *   forever); empty clears it. status.conditions: the allocation condition of type
 *   ALLOCATION_CONDITION_TYPE (metav1.Condition: reason in CamelCase, lastTransitionTime kept while the
 *   status is unchanged, observedGeneration). Both go in one JSON merge patch to the status
 *   subresource. A merge patch replaces the whole conditions list, so when other controllers'
 *   conditions are present the patch carries metadata.resourceVersion and a concurrent change makes it
 *   fail with 409 instead of erasing theirs.
 * - metadata.annotations["metallb.io/ip-allocated-from-pool"]: the pool, or removed; the deprecated
 *   `metallb.universe.tf/` twin is removed (as MetalLB does). A merge patch to the object.
 * A Service that no longer exists gives 'not-found'; any other API failure rejects with KubeApiError.
 */
import { systemWallClock, type WallClock } from '../clock.js';
import { isNotFound } from '../errors.js';
import { asRecord, objectKey, type KubeObject } from '../objects.js';
import { objectPath, RESOURCES } from '../resources.js';
import { CONTENT_MERGE_PATCH, type RestClient } from '../rest.js';
import { formatTime } from '../time.js';
import { ANNOTATIONS, deprecatedKey } from '../translate/annotations.js';

/** Herald's Service condition: True when the Service holds its addresses, False with the reason why not. */
export const ALLOCATION_CONDITION_TYPE = 'metallb.io/IPAllocated';
export const IP_MODE_VIP = 'VIP';

export interface AllocationCondition {
  readonly status: 'True' | 'False';
  /** Event-style reason, e.g. `IPAllocated`, `AllocationFailed`; made CamelCase if it is not. */
  readonly reason: string;
  readonly message: string;
}

export interface ServiceStatusUpdate {
  /** Addresses in order; empty clears status.loadBalancer.ingress. */
  readonly ips: readonly string[];
  /** metallb.io/ip-allocated-from-pool; undefined removes it. */
  readonly pool: string | undefined;
  /** The allocation condition; undefined removes it. */
  readonly condition: AllocationCondition | undefined;
}

export type WriteOutcome = 'written' | 'unchanged' | 'not-found';

export interface ServiceStatusWriterOptions {
  readonly rest: RestClient;
  readonly wallClock?: WallClock;
  /** Condition type to manage (default ALLOCATION_CONDITION_TYPE). */
  readonly conditionType?: string;
}

/** metav1.Condition reason rule: `^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`, at most 1024 characters. */
const REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const REASON_MAX = 1024;
const MESSAGE_MAX = 32768;

/** A valid condition reason: kept when valid, else CamelCased from its words (`not enough clusterips` → `NotEnoughClusterips`). */
export function conditionReason(text: string): string {
  if (REASON_PATTERN.test(text) && text.length <= REASON_MAX) return text;
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const camel = words
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
    .replace(/^[0-9]+/, '');
  return camel === '' ? 'Unknown' : camel.slice(0, REASON_MAX);
}

function sameIngress(current: unknown, ips: readonly string[]): boolean {
  const entries = Array.isArray(current) ? current : [];
  if (entries.length !== ips.length) return false;
  return entries.every((entry, i) => {
    const e = asRecord(entry);
    if (e === undefined || e.ip !== ips[i]) return false;
    if (e.ipMode !== undefined && e.ipMode !== IP_MODE_VIP) return false;
    return Object.keys(e).every((k) => k === 'ip' || k === 'ipMode');
  });
}

interface Plan {
  readonly status?: Record<string, unknown>;
  readonly annotations?: Record<string, string | null>;
}

export class ServiceStatusWriter {
  readonly #rest: RestClient;
  readonly #wall: WallClock;
  readonly #type: string;

  constructor(options: ServiceStatusWriterOptions) {
    this.#rest = options.rest;
    this.#wall = options.wallClock ?? systemWallClock;
    this.#type = options.conditionType ?? ALLOCATION_CONDITION_TYPE;
  }

  get conditionType(): string {
    return this.#type;
  }

  /** The patches that would bring `service` (as last seen) to `update`; empty when nothing changes. */
  plan(service: KubeObject, update: ServiceStatusUpdate): Plan {
    const status = asRecord(service.status);
    const conditions = (Array.isArray(status?.conditions) ? status.conditions : []).map(
      (c) => asRecord(c) ?? {},
    );
    const mine = conditions.find((c) => c.type === this.#type);
    const others = conditions.filter((c) => c.type !== this.#type);
    const ingress = asRecord(status?.loadBalancer)?.ingress;
    const desired =
      update.condition === undefined ? undefined : this.#condition(service, update.condition, mine);
    const conditionSame =
      desired === undefined
        ? mine === undefined
        : mine !== undefined &&
          (['status', 'reason', 'message', 'observedGeneration'] as const).every(
            (k) => mine[k] === desired[k],
          );
    const plan: { status?: Record<string, unknown>; annotations?: Record<string, string | null> } = {};
    if (!sameIngress(ingress, update.ips) || !conditionSame) {
      const list = desired === undefined ? others : [...others, desired];
      plan.status = {
        ...(others.length > 0 && service.metadata?.resourceVersion
          ? { metadata: { resourceVersion: service.metadata.resourceVersion } }
          : {}),
        status: {
          loadBalancer: {
            ingress: update.ips.length === 0 ? null : update.ips.map((ip) => ({ ip, ipMode: IP_MODE_VIP })),
          },
          conditions: list.length === 0 ? null : list,
        },
      };
    }
    const annotations = service.metadata?.annotations ?? {};
    const key = ANNOTATIONS.ipAllocatedFromPool;
    const old = deprecatedKey('ipAllocatedFromPool');
    const patch: Record<string, string | null> = {};
    if (annotations[key] !== update.pool) patch[key] = update.pool ?? null;
    if (annotations[old] !== undefined) patch[old] = null;
    if (Object.keys(patch).length > 0) plan.annotations = patch;
    return plan;
  }

  /** Writes what differs; 'unchanged' when nothing did, 'not-found' when the Service is gone. */
  async write(service: KubeObject, update: ServiceStatusUpdate, signal?: AbortSignal): Promise<WriteOutcome> {
    const plan = this.plan(service, update);
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    if (name === '' || namespace === '')
      throw new TypeError(`service status writer: object ${objectKey(service)} has no namespace/name`);
    try {
      if (plan.status !== undefined) {
        const path = objectPath(RESOURCES.services, namespace, name, 'status');
        await this.#rest.request({
          method: 'PATCH',
          path,
          body: plan.status,
          contentType: CONTENT_MERGE_PATCH,
          signal,
        });
      }
      if (plan.annotations !== undefined) {
        const path = objectPath(RESOURCES.services, namespace, name);
        const body = { metadata: { annotations: plan.annotations } };
        await this.#rest.request({ method: 'PATCH', path, body, contentType: CONTENT_MERGE_PATCH, signal });
      }
    } catch (err) {
      if (isNotFound(err)) return 'not-found';
      throw err;
    }
    return plan.status === undefined && plan.annotations === undefined ? 'unchanged' : 'written';
  }

  #condition(
    service: KubeObject,
    c: AllocationCondition,
    mine: Readonly<Record<string, unknown>> | undefined,
  ): Record<string, unknown> {
    const keepTime =
      mine !== undefined && mine.status === c.status && typeof mine.lastTransitionTime === 'string';
    const generation = service.metadata?.generation;
    return {
      type: this.#type,
      status: c.status,
      reason: conditionReason(c.reason),
      message: c.message.slice(0, MESSAGE_MAX),
      lastTransitionTime: keepTime ? mine.lastTransitionTime : formatTime(this.#wall()),
      ...(typeof generation === 'number' ? { observedGeneration: generation } : {}),
    };
  }
}
