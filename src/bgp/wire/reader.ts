/**
 * Reader: a bounds-checked cursor over a byte range (protobufjs Reader style). Reading past the end never
 * throws a RangeError: it throws the BgpWireError the owner of the range chose at construction, so a
 * decoder that forgets an explicit length check still fails with the right NOTIFICATION.
 */
import type { BgpWireError } from '../errors.js';

/** Builds the error to throw when a read runs past the end of the range. */
export type OverflowError = () => BgpWireError;

/**
 * A copy of buf[start, end) as a plain Uint8Array. (Buffer#slice would return a view when the input is
 * a Node Buffer, so decoded values would share memory with the socket's chunk.)
 */
export function copyBytes(buf: Uint8Array, start = 0, end = buf.length): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(buf.subarray(start, end));
  return out;
}

export class Reader {
  /** Absolute position in `buf` of the next octet to read. */
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

  /** A reader over all of `buf`. */
  static over(buf: Uint8Array, overflow: OverflowError): Reader {
    return new Reader(buf, 0, buf.length, overflow);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n > this.end - at) throw this.overflow();
    this.pos = at + n;
    return at;
  }

  u8(): number {
    const at = this.need(1);
    return this.buf[at] as number;
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

  /** The next `n` octets as a fresh copy (safe to keep after the input buffer is reused). */
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return copyBytes(this.buf, at, at + n);
  }

  /** The next `n` octets without copying. */
  view(n: number): Uint8Array {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  /** Everything left, copied. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  skip(n: number): void {
    this.need(n);
  }

  /** A reader over the next `n` octets (advancing this one past them), with its own overflow error. */
  sub(n: number, overflow: OverflowError = this.overflow): Reader {
    const at = this.need(n);
    return new Reader(this.buf, at, at + n, overflow);
  }
}
