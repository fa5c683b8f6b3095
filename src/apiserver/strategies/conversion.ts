/**
 * Conversion between a served version and the storage version of a resource.
 * - events.k8s.io/v1 Event <-> core/v1 Event (one storage, renamed fields as in the real apiserver).
 * - metallb.io BGPPeer v1beta1 <-> v1beta2 (storage). v1beta1 has no pointer timers: a "0s" or absent
 *   holdTime/keepaliveTime means unset. Fields only v1beta2 knows are hidden from v1beta1 readers and kept
 *   when a v1beta1 client writes the object back. nodeSelectors have the same JSON shape in both.
 * Everything else only changes apiVersion.
 */
import {
  apiVersionOf,
  clone,
  isObject,
  type JsonObject,
  type KubeObject,
  type ResourceDef,
} from '../types.js';

/** core/v1 field name -> events.k8s.io/v1 field name. */
const EVENT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function rename(
  obj: KubeObject,
  pairs: ReadonlyArray<readonly [string, string]>,
  reverse: boolean,
): KubeObject {
  const out: KubeObject = {};
  const map = new Map(pairs.map(([a, b]) => (reverse ? [b, a] : [a, b])));
  for (const [k, v] of Object.entries(obj)) out[map.get(k) ?? k] = v;
  return out;
}

const V1BETA2_ONLY = [
  'passwordSecret',
  'connectTime',
  'enableGracefulRestart',
  'dynamicASN',
  'interface',
  'disableMP',
  'dualStackAddressFamily',
  'localASN',
] as const;
const TIMERS = ['holdTime', 'keepaliveTime'] as const;

function isBgpPeer(def: ResourceDef): boolean {
  return def.group === 'metallb.io' && def.resource === 'bgppeers';
}

function isEventsGroup(def: ResourceDef): boolean {
  return def.group === 'events.k8s.io' && def.resource === 'events';
}

/** The stored object rendered at `def`'s version (a copy). */
export function fromStorage(def: ResourceDef, stored: KubeObject): KubeObject {
  let out = clone(stored);
  if (isEventsGroup(def)) out = rename(out, EVENT_FIELDS, false);
  if (isBgpPeer(def) && def.version === 'v1beta1' && isObject(out.spec)) {
    for (const f of V1BETA2_ONLY) delete out.spec[f];
  }
  out.apiVersion = apiVersionOf(def);
  return out;
}

/**
 * An object written at `def`'s version in storage form, given the storage def and, for updates, the
 * currently stored object (whose v1beta2-only BGPPeer fields a v1beta1 write keeps).
 */
export function toStorage(
  def: ResourceDef,
  storage: ResourceDef,
  obj: KubeObject,
  existing?: KubeObject,
): KubeObject {
  let out = clone(obj);
  if (isEventsGroup(def)) out = rename(out, EVENT_FIELDS, true);
  if (isBgpPeer(def) && def.version === 'v1beta1' && isObject(out.spec)) {
    const spec: JsonObject = out.spec;
    for (const t of TIMERS) if (spec[t] === '0s' || spec[t] === '') delete spec[t];
    const prev = existing && isObject(existing.spec) ? existing.spec : undefined;
    if (prev) for (const f of V1BETA2_ONLY) if (prev[f] !== undefined) spec[f] = clone(prev[f]);
  }
  out.apiVersion = apiVersionOf(storage);
  return out;
}
