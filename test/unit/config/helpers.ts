/** Builders for metallb.io objects and shortcuts around parseConfig, shared by the config tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { buildSnapshot, expandLists } from '../../../src/cli/validate.js';
import {
  formatConfigError,
  parseConfig,
  type Config,
  type ResourceSnapshot,
} from '../../../src/config/index.js';

export const NS = 'metallb-system';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
}

export function loadFixture(name: string): ResourceSnapshot {
  const docs = parseAllDocuments(readFileSync(fixturePath(name), 'utf8')).flatMap((d) =>
    expandLists(d.toJS()),
  );
  return buildSnapshot(docs).snapshot;
}

function object(
  apiVersion: string,
  kind: string,
  name: string,
  spec?: unknown,
  labels?: Record<string, string>,
) {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
    ...(spec === undefined ? {} : { spec }),
  };
}

export const pool = (name: string, spec: unknown, labels?: Record<string, string>) =>
  object('metallb.io/v1beta1', 'IPAddressPool', name, spec, labels);
export const l2 = (name: string, spec: unknown) =>
  object('metallb.io/v1beta1', 'L2Advertisement', name, spec);
export const bgpAdv = (name: string, spec: unknown) =>
  object('metallb.io/v1beta1', 'BGPAdvertisement', name, spec);
export const peer = (name: string, spec: unknown, version = 'v1beta2') =>
  object(`metallb.io/${version}`, 'BGPPeer', name, spec);
export const bfd = (name: string, spec?: unknown) => object('metallb.io/v1beta1', 'BFDProfile', name, spec);
export const community = (name: string, aliases: unknown) =>
  object('metallb.io/v1beta1', 'Community', name, { communities: aliases });
export const node = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
});
export const secret = (name: string, type: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: NS },
  type,
  data,
});

/** A minimal valid peer spec, to which a test adds or overrides fields. */
export const PEER = { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' };

export function parse(snapshot: ResourceSnapshot) {
  return parseConfig(snapshot, { namespace: NS });
}

/** Every error, formatted, in report order; [] when the snapshot is valid. */
export function errorsOf(snapshot: ResourceSnapshot): string[] {
  const result = parse(snapshot);
  return result.ok ? [] : result.errors.map(formatConfigError);
}

export function warningsOf(snapshot: ResourceSnapshot): string[] {
  const result = parse(snapshot);
  if (!result.ok)
    throw new Error(`expected a valid snapshot:\n${result.errors.map(formatConfigError).join('\n')}`);
  return result.warnings.map(formatConfigError);
}

export function configOf(snapshot: ResourceSnapshot): Config {
  const result = parse(snapshot);
  if (!result.ok)
    throw new Error(`expected a valid snapshot:\n${result.errors.map(formatConfigError).join('\n')}`);
  return result.config;
}

export interface ErrorRow {
  readonly name: string;
  readonly snapshot: ResourceSnapshot;
  /** Formatted errors, exactly (formatConfigError output). */
  readonly want: readonly string[];
}
