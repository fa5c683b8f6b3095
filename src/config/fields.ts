/**
 * Typed readers over raw JSON objects: each reads one field, reports a precise error (field path and
 * reason) when the value has the wrong type or range, and returns `undefined` for absent or bad values,
 * so one parse pass collects every error. Also the shared list checks (unknown fields, duplicates).
 */
import type { Reporter } from './errors.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isRecord(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}...` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Reports every key of `obj` that is not in `allowed` (a typo would otherwise be silently ignored). */
export function checkFields(obj: JsonObject, allowed: readonly string[], path: string, r: Reporter): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      r.error(`${path}.${key}`, `unknown field (known fields: ${allowed.join(', ')})`);
    }
  }
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

export function readString(obj: JsonObject, key: string, path: string, r: Reporter): string | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (typeof value !== 'string') {
    r.error(`${path}.${key}`, `must be a string, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

export function readBool(obj: JsonObject, key: string, path: string, r: Reporter): boolean | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (typeof value !== 'boolean') {
    r.error(`${path}.${key}`, `must be true or false, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** An integer in min..max (inclusive). */
export function readInt(
  obj: JsonObject,
  key: string,
  path: string,
  r: Reporter,
  min: number,
  max: number,
): number | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    r.error(`${path}.${key}`, `must be an integer in ${min}..${max}, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads a list field; reports a non-list. Absent or null is the empty list. */
export function readList(obj: JsonObject, key: string, path: string, r: Reporter): readonly unknown[] {
  const value = obj[key];
  if (absent(value)) return [];
  if (!Array.isArray(value)) {
    r.error(`${path}.${key}`, `must be a list, got ${describe(value)}`);
    return [];
  }
  return value;
}

/** A list of strings; bad items are reported and left out. Duplicates are reported as `what`. */
export function readStringList(
  obj: JsonObject,
  key: string,
  path: string,
  r: Reporter,
  what: string,
): string[] {
  const out: string[] = [];
  const list = readList(obj, key, path, r);
  list.forEach((item, i) => {
    if (typeof item !== 'string' || item.length === 0) {
      r.error(`${path}.${key}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
      return;
    }
    out.push(item);
  });
  reportDuplicates(list, `${path}.${key}`, what, r);
  return out;
}

/** Reports each string that repeats an earlier one, at the later index. */
export function reportDuplicates(items: readonly unknown[], path: string, what: string, r: Reporter): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    if (typeof item !== 'string') return;
    const earlier = first.get(item);
    if (earlier === undefined) first.set(item, i);
    else r.error(`${path}[${i}]`, `duplicate ${what} "${item}" (same as [${earlier}])`);
  });
}

/** Reads an optional nested object; reports a non-object. */
export function readObject(obj: JsonObject, key: string, path: string, r: Reporter): JsonObject | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (!isRecord(value)) {
    r.error(`${path}.${key}`, `must be an object, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

// Kubernetes object names (RFC 1123 subdomain) and namespace names (RFC 1123 label).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN_MAX = 253;
const DNS_LABEL_MAX = 63;

export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > DNS_SUBDOMAIN_MAX || !DNS_SUBDOMAIN.test(name)) {
    return `"${name}" is not a valid name (lower-case RFC 1123 subdomain, at most ${DNS_SUBDOMAIN_MAX} characters)`;
  }
  return undefined;
}

export function dnsLabelProblem(name: string): string | undefined {
  if (name.length > DNS_LABEL_MAX || !DNS_LABEL.test(name)) {
    return `"${name}" is not a valid namespace name (lower-case RFC 1123 label, at most ${DNS_LABEL_MAX} characters)`;
  }
  return undefined;
}
