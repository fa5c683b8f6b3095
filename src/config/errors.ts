/**
 * Configuration errors: every problem parseConfig finds names the object (kind, namespace/name), the
 * field path inside it (`spec.addresses[2]`) and the reason. `transient` marks errors caused by a
 * reference to an object that may simply not exist yet (a Secret, a BFDProfile, a Community alias), as
 * MetalLB's TransientError does. Errors are collected, never thrown.
 */

export type ResourceKind =
  'IPAddressPool' | 'L2Advertisement' | 'BGPAdvertisement' | 'BGPPeer' | 'BFDProfile' | 'Community' | 'Node';

/** The object an error is about. `name` is `<item N>` when the object has no usable name. */
export interface ObjectRef {
  /** The resource kind, or `ResourceSnapshot` for a problem with the snapshot itself. */
  readonly kind: ResourceKind | 'ResourceSnapshot';
  readonly namespace: string;
  readonly name: string;
}

export interface ConfigError extends ObjectRef {
  /** Field path inside the object, e.g. `spec.addresses[2]`, `metadata.name`; empty for the whole object. */
  readonly path: string;
  readonly reason: string;
  /** The error may go away once a referenced object (Secret, BFDProfile, Community alias) is created. */
  readonly transient?: boolean;
}

/** `IPAddressPool metallb-system/pool-a: spec.addresses[2]: "192.0.2.300/24": ... not an IP address` */
export function formatConfigError(e: ConfigError): string {
  const object = e.namespace ? `${e.namespace}/${e.name}` : e.name;
  const where = e.path ? `${e.path}: ` : '';
  const suffix = e.transient ? ' (transient: may resolve once the referenced object exists)' : '';
  return `${e.kind} ${object}: ${where}${e.reason}${suffix}`;
}

/** Where every parser appends what it finds. Warnings never make a snapshot invalid. */
export interface Findings {
  readonly errors: ConfigError[];
  readonly warnings: ConfigError[];
}

/** Appends errors and warnings about one object; shared by every per-kind parser. */
export class Reporter {
  constructor(
    private readonly findings: Findings,
    readonly ref: ObjectRef,
  ) {}

  error(path: string, reason: string, transient = false): void {
    const e: ConfigError = transient
      ? { ...this.ref, path, reason, transient }
      : { ...this.ref, path, reason };
    this.findings.errors.push(e);
  }

  warn(path: string, reason: string): void {
    this.findings.warnings.push({ ...this.ref, path, reason });
  }

  /** Number of errors recorded so far (to tell whether a step added any). */
  get errorCount(): number {
    return this.findings.errors.length;
  }
}

/**
 * Deterministic order for reporting: by kind (pools first), then by object name; errors about one object
 * keep the order they were found in, which follows the spec's field order (the sort is stable).
 */
export function sortErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compareText(a.name, b.name));
}

const KIND_ORDER: readonly ObjectRef['kind'][] = [
  'ResourceSnapshot',
  'IPAddressPool',
  'L2Advertisement',
  'BGPAdvertisement',
  'BGPPeer',
  'BFDProfile',
  'Community',
  'Node',
];

function kindRank(kind: ObjectRef['kind']): number {
  return KIND_ORDER.indexOf(kind);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
