/**
 * Helpers for the Kubernetes adapter's unit tests: a deferred promise, a microtask/macrotask flush, and
 * a scripted in-memory ListWatchSource whose lists and watch streams the test controls step by step.
 */
import {
  KubeApiError,
  type ListResult,
  type ListWatchSource,
  type WatchRequest,
} from '../../../src/k8s/index.js';

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise chains run (a few macrotask turns). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

export function obj(name: string, rv: string, extra: Record<string, unknown> = {}, namespace = 'default') {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, resourceVersion: rv }, ...extra };
}

/** An open watch stream the test drives: send events, then end it normally or with an error. */
export interface FakeStream {
  readonly request: WatchRequest;
  send(type: string, object: unknown): void;
  end(): void;
  fail(error: unknown): void;
}

/**
 * A ListWatchSource scripted by the test. Each list() call takes the next scripted outcome (a result or
 * an error); each watch() call opens a FakeStream that stays open until the test ends it (or the
 * informer aborts it). `gone(rv)` builds the 410 error a real server sends.
 */
export class FakeSource implements ListWatchSource {
  readonly description = 'fakes';
  readonly lists: (ListResult | Error)[] = [];
  readonly streams: FakeStream[] = [];
  readonly watchErrors: Error[] = [];
  listCalls = 0;

  list(): Promise<ListResult> {
    this.listCalls++;
    const next = this.lists.shift();
    if (next === undefined)
      return Promise.reject(
        new KubeApiError('no list scripted', { code: 503, reason: 'ServiceUnavailable' }),
      );
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }

  watch(request: WatchRequest): Promise<void> {
    const scripted = this.watchErrors.shift();
    if (scripted !== undefined) return Promise.reject(scripted);
    const done = deferred<void>();
    let open = true;
    const close = (error?: unknown): void => {
      if (!open) return;
      open = false;
      if (error === undefined) done.resolve();
      else done.reject(error);
    };
    request.signal.addEventListener('abort', () => close(), { once: true });
    this.streams.push({
      request,
      send: (type, object) => {
        if (open) request.onEvent({ type, object });
      },
      end: () => close(),
      fail: (error) => close(error),
    });
    return done.promise;
  }

  get current(): FakeStream {
    const s = this.streams.at(-1);
    if (s === undefined) throw new Error('no watch stream open');
    return s;
  }
}

export function gone(): KubeApiError {
  return new KubeApiError('too old resource version', { code: 410, reason: 'Expired' });
}

export function refused(): KubeApiError {
  return new KubeApiError('connect ECONNREFUSED 127.0.0.1:1', { reason: 'NetworkError' });
}

/** A RestClient that records every request and answers from a responder (an Error is thrown). */
export class RecordingRest {
  readonly requests: {
    method: string;
    path: string;
    body: unknown;
    raw?: string;
    contentType: string | undefined;
  }[] = [];
  responder: (req: { method: string; path: string; body: unknown }) => unknown = () => ({});

  request = async (req: {
    method: string;
    path: string;
    body?: unknown;
    contentType?: string;
  }): Promise<unknown> => {
    const body = isRaw(req.body) ? JSON.parse(req.body.raw) : req.body;
    const raw = isRaw(req.body) ? req.body.raw : undefined;
    this.requests.push({
      method: req.method,
      path: req.path,
      body,
      contentType: req.contentType,
      ...(raw === undefined ? {} : { raw }),
    });
    const answer = this.responder({ method: req.method, path: req.path, body });
    if (answer instanceof Error) throw answer;
    return answer;
  };

  /** `METHOD path` of each request. */
  get calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }
}

function isRaw(body: unknown): body is { raw: string } {
  return typeof body === 'object' && body !== null && typeof (body as { raw?: unknown }).raw === 'string';
}

export function notFound(): KubeApiError {
  return new KubeApiError('not found', { code: 404, reason: 'NotFound' });
}
