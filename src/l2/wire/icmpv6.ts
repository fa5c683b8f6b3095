/**
 * ICMPv6 messages (RFC 4443 §2.1: type, code, checksum, body) and the checksum over the IPv6
 * pseudo-header (RFC 8200 §8.1, RFC 4443 §2.3): the 16-bit one's complement of the one's complement sum
 * of source, destination, upper-layer length, three zero octets, next header 58, and the message.
 */
import type { L2Codec } from './codec.js';
import { encodeToBytes } from './codec.js';
import { ICMPV6_CHECKSUM_OFFSET, ICMPV6_HEADER_LENGTH, NextHeader } from './constants.js';
import type { Reader, Writer } from './cursor.js';
import { L2WireError } from './errors.js';

export interface Icmpv6Message {
  readonly type: number;
  readonly code: number;
  /** As read or to be written; `sealIcmpv6` fills in the right value. */
  readonly checksum: number;
  readonly body: Uint8Array;
}

export const icmpv6Codec: L2Codec<Icmpv6Message> = {
  length: (m) => ICMPV6_HEADER_LENGTH + m.body.length,

  encode(w: Writer, m: Icmpv6Message): void {
    w.u8(m.type);
    w.u8(m.code);
    w.u16(m.checksum);
    w.bytes(m.body);
  },

  /** Reads the whole range: an ICMPv6 message ends where its IPv6 payload ends. */
  decode(r: Reader): Icmpv6Message {
    if (r.remaining < ICMPV6_HEADER_LENGTH) {
      throw new L2WireError(
        'icmpv6-truncated',
        'icmpv6',
        `${r.remaining} octets is shorter than the 4-octet header`,
      );
    }
    const type = r.u8();
    const code = r.u8();
    const checksum = r.u16();
    return { type, code, checksum, body: r.bytes(r.remaining) };
  },
};

const WORD_MASK = 0xffff;
const OCTET_BITS = 8;
const OCTET_MASK = 0xff;

function sumWords(bytes: Uint8Array, sum: number, skipAt = -1): number {
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) {
    if (i !== skipAt) sum += ((bytes[i] as number) << OCTET_BITS) | (bytes[i + 1] as number);
  }
  if (even !== bytes.length) sum += (bytes[even] as number) << OCTET_BITS;
  return sum;
}

function fold(sum: number): number {
  while (sum > WORD_MASK) sum = (sum & WORD_MASK) + Math.floor(sum / (WORD_MASK + 1));
  return sum;
}

/**
 * The checksum `message` (the encoded ICMPv6 message) must carry between `source` and `destination`.
 * The message's own checksum field is treated as zero.
 */
export function icmpv6Checksum(source: Uint8Array, destination: Uint8Array, message: Uint8Array): number {
  let sum = sumWords(source, 0);
  sum = sumWords(destination, sum);
  sum += Math.floor(message.length / (WORD_MASK + 1)) + (message.length & WORD_MASK);
  sum += NextHeader.ICMPV6;
  sum = sumWords(message, sum, ICMPV6_CHECKSUM_OFFSET);
  return ~fold(sum) & WORD_MASK;
}

/** True when the checksum carried in `message` is right for this source and destination. */
export function verifyIcmpv6Checksum(
  source: Uint8Array,
  destination: Uint8Array,
  message: Uint8Array,
): boolean {
  if (message.length < ICMPV6_HEADER_LENGTH) return false;
  const carried =
    ((message[ICMPV6_CHECKSUM_OFFSET] as number) << OCTET_BITS) |
    (message[ICMPV6_CHECKSUM_OFFSET + 1] as number);
  const computed = icmpv6Checksum(source, destination, message);
  // One's complement has two zeros: a sum whose complement is 0x0000 may be carried as 0xffff.
  return carried === computed || (computed === 0 && carried === WORD_MASK);
}

/** Writes the right checksum into `message` (an encoded ICMPv6 message, possibly a view into a frame). */
export function fillIcmpv6Checksum(source: Uint8Array, destination: Uint8Array, message: Uint8Array): void {
  const checksum = icmpv6Checksum(source, destination, message);
  message[ICMPV6_CHECKSUM_OFFSET] = checksum >>> OCTET_BITS;
  message[ICMPV6_CHECKSUM_OFFSET + 1] = checksum & OCTET_MASK;
}

/** Encodes `m` with the correct checksum for `source` -> `destination`. */
export function sealIcmpv6(
  source: Uint8Array,
  destination: Uint8Array,
  m: Omit<Icmpv6Message, 'checksum'>,
): Uint8Array {
  const bytes = encodeToBytes(icmpv6Codec, { ...m, checksum: 0 });
  fillIcmpv6Checksum(source, destination, bytes);
  return bytes;
}
