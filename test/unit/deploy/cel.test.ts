import { describe, expect, it } from 'vitest';
import { CelError, evaluate, parseCel, ruleHolds, usesOldSelf } from './helpers/cel.js';
import { checkRule } from './helpers/cel-check.js';
import type { SchemaNode } from './helpers/openapi.js';

const ev = (rule: string, self?: unknown) => evaluate(parseCel(rule), { self });

describe('the CEL subset used by the CRD validation rules', () => {
  it('evaluates literals, arithmetic, comparison, logic and the conditional operator', () => {
    expect(ev('1 + 2 * 3 == 7')).toBe(true);
    expect(ev('(7 / 2) + (7 % 2)')).toBe(4);
    expect(ev('-3 < 2 && !(2 >= 3)')).toBe(true);
    expect(ev("'ab' + 'c' == \"abc\"")).toBe(true);
    expect(ev('1 != 1 || 2 <= 2')).toBe(true);
    expect(ev('self > 2 ? 10 : 20', 3)).toBe(10);
    expect(ev('self > 2 ? 10 : 20', 1)).toBe(20);
    expect(ev('null == null')).toBe(true);
  });

  it('selects fields, tests presence with has() and measures size', () => {
    const self = { list: [1, 2], name: 'héllo', map: { a: 1 }, n: 0 };
    expect(ev('has(self.list) && self.list.size() == 2 && size(self.name) == 5', self)).toBe(true);
    expect(ev('has(self.missing)', self)).toBe(false);
    expect(ev('self.map.size() == 1 && self.n == 0', self)).toBe(true);
    expect(() => ev('self.missing == 1', self)).toThrow('no such key: missing');
  });

  it('parses Go durations and reads whole seconds and total milliseconds', () => {
    expect(ev("duration(self) >= duration('1s')", '1500ms')).toBe(true);
    expect(ev('duration(self).getSeconds()', '1m30.5s')).toBe(90);
    expect(ev('duration(self).getMilliseconds()', '1m30.5s')).toBe(90500);
    expect(() => ev('duration(self)', '90')).toThrow(CelError);
  });

  it('absorbs an error on one side of && and || when the other side decides, as CEL does', () => {
    expect(ev('self.missing == 1 || true', {})).toBe(true);
    expect(ev('false && self.missing == 1', {})).toBe(false);
    expect(() => ev('self.missing == 1 || false', {})).toThrow(CelError);
  });

  it('rejects syntax outside the subset', () => {
    expect(() => parseCel('self.matches("x")')).toThrow('unknown method matches()');
    expect(() => parseCel('exists(self)')).toThrow('unknown function exists()');
    expect(() => parseCel("self == 'a\\n'")).toThrow('escape sequences');
    expect(() => parseCel('self ==')).toThrow(CelError);
    expect(() => parseCel('self == 1 1')).toThrow('unexpected 1');
    expect(() => parseCel('has(self)')).toThrow('has() takes one field selection');
    expect(() => parseCel('self # 1')).toThrow('unexpected character');
  });

  it('reports a failing or erroring rule as not holding, and finds transition rules', () => {
    expect(ruleHolds('self == oldSelf', 'a', 'a')).toBe(true);
    expect(ruleHolds('self == oldSelf', 'a', 'b')).toBe(false);
    expect(ruleHolds('self.x > 1', {})).toBe(false);
    expect(ruleHolds('1', {})).toBe(false);
    expect(usesOldSelf(parseCel('has(self.a) && self.a == oldSelf.a'))).toBe(true);
    expect(usesOldSelf(parseCel('size(self) > 0 ? self.a : 1'))).toBe(false);
  });
});

describe('the static check of a rule against its schema node', () => {
  const spec: SchemaNode = {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      items: { type: 'array', items: { type: 'string' } },
      wait: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };

  it('accepts well-typed rules', () => {
    expect(() => checkRule('!has(self.items) || self.items.size() <= self.count', spec)).not.toThrow();
    expect(() => checkRule("duration(self.wait) < duration('1h')", spec)).not.toThrow();
    expect(() => checkRule("self.labels.anything == 'x'", spec)).not.toThrow();
    expect(() => checkRule('self == oldSelf', spec)).not.toThrow();
  });

  it('rejects fields the schema does not have, type mismatches and non-boolean rules', () => {
    expect(() => checkRule('has(self.cuont)', spec)).toThrow("undefined field 'cuont'");
    expect(() => checkRule('self.count == "3"', spec)).toThrow('cannot compare int with string');
    expect(() => checkRule('self.count && true', spec)).toThrow('expected bool, got int');
    expect(() => checkRule('self.count + 1', spec)).toThrow('expected bool, got int');
    expect(() => checkRule('self.wait.getSeconds() > 1', spec)).toThrow('expected duration, got string');
    expect(() => checkRule('self.count.size() > 1', spec)).toThrow('expected list or map or string, got int');
    expect(() => checkRule('other == 1', spec)).toThrow("undeclared reference to 'other'");
  });
});
