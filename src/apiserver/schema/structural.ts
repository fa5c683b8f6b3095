/**
 * Structural OpenAPI v3 schemas as CRDs use them: validation (type, required, enum, bounds, lengths,
 * pattern, item counts, allOf/anyOf/oneOf), defaulting (`default`) and pruning of unknown fields and of
 * nulls on non-nullable fields, in the order the real apiserver applies them (prune, default, validate).
 * Not implemented: CEL `x-kubernetes-validations`, `format` checks, list-type uniqueness.
 */
import type { FieldError } from '../errors.js';
import { clone, isObject, jsonEqual, type Json, type JsonObject } from '../types.js';

export interface SchemaOutcome {
  /** The object after pruning and defaulting. */
  readonly object: JsonObject;
  readonly errors: FieldError[];
  /** Paths of fields the schema does not know (pruned from `object`). */
  readonly unknownFields: string[];
}

const ROOT_SKIP = new Set(['apiVersion', 'kind', 'metadata']);

function typeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: Json): boolean {
  const actual = typeOf(v);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

class Walker {
  readonly errors: FieldError[] = [];
  readonly unknownFields: string[] = [];

  private err(type: FieldError['type'], field: string, value: Json | undefined, detail: string): void {
    this.errors.push({ type, field, value, detail });
  }

  /** Returns the pruned/defaulted value, or undefined when the value itself should be pruned. */
  walk(value: Json, schema: JsonObject, path: string): Json | undefined {
    if (value === null && schema.nullable !== true) return undefined;
    if (value === null) return value;
    if (schema['x-kubernetes-int-or-string'] === true) {
      if (typeof value !== 'string' && !Number.isInteger(value)) {
        this.err('FieldValueTypeInvalid', path, value, `${path} in body must be of type integer-or-string`);
      }
      return value;
    }
    const type = typeof schema.type === 'string' ? schema.type : undefined;
    if (type && !typeMatches(type, value)) {
      this.err(
        'FieldValueTypeInvalid',
        path,
        value,
        `${path} in body must be of type ${type}: "${typeOf(value)}"`,
      );
      return value;
    }
    this.combinators(value, schema, path);
    this.scalarChecks(value, schema, path);
    if (Array.isArray(value)) return this.array(value, schema, path);
    if (isObject(value)) return this.object(value, schema, path, false);
    return value;
  }

  private combinators(value: Json, schema: JsonObject, path: string): void {
    const passes = (s: Json): boolean => {
      if (!isObject(s)) return true;
      const sub = new Walker();
      sub.walk(clone(value), s, path);
      return sub.errors.length === 0;
    };
    if (Array.isArray(schema.allOf))
      for (const s of schema.allOf) if (isObject(s)) this.walk(clone(value), s, path);
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) {
      this.err('FieldValueInvalid', path, value, `${path} in body must match at least one schema in anyOf`);
    }
    if (Array.isArray(schema.oneOf) && schema.oneOf.filter(passes).length !== 1) {
      this.err('FieldValueInvalid', path, value, `${path} in body must match exactly one schema in oneOf`);
    }
  }

  private scalarChecks(value: Json, s: JsonObject, path: string): void {
    if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, value))) {
      const supported = s.enum.map((e) => JSON.stringify(e)).join(', ');
      this.err('FieldValueNotSupported', path, value, `supported values: ${supported}`);
    }
    if (typeof value === 'number') {
      if (
        typeof s.minimum === 'number' &&
        (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum)
      ) {
        this.err(
          'FieldValueInvalid',
          path,
          value,
          `${path} in body should be greater than ${s.exclusiveMinimum === true ? '' : 'or equal to '}${s.minimum}`,
        );
      }
      if (
        typeof s.maximum === 'number' &&
        (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum)
      ) {
        this.err(
          'FieldValueInvalid',
          path,
          value,
          `${path} in body should be less than ${s.exclusiveMaximum === true ? '' : 'or equal to '}${s.maximum}`,
        );
      }
    }
    if (typeof value === 'string') {
      if (typeof s.minLength === 'number' && value.length < s.minLength) {
        this.err(
          'FieldValueInvalid',
          path,
          value,
          `${path} in body should be at least ${s.minLength} chars long`,
        );
      }
      if (typeof s.maxLength === 'number' && value.length > s.maxLength) {
        this.err(
          'FieldValueTooLong',
          path,
          value,
          `${path} in body should be at most ${s.maxLength} chars long`,
        );
      }
      if (typeof s.pattern === 'string' && !safeRegExp(s.pattern).test(value)) {
        this.err('FieldValueInvalid', path, value, `${path} in body should match '${s.pattern}'`);
      }
    }
  }

  private array(value: Json[], s: JsonObject, path: string): Json {
    if (typeof s.minItems === 'number' && value.length < s.minItems) {
      this.err('FieldValueInvalid', path, value, `${path} in body should have at least ${s.minItems} items`);
    }
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
      this.err('FieldValueTooLong', path, value, `${path} in body should have at most ${s.maxItems} items`);
    }
    if (!isObject(s.items)) return value;
    const items = s.items;
    return value.map((v, i) => this.walk(v, items, `${path}[${i}]`) ?? null);
  }

  object(value: JsonObject, s: JsonObject, path: string, root: boolean): JsonObject {
    const props = isObject(s.properties) ? s.properties : undefined;
    const extra = s.additionalProperties;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const child = path ? `${path}.${k}` : k;
      if (root && ROOT_SKIP.has(k)) out[k] = v;
      else if (props && isObject(props[k])) this.assign(out, k, this.walk(v, props[k], child));
      else if (isObject(extra)) this.assign(out, k, this.walk(v, extra, child));
      else if (extra === true || preserve || (!props && extra === undefined && !s.type)) out[k] = v;
      else this.unknownFields.push(child);
    }
    if (props) this.defaults(out, props, path);
    if (Array.isArray(s.required)) {
      for (const r of s.required) {
        if (typeof r === 'string' && !(r in out))
          this.err('FieldValueRequired', path ? `${path}.${r}` : r, undefined, '');
      }
    }
    if (typeof s.minProperties === 'number' && Object.keys(out).length < s.minProperties) {
      this.err(
        'FieldValueInvalid',
        path,
        out,
        `${path} in body should have at least ${s.minProperties} properties`,
      );
    }
    return out;
  }

  private assign(out: JsonObject, k: string, v: Json | undefined): void {
    if (v !== undefined) out[k] = v;
  }

  private defaults(out: JsonObject, props: JsonObject, path: string): void {
    for (const [k, ps] of Object.entries(props)) {
      if (k in out || !isObject(ps) || ps.default === undefined) continue;
      const v = this.walk(clone(ps.default), ps, path ? `${path}.${k}` : k);
      if (v !== undefined) out[k] = v;
    }
  }
}

const regexCache = new Map<string, RegExp>();

function safeRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = /(?:)/; // an unsupported ECMA-262 pattern accepts everything rather than failing every request
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/** Prunes, defaults and validates a whole object against its schema (root metadata is left alone). */
export function applySchema(obj: JsonObject, schema: JsonObject): SchemaOutcome {
  const w = new Walker();
  const object = w.object(clone(obj), schema, '', true);
  return { object, errors: w.errors, unknownFields: w.unknownFields };
}
