/**
 * MessageFramer: turns a TCP byte stream into whole BGP messages (BIRD `bgp_rx`). It checks the two
 * header fields that framing depends on, the Marker and the Length (RFC 4271 §6.1), and buffers partial
 * messages across chunks. Everything else in the header is left to decodeMessage().
 *
 * After push() throws, the framer stays failed (every later push() throws the same error): the
 * connection has to be closed after sending the error's NOTIFICATION.
 *
 * Returned messages may share memory with the chunk that was pushed; the framer never writes to them.
 */
import {
  BGP_HEADER_LENGTH,
  BGP_MARKER_LENGTH,
  BGP_MARKER_OCTET,
  BGP_MAX_MESSAGE_LENGTH,
  HeaderSubcode,
} from '../constants.js';
import type { BgpWireError } from '../errors.js';
import { EMPTY_DATA, headerError, u16Data } from './notify.js';
import { copyBytes } from './reader.js';

const INITIAL_CAPACITY = BGP_MAX_MESSAGE_LENGTH;
const INCOMPLETE = -1;

export class MessageFramer {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private failure: BgpWireError | undefined;

  constructor(private maxLength: number = BGP_MAX_MESSAGE_LENGTH) {}

  /** Raises (or lowers) the largest acceptable message, e.g. to 65535 after RFC 8654 negotiation. */
  setMaxLength(maxLength: number): void {
    this.maxLength = maxLength;
  }

  /** Octets received but not yet returned as part of a whole message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Adds a chunk of the stream and returns the whole messages now available, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.buffered === 0 ? this.takeFromChunk(chunk) : this.takeFromBuffer(chunk);
    } catch (e) {
      this.failure = e as BgpWireError;
      throw e;
    }
  }

  /** Fast path: nothing buffered, so whole messages are views of the chunk itself. */
  private takeFromChunk(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let pos = 0;
    for (;;) {
      const length = this.frameLength(chunk, pos, chunk.length);
      if (length === INCOMPLETE || pos + length > chunk.length) break;
      out.push(chunk.subarray(pos, pos + length));
      pos += length;
    }
    if (pos < chunk.length) this.append(chunk.subarray(pos));
    return out;
  }

  private takeFromBuffer(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk);
    const out: Uint8Array[] = [];
    for (;;) {
      const length = this.frameLength(this.buf, this.start, this.end);
      if (length === INCOMPLETE || this.start + length > this.end) break;
      // Copied: the internal buffer is reused for the next chunks.
      out.push(copyBytes(this.buf, this.start, this.start + length));
      this.start += length;
    }
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  /** The Length of the message at `pos`, validated, or INCOMPLETE when the header is not all there. */
  private frameLength(buf: Uint8Array, pos: number, end: number): number {
    const markerEnd = Math.min(pos + BGP_MARKER_LENGTH, end);
    for (let i = pos; i < markerEnd; i++) {
      if (buf[i] !== BGP_MARKER_OCTET) {
        throw headerError(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED, EMPTY_DATA, 'marker is not all ones');
      }
    }
    if (end - pos < BGP_HEADER_LENGTH) return INCOMPLETE;
    const at = pos + BGP_MARKER_LENGTH;
    const length = ((buf[at] as number) << 8) | (buf[at + 1] as number);
    if (length < BGP_HEADER_LENGTH || length > this.maxLength) {
      throw headerError(
        HeaderSubcode.BAD_MESSAGE_LENGTH,
        u16Data(length),
        `message length ${length} is outside ${BGP_HEADER_LENGTH}..${this.maxLength}`,
      );
    }
    return length;
  }

  private append(data: Uint8Array): void {
    const size = this.end - this.start;
    if (this.start > 0 && this.start + size + data.length > this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = size;
    }
    if (this.end + data.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(INITIAL_CAPACITY, 2 * (this.end + data.length)));
      grown.set(this.buf.subarray(0, this.end));
      this.buf = grown;
    }
    this.buf.set(data, this.end);
    this.end += data.length;
  }
}
