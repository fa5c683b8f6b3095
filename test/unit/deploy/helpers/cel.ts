/**
 * The subset of CEL (Common Expression Language) that the CRDs in deploy/crds use in
 * `x-kubernetes-validations`, enough to parse, type-check against the OpenAPI schema and evaluate those
 * rules in tests: literals, `self`/`oldSelf`, field selection, `has()`, `size()`, `duration()`,
 * `getSeconds()`/`getMilliseconds()`, `! - * / % + == != < <= > >= && || ?:`. A rule outside the subset is
 * a compile error here, so a typo in a CRD rule fails a unit test instead of `kubectl apply` on a cluster.
 */
import { parseDuration } from '../../../../src/config/duration.js';
import { tokenize, type Token } from './cel-lexer.js';

export class CelError extends Error {
  override readonly name = 'CelError';
}

export type Ast =
  | { readonly t: 'lit'; readonly value: unknown }
  | { readonly t: 'ident'; readonly name: string }
  | { readonly t: 'select'; readonly target: Ast; readonly field: string }
  | { readonly t: 'has'; readonly target: Ast; readonly field: string }
  | { readonly t: 'call'; readonly fn: string; readonly target?: Ast; readonly args: readonly Ast[] }
  | { readonly t: 'unary'; readonly op: '!' | '-'; readonly arg: Ast }
  | { readonly t: 'binary'; readonly op: string; readonly left: Ast; readonly right: Ast }
  | { readonly t: 'cond'; readonly test: Ast; readonly then: Ast; readonly else: Ast };

const GLOBAL_FUNCTIONS = new Set(['duration', 'size']);
const METHODS = new Set(['size', 'getSeconds', 'getMilliseconds']);
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Ast {
    const ast = this.conditional();
    if (this.peek().kind !== 'end') throw new CelError(`unexpected ${this.peek().text} at ${this.peek().at}`);
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private take(text?: string): Token {
    const token = this.peek();
    if (text !== undefined && token.text !== text) {
      throw new CelError(`expected "${text}" at ${token.at}, got ${token.text || 'end of rule'}`);
    }
    this.pos++;
    return token;
  }

  private conditional(): Ast {
    const test = this.binary(0);
    if (this.peek().text !== '?') return test;
    this.take('?');
    const then = this.conditional();
    this.take(':');
    return { t: 'cond', test, then, else: this.conditional() };
  }

  private binary(level: number): Ast {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().kind === 'op' && BINARY_LEVELS[level]!.includes(this.peek().text)) {
      const op = this.take().text;
      left = { t: 'binary', op, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): Ast {
    const text = this.peek().text;
    if (this.peek().kind === 'op' && (text === '!' || text === '-')) {
      this.take();
      return { t: 'unary', op: text, arg: this.unary() };
    }
    return this.member(this.primary());
  }

  private args(): Ast[] {
    this.take('(');
    const args: Ast[] = [];
    while (this.peek().text !== ')') {
      args.push(this.conditional());
      if (this.peek().text !== ')') this.take(',');
    }
    this.take(')');
    return args;
  }

  private member(target: Ast): Ast {
    let ast = target;
    while (this.peek().text === '.') {
      this.take('.');
      const name = this.take();
      if (name.kind !== 'ident') throw new CelError(`expected a field or method name at ${name.at}`);
      if (this.peek().text === '(') {
        if (!METHODS.has(name.text)) throw new CelError(`unknown method ${name.text}()`);
        ast = { t: 'call', fn: name.text, target: ast, args: this.args() };
      } else {
        ast = { t: 'select', target: ast, field: name.text };
      }
    }
    return ast;
  }

  private primary(): Ast {
    const token = this.take();
    if (token.kind === 'int' || token.kind === 'string') return { t: 'lit', value: token.value };
    if (token.text === '(') {
      const inner = this.conditional();
      this.take(')');
      return inner;
    }
    if (token.kind !== 'ident')
      throw new CelError(`unexpected ${token.text || 'end of rule'} at ${token.at}`);
    if (token.text === 'true' || token.text === 'false') return { t: 'lit', value: token.text === 'true' };
    if (token.text === 'null') return { t: 'lit', value: null };
    if (this.peek().text !== '(') return { t: 'ident', name: token.text };
    const args = this.args();
    if (token.text === 'has') {
      const arg = args[0];
      if (args.length !== 1 || arg?.t !== 'select') throw new CelError('has() takes one field selection');
      return { t: 'has', target: arg.target, field: arg.field };
    }
    if (!GLOBAL_FUNCTIONS.has(token.text)) throw new CelError(`unknown function ${token.text}()`);
    return { t: 'call', fn: token.text, args };
  }
}

export function parseCel(rule: string): Ast {
  return new Parser(tokenize(rule, (m) => new CelError(m))).parse();
}

// ------------------------------------------------------------------ evaluation

export interface Duration {
  readonly durationMs: number;
}

const isDuration = (x: unknown): x is Duration =>
  typeof x === 'object' && x !== null && 'durationMs' in x && Object.keys(x).length === 1;
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !isDuration(x);

function toDuration(text: unknown): Duration {
  if (typeof text !== 'string') throw new CelError('duration() takes a string');
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new CelError(parsed.reason);
  return { durationMs: parsed.ms };
}

function sizeOf(x: unknown): number {
  if (typeof x === 'string') return [...x].length;
  if (Array.isArray(x)) return x.length;
  if (isObject(x)) return Object.keys(x).length;
  throw new CelError('size() takes a string, list or map');
}

function call(fn: string, target: unknown, args: readonly unknown[]): unknown {
  if (fn === 'duration') return toDuration(args[0]);
  if (fn === 'size') return sizeOf(target === undefined ? args[0] : target);
  if (!isDuration(target)) throw new CelError(`${fn}() is a method of durations`);
  return Math.trunc(fn === 'getSeconds' ? target.durationMs / 1000 : target.durationMs);
}

const ordered = (x: unknown): number | string => {
  if (isDuration(x)) return x.durationMs;
  if (typeof x === 'number' || typeof x === 'string') return x;
  throw new CelError('values are not comparable');
};

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    throw new CelError(`operator ${op} needs two integers`);
  }
  if ((op === '/' || op === '%') && b === 0) throw new CelError('division by zero');
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  return op === '/' ? Math.trunc(a / b) : a % b;
}

