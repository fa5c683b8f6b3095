/**
 * Bounds-checked cursors over Uint8Array (protobufjs Reader/Writer style, as in bgp-ts-lite's
 * src/bgp/wire): reading past the end throws the L2WireError the range's owner chose; the Writer writes
 * into a buffer sized in advance by the codec's length().
 */
import { L2WireError } from './errors.js';

export type OverflowError = () => L2WireError;

export const truncated =
  (field: string): OverflowError =>
  () =>
    new L2WireError('truncated', field, 'ends before the field does');

export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    /** Absolute end (exclusive) of the readable range. */
    readonly end: number,
    readonly overflow: OverflowError,
  ) {
    this.pos = start;
  }

  static over(buf: Uint8Array, overflow: OverflowError): Reader {
    return new Reader(buf, 0, buf.length, overflow);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) throw this.overflow();
    this.pos = at + n;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)] as number;
  }

  u16(): number {
    const at = this.need(2);
    return ((this.buf[at] as number) << 8) | (this.buf[at + 1] as number);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.buf;
    return (
      ((b[at] as number) * 0x1000000 +
        (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))) >>>
      0
    );
  }

  /** The next `n` octets as a fresh copy, safe to keep after the receive buffer is reused. */
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.buf.slice(at, at + n);
  }
}

export class Writer {
  pos: number;

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
      // A length() that disagrees with encode() is a bug in Herald, not bad input.
      throw new Error(`l2 writer overflow: ${at + n} > ${this.buf.length}`);
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

  /** Writes `b`, which must be exactly `n` octets long (fixed-size address fields). */
  fixed(b: Uint8Array, n: number, field: string): void {
    if (b.length !== n) throw new L2WireError('bad-value', field, `must be ${n} octets, got ${b.length}`);
    this.bytes(b);
  }
}

function checkRange(v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new L2WireError('bad-value', 'value', `${v} is not an integer in 0..${max}`);
  }
}
