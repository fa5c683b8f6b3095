import { describe, expect, it } from 'vitest';
import {
  formatSelector,
  parseLabelSelector,
  selectorMatches,
  anySelectorMatches,
} from '../../../src/core/labels.js';

function sel(raw: unknown) {
  const parsed = parseLabelSelector(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.selector;
}

describe('label selectors', () => {
  it.each([
    { name: 'empty selector matches all', raw: {}, labels: { a: '1' }, want: true },
    { name: 'nil selector matches all', raw: undefined, labels: {}, want: true },
    { name: 'matchLabels hit', raw: { matchLabels: { a: '1' } }, labels: { a: '1', b: '2' }, want: true },
    { name: 'matchLabels miss', raw: { matchLabels: { a: '1' } }, labels: { a: '2' }, want: false },
    {
      name: 'In hit',
      raw: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] },
      labels: { a: '2' },
      want: true,
    },
    {
      name: 'In on absent key',
      raw: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] },
      labels: {},
      want: false,
    },
    {
      name: 'NotIn on absent key',
      raw: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      labels: {},
      want: true,
    },
    {
      name: 'NotIn miss',
      raw: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      labels: { a: '1' },
      want: false,
    },
    {
      name: 'Exists',
      raw: { matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      labels: { a: '' },
      want: true,
    },
    {
      name: 'DoesNotExist',
      raw: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
      labels: { a: 'x' },
      want: false,
    },
    {
      name: 'matchLabels AND matchExpressions',
      raw: { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'Exists' }] },
      labels: { a: '1' },
      want: false,
    },
  ])('$name', ({ raw, labels, want }) => {
    expect(selectorMatches(sel(raw), labels as Record<string, string>)).toBe(want);
  });

  it('ORs a list of selectors', () => {
    const list = [sel({ matchLabels: { a: '1' } }), sel({ matchLabels: { b: '1' } })];
    expect(anySelectorMatches(list, { b: '1' })).toBe(true);
    expect(anySelectorMatches(list, { c: '1' })).toBe(false);
    expect(anySelectorMatches([], { c: '1' })).toBe(false);
  });

  it.each([
    {
      raw: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['1'] }] },
      path: 'matchExpressions[0].operator',
    },
    {
      raw: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      path: 'matchExpressions[0].values',
    },
    {
      raw: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      path: 'matchExpressions[0].values',
    },
    { raw: { matchExpressions: [{ operator: 'Exists' }] }, path: 'matchExpressions[0].key' },
    { raw: { matchLabels: { 'bad key!': 'x' } }, path: 'matchLabels["bad key!"]' },
    { raw: { matchLabels: { a: 'bad value!' } }, path: 'matchLabels["a"]' },
    { raw: { matchLabel: { a: 'b' } }, path: 'matchLabel' },
    { raw: 'a=b', path: '' },
  ])('reports $path for an invalid selector', ({ raw, path }) => {
    const parsed = parseLabelSelector(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  it('formats selectors canonically so equal selectors compare equal', () => {
    const a = sel({ matchLabels: { x: '1', y: '2' } });
    const b = sel({
      matchExpressions: [{ key: 'y', operator: 'In', values: ['2'] }],
      matchLabels: { x: '1' },
    });
    expect(formatSelector(a)).toBe(formatSelector(b));
  });
});
