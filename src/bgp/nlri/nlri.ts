/**
 * NLRI lists (RFC 4271 §4.3, RFC 4760 §5): each entry is <length in bits, prefix octets>, preceded by a
 * 4-octet Path Identifier on ADD-PATH sessions (RFC 7911 §3). Used for the UPDATE Withdrawn Routes and
 * NLRI fields and inside MP_REACH_NLRI / MP_UNREACH_NLRI. Decoders clear the bits past each length.
 */
import { ADD_PATH_ID_LENGTH, type AfiValue, BITS_PER_OCTET } from '../constants.js';
import { BgpInputError, type BgpWireError } from '../errors.js';
import type { Nlri, Prefix } from '../types.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { addressLength, maxPrefixLength } from './family.js';
import { maskInPlace } from './prefix.js';

/** Builds the error for a syntactically wrong NLRI (the caller knows the field and the RFC 7606 action). */
export type NlriError = (reason: string) => BgpWireError;

const PREFIX_LENGTH_FIELD = 1;
// Module-local copies of the constants used once per prefix (cheaper than a cross-module binding when
// the code runs transpiled to CommonJS, e.g. under tsx).
const PATH_ID_LENGTH = ADD_PATH_ID_LENGTH;
const OCTET_ROUNDING = BITS_PER_OCTET - 1;

function octetsFor(bits: number): number {
  return (bits + OCTET_ROUNDING) >>> 3;
}

export function nlriLength(n: Nlri, addPath: boolean): number {
  return (addPath ? PATH_ID_LENGTH : 0) + PREFIX_LENGTH_FIELD + octetsFor(n.prefix.length);
}

export function nlriListLength(list: readonly Nlri[], addPath: boolean): number {
  let total = 0;
  for (const n of list) total += nlriLength(n, addPath);
  return total;
}

function checkPrefix(p: Prefix, afi: AfiValue, size: number, max: number): void {
  if (p.afi !== afi || p.address.length !== size) {
    throw new BgpInputError('nlri.prefix', `an AFI ${p.afi} prefix cannot be sent as AFI ${afi}`);
  }
  if (!Number.isInteger(p.length) || p.length < 0 || p.length > max) {
    throw new BgpInputError('nlri.prefix', `length ${p.length} is outside 0..${max}`);
  }
}

function encodeOne(w: Writer, n: Nlri, afi: AfiValue, addPath: boolean, size: number, max: number): void {
  checkPrefix(n.prefix, afi, size, max);
  if (addPath) w.u32(n.pathId ?? 0);
  w.u8(n.prefix.length);
  w.bytes(n.prefix.address.subarray(0, octetsFor(n.prefix.length)));
}

export function encodeNlri(w: Writer, n: Nlri, afi: AfiValue, addPath: boolean): void {
  encodeOne(w, n, afi, addPath, addressLength(afi), maxPrefixLength(afi));
}

export function encodeNlriList(w: Writer, list: readonly Nlri[], afi: AfiValue, addPath: boolean): void {
  const size = addressLength(afi);
  const max = maxPrefixLength(afi);
  for (const n of list) encodeOne(w, n, afi, addPath, size, max);
}

function decodeOne(
  r: Reader,
  afi: AfiValue,
  addPath: boolean,
  error: NlriError,
  size: number,
  max: number,
): Nlri {
  if (r.remaining < (addPath ? PATH_ID_LENGTH : 0) + PREFIX_LENGTH_FIELD) {
    throw error(`${r.remaining} octets left, too few for an NLRI`);
  }
  const pathId = addPath ? r.u32() : undefined;
  const length = r.u8();
  if (length > max) throw error(`prefix length ${length} exceeds ${max}`);
  const octets = octetsFor(length);
  if (octets > r.remaining) throw error(`prefix /${length} needs ${octets} octets, ${r.remaining} left`);
  const address = new Uint8Array(size);
  for (let i = 0, at = r.pos; i < octets; i++) address[i] = r.buf[at + i] as number;
  r.skip(octets);
  const prefix: Prefix = { afi, length, address: maskInPlace(address, length) };
  return pathId === undefined ? { prefix } : { prefix, pathId };
}

export function decodeNlri(r: Reader, afi: AfiValue, addPath: boolean, error: NlriError): Nlri {
  return decodeOne(r, afi, addPath, error, addressLength(afi), maxPrefixLength(afi));
}

/** Decodes NLRI until the reader's range is used up. */
export function decodeNlriList(r: Reader, afi: AfiValue, addPath: boolean, error: NlriError): Nlri[] {
  const size = addressLength(afi);
  const max = maxPrefixLength(afi);
  const out: Nlri[] = [];
  while (!r.atEnd()) out.push(decodeOne(r, afi, addPath, error, size, max));
  return out;
}
