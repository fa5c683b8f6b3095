/**
 * Nodes as the cross-resource rules need them (name and labels), and the one question they answer:
 * could two node-selector lists select a common node? With a node list, the answer is exact; without
 * one, it is "yes whenever some label set satisfies both" (src/core/labels selectorListsCanOverlap), the
 * conservative choice, so a rule that only matters on a shared node is never skipped by mistake.
 */
import {
  anySelectorMatches,
  selectorListsCanOverlap,
  type Labels,
  type LabelSelector,
} from '../core/labels.js';
import { readEnvelope, uniqueByName, type ObjectEnvelope, type ParseContext } from './meta.js';

export interface NodeInfo {
  readonly name: string;
  readonly labels: Labels;
}

export function parseNodes(list: readonly unknown[] | undefined, ctx: ParseContext): NodeInfo[] | undefined {
  if (list === undefined) return undefined;
  const items: { env: ObjectEnvelope }[] = [];
  list.forEach((raw, i) => {
    const env = readEnvelope(raw, i, 'Node', ctx);
    if (env) items.push({ env });
  });
  return uniqueByName(items, 'Node').map(({ env }) => ({ name: env.name, labels: env.labels }));
}

function selects(selectors: readonly LabelSelector[], labels: Labels): boolean {
  return selectors.length === 0 || anySelectorMatches(selectors, labels);
}

export function selectorsShareNode(
  a: readonly LabelSelector[],
  b: readonly LabelSelector[],
  nodes: readonly NodeInfo[] | undefined,
): boolean {
  if (nodes === undefined) return selectorListsCanOverlap(a, b);
  return nodes.some((n) => selects(a, n.labels) && selects(b, n.labels));
}
