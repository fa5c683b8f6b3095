/**
 * The contract of one capability family (RFC 5492 §4): it decodes and encodes the capability *value*;
 * registry.ts owns the <code, length> header. A decoder returns undefined for a well-formed value it
 * cannot represent (e.g. an AFI other than IPv4/IPv6), which is then kept as an opaque 'unknown'
 * capability; it throws the error from `malformed` for a value that breaks its RFC's format.
 */
import type { BgpWireError } from '../errors.js';
import type { Capability } from '../types.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export type CapabilityKind = Capability['kind'];
export type CapabilityOf<K extends CapabilityKind> = Extract<Capability, { kind: K }>;
export type Malformed = (reason: string) => BgpWireError;

export interface CapabilitySpec<K extends Exclude<CapabilityKind, 'unknown'>> {
  readonly code: number;
  readonly kind: K;
  /** Name for error messages, as in the IANA registry. */
  readonly name: string;
  decode(r: Reader, malformed: Malformed): CapabilityOf<K> | undefined;
  encode(w: Writer, value: CapabilityOf<K>): void;
  length(value: CapabilityOf<K>): number;
}

/** Checks that a value has exactly `expected` octets, or a whole number of `entry`-octet entries. */
export function expectLength(r: Reader, malformed: Malformed, expected: number): void {
  if (r.remaining !== expected) throw malformed(`length ${r.remaining}, expected ${expected}`);
}

export function expectEntries(r: Reader, malformed: Malformed, header: number, entry: number): number {
  const body = r.remaining - header;
  if (body < 0 || body % entry !== 0) {
    throw malformed(`length ${r.remaining} is not ${header} + a multiple of ${entry}`);
  }
  return body / entry;
}
