/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1) turned into served resources: one ResourceDef per
 * served version, with its openAPIV3Schema, status subresource, printer columns and storage version.
 * Also reads CRD manifests (YAML or JSON, multi-document) from a directory at startup.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObject, type Json, type JsonObject, type PrinterColumn, type ResourceDef } from '../types.js';

export class CrdError extends Error {
  override readonly name = 'CrdError';
}

function str(x: Json | undefined, what: string): string {
  if (typeof x !== 'string' || x === '')
    throw new CrdError(`${what} is required and must be a non-empty string`);
  return x;
}

function strings(x: Json | undefined): string[] {
  return Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
}

function columns(raw: Json | undefined): PrinterColumn[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((c) => ({
    name: String(c.name ?? ''),
    type: String(c.type ?? 'string'),
    jsonPath: String(c.jsonPath ?? ''),
    ...(typeof c.description === 'string' ? { description: c.description } : {}),
    ...(typeof c.priority === 'number' ? { priority: c.priority } : {}),
    ...(typeof c.format === 'string' ? { format: c.format } : {}),
  }));
}

/** The served versions of one CRD object as ResourceDefs. Throws CrdError naming the bad field. */
export function crdToResources(crd: JsonObject): ResourceDef[] {
  const name = isObject(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : '?';
  const spec = crd.spec;
  if (!isObject(spec)) throw new CrdError(`CRD ${name}: spec is required`);
  const group = str(spec.group, `CRD ${name}: spec.group`);
  const names = isObject(spec.names) ? spec.names : {};
  const plural = str(names.plural, `CRD ${name}: spec.names.plural`);
  const kind = str(names.kind, `CRD ${name}: spec.names.kind`);
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  if (versions.length === 0) throw new CrdError(`CRD ${name}: spec.versions must list at least one version`);
  const storage = versions.find((v) => v.storage === true) ?? versions[0]!;
  const storageVersion = str(storage.name, `CRD ${name}: spec.versions[].name`);
  return versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const schema =
        isObject(v.schema) && isObject(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
      return {
        group,
        version: str(v.name, `CRD ${name}: spec.versions[].name`),
        resource: plural,
        kind,
        listKind: typeof names.listKind === 'string' ? names.listKind : `${kind}List`,
        singular: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: strings(names.shortNames),
        categories: strings(names.categories),
        statusSubresource: isObject(v.subresources) && isObject(v.subresources.status),
        storageVersion,
        fieldSelectors: [],
        unconditionalUpdate: false,
        ...(schema ? { schema } : {}),
        printerColumns: columns(v.additionalPrinterColumns),
        custom: true,
      } satisfies ResourceDef;
    });
}

export function isCrd(doc: unknown): doc is JsonObject {
  return (
    isObject(doc) &&
    doc.kind === 'CustomResourceDefinition' &&
    typeof doc.apiVersion === 'string' &&
    doc.apiVersion.startsWith('apiextensions.k8s.io/')
  );
}

/** Every CRD in the *.yaml, *.yml and *.json files of `dir` (not recursive). A missing dir yields []. */
export async function loadCrdDir(dir: string): Promise<JsonObject[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: JsonObject[] = [];
  for (const file of entries) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new CrdError(`${join(dir, file)}: ${doc.errors[0]!.message}`);
      const value: unknown = doc.toJS();
      if (isCrd(value)) {
        crdToResources(value); // validates early, naming the file below
        out.push(value);
      }
    }
  }
  return out;
}
