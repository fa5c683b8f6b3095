/**
 * `herald validate -f FILE [-f FILE...] [--namespace metallb-system]`: reads YAML or JSON manifests
 * (multi-document YAML; `List` objects are expanded), sorts the metallb.io objects (plus Secrets and
 * Nodes) by kind into a snapshot, runs parseConfig and prints either a one-line summary or every error,
 * one per line. Exit status 0 when valid, 1 when not (or when a file cannot be read or parsed).
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { formatConfigError, parseConfig, type Config, type ResourceSnapshot } from '../config/index.js';
import { UsageError, type Command, type CommandIo } from './command.js';

export const DEFAULT_NAMESPACE = 'metallb-system';

const USAGE = `Usage: herald validate -f FILE [-f FILE...] [--namespace NAMESPACE]

Validates MetalLB configuration manifests (IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer,
BFDProfile, Community; Secrets referenced by BGPPeers and Nodes may be included) exactly as Herald
parses them, and prints every error found.

Flags:
  -f, --filename FILE     a YAML or JSON manifest (multi-document YAML and List objects are read); repeatable
  -n, --namespace NAME    the MetalLB namespace (default ${DEFAULT_NAMESPACE}); objects without a namespace are
                          taken to be in it
`;

export interface ValidateArgs {
  readonly files: readonly string[];
  readonly namespace: string;
}

function flagValue(args: readonly string[], i: number, flag: string): string {
  const value = args[i + 1];
  if (value === undefined || value.startsWith('-')) throw new UsageError(`flag ${flag} needs a value`);
  return value;
}

export function parseValidateArgs(args: readonly string[]): ValidateArgs {
  const files: string[] = [];
  let namespace = DEFAULT_NAMESPACE;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] =
      arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const take = (): string => inline ?? flagValue(args, i++, flag);
    if (flag === '-f' || flag === '--filename') files.push(take());
    else if (flag === '-n' || flag === '--namespace') namespace = take();
    else if (flag.startsWith('-')) throw new UsageError(`unknown flag ${flag}`);
    else throw new UsageError(`unexpected argument "${arg}" (use -f FILE)`);
  }
  if (files.length === 0) throw new UsageError('at least one -f FILE is required');
  if (namespace === '') throw new UsageError('--namespace must not be empty');
  return { files, namespace };
}

const LIST_BY_KIND: Readonly<Record<string, keyof ResourceSnapshot>> = {
  'metallb.io/IPAddressPool': 'ipAddressPools',
  'metallb.io/L2Advertisement': 'l2Advertisements',
  'metallb.io/BGPAdvertisement': 'bgpAdvertisements',
  'metallb.io/BGPPeer': 'bgpPeers',
  'metallb.io/BFDProfile': 'bfdProfiles',
  'metallb.io/Community': 'communities',
  '/Secret': 'secrets',
  '/Node': 'nodes',
};

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Expands `List` objects (kind List or any *List with items) into their items. */
export function expandLists(doc: unknown): unknown[] {
  if (
    isObject(doc) &&
    typeof doc.kind === 'string' &&
    doc.kind.endsWith('List') &&
    Array.isArray(doc.items)
  ) {
    return doc.items.flatMap(expandLists);
  }
  return [doc];
}

/** Sorts objects into snapshot lists by apiVersion group and kind; returns the kinds it skipped. */
export function buildSnapshot(objects: readonly unknown[]): {
  snapshot: ResourceSnapshot;
  skipped: string[];
} {
  const lists: Record<string, unknown[]> = {};
  const skipped: string[] = [];
  for (const obj of objects) {
    const kind = isObject(obj) && typeof obj.kind === 'string' ? obj.kind : undefined;
    const apiVersion = isObject(obj) && typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const list = kind === undefined ? undefined : LIST_BY_KIND[`${group}/${kind}`];
    if (list === undefined) {
      skipped.push(kind ?? '(no kind)');
      continue;
    }
    (lists[list] ??= []).push(obj);
  }
  return { snapshot: lists as ResourceSnapshot, skipped };
}

async function readObjects(files: readonly string[], io: CommandIo): Promise<unknown[] | undefined> {
  const objects: unknown[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, { encoding: 'utf8', signal: io.signal });
    } catch (err) {
      io.stderr.write(
        `herald validate: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return undefined;
    }
    for (const [i, doc] of parseAllDocuments(text).entries()) {
      const problem = doc.errors[0];
      if (problem) {
        io.stderr.write(
          `herald validate: ${file}: document ${i + 1} is not valid YAML/JSON: ${problem.message}\n`,
        );
        return undefined;
      }
      const value: unknown = doc.toJS();
      if (value !== null && value !== undefined) objects.push(...expandLists(value));
    }
  }
  return objects;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export function summary(config: Config): string {
  return [
    count(config.pools.size, 'pool'),
    count(config.l2Advertisements.size, 'L2 advertisement'),
    count(config.bgpAdvertisements.size, 'BGP advertisement'),
    count(config.bgpPeers.size, 'BGP peer'),
    count(config.bfdProfiles.size, 'BFD profile'),
    count(config.communities.size, 'community alias', 'community aliases'),
  ].join(', ');
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const { files, namespace } = parseValidateArgs(args);
  const objects = await readObjects(files, io);
  if (!objects) return 1;
  const { snapshot, skipped } = buildSnapshot(objects);
  if (skipped.length > 0) {
    io.stderr.write(
      `herald validate: ignored ${count(skipped.length, 'object')} of other kinds: ${[...new Set(skipped)].join(', ')}\n`,
    );
  }
  const result = parseConfig(snapshot, { namespace });
  if (!result.ok) {
    for (const e of result.errors) io.stdout.write(`${formatConfigError(e)}\n`);
    io.stdout.write(`invalid: ${count(result.errors.length, 'error')}\n`);
    return 1;
  }
  for (const w of result.warnings) io.stdout.write(`warning: ${formatConfigError(w)}\n`);
  io.stdout.write(`valid: ${summary(result.config)}\n`);
  return 0;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check MetalLB configuration manifests the way Herald parses them',
  usage: USAGE,
  run,
};
