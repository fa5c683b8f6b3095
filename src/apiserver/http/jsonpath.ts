/**
 * The small JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b` and `.a[?(@.k=="v")].b`.
 * Returns every value the path reaches (lists fan out); a path it cannot parse reaches nothing.
 */
import { isObject, type Json } from '../types.js';

type Step =
  { field: string } | { index: number } | { all: true } | { filter: { key: string; value: string } };

const STEP = /^\.([A-Za-z0-9_$-]+)|^\[(\d+)\]|^\[\*\]|^\[\?\(@\.([A-Za-z0-9_]+)\s*==\s*["']([^"']*)["']\)\]/;

export function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { key: m[3], value: m[4] ?? '' } });
    else steps.push({ all: true });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

export function evaluate(obj: Json, path: string): Json[] {
  const steps = parsePath(path);
  if (!steps) return [];
  let cur: Json[] = [obj];
  for (const s of steps) {
    const next: Json[] = [];
    for (const v of cur) {
      if ('field' in s) {
        if (isObject(v) && v[s.field] !== undefined) next.push(v[s.field]!);
      } else if ('index' in s) {
        if (Array.isArray(v) && v[s.index] !== undefined) next.push(v[s.index]!);
      } else if ('all' in s) {
        if (Array.isArray(v)) next.push(...v);
      } else if (Array.isArray(v)) {
        next.push(...v.filter((e) => isObject(e) && String(e[s.filter.key]) === s.filter.value));
      }
    }
    cur = next;
  }
  return cur;
}
