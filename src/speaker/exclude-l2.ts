/**
 * The ConfigMap metallb-excludel2 (key `excludel2.yaml`: `announcedInterfacesToExclude: [regex...]`),
 * parsed into the patterns selectInterfaces applies. Pure: text in, compiled RegExps or typed errors out
 * (one per bad field, naming `announcedInterfacesToExclude[i]`); never throws.
 *
 * MetalLB reads the mounted file once at start and joins the patterns as `(p1)|(p2)|...` (Go RE2). Here
 * each pattern is compiled alone as a JavaScript RegExp (no flags), which agrees with RE2 on the anchors,
 * classes and quantifiers these lists use; a leading `(?i)` is turned into the `i` flag. Differences
 * from MetalLB, on purpose: an absent ConfigMap, an absent key, an empty document or one without the
 * field gives MetalLB's default list (MetalLB would exclude nothing, but always ships the ConfigMap);
 * an empty pattern is an error (in MetalLB it would silently exclude every interface).
 */
import { parse as parseYaml } from 'yaml';

import { DEFAULT_EXCLUDE_PATTERNS } from './interfaces.js';

export const EXCLUDE_L2_CONFIGMAP = 'metallb-excludel2';
export const EXCLUDE_L2_KEY = 'excludel2.yaml';
export const EXCLUDE_L2_FIELD = 'announcedInterfacesToExclude';

export interface ExcludeL2Error {
  /** `excludel2.yaml` for the document, `announcedInterfacesToExclude` or `announcedInterfacesToExclude[i]`. */
  readonly field: string;
  readonly reason: string;
}

export type ExcludeL2Result =
  | { readonly ok: true; readonly patterns: RegExp[]; readonly source: 'configmap' | 'default' }
  | { readonly ok: false; readonly errors: ExcludeL2Error[] };

const CASE_INSENSITIVE_PREFIX = '(?i)';

/** MetalLB's default list, compiled. */
export function defaultExcludePatterns(): RegExp[] {
  return DEFAULT_EXCLUDE_PATTERNS.map((pattern) => new RegExp(pattern));
}

function compileOne(pattern: unknown, index: number): RegExp | ExcludeL2Error {
  const field = `${EXCLUDE_L2_FIELD}[${index}]`;
  if (typeof pattern !== 'string') return { field, reason: `must be a string, got ${describe(pattern)}` };
  if (pattern === '')
    return { field, reason: 'must not be empty (an empty pattern excludes every interface)' };
  const insensitive = pattern.startsWith(CASE_INSENSITIVE_PREFIX);
  const source = insensitive ? pattern.slice(CASE_INSENSITIVE_PREFIX.length) : pattern;
  try {
    return new RegExp(source, insensitive ? 'i' : '');
  } catch (error) {
    return { field, reason: `"${pattern}" is not a valid regular expression: ${(error as Error).message}` };
  }
}

/** Compiles a pattern list, collecting one error per bad entry. */
export function compileExcludePatterns(patterns: readonly unknown[]): ExcludeL2Result {
  const compiled: RegExp[] = [];
  const errors: ExcludeL2Error[] = [];
  patterns.forEach((pattern, index) => {
    const result = compileOne(pattern, index);
    if (result instanceof RegExp) compiled.push(result);
    else errors.push(result);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, patterns: compiled, source: 'configmap' };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

function parseDocument(text: string): { value: unknown } | ExcludeL2Error {
  try {
    return { value: parseYaml(text) as unknown };
  } catch (error) {
    return { field: EXCLUDE_L2_KEY, reason: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

const defaults = (): ExcludeL2Result => ({ ok: true, patterns: defaultExcludePatterns(), source: 'default' });

/** Parses the `excludel2.yaml` text; undefined (no ConfigMap or no key) gives the defaults. */
export function parseExcludeL2(text: string | undefined): ExcludeL2Result {
  if (text === undefined || text.trim() === '') return defaults();
  const document = parseDocument(text);
  if (!('value' in document)) return { ok: false, errors: [document] };
  const { value } = document;
  if (value === null || value === undefined) return defaults();
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      errors: [{ field: EXCLUDE_L2_KEY, reason: `must be a mapping, got ${describe(value)}` }],
    };
  }
  const list = (value as Record<string, unknown>)[EXCLUDE_L2_FIELD];
  if (list === undefined || list === null) return defaults();
  if (!Array.isArray(list)) {
    return {
      ok: false,
      errors: [{ field: EXCLUDE_L2_FIELD, reason: `must be a list, got ${describe(list)}` }],
    };
  }
  return compileExcludePatterns(list);
}

/** Reads the patterns from the ConfigMap's `data` (undefined when the ConfigMap does not exist). */
export function excludeL2FromConfigMap(data: Readonly<Record<string, string>> | undefined): ExcludeL2Result {
  return parseExcludeL2(data?.[EXCLUDE_L2_KEY]);
}
