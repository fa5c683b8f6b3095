/**
 * BGPPeer TCP MD5 passwords (RFC 2385): an inline `password` or a `passwordSecret` reference, never both.
 * The Secret must be in the MetalLB namespace, of type kubernetes.io/basic-auth, with a `password` key
 * (MetalLB `passwordFromSecretForPeer`). A Secret missing from the snapshot is a transient error.
 * Error messages never include the password itself.
 */
import type { Reporter } from './errors.js';
import { checkFields, describe, isRecord, readObject, readString, type JsonObject } from './fields.js';
import type { PasswordSecretRef } from './types.js';

export const BASIC_AUTH_SECRET_TYPE = 'kubernetes.io/basic-auth';
export const PASSWORD_KEY = 'password';
/** Linux TCP_MD5SIG_MAXKEYLEN. */
export const TCP_MD5_MAX_KEY_BYTES = 80;
const SECRET_REF_FIELDS = ['name', 'namespace'];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface PeerPassword {
  readonly password?: string;
  readonly passwordSecret?: PasswordSecretRef;
}

/** Secrets of the MetalLB namespace by name, as given in the snapshot (undefined: none were given). */
export type SecretIndex = ReadonlyMap<string, JsonObject> | undefined;

function decodeBase64Utf8(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function secretPassword(secret: JsonObject, label: string, r: Reporter): string | undefined {
  const path = 'spec.passwordSecret';
  if (secret.type !== BASIC_AUTH_SECRET_TYPE) {
    r.error(path, `${label} has type ${describe(secret.type)}; type "${BASIC_AUTH_SECRET_TYPE}" is required`);
    return undefined;
  }
  const data = isRecord(secret.data) ? secret.data : {};
  const stringData = isRecord(secret.stringData) ? secret.stringData : {};
  if (typeof stringData[PASSWORD_KEY] === 'string') return stringData[PASSWORD_KEY];
  const encoded = data[PASSWORD_KEY];
  if (typeof encoded !== 'string') {
    r.error(path, `${label} has no "${PASSWORD_KEY}" key`);
    return undefined;
  }
  const decoded = decodeBase64Utf8(encoded);
  if (decoded === undefined) r.error(path, `${label}: data.${PASSWORD_KEY} is not base64-encoded UTF-8 text`);
  return decoded;
}

function readSecretRef(spec: JsonObject, namespace: string, r: Reporter): PasswordSecretRef | undefined {
  const ref = readObject(spec, 'passwordSecret', 'spec', r);
  if (!ref) return undefined;
  checkFields(ref, SECRET_REF_FIELDS, 'spec.passwordSecret', r);
  const name = readString(ref, 'name', 'spec.passwordSecret', r);
  const ns = readString(ref, 'namespace', 'spec.passwordSecret', r);
  if (!name) return undefined; // `passwordSecret: {}` is how an unset reference serializes
  if (ns && ns !== namespace) {
    r.error(
      'spec.passwordSecret.namespace',
      `must be "${namespace}": the Secret must be in the MetalLB namespace`,
    );
  }
  return { name, namespace };
}

function checkLength(password: string, path: string, r: Reporter): void {
  const bytes = new TextEncoder().encode(password).length;
  if (bytes > TCP_MD5_MAX_KEY_BYTES) {
    r.error(path, `password is ${bytes} bytes; TCP MD5 keys are at most ${TCP_MD5_MAX_KEY_BYTES} bytes`);
  }
}

export function readPassword(
  spec: JsonObject,
  namespace: string,
  secrets: SecretIndex,
  r: Reporter,
): PeerPassword {
  const inline = readString(spec, 'password', 'spec', r) || undefined;
  const ref = readSecretRef(spec, namespace, r);
  if (inline !== undefined && ref !== undefined) {
    r.error('spec.passwordSecret', 'password and passwordSecret are mutually exclusive; set at most one');
    return {};
  }
  if (inline !== undefined) {
    checkLength(inline, 'spec.password', r);
    return { password: inline };
  }
  if (ref === undefined) return {};
  const label = `Secret ${namespace}/${ref.name}`;
  const secret = secrets?.get(ref.name);
  if (!secret) {
    r.error('spec.passwordSecret.name', `${label} not found`, true);
    return { passwordSecret: ref };
  }
  const password = secretPassword(secret, label, r);
  if (password === undefined) return { passwordSecret: ref };
  checkLength(password, 'spec.passwordSecret', r);
  return { password, passwordSecret: ref };
}
