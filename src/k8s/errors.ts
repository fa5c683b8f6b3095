/**
 * Named errors of the Kubernetes adapter. Every failure talking to the API server (an HTTP status, a
 * `Status` object in a watch stream, a refused connection, an abort) is normalised into one
 * `KubeApiError` with the HTTP code (when there was one), the API `reason` (`NotFound`, `Conflict`,
 * `Expired`, ... or `NetworkError` / `Aborted` / `BadResponse`) and a message naming the request.
 */

/** Reasons for failures that never reached an HTTP status. */
export type LocalReason = 'NetworkError' | 'Aborted' | 'BadResponse';

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  /** HTTP status code, or undefined when no response arrived. */
  readonly code: number | undefined;
  /** metav1.Status reason (e.g. `NotFound`, `Conflict`, `Expired`) or a LocalReason. */
  readonly reason: string;
  /** `METHOD path` of the failed request, when known. */
  readonly request: string | undefined;

  constructor(message: string, fields: { code?: number; reason: string; request?: string; cause?: unknown }) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code;
    this.reason = fields.reason;
    this.request = fields.request;
  }
}

/** The kubeconfig could not be loaded; `source` names the file or `in-cluster`. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
  readonly source: string;

  constructor(source: string, message: string, cause?: unknown) {
    super(`kubeconfig ${source}: ${message}`, cause === undefined ? undefined : { cause });
    this.source = source;
  }
}

const HTTP_GONE = 410;
const HTTP_NOT_FOUND = 404;
const HTTP_CONFLICT = 409;
const HTTP_ALREADY_EXISTS = 409;

/** Default API reason for a bare HTTP status (apimachinery StatusReason). */
const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Reads a metav1.Status (object or JSON text); undefined when `body` is not one. */
export function parseStatus(body: unknown): { code?: number; reason?: string; message?: string } | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = record(value);
  if (status === undefined || status.kind !== 'Status') return undefined;
  return {
    code: typeof status.code === 'number' ? status.code : undefined,
    reason: typeof status.reason === 'string' && status.reason !== '' ? status.reason : undefined,
    message: typeof status.message === 'string' ? status.message : undefined,
  };
}

/** An error from an HTTP status and an optional Status body. */
export function httpError(code: number, body: unknown, request?: string): KubeApiError {
  const status = parseStatus(body);
  const reason = status?.reason ?? REASON_BY_CODE[code] ?? `HTTP${code}`;
  const detail = status?.message ?? (typeof body === 'string' && body.length < 200 ? body : '');
  const where = request === undefined ? '' : `${request}: `;
  return new KubeApiError(`${where}${code} ${reason}${detail === '' ? '' : `: ${detail}`}`, {
    code,
    reason,
    request,
  });
}

/** Normalises anything thrown by client-node or fetch into a KubeApiError. */
export function toKubeApiError(err: unknown, request?: string): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = record(err);
  const code =
    typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.code === 'number' ? e.code : undefined;
  if (code !== undefined) return httpError(code, e?.body, request);
  const where = request === undefined ? '' : `${request}: `;
  const message = err instanceof Error ? err.message : String(err);
  const aborted = e?.name === 'AbortError' || e?.type === 'aborted';
  return new KubeApiError(`${where}${message}`, {
    reason: aborted ? 'Aborted' : 'NetworkError',
    request,
    cause: err,
  });
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === HTTP_NOT_FOUND;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === HTTP_CONFLICT && err.reason !== 'AlreadyExists';
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === HTTP_ALREADY_EXISTS && err.reason === 'AlreadyExists';
}

/** 410 Gone / Expired: the resourceVersion is too old; the informer must relist. */
export function isGone(err: unknown): boolean {
  return (
    err instanceof KubeApiError &&
    (err.code === HTTP_GONE || err.reason === 'Expired' || err.reason === 'Gone')
  );
}
