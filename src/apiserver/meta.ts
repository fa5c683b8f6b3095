/**
 * ObjectMeta semantics shared by every resource: name/generateName, uid, creationTimestamp, generation,
 * namespace scoping, label and annotation validation on create; on update, the immutable system fields
 * are carried over and generation is bumped when anything outside metadata (and status, when a status
 * subresource exists) changed. Clock and identifiers are injected.
 */
import { labelKeyProblem, labelValueProblem } from '../core/labels.js';
import { conflict, type FieldError } from './errors.js';
import {
  clone,
  isObject,
  jsonEqual,
  meta,
  type JsonObject,
  type KubeObject,
  type ResourceDef,
} from './types.js';

export interface MetaPorts {
  /** Current time. */
  now(): Date;
  /** A new object UID. */
  uid(): string;
  /** A random value in [0, 1), for generateName suffixes. */
  random(): number;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
const MAX_GENERATED_PREFIX = MAX_SUBDOMAIN - SUFFIX_LENGTH;

/** RFC 3339 with whole seconds, as metav1.Time serializes. */
export function timestamp(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** The name rule for a resource: Namespaces are DNS-1123 labels, Services DNS-1035 labels, others subdomains. */
export function nameProblem(def: Pick<ResourceDef, 'group' | 'resource'>, name: string): string | undefined {
  if (def.group === '' && def.resource === 'namespaces') {
    if (name.length > MAX_LABEL || !DNS1123_LABEL.test(name)) {
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }
    return undefined;
  }
  if (def.group === '' && def.resource === 'services') {
    if (name.length > MAX_LABEL || !DNS1035_LABEL.test(name)) {
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }
    return undefined;
  }
  if (name.length > MAX_SUBDOMAIN || !DNS1123_SUBDOMAIN.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}

function validateStringMap(m: JsonObject, field: string, values: boolean, errors: FieldError[]): void {
  let bytes = 0;
  for (const [k, v] of Object.entries(m)) {
    const keyProblem = labelKeyProblem(k);
    if (keyProblem) errors.push({ type: 'FieldValueInvalid', field, value: k, detail: keyProblem });
    if (typeof v !== 'string') {
      errors.push({
        type: 'FieldValueTypeInvalid',
        field: `${field}[${k}]`,
        value: v,
        detail: 'must be a string',
      });
      continue;
    }
    bytes += k.length + v.length;
    const valueProblem = values ? labelValueProblem(v) : undefined;
    if (valueProblem) errors.push({ type: 'FieldValueInvalid', field, value: v, detail: valueProblem });
  }
  if (!values && bytes > MAX_ANNOTATIONS_BYTES) {
    errors.push({
      type: 'FieldValueTooLong',
      field,
      value: `${bytes} bytes`,
      detail: `must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
    });
  }
}

/** Validates name, labels, annotations and finalizers of an object's metadata. */
export function validateMeta(def: ResourceDef, obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const m = meta(obj);
  const name = m.name;
  if (typeof name !== 'string' || name === '') {
    errors.push({
      type: 'FieldValueRequired',
      field: 'metadata.name',
      detail: 'name or generateName is required',
    });
  } else {
    const problem = nameProblem(def, name);
    if (problem)
      errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: problem });
  }
  for (const [field, values] of [
    ['labels', true],
    ['annotations', false],
  ] as const) {
    const v = m[field];
    if (v === undefined || v === null) continue;
    if (!isObject(v))
      errors.push({
        type: 'FieldValueTypeInvalid',
        field: `metadata.${field}`,
        value: v,
        detail: 'must be a map of strings',
      });
    else validateStringMap(v, `metadata.${field}`, values, errors);
  }
  const fin = m.finalizers;
  if (fin !== undefined && (!Array.isArray(fin) || fin.some((f) => typeof f !== 'string'))) {
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: 'metadata.finalizers',
      value: fin,
      detail: 'must be a list of strings',
    });
  }
  return errors;
}

function generatedName(prefix: string, ports: MetaPorts): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++)
    suffix += SUFFIX_ALPHABET[Math.floor(ports.random() * SUFFIX_ALPHABET.length)]!;
  return prefix.slice(0, MAX_GENERATED_PREFIX) + suffix;
}

/** System fields of a new object; `namespace` is the request's (undefined for cluster-scoped resources). */
export function initCreateMeta(obj: KubeObject, namespace: string | undefined, ports: MetaPorts): void {
  const m = meta(obj);
  if (
    (typeof m.name !== 'string' || m.name === '') &&
    typeof m.generateName === 'string' &&
    m.generateName !== ''
  ) {
    m.name = generatedName(m.generateName, ports);
  }
  if (namespace === undefined) delete m.namespace;
  else m.namespace = namespace;
  m.uid = ports.uid();
  m.creationTimestamp = timestamp(ports.now());
  m.generation = 1;
  for (const f of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'])
    delete m[f];
}

function comparable(obj: KubeObject, statusSeparate: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind' || (statusSeparate && k === 'status'))
      continue;
    out[k] = v;
  }
  return out;
}

/**
 * Carries the system fields of `old` into `next` (uid, creationTimestamp, deletion fields, generation,
 * namespace) and bumps generation on a spec change. A differing uid is a precondition failure (409).
 */
export function carryUpdateMeta(def: ResourceDef, next: KubeObject, old: KubeObject): void {
  const m = meta(next);
  const o = meta(old);
  if (m.uid !== undefined && m.uid !== '' && m.uid !== o.uid) {
    throw conflict(
      def,
      String(o.name),
      `Precondition failed: UID in precondition: ${String(m.uid)}, UID in object meta: ${String(o.uid)}`,
    );
  }
  for (const f of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'namespace',
  ]) {
    if (o[f] === undefined) delete m[f];
    else m[f] = clone(o[f]!);
  }
  delete m.selfLink;
  const gen = typeof o.generation === 'number' ? o.generation : 1;
  m.generation = jsonEqual(comparable(next, def.statusSubresource), comparable(old, def.statusSubresource))
    ? gen
    : gen + 1;
}

/** Finalizers still pending on an object. */
export function finalizersOf(obj: KubeObject): string[] {
  const f = meta(obj).finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}
