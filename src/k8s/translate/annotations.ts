/**
 * MetalLB's Service annotations, under the `metallb.io/` prefix and the deprecated
 * `metallb.universe.tf/` one (still read; MetalLB 0.14.9 deprecated it). As in MetalLB's
 * `valueForAnnotation`, presence decides: when the new key is present (even empty) it wins and the
 * deprecated key is not read; when only the deprecated key is present its value is used and reported,
 * so the controller can emit the `deprecatedAnnotation` Warning event.
 */
import type { DeprecatedAnnotation } from './types.js';

export const ANNOTATION_PREFIX = 'metallb.io/';
export const DEPRECATED_ANNOTATION_PREFIX = 'metallb.universe.tf/';

export const ANNOTATIONS = {
  loadBalancerIPs: `${ANNOTATION_PREFIX}loadBalancerIPs`,
  addressPool: `${ANNOTATION_PREFIX}address-pool`,
  allowSharedIp: `${ANNOTATION_PREFIX}allow-shared-ip`,
  ipAllocatedFromPool: `${ANNOTATION_PREFIX}ip-allocated-from-pool`,
} as const;

export type AnnotationName = keyof typeof ANNOTATIONS;

export function deprecatedKey(name: AnnotationName): string {
  return ANNOTATIONS[name].replace(ANNOTATION_PREFIX, DEPRECATED_ANNOTATION_PREFIX);
}

export interface AnnotationValue {
  /** The value, or undefined when neither key is present. */
  readonly value: string | undefined;
  /** The key the value came from. */
  readonly key: string;
  /** Set when the value came from the deprecated key. */
  readonly deprecated?: DeprecatedAnnotation;
}

/** Reads one MetalLB annotation with the deprecated fallback. */
export function readAnnotation(
  annotations: Readonly<Record<string, unknown>>,
  name: AnnotationName,
): AnnotationValue {
  const key = ANNOTATIONS[name];
  const current = annotations[key];
  if (typeof current === 'string') return { value: current, key };
  const old = deprecatedKey(name);
  const legacy = annotations[old];
  if (typeof legacy === 'string')
    return { value: legacy, key: old, deprecated: { used: old, replacement: key } };
  return { value: undefined, key };
}

/** `metadata.annotations["metallb.io/loadBalancerIPs"]`: the field path of an annotation. */
export function annotationField(key: string): string {
  return `metadata.annotations["${key}"]`;
}
