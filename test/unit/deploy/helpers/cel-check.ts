/**
 * Static type check of a CEL validation rule against the OpenAPI schema node it is attached to, as the
 * API server does when a CRD is created: every field a rule selects must exist in the schema, operators
 * must get operands of matching types, and the rule must yield a boolean.
 */
import { CelError, parseCel, type Ast } from './cel.js';
import type { SchemaNode } from './openapi.js';

type CelType =
  | { readonly k: 'object'; readonly schema: SchemaNode }
  | { readonly k: 'list' | 'map' | 'string' | 'int' | 'number' | 'bool' | 'duration' | 'null' | 'dyn' };

const T = (k: Exclude<CelType['k'], 'object'>): CelType => ({ k }) as CelType;

export function typeOfSchema(schema: SchemaNode): CelType {
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields']) return T('dyn');
  switch (schema.type) {
    case 'object':
      return schema.properties ? { k: 'object', schema } : T('map');
    case 'array':
      return T('list');
    case 'string':
      return T('string');
    case 'integer':
      return T('int');
    case 'number':
      return T('number');
    case 'boolean':
      return T('bool');
    default:
      return T('dyn');
  }
}

function fieldType(target: CelType, field: string): CelType {
  if (target.k === 'dyn' || target.k === 'map') return T('dyn');
  if (target.k !== 'object') throw new CelError(`cannot select .${field} from a ${target.k}`);
  const prop = target.schema.properties?.[field];
  if (!prop) throw new CelError(`undefined field '${field}'`);
  return typeOfSchema(prop);
}

function expect(type: CelType, ...kinds: CelType['k'][]): void {
  if (type.k !== 'dyn' && !kinds.includes(type.k)) {
    throw new CelError(`expected ${kinds.join(' or ')}, got ${type.k}`);
  }
}

function sameType(a: CelType, b: CelType, op: string): void {
  if (a.k !== 'dyn' && b.k !== 'dyn' && a.k !== b.k && !(a.k === 'null' || b.k === 'null')) {
    throw new CelError(`operator ${op} cannot compare ${a.k} with ${b.k}`);
  }
}

function checkCall(ast: Extract<Ast, { t: 'call' }>, typeOf: (a: Ast) => CelType): CelType {
  const target = ast.target === undefined ? undefined : typeOf(ast.target);
  const args = ast.args.map(typeOf);
  if (ast.fn === 'duration') {
    if (args.length !== 1) throw new CelError('duration() takes one argument');
    expect(args[0]!, 'string');
    return T('duration');
  }
  if (ast.fn === 'size') {
    const subject = target ?? args[0];
    if (subject === undefined || args.length !== (target ? 0 : 1))
      throw new CelError('size() takes one value');
    expect(subject, 'list', 'map', 'string');
    return T('int');
  }
  if (target === undefined || args.length !== 0)
    throw new CelError(`${ast.fn}() is a method without arguments`);
  expect(target, 'duration');
  return T('int');
}

function checkBinary(op: string, l: CelType, r: CelType): CelType {
  if (op === '&&' || op === '||') {
    expect(l, 'bool');
    expect(r, 'bool');
    return T('bool');
  }
  if (op === '==' || op === '!=') {
    sameType(l, r, op);
    return T('bool');
  }
  if (['<', '<=', '>', '>='].includes(op)) {
    sameType(l, r, op);
    expect(l, 'int', 'number', 'string', 'duration');
    return T('bool');
  }
  sameType(l, r, op);
  expect(l, ...(op === '+' ? (['int', 'number', 'string'] as const) : (['int', 'number'] as const)));
  return l;
}

function check(ast: Ast, self: CelType): CelType {
  const typeOf = (a: Ast): CelType => check(a, self);
  switch (ast.t) {
    case 'lit':
      if (ast.value === null) return T('null');
      return T(typeof ast.value === 'number' ? 'int' : typeof ast.value === 'string' ? 'string' : 'bool');
    case 'ident':
      if (ast.name === 'self' || ast.name === 'oldSelf') return self;
      throw new CelError(`undeclared reference to '${ast.name}'`);
    case 'select':
      return fieldType(typeOf(ast.target), ast.field);
    case 'has':
      fieldType(typeOf(ast.target), ast.field);
      return T('bool');
    case 'call':
      return checkCall(ast, typeOf);
    case 'unary': {
      const arg = typeOf(ast.arg);
      expect(arg, ast.op === '!' ? 'bool' : 'int');
      return arg;
    }
    case 'binary':
      return checkBinary(ast.op, typeOf(ast.left), typeOf(ast.right));
    case 'cond': {
      expect(typeOf(ast.test), 'bool');
      const then = typeOf(ast.then);
      sameType(then, typeOf(ast.else), '?:');
      return then;
    }
  }
}

/** Throws CelError when the rule does not parse or does not type-check to a boolean at `schema`. */
export function checkRule(rule: string, schema: SchemaNode): void {
  const result = check(parseCel(rule), typeOfSchema(schema));
  expect(result, 'bool');
}
