/**
 * The HTTP request handler: routes a request, maps method and path to a verb, applies injected faults,
 * decodes the body, builds the request scope from the query (dryRun, fieldManager, fieldValidation,
 * selectors, pagination) and answers with JSON objects or Status errors. Watches go to watch.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, badRequest, methodNotAllowed } from '../errors.js';
import { parseFaultSettings, FaultError, type Faults, type Verb } from '../faults.js';
import { openApiDocument, openApiIndex } from '../openapi.js';
import { remove, removeCollection } from '../rest/delete.js';
import type { Engine, FieldValidation, Scope } from '../rest/engine.js';
import { patch } from '../rest/patch.js';
import { get, list, type WatchOptions } from '../rest/read.js';
import { create, update } from '../rest/write.js';
import type { Json } from '../types.js';
import { decodeBody, mediaType, readBody, sendError, sendJson, sendText } from './body.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import { route, type Route } from './route.js';
import { acceptsTable, toTable } from './table.js';
import { serveWatch, type OpenWatches, type WatchLimits } from './watch.js';

export interface HandlerContext {
  readonly engine: Engine;
  readonly faults: Faults;
  readonly limits: WatchLimits;
  readonly open: OpenWatches;
  /** host:port clients reach the server at (for /api serverAddressByClientCIDRs). */
  serverAddress(): string;
  /** Called with unexpected errors (answered as 500). */
  onError(err: unknown): void;
}

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

function notFoundRoute(): ApiError {
  return new ApiError('NotFound', 'the server could not find the requested resource');
}

function discovery(ctx: HandlerContext, r: Route, url: URL): unknown {
  const reg = ctx.engine.registry;
  switch (r.kind) {
    case 'root':
      return {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          '/healthz',
          '/openapi/v3',
          '/version',
          ...reg
            .groupVersionPaths()
            .filter((p) => p !== 'api/v1')
            .map((p) => `/${p}`),
        ],
      };
    case 'version':
      return SERVER_VERSION;
    case 'api':
      return apiVersions(ctx.serverAddress());
    case 'apis':
      return apiGroupList(reg);
    case 'group':
      return apiGroup(reg, r.group) ?? notFoundRoute();
    case 'resource-list':
      return apiResourceList(reg, r.group, r.version) ?? notFoundRoute();
    case 'openapi-index':
      return openApiIndex(reg);
    case 'openapi':
      return openApiDocument(reg, r.group, r.version) ?? notFoundRoute();
    default:
      void url;
      return notFoundRoute();
  }
}

function verbOf(method: string, r: ResourceRoute, url: URL): Verb {
  const watchParam = url.searchParams.get('watch');
  const isWatch = r.legacyWatch || watchParam === 'true' || watchParam === '1';
  const named = r.name !== undefined;
  switch (method) {
    case 'GET':
      return isWatch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      if (named) throw methodNotAllowed(method);
      return 'create';
    case 'PUT':
      if (!named) throw methodNotAllowed(method);
      return 'update';
    case 'PATCH':
      if (!named) throw methodNotAllowed(method);
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed(method);
  }
}

function scopeOf(r: ResourceRoute, q: URLSearchParams, verb: Verb): Scope {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All'))
    throw badRequest(`Invalid dry run value: ${dry.join(',')} (only "All" is supported)`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${fv}"`);
  }
  const fieldManager = q.get('fieldManager') ?? undefined;
  const isWrite = verb === 'create' || verb === 'update' || verb === 'patch';
  if (isWrite && r.def.namespaced && r.namespace === undefined) throw notFoundRoute();
  return {
    def: r.def,
    namespace: r.namespace,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.subresource ? { subresource: r.subresource } : {}),
    dryRun: dry.length > 0,
    ...(fieldManager !== undefined ? { fieldManager } : {}),
    fieldValidation: fv as FieldValidation,
    warnings: [],
  };
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

function listOpts(q: URLSearchParams) {
  return {
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
    ...(intParam(q, 'limit') !== undefined ? { limit: intParam(q, 'limit')! } : {}),
    ...(q.get('continue') ? { continueToken: q.get('continue')! } : {}),
  };
}

