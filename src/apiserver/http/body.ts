/**
 * Request bodies and responses on the wire: reads a body up to the size limit, decodes JSON or YAML
 * by Content-Type (protobuf and anything else is 415), and writes JSON responses and Status errors
 * with the headers the real apiserver sends (Content-Type, Warning, Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, unsupportedMediaType } from '../errors.js';
import type { Json } from '../types.js';
import { decodeProtobuf, PROTOBUF_MEDIA_TYPE } from './protobuf.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
const JSON_TYPES = [
  'application/json',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const YAML_TYPES = ['application/yaml', 'application/apply-patch+yaml'];

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads a request body. Past MAX_BODY_BYTES the rest is drained and discarded, so the 413 answer reaches
 * the client instead of a connection reset.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('RequestEntityTooLarge', `request is too large (limit ${MAX_BODY_BYTES} bytes)`));
      } else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Decodes a body by media type; an empty body is undefined. */
export function decodeBody(raw: Buffer, type: string): Json | undefined {
  if (raw.length === 0) return undefined;
  if (type === PROTOBUF_MEDIA_TYPE) return decodeProtobuf(raw);
  const text = raw.toString('utf8');
  if (JSON_TYPES.includes(type) || type === '') {
    try {
      return JSON.parse(text) as Json;
    } catch (err) {
      throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (YAML_TYPES.includes(type)) {
    try {
      return parseYaml(text) as Json;
    } catch (err) {
      throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
    }
  }
  throw unsupportedMediaType(type, [...JSON_TYPES.slice(0, 1), 'application/yaml']);
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: readonly string[] = [],
  pretty = false,
): void {
  const text = pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, warnings: readonly string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err.details?.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
  sendJson(res, err.code, err.toStatus(), warnings);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
