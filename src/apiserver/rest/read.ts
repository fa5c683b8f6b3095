/**
 * get, list (label/field selectors, limit/continue pagination) and watch (from a resourceVersion, with
 * synthetic ADDED events for "now" starts, sendInitialEvents, selector transitions turned into
 * ADDED/DELETED as the watch cache does, and StoreGone for resourceVersions outside the window).
 */
import { badRequest, expired, notFound } from '../errors.js';
import {
  fieldQueryMatches,
  labelQueryMatches,
  parseFieldQuery,
  parseLabelQuery,
  type FieldRequirement,
  type LabelQuery,
} from '../selectors.js';
import type { StoreEvent } from '../store.js';
import { fromStorage } from '../strategies/conversion.js';
import { apiVersionOf, meta, stringMap, type JsonObject, type KubeObject } from '../types.js';
import { nsKey, requireName, storageOf, type Engine, type Scope } from './engine.js';

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
}

export interface WatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly sendInitialEvents?: boolean;
  readonly allowBookmarks?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export type WatchSink = (type: WatchEventType, object: KubeObject) => void;

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export function get(engine: Engine, scope: Scope): KubeObject {
  const name = requireName(scope);
  const obj = engine.store.get(storageOf(engine, scope.def), nsKey(scope), name);
  if (!obj) throw notFound(scope.def, name);
  return fromStorage(scope.def, obj);
}

interface Filter {
  readonly labels: LabelQuery;
  readonly fields: readonly FieldRequirement[];
}

function filterOf(scope: Scope, labelSelector?: string, fieldSelector?: string): Filter {
  const fields = parseFieldQuery(fieldSelector ?? '', scope.def.fieldSelectors);
  const byName =
    scope.name === undefined ? [] : [{ field: 'metadata.name', operator: '=' as const, value: scope.name }];
  return { labels: parseLabelQuery(labelSelector ?? ''), fields: [...fields, ...byName] };
}

function matches(f: Filter, obj: KubeObject): boolean {
  return labelQueryMatches(f.labels, stringMap(meta(obj).labels)) && fieldQueryMatches(f.fields, obj);
}

interface ContinueToken {
  readonly after: string;
  readonly rv: number;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (typeof parsed.after === 'string' && typeof parsed.rv === 'number')
      return { after: parsed.after, rv: parsed.rv };
  } catch {
    // fall through to the BadRequest below
  }
  throw badRequest('continue key is not valid: the continue token could not be decoded');
}

function itemKey(obj: KubeObject): string {
  return `${String(meta(obj).namespace ?? '')}/${String(meta(obj).name ?? '')}`;
}

export function list(engine: Engine, scope: Scope, opts: ListOptions = {}): KubeObject {
  const filter = filterOf(scope, opts.labelSelector, opts.fieldSelector);
  const rv = engine.store.resourceVersion;
  const start = opts.continueToken ? decodeContinue(opts.continueToken) : undefined;
  if (start && start.rv < engine.store.oldestWatchable) {
    throw expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  const ns = scope.def.namespaced ? scope.namespace : undefined;
  let items = engine.store
    .list(storageOf(engine, scope.def), ns)
    .filter((o) => start === undefined || itemKey(o) > start.after)
    .map((o) => fromStorage(scope.def, o))
    .filter((o) => matches(filter, o));
  const listMeta: JsonObject = { resourceVersion: String(rv) };
  if (opts.limit !== undefined && opts.limit > 0 && items.length > opts.limit) {
    const remaining = items.length - opts.limit;
    items = items.slice(0, opts.limit);
    const token: ContinueToken = { after: itemKey(items[items.length - 1]!), rv: start?.rv ?? rv };
    listMeta.continue = Buffer.from(JSON.stringify(token)).toString('base64url');
    listMeta.remainingItemCount = remaining;
  }
  return { kind: scope.def.listKind, apiVersion: apiVersionOf(scope.def), metadata: listMeta, items };
}

function parseRv(text: string): number {
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version: "${text}"`);
  return Number(text);
}

/** A BOOKMARK object carrying only the kind, apiVersion and a resourceVersion. */
export function bookmark(scope: Scope, rv: number, annotations?: Record<string, string>): KubeObject {
  return {
    kind: scope.def.kind,
    apiVersion: apiVersionOf(scope.def),
    metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) },
  };
}

/**
 * Starts a watch; events go to `sink` synchronously. Throws ApiError (bad selector or RV) before any
 * event, and StoreGone when the requested resourceVersion is too old. Returns the cancel function.
 */
export function watch(engine: Engine, scope: Scope, opts: WatchOptions, sink: WatchSink): () => void {
  const filter = filterOf(scope, opts.labelSelector, opts.fieldSelector);
  const storage = storageOf(engine, scope.def);
  const ns = scope.def.namespaced ? scope.namespace : undefined;
  const rvText = opts.resourceVersion ?? '';
  const fromNow = rvText === '' || rvText === '0' || opts.sendInitialEvents === true;
  const from = fromNow ? engine.store.resourceVersion : parseRv(rvText);
  const onEvent = (e: StoreEvent): void => {
    const cur = fromStorage(scope.def, e.object);
    const now = matches(filter, cur);
    if (e.type !== 'MODIFIED' || !e.previous) {
      if (now) sink(e.type, cur);
      return;
    }
    const before = matches(filter, fromStorage(scope.def, e.previous));
    if (now) sink(before ? 'MODIFIED' : 'ADDED', cur);
    else if (before) sink('DELETED', cur);
  };
  if (fromNow) {
    for (const o of engine.store.list(storage, ns)) {
      const served = fromStorage(scope.def, o);
      if (matches(filter, served)) sink('ADDED', served);
    }
    if (opts.sendInitialEvents === true && opts.allowBookmarks === true) {
      sink('BOOKMARK', bookmark(scope, from, { [INITIAL_EVENTS_END]: 'true' }));
    }
  }
  return engine.store.watch(storage, ns, from, onEvent);
}