function watchOpts(q: URLSearchParams): WatchOptions & { timeoutSeconds?: number } {
  const timeoutSeconds = intParam(q, 'timeoutSeconds');
  const rv = q.get('resourceVersion');
  return {
    ...listOpts(q),
    ...(rv !== null ? { resourceVersion: rv } : {}),
    sendInitialEvents: q.get('sendInitialEvents') === 'true',
    allowBookmarks: q.get('allowWatchBookmarks') === 'true',
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

type BodyVerb = Exclude<Verb, 'watch'>;

/** Runs a non-watch verb; returns the HTTP code and the object to answer with. */
function runVerb(
  e: Engine,
  scope: Scope,
  verb: BodyVerb,
  q: URLSearchParams,
  type: string,
  body: Json | undefined,
): [number, Json] {
  switch (verb) {
    case 'get':
      return [200, get(e, scope)];
    case 'list':
      return [200, list(e, scope, listOpts(q))];
    case 'create':
      return [201, create(e, scope, body).object];
    case 'update':
      return [200, update(e, scope, body).object];
    case 'patch': {
      if (body === undefined) throw badRequest('the patch body is empty');
      const out = patch(e, scope, type, body, { force: q.get('force') === 'true' });
      return [out.created ? 201 : 200, out.object];
    }
    case 'delete': {
      const out = remove(e, scope, body);
      return [out.gone ? 200 : 202, out.object];
    }
    case 'deletecollection':
      return [200, removeCollection(e, scope, listOpts(q), body)];
  }
}

async function serveResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRoute,
  url: URL,
): Promise<void> {
  const q = url.searchParams;
  const verb = verbOf(req.method ?? 'GET', r, url);
  const delay = ctx.faults.delayFor(verb, r.def.resource);
  if (delay > 0) await sleep(delay);
  const injected = ctx.faults.failureFor(verb, r.def.resource);
  if (injected) throw injected;
  const scope = scopeOf(r, q, verb);
  const e = ctx.engine;
  const render = acceptsTable(req.headers.accept)
    ? (o: Json) => toTable(scope.def, o, e.ports.now().getTime())
    : undefined;
  if (verb === 'watch') return serveWatch(req, res, ctx, scope, watchOpts(q), render);
  const type = mediaType(req.headers['content-type']);
  const hasBody = verb !== 'get' && verb !== 'list';
  const body = hasBody ? decodeBody(await readBody(req), type) : undefined;
  const [code, obj] = runVerb(e, scope, verb, q, type, body);
  sendJson(res, code, render ? render(obj) : obj, scope.warnings, q.get('pretty') === 'true');
}

async function serveFaults(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (action === 'drop-watches' && method === 'POST') {
    ctx.faults.dropWatches();
    return sendJson(res, 200, { dropped: true });
  }
  if (action !== undefined) throw notFoundRoute();
  if (method === 'GET') return sendJson(res, 200, ctx.faults.get());
  if (method === 'DELETE') {
    ctx.faults.clear();
    return sendJson(res, 200, {});
  }
  if (method !== 'PUT' && method !== 'POST') throw methodNotAllowed(method);
  try {
    ctx.faults.set(parseFaultSettings(decodeBody(await readBody(req), 'application/json') ?? {}));
  } catch (err) {
    if (err instanceof FaultError) throw badRequest(err.message);
    throw err;
  }
  return sendJson(res, 200, ctx.faults.get());
}

export function createHandler(ctx: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://apiserver.invalid');
    const run = async (): Promise<void> => {
      const r = route(ctx.engine.registry, url.pathname);
      if (r.kind === 'resource') return serveResource(ctx, req, res, r, url);
      if (r.kind === 'faults') return serveFaults(ctx, req, res, r.action);
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '');
      if (r.kind === 'health') return sendText(res, 200, 'ok');
      const doc = discovery(ctx, r, url);
      if (doc instanceof ApiError) throw doc;
      sendJson(res, 200, doc);
    };
    run().catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      ctx.onError(err);
      sendError(
        res,
        new ApiError(
          'InternalError',
          `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    });
  };
}
