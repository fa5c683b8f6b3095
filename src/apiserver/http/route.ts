/**
 * URL routing: splits a request path into a discovery, OpenAPI, health, admin or resource target.
 * Resource paths are /api/v1/... and /apis/GROUP/VERSION/..., optionally under /namespaces/NS, with
 * an optional NAME and /status, and the legacy /watch/ prefix.
 */
import type { ResourceRegistry } from '../resources/registry.js';
import type { ResourceDef } from '../types.js';

export type Route =
  | { readonly kind: 'root' | 'version' | 'health' | 'api' | 'apis' | 'openapi-index' | 'not-found' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'resource-list'; readonly group: string; readonly version: string }
  | { readonly kind: 'openapi'; readonly group: string; readonly version: string }
  | { readonly kind: 'faults'; readonly action?: string }
  | {
      readonly kind: 'resource';
      readonly def: ResourceDef;
      readonly namespace?: string;
      readonly name?: string;
      readonly subresource?: 'status';
      readonly legacyWatch: boolean;
    };

const HEALTH = new Set(['healthz', 'livez', 'readyz']);
export const ADMIN_PREFIX = 'herald';

function openapiRoute(rest: string[]): Route {
  if (rest.length === 0) return { kind: 'openapi-index' };
  if (rest[0] === 'api' && rest.length === 2) return { kind: 'openapi', group: '', version: rest[1]! };
  if (rest[0] === 'apis' && rest.length === 3) return { kind: 'openapi', group: rest[1]!, version: rest[2]! };
  return { kind: 'not-found' };
}

function resourceRoute(registry: ResourceRegistry, group: string, version: string, rest: string[]): Route {
  let segs = rest;
  const legacyWatch = segs[0] === 'watch';
  if (legacyWatch) segs = segs.slice(1);
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const candidate = registry.lookup(group, version, segs[2]!);
    if (candidate?.namespaced) {
      namespace = segs[1];
      segs = segs.slice(2);
    }
  }
  const [resource, name, sub, ...extra] = segs;
  const def = resource === undefined ? undefined : registry.lookup(group, version, resource);
  if (!def || extra.length > 0 || (def.namespaced === false && namespace !== undefined))
    return { kind: 'not-found' };
  if (sub !== undefined && !(sub === 'status' && def.statusSubresource)) return { kind: 'not-found' };
  return {
    kind: 'resource',
    def,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(sub === 'status' ? { subresource: 'status' as const } : {}),
    legacyWatch,
  };
}

export function route(registry: ResourceRegistry, pathname: string): Route {
  const segs = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [a, b, c] = segs;
  if (a === undefined) return { kind: 'root' };
  if (segs.length === 1 && a === 'version') return { kind: 'version' };
  if (segs.length === 1 && HEALTH.has(a)) return { kind: 'health' };
  if (a === 'openapi' && b === 'v3') return openapiRoute(segs.slice(2));
  if (a === ADMIN_PREFIX && b === 'faults')
    return { kind: 'faults', ...(c !== undefined ? { action: c } : {}) };
  if (a === 'api') {
    if (b === undefined) return { kind: 'api' };
    if (b !== 'v1') return { kind: 'not-found' };
    if (segs.length === 2) return { kind: 'resource-list', group: '', version: 'v1' };
    return resourceRoute(registry, '', 'v1', segs.slice(2));
  }
  if (a === 'apis') {
    if (b === undefined) return { kind: 'apis' };
    if (c === undefined) return { kind: 'group', group: b };
    if (segs.length === 3) return { kind: 'resource-list', group: b, version: c };
    return resourceRoute(registry, b, c, segs.slice(3));
  }
  return { kind: 'not-found' };
}
