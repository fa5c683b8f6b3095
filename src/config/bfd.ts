/**
 * BFDProfile (metallb.io/v1beta1) → BfdProfile, with the CRD's ranges (metallb.md §1.5) and FRR's
 * defaults for absent fields, so the BFD session (RFC 5880) gets concrete values.
 */
import { checkFields, readBool, readInt } from './fields.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import type { BfdProfile } from './types.js';

const SPEC_FIELDS = [
  'receiveInterval',
  'transmitInterval',
  'detectMultiplier',
  'echoInterval',
  'echoMode',
  'passiveMode',
  'minimumTtl',
];

export const BFD_INTERVAL_MIN_MS = 10;
export const BFD_INTERVAL_MAX_MS = 60_000;
export const BFD_DETECT_MULTIPLIER_MIN = 2;
export const BFD_DETECT_MULTIPLIER_MAX = 255;
export const BFD_MINIMUM_TTL_MIN = 1;
export const BFD_MINIMUM_TTL_MAX = 254;

/** Defaults documented by MetalLB's CRD and FRR's bfdd. */
export const BFD_DEFAULTS = {
  receiveIntervalMs: 300,
  transmitIntervalMs: 300,
  detectMultiplier: 3,
  echoIntervalMs: 50,
  minimumTtl: 254,
} as const;

export interface ParsedBfdProfile {
  readonly env: ObjectEnvelope;
  readonly profile: BfdProfile;
}

export function parseBfdProfile(
  raw: unknown,
  index: number,
  ctx: ParseContext,
): ParsedBfdProfile | undefined {
  const env = readEnvelope(raw, index, 'BFDProfile', ctx);
  if (!env) return undefined;
  const { r, spec } = env;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const interval = (key: string): number | undefined =>
    readInt(spec, key, 'spec', r, BFD_INTERVAL_MIN_MS, BFD_INTERVAL_MAX_MS);
  const profile: BfdProfile = {
    name: env.name,
    receiveIntervalMs: interval('receiveInterval') ?? BFD_DEFAULTS.receiveIntervalMs,
    transmitIntervalMs: interval('transmitInterval') ?? BFD_DEFAULTS.transmitIntervalMs,
    detectMultiplier:
      readInt(spec, 'detectMultiplier', 'spec', r, BFD_DETECT_MULTIPLIER_MIN, BFD_DETECT_MULTIPLIER_MAX) ??
      BFD_DEFAULTS.detectMultiplier,
    echoIntervalMs: interval('echoInterval') ?? BFD_DEFAULTS.echoIntervalMs,
    echoMode: readBool(spec, 'echoMode', 'spec', r) ?? false,
    passiveMode: readBool(spec, 'passiveMode', 'spec', r) ?? false,
    minimumTtl:
      readInt(spec, 'minimumTtl', 'spec', r, BFD_MINIMUM_TTL_MIN, BFD_MINIMUM_TTL_MAX) ??
      BFD_DEFAULTS.minimumTtl,
  };
  return { env, profile };
}
