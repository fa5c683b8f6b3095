import { describe, expect, it } from 'vitest';
import { validateObject, walkSchema, type SchemaNode } from './helpers/openapi.js';

const root = (spec: SchemaNode, status?: SchemaNode): SchemaNode => ({
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec,
    ...(status ? { status } : {}),
  },
});
const errorsOf = (schema: SchemaNode, spec: unknown) =>
  validateObject(root(schema), { metadata: { name: 'x' }, spec }).errors.map((e) => `${e.path}: ${e.reason}`);

describe('the OpenAPI structural-schema validator used on the CRDs', () => {
  it('checks types, including integer versus number and int-or-string', () => {
    const schema: SchemaNode = {
      type: 'object',
      properties: {
        s: { type: 'string' },
        i: { type: 'integer' },
        n: { type: 'number' },
        b: { type: 'boolean' },
        a: { type: 'array', items: { type: 'string' } },
        o: { type: 'object', properties: {} },
        port: { 'x-kubernetes-int-or-string': true },
      },
    };
    expect(errorsOf(schema, { s: 's', i: 3, n: 1.5, b: false, a: ['x'], o: {}, port: 'http' })).toEqual([]);
    expect(errorsOf(schema, { port: 8080 })).toEqual([]);
    expect(errorsOf(schema, { s: 1, i: 1.5, n: 'x', b: 'true', a: {}, o: [], port: true })).toEqual([
      'spec.s: must be of type string',
      'spec.i: must be of type integer',
      'spec.n: must be of type number',
      'spec.b: must be of type boolean',
      'spec.a: must be of type array',
      'spec.o: must be of type object',
      'spec.port: must be an integer or a string',
    ]);
  });

  it('checks required, enum, bounds, lengths, pattern, item counts and date-time', () => {
    const schema: SchemaNode = {
      type: 'object',
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: ['a', 'b'] },
        n: { type: 'integer', minimum: 1, maximum: 10 },
        name: { type: 'string', minLength: 1, maxLength: 3, pattern: '^[a-z]+$' },
        list: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer' } },
        at: { type: 'string', format: 'date-time' },
      },
    };
    expect(
      errorsOf(schema, { mode: 'a', n: 10, name: 'abc', list: [1, 2], at: '2026-01-02T03:04:05Z' }),
    ).toEqual([]);
    expect(errorsOf(schema, { n: 0 })).toEqual(['spec: mode: required', 'spec.n: must be >= 1']);
    expect(errorsOf(schema, { mode: 'c', n: 11, name: 'ABCD', list: [], at: 'yesterday' })).toEqual([
      'spec.mode: must be one of "a", "b"',
      'spec.n: must be <= 10',
      'spec.name: must have at most 3 characters',
      'spec.name: must match ^[a-z]+$',
      'spec.list: must have at least 1 items',
      'spec.at: must be an RFC 3339 date-time',
    ]);
    expect(errorsOf(schema, { mode: 'b', list: [1, 2, 'x'] })).toEqual([
      'spec.list: must have at most 2 items',
      'spec.list[2]: must be of type integer',
    ]);
  });

  it('counts string length in characters, not UTF-16 units', () => {
    expect(
      errorsOf({ type: 'object', properties: { s: { type: 'string', maxLength: 2 } } }, { s: '😀😀' }),
    ).toEqual([]);
  });

  it('prunes undeclared fields (reported), keeps them under preserve-unknown-fields and additionalProperties', () => {
    const schema = root(
      {
        type: 'object',
        properties: {
          known: { type: 'string' },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      { type: 'object' },
    );
    const result = validateObject(schema, {
      metadata: { name: 'x', labels: { kept: 'as is' } },
      spec: { known: 'k', typo: 1, free: { anything: [1] }, labels: { a: 'b', c: 3 } },
      status: { counter: 1 },
      extra: true,
    });
    expect(result.pruned).toEqual(['spec.typo', 'status.counter', 'extra']);
    expect(result.value).toEqual({
      metadata: { name: 'x', labels: { kept: 'as is' } },
      spec: { known: 'k', free: { anything: [1] }, labels: { a: 'b', c: 3 } },
      status: {},
    });
    expect(result.errors).toEqual([{ path: 'spec.labels.c', reason: 'must be of type string' }]);
  });

  it('drops nulls of non-nullable fields, rejects null items, and fills in defaults', () => {
    const schema: SchemaNode = {
      type: 'object',
      required: ['r'],
      properties: {
        r: { type: 'string' },
        d: { type: 'integer', default: 7 },
        flag: { type: 'boolean', default: true },
        list: { type: 'array', items: { type: 'object', properties: {} } },
        maybe: { type: 'string', nullable: true },
      },
    };
    const result = validateObject(root(schema), {
      spec: { r: null, flag: false, list: [null], maybe: null },
    });
    expect(result.value).toEqual({ spec: { flag: false, list: [null], maybe: null, d: 7 } });
    expect(result.errors.map((e) => `${e.path}: ${e.reason}`)).toEqual([
      'spec: r: required',
      'spec.list[0]: must not be null',
    ]);
  });

  it('rejects repeated keys in map lists and repeated items in sets', () => {
    const schema: SchemaNode = {
      type: 'object',
      properties: {
        conditions: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
          items: { type: 'object', properties: { type: { type: 'string' }, v: { type: 'integer' } } },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    };
    expect(
      errorsOf(schema, {
        conditions: [
          { type: 'A', v: 1 },
          { type: 'B', v: 1 },
        ],
        tags: ['x', 'y'],
      }),
    ).toEqual([]);
    expect(
      errorsOf(schema, {
        conditions: [
          { type: 'A', v: 1 },
          { type: 'A', v: 2 },
        ],
        tags: ['x', 'x'],
      }),
    ).toEqual(['spec.conditions: must not repeat map keys', 'spec.tags: must not repeat items']);
  });

  it('evaluates x-kubernetes-validations after defaulting, and transition rules only with an old object', () => {
    const schema = root({
      type: 'object',
      properties: {
        a: { type: 'integer', default: 1 },
        fixed: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'fixed is immutable' }],
        },
      },
      'x-kubernetes-validations': [{ rule: 'self.a < 5', message: 'a must be below 5' }],
    });
    expect(validateObject(schema, { spec: {} }).errors).toEqual([]);
    expect(validateObject(schema, { spec: { a: 9 } }).errors).toEqual([
      { path: 'spec', reason: 'a must be below 5' },
    ]);
    expect(validateObject(schema, { spec: { fixed: 'x' } }).errors).toEqual([]);
    expect(validateObject(schema, { spec: { fixed: 'x' } }, { spec: { fixed: 'x' } }).errors).toEqual([]);
    expect(validateObject(schema, { spec: { fixed: 'y' } }, { spec: { fixed: 'x' } }).errors).toEqual([
      { path: 'spec.fixed', reason: 'fixed is immutable' },
    ]);
  });

  it('skips the CEL rules of a node whose value already failed the schema', () => {
    const schema: SchemaNode = {
      type: 'object',
      properties: { a: { type: 'integer', maximum: 3 } },
      'x-kubernetes-validations': [{ rule: 'self.a < 2', message: 'never reported with a schema error' }],
    };
    expect(errorsOf(schema, { a: 4 })).toEqual(['spec.a: must be <= 3']);
  });

  it('walks every node with a path', () => {
    const paths: string[] = [];
    walkSchema(
      {
        type: 'object',
        properties: {
          list: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } },
          map: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      (_node, path) => paths.push(path),
    );
    expect(paths).toEqual(['', 'list', 'list[]', 'list[].x', 'map', 'map{}']);
  });
});
