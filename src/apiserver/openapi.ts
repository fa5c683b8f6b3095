/**
 * OpenAPI v3 documents: the `/openapi/v3` index of group-versions and one document per group-version,
 * with a path per resource operation carrying `x-kubernetes-group-version-kind` and `x-kubernetes-action`
 * and the query parameters the server honours. PATCH operations list `fieldValidation`, so kubectl
 * validates on the server (it sends fieldValidation=Strict) instead of needing /openapi/v2. PATCH request
 * bodies deliberately omit strategic-merge-patch, so `kubectl apply` computes strategic patches from its
 * built-in Go types rather than from these (shallower) schemas.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './resources/registry.js';
import { schemaOf } from './schema/check.js';
import { clone, type JsonObject, type ResourceDef } from './types.js';

const PERMISSIVE: JsonObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const JSON_CT = 'application/json';

/** "io.k8s.api.core.v1.Service", "io.k8s.api.discovery.v1.EndpointSlice", "io.metallb.v1beta1.BGPPeer". */
export function schemaName(
  def: Pick<ResourceDef, 'group' | 'version' | 'kind' | 'custom'>,
  kind = def.kind,
): string {
  if (def.group === '') return `io.k8s.api.core.${def.version}.${kind}`;
  if (def.group.endsWith('.k8s.io') && !def.custom) {
    const g = def.group.slice(0, -'.k8s.io'.length);
    const prefix =
      g === 'apiextensions' ? 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions' : `io.k8s.api.${g}`;
    return `${prefix}.${def.version}.${kind}`;
  }
  return `${def.group.split('.').reverse().join('.')}.${def.version}.${kind}`;
}

function param(name: string, where: 'query' | 'path', description: string, type = 'string'): JsonObject {
  return {
    name,
    in: where,
    description,
    ...(where === 'path' ? { required: true } : {}),
    schema: { type, uniqueItems: true },
  };
}

const Q = {
  dryRun: param(
    'dryRun',
    'query',
    'When present, indicates that modifications should not be persisted. Valid value: All',
  ),
  fieldManager: param(
    'fieldManager',
    'query',
    'A name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: param(
    'fieldValidation',
    'query',
    'How to handle unknown fields: Ignore, Warn or Strict (default).',
  ),
  force: param('force', 'query', 'Force is going to "force" Apply requests.', 'boolean'),
  labelSelector: param(
    'labelSelector',
    'query',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  fieldSelector: param(
    'fieldSelector',
    'query',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  resourceVersion: param('resourceVersion', 'query', 'Where a list or watch starts.'),
  watch: param('watch', 'query', 'Watch for changes to the described resources.', 'boolean'),
  limit: param('limit', 'query', 'Maximum number of items to return.', 'integer'),
  continue: param('continue', 'query', 'The continue token of a previous list.'),
  timeoutSeconds: param('timeoutSeconds', 'query', 'Timeout for the list/watch call.', 'integer'),
  allowWatchBookmarks: param(
    'allowWatchBookmarks',
    'query',
    'Request watch events with type BOOKMARK.',
    'boolean',
  ),
};

function ref(name: string): JsonObject {
  return { $ref: `#/components/schemas/${name}` };
}

function op(
  def: ResourceDef,
  action: string,
  verbId: string,
  response: string,
  extra: JsonObject = {},
  params: JsonObject[] = [],
): JsonObject {
  const scope = def.namespaced ? 'Namespaced' : '';
  const gv = `${def.group === '' ? 'Core' : def.group.split('.')[0]}${def.version}`;
  return {
    operationId: `${verbId}${gv}${scope}${def.kind}`,
    parameters: params,
    responses: { '200': { description: 'OK', content: { [JSON_CT]: { schema: ref(response) } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
    ...extra,
  };
}

function body(name: string, types: readonly string[]): JsonObject {
  return {
    requestBody: {
      content: Object.fromEntries(types.map((t) => [t, { schema: ref(name) }])),
      required: true,
    },
  };
}

const PATCH_BODY_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

function paths(def: ResourceDef): JsonObject {
  const base = `/${def.group === '' ? 'api' : `apis/${def.group}`}/${def.version}`;
  const collection = `${base}${def.namespaced ? '/namespaces/{namespace}' : ''}/${def.resource}`;
  const name = schemaName(def);
  const list = schemaName(def, def.listKind);
  const pathParams = def.namespaced ? [param('namespace', 'path', 'object name and auth scope')] : [];
  const nameParam = param('name', 'path', `name of the ${def.kind}`);
  const writeParams = [Q.dryRun, Q.fieldManager, Q.fieldValidation];
  const out: JsonObject = {
    [collection]: {
      get: op(def, 'list', 'list', list, {}, [
        Q.labelSelector,
        Q.fieldSelector,
        Q.resourceVersion,
        Q.watch,
        Q.limit,
        Q.continue,
        Q.timeoutSeconds,
        Q.allowWatchBookmarks,
      ]),
      post: op(def, 'post', 'create', name, body(name, [JSON_CT]), writeParams),
      delete: op(def, 'deletecollection', 'deleteCollection', name, {}, [
        Q.labelSelector,
        Q.fieldSelector,
        Q.dryRun,
      ]),
      parameters: pathParams,
    },
    [`${collection}/{name}`]: {
      get: op(def, 'get', 'read', name),
      put: op(def, 'put', 'replace', name, body(name, [JSON_CT]), writeParams),
      patch: op(def, 'patch', 'patch', name, body(name, PATCH_BODY_TYPES), [...writeParams, Q.force]),
      delete: op(def, 'delete', 'delete', name, {}, [Q.dryRun]),
      parameters: [...pathParams, nameParam],
    },
  };
  if (def.statusSubresource) {
    out[`${collection}/{name}/status`] = {
      get: op(def, 'get', 'read', name, {}, []),
      put: op(def, 'put', 'replace', name, body(name, [JSON_CT]), writeParams),
      patch: op(def, 'patch', 'patch', name, body(name, PATCH_BODY_TYPES), [...writeParams, Q.force]),
      parameters: [...pathParams, nameParam],
    };
  }
  return out;
}

function gvk(def: ResourceDef, kind: string): JsonObject {
  return { 'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind }] };
}

function schemas(def: ResourceDef): JsonObject {
  const schema = clone(schemaOf(def) ?? PERMISSIVE);
  return {
    [schemaName(def)]: { ...schema, ...gvk(def, def.kind) },
    [schemaName(def, def.listKind)]: {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        items: { type: 'array', items: ref(schemaName(def)) },
      },
      ...gvk(def, def.listKind),
    },
  };
}

/** The OpenAPI v3 document of one group-version ("" group is core), or undefined when not served. */
export function openApiDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const defs = registry.resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (herald apiserver)', version: 'v1.32.0' },
    paths: Object.assign({}, ...defs.map(paths)) as JsonObject,
    components: { schemas: Object.assign({}, ...defs.map(schemas)) as JsonObject },
  };
}

/** The `/openapi/v3` index: each group-version path with a content-hashed URL. */
export function openApiIndex(registry: ResourceRegistry): JsonObject {
  const out: JsonObject = {};
  for (const path of registry.groupVersionPaths()) {
    const parts = path.split('/');
    const [group, version] = parts[0] === 'api' ? ['', parts[1]!] : [parts[1]!, parts[2]!];
    const doc = openApiDocument(registry, group, version);
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
    out[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths: out };
}
