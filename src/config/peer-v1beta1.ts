/**
 * BGPPeer metallb.io/v1beta1 → v1beta2 spec, as MetalLB's conversion webhook does
 * (`api/v1beta1/bgppeer_conversion.go` ConvertTo). The JSON field names are the same; what differs:
 * v1beta1 has fewer fields (a v1beta2-only field is reported), `peerPort: 0` meant "default", and the
 * legacy NodeSelector type has the metav1.LabelSelector JSON shape (matchLabels, matchExpressions).
 * Unlike MetalLB, an absent v1beta1 holdTime/keepaliveTime stays absent (MetalLB turns it into an explicit
 * 0 s, which disables keepalives); Herald applies the usual 90 s default instead.
 */
import type { Reporter } from './errors.js';
import type { JsonObject } from './fields.js';

export const V1BETA1_PEER_FIELDS = [
  'myASN',
  'peerASN',
  'peerAddress',
  'sourceAddress',
  'peerPort',
  'holdTime',
  'keepaliveTime',
  'routerID',
  'nodeSelectors',
  'password',
  'bfdProfile',
  'ebgpMultiHop',
];

/** Returns a new v1beta2-shaped spec; never modifies the input. */
export function convertV1beta1Spec(spec: JsonObject, r: Reporter): JsonObject {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!V1BETA1_PEER_FIELDS.includes(key)) {
      r.error(
        `spec.${key}`,
        `unknown field in BGPPeer metallb.io/v1beta1 (known fields: ${V1BETA1_PEER_FIELDS.join(', ')}); use metallb.io/v1beta2 for newer fields`,
      );
      continue;
    }
    if (key === 'peerPort' && value === 0) continue;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
