/**
 * The lab's Kubernetes API client: JSON over HTTP through the Unix socket the forwarder serves (the API
 * server listens on the lab's bridge, in another network namespace). Plain REST paths, bounded by a
 * timeout and the lab's AbortSignal; errors carry the method, path, status and the server's message.
 */
import { request } from 'node:http';

const REQUEST_TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export class LabApi {
  constructor(
    readonly socketPath: string,
    private readonly signal?: AbortSignal,
  ) {}

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Json> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          method,
          path,
          timeout: REQUEST_TIMEOUT_MS,
          ...(this.signal && { signal: this.signal }),
          headers: payload === undefined ? {} : { 'content-type': contentType },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300)
              return resolve(text === '' ? {} : (safeJson(text) ?? { text }));
            const message = (safeJson(text)?.message as string | undefined) ?? text.slice(0, 300);
            reject(new ApiError(`${method} ${path}: ${status} ${message}`, status));
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path: string): Promise<Json> {
    return this.request('GET', path);
  }

  /** GET, or undefined on 404. */
  async find(path: string): Promise<Json | undefined> {
    try {
      return await this.get(path);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list(path: string): Promise<Json[]> {
    return ((await this.get(path)).items as Json[] | undefined) ?? [];
  }

  create(collection: string, body: object): Promise<Json> {
    return this.request('POST', collection, body);
  }

  /** JSON merge patch (RFC 7386). */
  patch(path: string, body: object): Promise<Json> {
    return this.request('PATCH', path, body, 'application/merge-patch+json');
  }

  delete(path: string): Promise<Json> {
    return this.request('DELETE', path);
  }
}

function safeJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
