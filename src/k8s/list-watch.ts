/**
 * The list/watch port of an informer and its client-node implementation. A `ListWatchSource` lists a
 * collection (paged, plain JSON) and opens one watch stream from a resourceVersion; it is deliberately
 * dumb: it neither retries nor caches. The supervisor (informer.ts) owns the loop. An `ERROR` event in
 * the stream (e.g. a `Status` with code 410) ends the watch with a KubeApiError, exactly like an HTTP
 * error status on the watch request, so the supervisor sees one kind of failure.
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { httpError, KubeApiError, parseStatus, toKubeApiError } from './errors.js';
import { asRecord } from './objects.js';
import { collectionPath, type ResourceType } from './resources.js';
import type { RestClient } from './rest.js';

export interface ListResult {
  /** The objects as the server sent them (validated by the informer, not here). */
  readonly items: readonly unknown[];
  /** The list's metadata.resourceVersion: where the watch starts. */
  readonly resourceVersion: string;
}

/** One event of a watch stream: ADDED, MODIFIED, DELETED or BOOKMARK (anything else is passed on). */
export interface WatchEvent {
  readonly type: string;
  readonly object: unknown;
}

export interface WatchRequest {
  readonly resourceVersion: string;
  /** Server-side timeout: the server ends the stream normally after this many seconds. */
  readonly timeoutSeconds: number;
  readonly onEvent: (event: WatchEvent) => void;
  /** Aborting ends the stream; the returned promise then resolves. */
  readonly signal: AbortSignal;
}

export interface ListWatchSource {
  /** For logs and errors, e.g. `services` or `ipaddresspools in metallb-system`. */
  readonly description: string;
  list(signal: AbortSignal): Promise<ListResult>;
  /** Resolves when the stream ends normally (or is aborted); rejects with a KubeApiError on failure. */
  watch(request: WatchRequest): Promise<void>;
}

export interface ListWatchOptions {
  /** Restrict to one namespace (namespaced resources only); all namespaces when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size of list requests (default 500, as client-go). */
  readonly pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 500;

function pageOf(
  body: unknown,
  label: string,
): { items: unknown[]; resourceVersion: string; continueToken: string } {
  const list = asRecord(body);
  const meta = asRecord(list?.metadata);
  if (list === undefined || !Array.isArray(list.items)) {
    throw new KubeApiError(`${label}: list response has no items array`, {
      reason: 'BadResponse',
      request: label,
    });
  }
  return {
    items: list.items as unknown[],
    resourceVersion: typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : '',
    continueToken: typeof meta?.continue === 'string' ? meta.continue : '',
  };
}

/** A ListWatchSource for `resource` over the REST client (list) and client-node's Watch (stream). */
export function apiListWatch(
  kc: KubeConfig,
  rest: RestClient,
  resource: ResourceType,
  options: ListWatchOptions = {},
): ListWatchSource {
  const path = collectionPath(resource, options.namespace);
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const watcher = new Watch(kc);
  const where = resource.namespaced && options.namespace ? ` in ${options.namespace}` : '';
  return {
    description: `${resource.plural}${where}`,
    async list(signal) {
      const items: unknown[] = [];
      let continueToken = '';
      let resourceVersion = '';
      do {
        const query = {
          ...selectors,
          limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
          continue: continueToken || undefined,
        };
        const page = pageOf(await rest.request({ method: 'GET', path, query, signal }), `GET ${path}`);
        items.push(...page.items);
        resourceVersion = page.resourceVersion;
        continueToken = page.continueToken;
      } while (continueToken !== '' && !signal.aborted);
      return { items, resourceVersion };
    },
    watch: (request) => watchStream(watcher, path, selectors, request),
  };
}

function watchStream(
  watcher: Watch,
  path: string,
  selectors: { labelSelector: string | undefined; fieldSelector: string | undefined },
  request: WatchRequest,
): Promise<void> {
  const label = `WATCH ${path}`;
  return new Promise<void>((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      controller?.abort();
      if (err === undefined || err === null) resolve();
      else reject(toKubeApiError(err, label));
    };
    const onAbort = (): void => finish();
    if (request.signal.aborted) return finish();
    request.signal.addEventListener('abort', onAbort, { once: true });
    const query = {
      ...selectors,
      resourceVersion: request.resourceVersion || undefined,
      allowWatchBookmarks: true,
      timeoutSeconds: request.timeoutSeconds,
    };
    const onEvent = (type: string, object: unknown): void => {
      if (settled) return;
      if (type === 'ERROR') {
        const status = parseStatus(object);
        return finish(httpError(status?.code ?? 500, object, label));
      }
      request.onEvent({ type, object });
    };
    watcher
      .watch(path, query, onEvent, (err: unknown) => finish(err))
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err: unknown) => finish(err ?? new Error('watch failed')),
      );
  });
}
