/**
 * Label and field selectors in their query-string forms. Label selectors follow
 * k8s.io/apimachinery/pkg/labels: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`,
 * `a<1`, comma-separated (ANDed). Set-based matching reuses src/core/labels.ts; Gt/Lt are evaluated here.
 * Field selectors are `f=v`, `f==v`, `f!=v` over the labels a resource supports (metadata.name,
 * metadata.namespace plus per-resource fields), with `\` escapes. Errors are BadRequest ApiErrors.
 */
import {
  labelKeyProblem,
  labelValueProblem,
  selectorMatches,
  type Labels,
  type SelectorRequirement,
} from '../core/labels.js';
import { badRequest } from './errors.js';
import { isObject, type Json, type KubeObject } from './types.js';

export interface NumericRequirement {
  readonly key: string;
  readonly operator: 'Gt' | 'Lt';
  readonly value: number;
}

export interface LabelQuery {
  readonly set: readonly SelectorRequirement[];
  readonly numeric: readonly NumericRequirement[];
}

export const MATCH_ALL: LabelQuery = { set: [], numeric: [] };

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: string };

const OPERATOR_CHARS = /[=!<>(),]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('==', i) || text.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: text.slice(i, i + 2) });
      i += 2;
    } else if (OPERATOR_CHARS.test(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j]!) && !OPERATOR_CHARS.test(text[j]!)) j++;
      tokens.push({ kind: 'id', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

class LabelParser {
  private pos = 0;
  readonly set: SelectorRequirement[] = [];
  readonly numeric: NumericRequirement[] = [];
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private fail(why: string): never {
    throw badRequest(`unable to parse requirement: ${why} (in label selector "${this.source}")`);
  }
  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  private key(): string {
    const t = this.next();
    if (t?.kind !== 'id') this.fail(`found '${t?.text ?? 'end of string'}', expected: identifier`);
    const problem = labelKeyProblem(t.text);
    if (problem) this.fail(problem);
    return t.text;
  }
  private value(): string {
    const t = this.peek();
    if (t?.kind !== 'id') return ''; // "a=" selects the empty value
    this.pos++;
    const problem = labelValueProblem(t.text);
    if (problem) this.fail(problem);
    return t.text;
  }
  private valueSet(): string[] {
    if (this.next()?.text !== '(') this.fail("found bad token, expected: '('");
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const t = this.next();
      if (t?.text === ')') break;
      if (t?.text !== ',') this.fail("found bad token, expected: ',' or ')'");
    }
    if (values.length === 1 && values[0] === '')
      this.fail("for 'in', 'notin' operators, values set can't be empty");
    return values;
  }

  requirement(): void {
    if (this.peek()?.text === '!') {
      this.pos++;
      this.set.push({ key: this.key(), operator: 'DoesNotExist', values: [] });
      return;
    }
    const key = this.key();
    const t = this.peek();
    if (t === undefined || t.text === ',') {
      this.set.push({ key, operator: 'Exists', values: [] });
      return;
    }
    this.pos++;
    if (t.text === '=' || t.text === '==') this.set.push({ key, operator: 'In', values: [this.value()] });
    else if (t.text === '!=') this.set.push({ key, operator: 'NotIn', values: [this.value()] });
    else if (t.text === 'in') this.set.push({ key, operator: 'In', values: this.valueSet() });
    else if (t.text === 'notin') this.set.push({ key, operator: 'NotIn', values: this.valueSet() });
    else if (t.text === '>' || t.text === '<') {
      const v = this.value();
      if (!/^-?\d+$/.test(v)) this.fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      this.numeric.push({ key, operator: t.text === '>' ? 'Gt' : 'Lt', value: Number(v) });
    } else this.fail(`found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  parse(): LabelQuery {
    if (this.tokens.length === 0) return MATCH_ALL;
    for (;;) {
      this.requirement();
      const t = this.next();
      if (t === undefined) break;
      if (t.text !== ',') this.fail(`found '${t.text}', expected: ','`);
    }
    return { set: this.set, numeric: this.numeric };
  }
}

/** Parses the string form of a label selector. Empty text selects everything. */
export function parseLabelQuery(text: string): LabelQuery {
  return new LabelParser(tokenize(text), text).parse();
}

export function labelQueryMatches(q: LabelQuery, labels: Labels): boolean {
  if (!selectorMatches({ requirements: q.set }, labels)) return false;
  return q.numeric.every((r) => {
    const v = labels[r.key];
    if (v === undefined || !/^-?\d+$/.test(v)) return false;
    return r.operator === 'Gt' ? Number(v) > r.value : Number(v) < r.value;
  });
}

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) cur += c + text[++i]!;
    else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Parses a field selector, accepting only `allowed` field labels (plus metadata.name/namespace). */
export function parseFieldQuery(text: string, allowed: readonly string[]): FieldRequirement[] {
  if (text.trim() === '') return [];
  const ok = new Set(['metadata.name', 'metadata.namespace', ...allowed]);
  return splitUnescaped(text, ',').map((part) => {
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/s.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${part}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!ok.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, operator: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]!) };
  });
}

function fieldText(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The value of a field label on an object ("source" on Events is source.component, as in the real server). */
export function fieldValue(obj: KubeObject, field: string): string {
  const path = field === 'source' ? ['source', 'component'] : field.split('.');
  let cur: Json | undefined = obj;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return fieldText(cur);
}

export function fieldQueryMatches(q: readonly FieldRequirement[], obj: KubeObject): boolean {
  return q.every((r) => (fieldValue(obj, r.field) === r.value) === (r.operator === '='));
}
