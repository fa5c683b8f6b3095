/**
 * Reads the manifests under deploy/: every YAML file with its documents, the CustomResourceDefinitions of
 * deploy/crds by kind, and the schema of one served version. Shared by the tests in test/unit/deploy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { SchemaNode } from './openapi.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const NAMESPACE = 'metallb-system';

export interface Manifest {
  /** Path relative to the repository root, e.g. deploy/rbac/controller.yaml. */
  readonly file: string;
  readonly index: number;
  readonly doc: Record<string, unknown>;
}

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated?: boolean;
  readonly deprecationWarning?: string;
  readonly schema?: { readonly openAPIV3Schema?: SchemaNode };
  readonly subresources?: { readonly status?: object; readonly scale?: object };
  readonly additionalPrinterColumns?: readonly {
    readonly name: string;
    readonly type: string;
    readonly jsonPath: string;
    readonly priority?: number;
  }[];
}

export interface Crd {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly scope: string;
    readonly names: {
      readonly kind: string;
      readonly listKind: string;
      readonly plural: string;
      readonly singular: string;
    };
    readonly versions: readonly CrdVersion[];
    readonly conversion?: { readonly strategy: string };
  };
}

export function yamlFiles(dir = DEPLOY_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Parses every document of a YAML file; throws with the file name on the first YAML error. */
export function readDocuments(path: string): Manifest[] {
  const file = relative(REPO_ROOT, path);
  return parseAllDocuments(readFileSync(path, 'utf8')).flatMap((d, index) => {
    const problem = d.errors[0];
    if (problem) throw new Error(`${file}: document ${index + 1}: ${problem.message}`);
    const doc: unknown = d.toJS();
    if (doc === null || doc === undefined) return [];
    if (typeof doc !== 'object' || Array.isArray(doc))
      throw new Error(`${file}: document ${index + 1} is not a map`);
    return [{ file, index, doc: doc as Record<string, unknown> }];
  });
}

export function manifestsUnder(subdir: string): Manifest[] {
  return yamlFiles(join(DEPLOY_DIR, subdir)).flatMap(readDocuments);
}

export function loadCrds(): Map<string, Crd> {
  const crds = new Map<string, Crd>();
  for (const { doc } of manifestsUnder('crds')) {
    const crd = doc as unknown as Crd;
    crds.set(crd.spec.names.kind, crd);
  }
  return crds;
}

/** The openAPIV3Schema of `kind` at `version` (default: the storage version). */
export function schemaOf(crds: ReadonlyMap<string, Crd>, kind: string, version?: string): SchemaNode {
  const crd = crds.get(kind);
  if (!crd) throw new Error(`no CRD for ${kind} in deploy/crds`);
  const v = crd.spec.versions.find((x) => (version === undefined ? x.storage : x.name === version));
  const schema = v?.schema?.openAPIV3Schema;
  if (!schema)
    throw new Error(`CRD ${crd.metadata.name} has no schema for version ${version ?? '(storage)'}`);
  return schema;
}

/** The schema for an object, from its apiVersion and kind. */
export function schemaForObject(crds: ReadonlyMap<string, Crd>, obj: Record<string, unknown>): SchemaNode {
  const apiVersion = String(obj.apiVersion);
  return schemaOf(crds, String(obj.kind), apiVersion.slice(apiVersion.indexOf('/') + 1));
}
