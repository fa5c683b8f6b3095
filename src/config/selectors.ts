/**
 * Lists of Kubernetes label selectors in a spec (nodeSelectors, serviceSelectors, ipAddressPoolSelectors,
 * namespaceSelectors): each entry is validated by the shared src/core/labels parser, with its issues
 * re-rooted at the entry's field path, and the duplicate rules MetalLB applies are checked
 * (`validateLabelSelectorDuplicate`): no two equal selectors in one list, no repeated match expression
 * and no repeated value inside one expression.
 */
import { formatSelector, parseLabelSelector, type Labels, type LabelSelector } from '../core/labels.js';
import type { Reporter } from './errors.js';
import { describe, isRecord, readList, reportDuplicates, type JsonObject } from './fields.js';

function join(base: string, rel: string): string {
  if (rel === '') return base;
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`;
}

function checkExpressionDuplicates(raw: unknown, path: string, r: Reporter): void {
  if (!isRecord(raw) || !Array.isArray(raw.matchExpressions)) return;
  const seen = new Map<string, number>();
  raw.matchExpressions.forEach((e: unknown, i: number) => {
    if (!isRecord(e)) return;
    const exprPath = `${path}.matchExpressions[${i}]`;
    if (Array.isArray(e.values))
      reportDuplicates(e.values, `${exprPath}.values`, 'match expression value', r);
    const values = Array.isArray(e.values) ? [...(e.values as unknown[])].map(String).sort() : [];
    const key = JSON.stringify([e.key, e.operator, values]);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, i);
    else r.error(exprPath, `duplicate match expression (same as matchExpressions[${earlier}])`);
  });
}

/** Parses one selector value (e.g. a preferredNodeSelectors[].preference), reporting issues under `path`. */
export function readSelector(raw: unknown, path: string, r: Reporter): LabelSelector | undefined {
  const parsed = parseLabelSelector(raw);
  if (!parsed.ok) {
    for (const issue of parsed.issues) r.error(join(path, issue.path), issue.reason);
    return undefined;
  }
  checkExpressionDuplicates(raw, path, r);
  return parsed.selector;
}

/** Parses `obj[key]` as a list of label selectors (the key names the list in duplicate messages). */
export function readSelectorList(obj: JsonObject, key: string, path: string, r: Reporter): LabelSelector[] {
  const listPath = `${path}.${key}`;
  const out: LabelSelector[] = [];
  const seen = new Map<string, number>();
  readList(obj, key, path, r).forEach((raw, i) => {
    const entryPath = `${listPath}[${i}]`;
    const selector = readSelector(raw, entryPath, r);
    if (!selector) return;
    const text = formatSelector(selector);
    const earlier = seen.get(text);
    if (earlier !== undefined) {
      r.error(entryPath, `duplicate ${key} entry "${text || '{}'}" (same as [${earlier}])`);
      return;
    }
    seen.set(text, i);
    out.push(selector);
  });
  return out;
}

/** Reads a metadata.labels-style map of string to string; bad entries are reported. */
export function readLabels(obj: JsonObject, key: string, path: string, r: Reporter): Labels {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    r.error(`${path}.${key}`, `must be a map of label key to string value, got ${describe(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      r.error(`${path}.${key}[${JSON.stringify(k)}]`, `label value must be a string, got ${describe(v)}`);
      continue;
    }
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
