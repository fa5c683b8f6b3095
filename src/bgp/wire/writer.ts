/**
 * Writer: a cursor that writes into a buffer sized in advance (dns-packet "compute the size, then
 * allocate once"), with protobufjs fork/ldelim-style length back-patching: `beginLength(octets)` reserves
 * a length field, `endLength()` fills it with the number of octets written since.
 */
import { BgpInputError } from '../errors.js';

const MAX_BY_OCTETS = [0, 0xff, 0xffff] as const;

export class Writer {
  pos: number;
  /** Open length fields, innermost last: position and size, flattened. */
  private readonly slots: number[] = [];

  constructor(
    readonly buf: Uint8Array,
    offset = 0,
  ) {
    this.pos = offset;
  }

  static alloc(length: number): Writer {
    return new Writer(new Uint8Array(length));
  }

  private room(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      // A length() that disagrees with encode() is a bug in bgp-ts-lite, not bad input.
      throw new Error(`bgp-ts-lite writer overflow: ${at + n} > ${this.buf.length}`);
    }
    this.pos = at + n;
    return at;
  }

  u8(v: number): void {
    checkRange(v, 0xff);
    this.buf[this.room(1)] = v;
  }

  u16(v: number): void {
    checkRange(v, 0xffff);
    const at = this.room(2);
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v & 0xff;
  }

  u32(v: number): void {
    checkRange(v, 0xffffffff);
    const at = this.room(4);
    this.buf[at] = v >>> 24;
    this.buf[at + 1] = (v >>> 16) & 0xff;
    this.buf[at + 2] = (v >>> 8) & 0xff;
    this.buf[at + 3] = v & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.room(b.length));
  }

  /** Reserves a 1- or 2-octet length field, to be filled by the matching endLength(). */
  beginLength(octets: 1 | 2): void {
    this.slots.push(this.room(octets), octets);
  }

  /** Back-patches the innermost open length field with the octets written since beginLength(). */
  endLength(): void {
    const octets = this.slots.pop() as 1 | 2 | undefined;
    const at = this.slots.pop();
    if (octets === undefined || at === undefined)
      throw new Error('bgp-ts-lite writer: endLength() without beginLength()');
    const length = this.pos - at - octets;
    if (length > MAX_BY_OCTETS[octets]) {
      throw new BgpInputError('length', `${length} octets do not fit a ${octets}-octet length field`);
    }
    if (octets === 1) {
      this.buf[at] = length;
    } else {
      this.buf[at] = length >>> 8;
      this.buf[at + 1] = length & 0xff;
    }
  }
}

function checkRange(v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new BgpInputError('value', `${v} is not an integer in 0..${max}`);
  }
}
