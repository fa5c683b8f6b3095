/**
 * Herald's own configuration parser (parseConfig from src/config), seen from the manifests: parse a list
 * of Kubernetes objects as `herald validate` does, build minimal valid objects of each kind, set one field
 * at a schema path, and read the fields the parser knows from its "unknown field" errors.
 */
import { buildSnapshot } from '../../../../src/cli/validate.js';
import { parseConfig, type ConfigError, type ConfigResult } from '../../../../src/config/index.js';
import { NAMESPACE } from './manifests.js';

export type KubeObject = Record<string, unknown>;

export function parseObjects(objects: readonly unknown[]): ConfigResult {
  return parseConfig(buildSnapshot(objects).snapshot, { namespace: NAMESPACE });
}

export function errorsOf(objects: readonly unknown[]): readonly ConfigError[] {
  const result = parseObjects(objects);
  return result.ok ? [] : result.errors;
}

export function object(kind: string, version: string, spec: unknown, name = 'x'): KubeObject {
  return { apiVersion: `metallb.io/${version}`, kind, metadata: { name, namespace: NAMESPACE }, spec };
}

/** A minimal object of each kind (and version) that parseConfig accepts on its own. */
export const BASES: readonly { kind: string; version: string; spec: KubeObject }[] = [
  { kind: 'IPAddressPool', version: 'v1beta1', spec: { addresses: ['192.0.2.0/24'] } },
  { kind: 'L2Advertisement', version: 'v1beta1', spec: {} },
  { kind: 'BGPAdvertisement', version: 'v1beta1', spec: {} },
  { kind: 'BGPPeer', version: 'v1beta2', spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' } },
  { kind: 'BGPPeer', version: 'v1beta1', spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' } },
  { kind: 'BFDProfile', version: 'v1beta1', spec: {} },
  { kind: 'Community', version: 'v1beta1', spec: { communities: [{ name: 'gold', value: '65000:1' }] } },
];

const isObject = (x: unknown): x is KubeObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Returns a copy of `obj` with `value` at a schema path such as `spec.communities[].name`: `[]` steps into
 * the first list item (created, or copied from the existing one). `[]` at the end sets a one-item list.
 */
export function setAt(obj: KubeObject, path: string, value: unknown): KubeObject {
  const out = structuredClone(obj);
  const parts = path.split('.');
  let cursor: KubeObject = out;
  parts.forEach((raw, i) => {
    const list = raw.endsWith('[]');
    const key = list ? raw.slice(0, -2) : raw;
    const last = i === parts.length - 1;
    if (!list) {
      if (last) cursor[key] = value;
      else cursor = (cursor[key] = isObject(cursor[key]) ? cursor[key] : {}) as KubeObject;
      return;
    }
    if (last) {
      cursor[key] = [value];
      return;
    }
    const existing = Array.isArray(cursor[key]) ? (cursor[key] as unknown[])[0] : undefined;
    const item = isObject(existing) ? existing : {};
    cursor[key] = [item];
    cursor = item;
  });
  return out;
}

const KNOWN = /\(known fields: ([^)]*)\)/;

/**
 * The field names parseConfig accepts at `path` of `obj`'s kind, read from the error it reports for an
 * unknown field placed there (`unknown field (known fields: a, b)`, or the selector form).
 */
export function knownFields(obj: KubeObject, path: string): string[] {
  const probe = 'zzzNotAField';
  const errors = errorsOf([setAt(obj, `${path}.${probe}`, 1)]);
  const e = errors.find((x) => x.path.endsWith(probe));
  if (!e) throw new Error(`parseConfig reported no unknown-field error at ${path}`);
  if (e.reason.includes('expected matchLabels or matchExpressions'))
    return ['matchExpressions', 'matchLabels'];
  const m = KNOWN.exec(e.reason);
  if (!m) throw new Error(`unexpected unknown-field message: ${e.reason}`);
  return m[1]!.split(', ').sort();
}
