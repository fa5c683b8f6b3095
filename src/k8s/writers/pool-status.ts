/**
 * PoolStatusWriter: IPAddressPool status counters (MetalLB 0.15 `status.assignedIPv4/IPv6`,
 * `availableIPv4/IPv6`, int64) through the status subresource with a JSON merge patch. The allocator
 * counts in bigint (an IPv6 pool holds far more than 2^63 addresses), so values are clamped to
 * 0..2^63-1 and serialised exactly (JSON.stringify would round them to doubles and overflow int64).
 * A write is skipped when the cached pool already shows the same values and the last value this writer
 * wrote for that pool is identical.
 */
import { isNotFound } from '../errors.js';
import { asRecord, type KubeObject } from '../objects.js';
import { objectPath, RESOURCES } from '../resources.js';
import { CONTENT_MERGE_PATCH, type RestClient } from '../rest.js';
import type { WriteOutcome } from './service-status.js';

export interface PoolCounters {
  readonly assignedIPv4: bigint | number;
  readonly assignedIPv6: bigint | number;
  readonly availableIPv4: bigint | number;
  readonly availableIPv6: bigint | number;
}

const FIELDS = ['assignedIPv4', 'assignedIPv6', 'availableIPv4', 'availableIPv6'] as const;
export const INT64_MAX = (1n << 63n) - 1n;

/** Clamps to the int64 range the CRD declares (negative → 0). */
export function clampInt64(value: bigint | number): bigint {
  const big = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number.isFinite(value) ? value : 0));
  return big < 0n ? 0n : big > INT64_MAX ? INT64_MAX : big;
}

/** `{"status":{"assignedIPv4":N,...}}` with exact integers. */
export function poolStatusPatch(counters: PoolCounters): string {
  const parts = FIELDS.map((f) => `"${f}":${clampInt64(counters[f]).toString()}`);
  return `{"status":{${parts.join(',')}}}`;
}

export class PoolStatusWriter {
  readonly #rest: RestClient;
  readonly #lastWritten = new Map<string, string>();

  constructor(options: { readonly rest: RestClient }) {
    this.#rest = options.rest;
  }

  /** Writes the counters of `pool` (the cached object); 'not-found' when the pool is gone. */
  async write(pool: KubeObject, counters: PoolCounters, signal?: AbortSignal): Promise<WriteOutcome> {
    const namespace = pool.metadata?.namespace ?? '';
    const name = pool.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const raw = poolStatusPatch(counters);
    const status = asRecord(pool.status);
    const cachedSame = FIELDS.every((f) => status?.[f] === Number(clampInt64(counters[f])));
    if (cachedSame && this.#lastWritten.get(key) === raw) return 'unchanged';
    if (
      cachedSame &&
      !this.#lastWritten.has(key) &&
      FIELDS.every((f) => clampInt64(counters[f]) <= BigInt(Number.MAX_SAFE_INTEGER))
    ) {
      this.#lastWritten.set(key, raw);
      return 'unchanged';
    }
    const path = objectPath(RESOURCES.ipAddressPools, namespace, name, 'status');
    try {
      await this.#rest.request({
        method: 'PATCH',
        path,
        body: { raw },
        contentType: CONTENT_MERGE_PATCH,
        signal,
      });
    } catch (err) {
      if (isNotFound(err)) {
        this.#lastWritten.delete(key);
        return 'not-found';
      }
      throw err;
    }
    this.#lastWritten.set(key, raw);
    return 'written';
  }

  /** Forgets what was written for a deleted pool. */
  forget(namespace: string, name: string): void {
    this.#lastWritten.delete(`${namespace}/${name}`);
  }
}
