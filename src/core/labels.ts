/**
 * Kubernetes label selectors (metav1.LabelSelector): validation of the raw JSON shape into a typed
 * selector, and matching against a label set. Implemented once here and shared by config parsing
 * (pool, node, service and peer selectors) and the allocator. Semantics follow
 * k8s.io/apimachinery LabelSelectorAsSelector: matchLabels and matchExpressions are ANDed; an empty
 * selector matches everything. Pure.
 */

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A validated selector: a conjunction of requirements (matchLabels become `In` with one value). */
export interface LabelSelector {
  readonly requirements: readonly SelectorRequirement[];
}

export interface SelectorIssue {
  /** Field path relative to the selector, e.g. "matchExpressions[0].operator". */
  readonly path: string;
  readonly reason: string;
}

export type SelectorParse = { ok: true; selector: LabelSelector } | { ok: false; issues: SelectorIssue[] };

export const EVERYTHING: LabelSelector = { requirements: [] };

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
// Qualified name: optional DNS-subdomain prefix "/" then a 1..63 char name (apimachinery IsQualifiedName).
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const PREFIX_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX_PART.test(prefix))) {
    return `label key "${key}" has an invalid prefix (must be a DNS subdomain)`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `label key "${key}" is invalid (name part must be 1-63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)`;
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `label value "${value}" is invalid (at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)`;
  }
  return undefined;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseMatchLabels(raw: unknown, issues: SelectorIssue[], out: SelectorRequirement[]): void {
  if (raw === undefined || raw === null) return;
  if (!isRecord(raw)) {
    issues.push({ path: 'matchLabels', reason: 'must be a map of label key to value' });
    return;
  }
  for (const [key, value] of Object.entries(raw)) {
    const path = `matchLabels[${JSON.stringify(key)}]`;
    const keyIssue = labelKeyProblem(key);
    if (keyIssue) issues.push({ path, reason: keyIssue });
    if (typeof value !== 'string') {
      issues.push({ path, reason: 'value must be a string' });
      continue;
    }
    const valueIssue = labelValueProblem(value);
    if (valueIssue) issues.push({ path, reason: valueIssue });
    out.push({ key, operator: 'In', values: [value] });
  }
}

function parseExpression(
  raw: unknown,
  path: string,
  issues: SelectorIssue[],
): SelectorRequirement | undefined {
  if (!isRecord(raw)) {
    issues.push({ path, reason: 'must be an object with key, operator and values' });
    return undefined;
  }
  const before = issues.length;
  const { key, operator, values } = raw;
  if (typeof key !== 'string')
    issues.push({ path: `${path}.key`, reason: 'is required and must be a string' });
  else {
    const keyIssue = labelKeyProblem(key);
    if (keyIssue) issues.push({ path: `${path}.key`, reason: keyIssue });
  }
  if (typeof operator !== 'string' || !OPERATORS.includes(operator as SelectorOperator)) {
    issues.push({ path: `${path}.operator`, reason: `must be one of ${OPERATORS.join(', ')}` });
  }
  const list = values === undefined || values === null ? [] : values;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
    issues.push({ path: `${path}.values`, reason: 'must be a list of strings' });
  } else if ((operator === 'In' || operator === 'NotIn') && list.length === 0) {
    issues.push({ path: `${path}.values`, reason: `must be non-empty for operator ${operator}` });
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && list.length > 0) {
    issues.push({ path: `${path}.values`, reason: `must be empty for operator ${operator}` });
  } else {
    for (const v of list as string[]) {
      const valueIssue = labelValueProblem(v);
      if (valueIssue) issues.push({ path: `${path}.values`, reason: valueIssue });
    }
  }
  if (issues.length > before) return undefined;
  return { key: key as string, operator: operator as SelectorOperator, values: [...(list as string[])] };
}

/** Validates a raw metav1.LabelSelector JSON value. `undefined`/`null` is the empty selector. */
export function parseLabelSelector(raw: unknown): SelectorParse {
  if (raw === undefined || raw === null) return { ok: true, selector: EVERYTHING };
  if (!isRecord(raw)) return { ok: false, issues: [{ path: '', reason: 'must be a label selector object' }] };
  const issues: SelectorIssue[] = [];
  const requirements: SelectorRequirement[] = [];
  for (const field of Object.keys(raw)) {
    if (field !== 'matchLabels' && field !== 'matchExpressions') {
      issues.push({ path: field, reason: 'unknown field (expected matchLabels or matchExpressions)' });
    }
  }
  parseMatchLabels(raw.matchLabels, issues, requirements);
  const exprs = raw.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) issues.push({ path: 'matchExpressions', reason: 'must be a list' });
    else
      exprs.forEach((e, i) => {
        const req = parseExpression(e, `matchExpressions[${i}]`, issues);
        if (req) requirements.push(req);
      });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, selector: { requirements } };
}

function requirementMatches(req: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(labels[req.key]!);
    case 'NotIn':
      return !has || !req.values.includes(labels[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

/** True when any selector matches (selectors in a list are ORed, as MetalLB does). */
export function anySelectorMatches(selectors: readonly LabelSelector[], labels: Labels): boolean {
  return selectors.some((s) => selectorMatches(s, labels));
}

export function isEverything(selector: LabelSelector): boolean {
  return selector.requirements.length === 0;
}

/** Canonical text of a selector, for duplicate detection and messages ("a=b,c in (d,e),!f"). */
export function formatSelector(selector: LabelSelector): string {
  const parts = selector.requirements.map((r) => {
    switch (r.operator) {
      case 'In':
        return r.values.length === 1
          ? `${r.key}=${r.values[0]}`
          : `${r.key} in (${[...r.values].sort().join(',')})`;
      case 'NotIn':
        return `${r.key} notin (${[...r.values].sort().join(',')})`;
      case 'Exists':
        return r.key;
      case 'DoesNotExist':
        return `!${r.key}`;
    }
  });
  return parts.sort().join(',');
}

/**
 * Whether some label set satisfies both selectors (their conjunction is satisfiable). Used when no node
 * list is known, to decide conservatively whether two node-selector lists could select a common node.
 */
export function selectorsCanOverlap(a: LabelSelector, b: LabelSelector): boolean {
  const byKey = new Map<string, SelectorRequirement[]>();
  for (const r of [...a.requirements, ...b.requirements]) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  for (const reqs of byKey.values()) {
    if (!requirementsSatisfiable(reqs)) return false;
  }
  return true;
}

function requirementsSatisfiable(reqs: readonly SelectorRequirement[]): boolean {
  const absent = reqs.some((r) => r.operator === 'DoesNotExist');
  const present = reqs.some((r) => r.operator === 'Exists' || r.operator === 'In');
  if (absent) return !present;
  let allowed: Set<string> | undefined;
  for (const r of reqs) {
    if (r.operator !== 'In') continue;
    allowed = new Set(r.values.filter((v) => allowed === undefined || allowed.has(v)));
  }
  if (allowed === undefined) return true; // only NotIn/Exists: infinitely many values remain
  for (const r of reqs) if (r.operator === 'NotIn') for (const v of r.values) allowed.delete(v);
  return allowed.size > 0;
}

/** Whether two ORed selector lists could match a common object; an empty list means "everything". */
export function selectorListsCanOverlap(a: readonly LabelSelector[], b: readonly LabelSelector[]): boolean {
  const left = a.length === 0 ? [EVERYTHING] : a;
  const right = b.length === 0 ? [EVERYTHING] : b;
  return left.some((x) => right.some((y) => selectorsCanOverlap(x, y)));
}
