/**
 * A validator for the OpenAPI v3 structural-schema subset that CustomResourceDefinitions use, applied the
 * way an API server applies it to a custom object: unknown fields are pruned (reported, not rejected),
 * nulls in non-nullable fields are dropped, defaults are filled in, then types, required, enum,
 * minimum/maximum, lengths, pattern, items, properties, additionalProperties, list types,
 * x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields and x-kubernetes-validations (CEL, via
 * cel.ts, including transition rules when an old object is given) are checked. `metadata` at the root is
 * left to the server's ObjectMeta handling, as on a real API server.
 */
import { CelError, evaluate, parseCel, usesOldSelf } from './cel.js';

export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
}

export interface SchemaNode {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
}

export interface Violation {
  readonly path: string;
  readonly reason: string;
}

export interface ValidationResult {
  readonly errors: readonly Violation[];
  /** Paths of fields the schema does not declare (an API server silently drops them). */
  readonly pruned: readonly string[];
  /** The object as it would be stored: pruned, nulls dropped, defaults applied. */
  readonly value: unknown;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const clone = <T>(x: T): T => structuredClone(x);
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** Prunes unknown fields, drops nulls and applies defaults; returns the new value. */
function normalize(
  schema: SchemaNode,
  value: unknown,
  path: string,
  pruned: string[],
  root: boolean,
): unknown {
  if (Array.isArray(value)) {
    return schema.items
      ? value.map((v, i) => normalize(schema.items!, v, `${path}[${i}]`, pruned, false))
      : value;
  }
  if (!isObject(value) || schema.type !== 'object') return value;
  const out: Record<string, unknown> = {};
  const extra = schema.additionalProperties;
  for (const [key, v] of Object.entries(value)) {
    const prop = schema.properties?.[key] ?? (isObject(extra) ? extra : undefined);
    if (!prop) {
      if (schema['x-kubernetes-preserve-unknown-fields'] || extra === true) out[key] = v;
      else pruned.push(join(path, key));
      continue;
    }
    if (v === null && !prop.nullable) continue;
    out[key] = root && key === 'metadata' ? v : normalize(prop, v, join(path, key), pruned, false);
  }
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (!(key in out) && prop.default !== undefined) out[key] = clone(prop.default);
  }
  return out;
}

function typeProblem(schema: SchemaNode, value: unknown): string | undefined {
  if (schema['x-kubernetes-int-or-string']) {
    return Number.isInteger(value) || typeof value === 'string'
      ? undefined
      : 'must be an integer or a string';
  }
  const ok: Record<string, (v: unknown) => boolean> = {
    object: isObject,
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    integer: Number.isInteger,
    number: (v) => typeof v === 'number' && Number.isFinite(v),
    boolean: (v) => typeof v === 'boolean',
  };
  if (value === null) return schema.nullable ? undefined : 'must not be null';
  return schema.type === undefined || ok[schema.type]!(value) ? undefined : `must be of type ${schema.type}`;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function scalarProblems(schema: SchemaNode, value: unknown): string[] {
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    problems.push(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`must be <= ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength)
      problems.push(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength)
      problems.push(`must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`must match ${schema.pattern}`);
    if (schema.format === 'date-time' && !DATE_TIME.test(value))
      problems.push('must be an RFC 3339 date-time');
  }
  return problems;
}

function listProblems(schema: SchemaNode, list: readonly unknown[]): string[] {
  const problems: string[] = [];
  if (schema.minItems !== undefined && list.length < schema.minItems)
    problems.push(`must have at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined && list.length > schema.maxItems)
    problems.push(`must have at most ${schema.maxItems} items`);
  const type = schema['x-kubernetes-list-type'];
  if (type === 'set' || type === 'map') {
    const keys = list.map((item) =>
      JSON.stringify(
        type === 'set'
          ? item
          : (schema['x-kubernetes-list-map-keys'] ?? []).map((k) => (isObject(item) ? item[k] : undefined)),
      ),
    );
    if (new Set(keys).size !== keys.length)
      problems.push(`must not repeat ${type === 'set' ? 'items' : 'map keys'}`);
  }
  return problems;
}

function ruleProblems(schema: SchemaNode, value: unknown, old: unknown): string[] {
  const problems: string[] = [];
  for (const { rule, message } of schema['x-kubernetes-validations'] ?? []) {
    const ast = parseCel(rule);
    if (usesOldSelf(ast) && old === undefined) continue; // transition rules need the old object
    let holds: boolean;
    try {
      holds = evaluate(ast, old === undefined ? { self: value } : { self: value, oldSelf: old }) === true;
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      holds = false;
    }
    if (!holds) problems.push(message ?? `failed rule: ${rule}`);
  }
  return problems;
}

function check(
  schema: SchemaNode,
  value: unknown,
  old: unknown,
  path: string,
  errors: Violation[],
  root: boolean,
): void {
  const report = (reason: string): void => {
    errors.push({ path: path || '<root>', reason });
  };
  const typeIssue = typeProblem(schema, value);
  if (typeIssue) {
    report(typeIssue);
    return;
  }
  const before = errors.length;
  scalarProblems(schema, value).forEach(report);
  if (Array.isArray(value)) {
    listProblems(schema, value).forEach(report);
    if (schema.items)
      value.forEach((v, i) => check(schema.items!, v, undefined, `${path}[${i}]`, errors, false));
  } else if (isObject(value) && !schema['x-kubernetes-int-or-string']) {
    for (const key of schema.required ?? []) if (!(key in value)) report(`${key}: required`);
    for (const [key, v] of Object.entries(value)) {
      if (root && key === 'metadata') continue;
      const prop =
        schema.properties?.[key] ??
        (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      const oldV = isObject(old) ? old[key] : undefined;
      if (prop) check(prop, v, oldV, join(path, key), errors, false);
    }
  }
  if (errors.length === before) ruleProblems(schema, value, old).forEach(report);
}

/** Validates `value` (and, for transition rules, `old`) against a CRD version's openAPIV3Schema. */
export function validateObject(schema: SchemaNode, value: unknown, old?: unknown): ValidationResult {
  const pruned: string[] = [];
  const normalized = normalize(schema, clone(value), '', pruned, true);
  const normalizedOld = old === undefined ? undefined : normalize(schema, clone(old), '', [], true);
  const errors: Violation[] = [];
  check(schema, normalized, normalizedOld, '', errors, true);
  return { errors, pruned, value: normalized };
}

/** Every schema node with its path (properties as `.name`, items as `[]`, additionalProperties as `{}`). */
export function walkSchema(
  schema: SchemaNode,
  visit: (node: SchemaNode, path: string) => void,
  path = '',
): void {
  visit(schema, path);
  for (const [key, prop] of Object.entries(schema.properties ?? {})) walkSchema(prop, visit, join(path, key));
  if (schema.items) walkSchema(schema.items, visit, `${path}[]`);
  if (isObject(schema.additionalProperties)) walkSchema(schema.additionalProperties, visit, `${path}{}`);
}
