/** Tokens of the CEL subset in cel.ts: identifiers, decimal integers, quoted strings and operators. */

export interface Token {
  readonly kind: 'ident' | 'int' | 'string' | 'op' | 'end';
  readonly text: string;
  readonly value?: unknown;
  /** Offset in the rule, for messages. */
  readonly at: number;
}

const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':'];
const PUNCTUATION = new Set(['(', ')', '.', ',']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const INT = /^[0-9]+/;

function readString(rule: string, at: number, fail: (m: string) => Error): Token {
  const quote = rule[at]!;
  let value = '';
  for (let i = at + 1; i < rule.length; i++) {
    const c = rule[i]!;
    if (c === '\\') throw fail(`escape sequences are outside the supported CEL subset (at ${i})`);
    if (c === quote) return { kind: 'string', text: rule.slice(at, i + 1), value, at };
    value += c;
  }
  throw fail(`unterminated string at ${at}`);
}

export function tokenize(rule: string, fail: (message: string) => Error): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < rule.length) {
    const rest = rule.slice(at);
    const c = rule[at]!;
    if (/\s/.test(c)) {
      at++;
      continue;
    }
    let token: Token | undefined;
    const ident = IDENT.exec(rest);
    const int = INT.exec(rest);
    if (ident) token = { kind: 'ident', text: ident[0], at };
    else if (int) token = { kind: 'int', text: int[0], value: Number(int[0]), at };
    else if (c === "'" || c === '"') token = readString(rule, at, fail);
    else if (PUNCTUATION.has(c)) token = { kind: 'op', text: c, at };
    else {
      const op = OPERATORS.find((o) => rest.startsWith(o));
      if (op === undefined) throw fail(`unexpected character "${c}" at ${at}`);
      token = { kind: 'op', text: op, at };
    }
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', at });
  return tokens;
}
