/**
 * L2Advertisement (metallb.io/v1beta1): ipAddressPools, ipAddressPoolSelectors, nodeSelectors,
 * interfaces, serviceSelectors and preferredNodeSelectors (MetalLB main). Pool references are resolved
 * against the parsed pools by parse.ts (references.ts).
 */
import type { LabelSelector } from '../core/labels.js';
import type { Pool } from '../core/pool.js';
import type { Reporter } from './errors.js';
import {
  checkFields,
  describe,
  isRecord,
  readInt,
  readList,
  readStringList,
  type JsonObject,
} from './fields.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import { resolvePools, type PoolRefs } from './references.js';
import { readSelector, readSelectorList } from './selectors.js';
import type { L2Advertisement, PreferredNodeSelector } from './types.js';

const SPEC_FIELDS = [
  'ipAddressPools',
  'ipAddressPoolSelectors',
  'nodeSelectors',
  'interfaces',
  'serviceSelectors',
  'preferredNodeSelectors',
];
const PREFERRED_FIELDS = ['weight', 'preference'];
export const PREFERRED_WEIGHT_MIN = 1;
export const PREFERRED_WEIGHT_MAX = 100;
/** Linux IFNAMSIZ is 16 including the terminating NUL. */
const IFNAME_MAX = 15;
const IFNAME_FORBIDDEN = /[/:\s]/;

export interface ParsedL2 {
  readonly env: ObjectEnvelope;
  readonly poolRefs: PoolRefs;
  readonly advertisement: Omit<L2Advertisement, 'pools'>;
}

/** Linux `dev_valid_name`: 1..15 bytes, not "." or "..", no "/", ":" or whitespace. */
export function interfaceNameProblem(name: string): string | undefined {
  if (
    name === '.' ||
    name === '..' ||
    IFNAME_FORBIDDEN.test(name) ||
    new TextEncoder().encode(name).length > IFNAME_MAX
  ) {
    return `"${name}" is not a valid interface name (1-15 bytes, no "/", ":" or whitespace)`;
  }
  return undefined;
}

function readInterfaces(spec: JsonObject, r: Reporter): string[] {
  const names = readStringList(spec, 'interfaces', 'spec', r, 'interface');
  names.forEach((name, i) => {
    const problem = interfaceNameProblem(name);
    if (problem) r.error(`spec.interfaces[${i}]`, problem);
  });
  return [...new Set(names)];
}

function readPreferred(spec: JsonObject, r: Reporter): PreferredNodeSelector[] {
  const out: PreferredNodeSelector[] = [];
  readList(spec, 'preferredNodeSelectors', 'spec', r).forEach((item, i) => {
    const path = `spec.preferredNodeSelectors[${i}]`;
    if (!isRecord(item)) {
      r.error(path, `must be an object with weight and preference, got ${describe(item)}`);
      return;
    }
    checkFields(item, PREFERRED_FIELDS, path, r);
    if (item.weight === undefined || item.weight === null) r.error(`${path}.weight`, 'is required');
    const weight = readInt(item, 'weight', path, r, PREFERRED_WEIGHT_MIN, PREFERRED_WEIGHT_MAX);
    const preference = readSelector(item.preference, `${path}.preference`, r);
    if (weight !== undefined && preference) out.push({ weight, preference });
  });
  return out;
}

export function readPoolRefs(spec: JsonObject, r: Reporter): PoolRefs {
  return {
    names: readStringList(spec, 'ipAddressPools', 'spec', r, 'ipAddressPools entry'),
    selectors: readSelectorList(spec, 'ipAddressPoolSelectors', 'spec', r),
  };
}

export function parseL2Advertisement(raw: unknown, index: number, ctx: ParseContext): ParsedL2 | undefined {
  const env = readEnvelope(raw, index, 'L2Advertisement', ctx);
  if (!env) return undefined;
  const { r, spec } = env;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const nodeSelectors: LabelSelector[] = readSelectorList(spec, 'nodeSelectors', 'spec', r);
  const advertisement = {
    name: env.name,
    nodeSelectors,
    interfaces: readInterfaces(spec, r),
    serviceSelectors: readSelectorList(spec, 'serviceSelectors', 'spec', r),
    preferredNodeSelectors: readPreferred(spec, r),
  };
  return { env, poolRefs: readPoolRefs(spec, r), advertisement };
}

export function resolveL2(parsed: ParsedL2, pools: ReadonlyMap<string, Pool>): L2Advertisement {
  return { ...parsed.advertisement, pools: resolvePools(parsed.poolRefs, pools, parsed.env.r) };
}
