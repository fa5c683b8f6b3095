/**
 * Legacy (unaggregated) discovery documents: /version, /api (APIVersions), /apis (APIGroupList),
 * /apis/GROUP (APIGroup) and /api/v1 or /apis/GROUP/VERSION (APIResourceList, with the /status
 * subresources). kubectl asks for aggregated discovery first and falls back to these JSON forms.
 */
import type { ResourceRegistry } from '../resources/registry.js';
import type { JsonObject, ResourceDef } from '../types.js';

export const SERVER_VERSION: JsonObject = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-herald',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupJson(name: string, versions: readonly string[]): JsonObject {
  const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gv, preferredVersion: gv[0]! };
}

export function apiGroupList(registry: ResourceRegistry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => groupJson(g.name, g.versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string): JsonObject | undefined {
  const g = registry.groups().find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupJson(g.name, g.versions) } : undefined;
}

function resourceJson(def: ResourceDef): JsonObject[] {
  const main: JsonObject = {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: VERBS,
    ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
    ...(def.categories.length ? { categories: [...def.categories] } : {}),
    storageVersionHash: Buffer.from(`${def.group}/${def.storageVersion}/${def.kind}`)
      .toString('base64')
      .slice(0, 11),
  };
  if (!def.statusSubresource) return [main];
  return [
    main,
    {
      name: `${def.resource}/status`,
      singularName: '',
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: STATUS_VERBS,
    },
  ];
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const defs = registry.resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: defs.flatMap(resourceJson),
  };
}
