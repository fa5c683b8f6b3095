/**
 * API errors as the real kube-apiserver reports them: an `ApiError` carries the HTTP code, the `reason`
 * (NotFound, AlreadyExists, Conflict, Invalid, ...) and `details`, and renders as a metav1 `Status` body.
 * Message texts follow k8s.io/apimachinery/pkg/api/errors so kubectl prints the familiar
 * `Error from server (NotFound): services "x" not found`.
 */
import { qualifiedResource, type JsonObject, type ResourceDef } from './types.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'Expired'
  | 'Gone'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'Forbidden'
  | 'RequestEntityTooLarge'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'TooManyRequests'
  | 'Timeout';

export const HTTP_CODE: Readonly<Record<StatusReason, number>> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  MethodNotAllowed: 405,
  Expired: 410,
  Gone: 410,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  Forbidden: 403,
  RequestEntityTooLarge: 413,
  InternalError: 500,
  ServiceUnavailable: 503,
  TooManyRequests: 429,
  Timeout: 504,
};

/** One field problem of an Invalid error (metav1.StatusCause). */
export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.code = HTTP_CODE[reason];
  }

  toStatus(): JsonObject {
    const status: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = JSON.parse(JSON.stringify(this.details)) as JsonObject;
    return status;
  }
}

type Res = Pick<ResourceDef, 'group' | 'resource'>;

function details(def: Res, name: string, extra: Partial<StatusDetails> = {}): StatusDetails {
  return { name, ...(def.group ? { group: def.group } : {}), kind: def.resource, ...extra };
}

export function notFound(def: Res, name: string): ApiError {
  return new ApiError('NotFound', `${qualifiedResource(def)} "${name}" not found`, details(def, name));
}

export function alreadyExists(def: Res, name: string): ApiError {
  return new ApiError(
    'AlreadyExists',
    `${qualifiedResource(def)} "${name}" already exists`,
    details(def, name),
  );
}

export function conflict(
  def: Res,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): ApiError {
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": ${why}`,
    details(def, name),
  );
}

/** A field error in the validation.field.Error form: "spec.ports[0].port: Invalid value: 0: reason". */
export interface FieldError {
  readonly type:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueDuplicate'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueTypeInvalid'
    | 'FieldValueTooLong';
  readonly field: string;
  readonly value?: unknown;
  readonly detail: string;
}

const FIELD_TYPE_TEXT: Readonly<Record<FieldError['type'], string>> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueTooLong: 'Too long',
};

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function fieldErrorText(e: FieldError): string {
  const head = FIELD_TYPE_TEXT[e.type];
  const withValue =
    e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden'
      ? head
      : `${head}: ${formatValue(e.value)}`;
  return e.detail ? `${withValue}: ${e.detail}` : withValue;
}

/** `Service "x" is invalid: [a: ..., b: ...]` with one cause per field error. */
export function invalid(
  def: Pick<ResourceDef, 'group' | 'kind'>,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const parts = errors.map((e) => `${e.field}: ${fieldErrorText(e)}`);
  const summary = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  const qualified = def.group ? `${def.kind}.${def.group}` : def.kind;
  return new ApiError('Invalid', `${qualified} "${name}" is invalid: ${summary}`, {
    name,
    ...(def.group ? { group: def.group } : {}),
    kind: def.kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorText(e), field: e.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

export function expired(message: string): ApiError {
  return new ApiError('Expired', message);
}

export function unsupportedMediaType(_contentType: string, accepted: readonly string[]): ApiError {
  return new ApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function forbidden(def: Res, name: string, why: string): ApiError {
  return new ApiError(
    'Forbidden',
    `${qualifiedResource(def)} "${name}" is forbidden: ${why}`,
    details(def, name),
  );
}
