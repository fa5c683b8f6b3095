/**
 * A small JSON REST client over client-node's own machinery: the KubeConfig applies authentication and
 * TLS (`applySecurityAuthentication`), and client-node's HTTP library sends the request. Unlike the
 * generated typed APIs it returns the API server's plain JSON untouched (no model classes, no Date
 * objects, no dropped unknown fields), works for any path (core, discovery, metallb.io CRDs, status
 * subresources), takes an AbortSignal and turns every failure into a KubeApiError.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import { httpError, KubeApiError, toKubeApiError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const CONTENT_JSON = 'application/json';
export const CONTENT_MERGE_PATCH = 'application/merge-patch+json';

export interface RestRequest {
  readonly method: Method;
  /** Absolute API path, e.g. `/api/v1/namespaces/default/services/web/status`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A value serialised with JSON.stringify, or `{ raw }` for pre-serialised text. */
  readonly body?: unknown;
  /** Content-Type of the body (default application/json). */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

/** The one way the adapter's writers, lists and lease talk to the API server. */
export interface RestClient {
  /** Resolves with the parsed JSON body (undefined for an empty body); rejects with KubeApiError. */
  request(req: RestRequest): Promise<unknown>;
}

export interface RestClientOptions {
  /** Per-request timeout in ms (default 30 000); the caller's signal may end it sooner. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const HTTP_OK_MIN = 200;
const HTTP_OK_MAX = 299;

/** `{ raw: text }` marks a body that is already serialised (e.g. int64 counters written exactly). */
export interface RawBody {
  readonly raw: string;
}

function isRaw(body: unknown): body is RawBody {
  return typeof body === 'object' && body !== null && typeof (body as RawBody).raw === 'string';
}

export function buildUrl(server: string, path: string, query: RestRequest['query']): string {
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export function createRestClient(kc: KubeConfig, options: RestClientOptions = {}): RestClient {
  const http = new IsomorphicFetchHttpLibrary();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async request(req: RestRequest): Promise<unknown> {
      const label = `${req.method} ${req.path}`;
      const cluster = kc.getCurrentCluster();
      if (cluster === null)
        throw new KubeApiError(`${label}: kubeconfig has no current cluster`, {
          reason: 'BadResponse',
          request: label,
        });
      const ctx = new RequestContext(buildUrl(cluster.server, req.path, req.query), req.method as HttpMethod);
      ctx.setHeaderParam('Accept', CONTENT_JSON);
      if (req.body !== undefined) {
        ctx.setHeaderParam('Content-Type', req.contentType ?? CONTENT_JSON);
        ctx.setBody(isRaw(req.body) ? req.body.raw : JSON.stringify(req.body));
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      ctx.setSignal(req.signal === undefined ? timeout : AbortSignal.any([req.signal, timeout]));
      let status: number;
      let text: string;
      try {
        await kc.applySecurityAuthentication(ctx);
        const response = await http.send(ctx).toPromise();
        status = response.httpStatusCode;
        text = await response.body.text();
      } catch (err) {
        throw toKubeApiError(err, label);
      }
      if (status < HTTP_OK_MIN || status > HTTP_OK_MAX) throw httpError(status, text, label);
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new KubeApiError(`${label}: response is not JSON`, {
          code: status,
          reason: 'BadResponse',
          request: label,
          cause: err,
        });
      }
    },
  };
}