function logical(op: string, left: () => unknown, right: () => unknown): boolean {
  const decisive = op === '||';
  let error: unknown;
  for (const side of [left, right]) {
    try {
      const v = side();
      if (typeof v !== 'boolean') throw new CelError(`operator ${op} needs booleans`);
      if (v === decisive) return decisive;
    } catch (e) {
      error ??= e; // CEL's && and || are commutative over errors: a decisive other side wins
    }
  }
  if (error !== undefined) throw error;
  return !decisive;
}

function binary(op: string, l: unknown, r: unknown): unknown {
  switch (op) {
    case '==':
      return equal(l, r);
    case '!=':
      return !equal(l, r);
    case '<':
      return ordered(l) < ordered(r);
    case '<=':
      return ordered(l) <= ordered(r);
    case '>':
      return ordered(l) > ordered(r);
    case '>=':
      return ordered(l) >= ordered(r);
    default:
      return arithmetic(op, l, r);
  }
}

export function evaluate(ast: Ast, vars: Readonly<Record<string, unknown>>): unknown {
  const ev = (a: Ast): unknown => evaluate(a, vars);
  switch (ast.t) {
    case 'lit':
      return ast.value;
    case 'ident':
      if (!(ast.name in vars)) throw new CelError(`undeclared reference to ${ast.name}`);
      return vars[ast.name];
    case 'select': {
      const target = ev(ast.target);
      if (!isObject(target) || !(ast.field in target)) throw new CelError(`no such key: ${ast.field}`);
      return target[ast.field];
    }
    case 'has': {
      const target = ev(ast.target);
      return isObject(target) && ast.field in target;
    }
    case 'call':
      return call(ast.fn, ast.target === undefined ? undefined : ev(ast.target), ast.args.map(ev));
    case 'unary': {
      const v = ev(ast.arg);
      if (ast.op === '!' && typeof v === 'boolean') return !v;
      if (ast.op === '-' && typeof v === 'number') return -v;
      throw new CelError(`operator ${ast.op} does not apply to ${typeof v}`);
    }
    case 'binary':
      if (ast.op === '&&' || ast.op === '||')
        return logical(
          ast.op,
          () => ev(ast.left),
          () => ev(ast.right),
        );
      return binary(ast.op, ev(ast.left), ev(ast.right));
    case 'cond': {
      const test = ev(ast.test);
      if (typeof test !== 'boolean') throw new CelError('the condition of ?: must be a boolean');
      return test ? ev(ast.then) : ev(ast.else);
    }
  }
}

/** Evaluates a validation rule; a rule that errors or yields non-true fails, as on an API server. */
export function ruleHolds(rule: string, self: unknown, oldSelf?: unknown): boolean {
  const vars: Record<string, unknown> = { self };
  if (oldSelf !== undefined) vars.oldSelf = oldSelf;
  try {
    return evaluate(parseCel(rule), vars) === true;
  } catch (e) {
    if (e instanceof CelError) return false;
    throw e;
  }
}

export function usesOldSelf(ast: Ast): boolean {
  switch (ast.t) {
    case 'ident':
      return ast.name === 'oldSelf';
    case 'lit':
      return false;
    case 'select':
    case 'has':
      return usesOldSelf(ast.target);
    case 'call':
      return (ast.target !== undefined && usesOldSelf(ast.target)) || ast.args.some(usesOldSelf);
    case 'unary':
      return usesOldSelf(ast.arg);
    case 'binary':
      return usesOldSelf(ast.left) || usesOldSelf(ast.right);
    case 'cond':
      return usesOldSelf(ast.test) || usesOldSelf(ast.then) || usesOldSelf(ast.else);
  }
}
