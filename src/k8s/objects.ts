/**
 * The plain-JSON shape of Kubernetes objects as the adapter stores them (exactly what the API server
 * sends: timestamps are strings, unknown fields are kept), and the helpers that read identity fields
 * defensively. Kubernetes types stop here: src/core never sees them.
 */

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: unknown;
}

/** The cache and work-queue key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  return keyOf(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits a key made by objectKey; cluster-scoped keys have namespace ''. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function resourceVersionOf(obj: KubeObject): string {
  const rv = obj.metadata?.resourceVersion;
  return typeof rv === 'string' ? rv : '';
}

/** A plain object (not null, not an array), or undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** True when `value` looks like a Kubernetes object with a metadata.name. */
export function isKubeObject(value: unknown): value is KubeObject {
  const meta = asRecord(asRecord(value)?.metadata);
  return meta !== undefined && typeof meta.name === 'string' && meta.name !== '';
}
