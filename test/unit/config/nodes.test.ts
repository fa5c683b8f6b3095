import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectorsShareNode, type NodeInfo } from '../../../src/config/nodes.js';
import {
  parseLabelSelector,
  selectorListsCanOverlap,
  selectorMatches,
  selectorsCanOverlap,
  type LabelSelector,
} from '../../../src/core/labels.js';

function sel(raw: unknown): LabelSelector {
  const parsed = parseLabelSelector(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.selector;
}
const expr = (key: string, operator: string, values?: string[]) =>
  sel({ matchExpressions: [{ key, operator, values }] });

describe('selectorsCanOverlap (core/labels)', () => {
  it.each([
    { name: 'two empty selectors', a: sel({}), b: sel({}), want: true },
    {
      name: 'different keys',
      a: sel({ matchLabels: { a: '1' } }),
      b: sel({ matchLabels: { b: '1' } }),
      want: true,
    },
    {
      name: 'same key, different values',
      a: sel({ matchLabels: { a: '1' } }),
      b: sel({ matchLabels: { a: '2' } }),
      want: false,
    },
    { name: 'In sets intersect', a: expr('a', 'In', ['1', '2']), b: expr('a', 'In', ['2', '3']), want: true },
    { name: 'In sets disjoint', a: expr('a', 'In', ['1']), b: expr('a', 'In', ['2', '3']), want: false },
    { name: 'In minus NotIn empty', a: expr('a', 'In', ['1']), b: expr('a', 'NotIn', ['1']), want: false },
    {
      name: 'In minus NotIn non-empty',
      a: expr('a', 'In', ['1', '2']),
      b: expr('a', 'NotIn', ['1']),
      want: true,
    },
    { name: 'Exists and DoesNotExist', a: expr('a', 'Exists'), b: expr('a', 'DoesNotExist'), want: false },
    { name: 'In and DoesNotExist', a: expr('a', 'In', ['1']), b: expr('a', 'DoesNotExist'), want: false },
    {
      name: 'NotIn and DoesNotExist',
      a: expr('a', 'NotIn', ['1']),
      b: expr('a', 'DoesNotExist'),
      want: true,
    },
    { name: 'Exists and NotIn', a: expr('a', 'Exists'), b: expr('a', 'NotIn', ['1', '2']), want: true },
  ])('$name', ({ a, b, want }) => {
    expect(selectorsCanOverlap(a, b)).toBe(want);
    expect(selectorsCanOverlap(b, a)).toBe(want);
  });

  it('treats an empty list as "everything" and ORs list entries', () => {
    expect(selectorListsCanOverlap([], [expr('a', 'In', ['1'])])).toBe(true);
    expect(
      selectorListsCanOverlap([expr('a', 'In', ['1'])], [expr('a', 'In', ['2']), expr('a', 'Exists')]),
    ).toBe(true);
    expect(selectorListsCanOverlap([expr('a', 'In', ['1'])], [expr('a', 'In', ['2'])])).toBe(false);
  });

  // Soundness: whenever some label set matches both, the answer is "can overlap"; and when the answer is
  // "can overlap", a witness exists among label sets built from the selectors' own keys and values plus one
  // fresh value (enough, since only equality with listed values matters).
  const KEYS = ['a', 'b'];
  const VALUES = ['1', '2', '3'];
  const requirement = fc.record({
    key: fc.constantFrom(...KEYS),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: fc.subarray(VALUES, { minLength: 1 }),
  });
  const selector = fc.array(requirement, { maxLength: 3 }).map((reqs) =>
    sel({
      matchExpressions: reqs.map((r) => ({
        ...r,
        values: r.operator === 'Exists' || r.operator === 'DoesNotExist' ? [] : r.values,
      })),
    }),
  );
  const CHOICES = [undefined, ...VALUES, 'fresh'];
  const allLabelSets = CHOICES.flatMap((x) =>
    CHOICES.map((y) => ({ ...(x === undefined ? {} : { a: x }), ...(y === undefined ? {} : { b: y }) })),
  );

  it('agrees with brute force over every relevant label set', () => {
    fc.assert(
      fc.property(selector, selector, (a, b) => {
        const witness = allLabelSets.some(
          (labels) => selectorMatches(a, labels) && selectorMatches(b, labels),
        );
        expect(selectorsCanOverlap(a, b)).toBe(witness);
      }),
      { numRuns: 500 },
    );
  });
});

describe('selectorsShareNode', () => {
  const nodes: NodeInfo[] = [
    { name: 'n1', labels: { rack: 'a' } },
    { name: 'n2', labels: { rack: 'b', zone: 'z' } },
  ];
  it('uses the node list when given', () => {
    expect(
      selectorsShareNode([sel({ matchLabels: { rack: 'b' } })], [sel({ matchLabels: { zone: 'z' } })], nodes),
    ).toBe(true);
    expect(
      selectorsShareNode([sel({ matchLabels: { rack: 'a' } })], [sel({ matchLabels: { zone: 'z' } })], nodes),
    ).toBe(false);
    expect(selectorsShareNode([], [], [])).toBe(false);
    expect(selectorsShareNode([], [sel({ matchLabels: { rack: 'a' } })], nodes)).toBe(true);
  });
  it('falls back to selector satisfiability without a node list', () => {
    expect(
      selectorsShareNode(
        [sel({ matchLabels: { rack: 'a' } })],
        [sel({ matchLabels: { zone: 'z' } })],
        undefined,
      ),
    ).toBe(true);
    expect(
      selectorsShareNode(
        [sel({ matchLabels: { rack: 'a' } })],
        [sel({ matchLabels: { rack: 'b' } })],
        undefined,
      ),
    ).toBe(false);
  });
});
