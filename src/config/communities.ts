/**
 * Community (metallb.io/v1beta1): named aliases for BGP community values, referenced by name from
 * BGPAdvertisement.spec.communities. Each value is parsed by src/core/community; alias names are unique
 * across every Community object. Also resolves one BGPAdvertisement community entry (alias first, then a
 * literal value), as MetalLB's getCommunityValue does.
 */
import { parseCommunity, type Community } from '../core/community.js';
import { checkFields, describe, isRecord, readList } from './fields.js';
import { readEnvelope, type ObjectEnvelope, type ParseContext } from './meta.js';
import type { Reporter } from './errors.js';

const SPEC_FIELDS = ['communities'];
const ALIAS_FIELDS = ['name', 'value'];

export interface CommunityAlias {
  readonly index: number;
  readonly name: string;
  readonly value: Community;
}

export interface ParsedCommunity {
  readonly env: ObjectEnvelope;
  readonly aliases: readonly CommunityAlias[];
}

function readAlias(item: unknown, path: string, index: number, r: Reporter): CommunityAlias | undefined {
  if (!isRecord(item)) {
    r.error(path, `must be an object with name and value, got ${describe(item)}`);
    return undefined;
  }
  checkFields(item, ALIAS_FIELDS, path, r);
  const { name, value } = item;
  let ok = true;
  if (typeof name !== 'string' || name === '') {
    r.error(`${path}.name`, `is required and must be a non-empty string, got ${describe(name)}`);
    ok = false;
  }
  if (typeof value !== 'string' || value === '') {
    r.error(`${path}.value`, `is required and must be a non-empty string, got ${describe(value)}`);
    return undefined;
  }
  const parsed = parseCommunity(value);
  if (parsed.kind === 'invalid') {
    r.error(`${path}.value`, parsed.reason);
    return undefined;
  }
  return ok ? { index, name: name as string, value: parsed } : undefined;
}

export function parseCommunityObject(
  raw: unknown,
  index: number,
  ctx: ParseContext,
): ParsedCommunity | undefined {
  const env = readEnvelope(raw, index, 'Community', ctx);
  if (!env) return undefined;
  const { r, spec } = env;
  checkFields(spec, SPEC_FIELDS, 'spec', r);
  const aliases: CommunityAlias[] = [];
  readList(spec, 'communities', 'spec', r).forEach((item, i) => {
    const alias = readAlias(item, `spec.communities[${i}]`, i, r);
    if (alias) aliases.push(alias);
  });
  return { env, aliases };
}

/**
 * Builds the alias table from Community objects in name order; a name defined twice (in one object or
 * across objects) is reported at the later definition.
 */
export function aliasTable(objects: readonly ParsedCommunity[]): Map<string, Community> {
  const table = new Map<string, Community>();
  const owner = new Map<string, string>();
  for (const { env, aliases } of objects) {
    for (const alias of aliases) {
      const earlier = owner.get(alias.name);
      if (earlier !== undefined) {
        env.r.error(
          `spec.communities[${alias.index}].name`,
          `duplicate community alias "${alias.name}" (also defined in ${earlier})`,
        );
        continue;
      }
      owner.set(
        alias.name,
        `Community ${env.r.ref.namespace}/${env.name} at spec.communities[${alias.index}]`,
      );
      table.set(alias.name, alias.value);
    }
  }
  return new Map([...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Resolves one community reference: a Community alias name, else a literal value. Text that is neither
 * and does not even look like a community is a transient error (the alias may be created later).
 */
export function resolveCommunity(
  text: string,
  aliases: ReadonlyMap<string, Community>,
  path: string,
  r: Reporter,
): Community | undefined {
  const alias = aliases.get(text);
  if (alias) return alias;
  const parsed = parseCommunity(text);
  if (parsed.kind !== 'invalid') return parsed;
  if (parsed.malformed) {
    r.error(
      path,
      `"${text}" is neither a Community alias nor a community value ("AA:NN", "large:GA:LD1:LD2" or a well-known name)`,
      true,
    );
  } else {
    r.error(path, parsed.reason);
  }
  return undefined;
}
