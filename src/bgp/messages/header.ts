/**
 * The message header (RFC 4271 §4.1): Marker (16 octets of ones), Length, Type, checked in the order of
 * §6.1: Connection Not Synchronized, Bad Message Length (data: the Length field), Bad Message Type
 * (data: the Type field). Lengths are bounded per type: the RFC minimums, and 4096 unless RFC 8654
 * extended messages were negotiated, which never applies to OPEN and KEEPALIVE (RFC 8654 §4).
 */
import {
  BGP_EXTENDED_MAX_MESSAGE_LENGTH,
  BGP_HEADER_LENGTH,
  BGP_MARKER_LENGTH,
  BGP_MARKER_OCTET,
  BGP_MAX_MESSAGE_LENGTH,
  HeaderSubcode,
  MessageType,
  MinMessageLength,
} from '../constants.js';
import type { CodecContext } from '../types.js';
import { EMPTY_DATA, headerError, u16Data } from '../wire/notify.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export interface MessageHeader {
  /** Absolute position of the first Marker octet. */
  readonly start: number;
  readonly length: number;
  readonly type: number;
}

const MIN_LENGTH: Readonly<Record<number, number>> = {
  [MessageType.OPEN]: MinMessageLength.OPEN,
  [MessageType.UPDATE]: MinMessageLength.UPDATE,
  [MessageType.NOTIFICATION]: MinMessageLength.NOTIFICATION,
  [MessageType.KEEPALIVE]: MinMessageLength.KEEPALIVE,
  [MessageType.ROUTE_REFRESH]: MinMessageLength.ROUTE_REFRESH,
};

/** The largest Length acceptable for a message type on a session. */
export function maxMessageLength(type: number, ctx: CodecContext): number {
  if (type === MessageType.OPEN || type === MessageType.KEEPALIVE || !ctx.extendedMessage) {
    return BGP_MAX_MESSAGE_LENGTH;
  }
  return BGP_EXTENDED_MAX_MESSAGE_LENGTH;
}

function badLength(length: number, reason: string) {
  return headerError(
    HeaderSubcode.BAD_MESSAGE_LENGTH,
    u16Data(length),
    `message length ${length}: ${reason}`,
  );
}

export function readHeader(r: Reader, ctx: CodecContext): MessageHeader {
  const start = r.pos;
  if (r.remaining < BGP_HEADER_LENGTH) throw badLength(r.remaining, 'shorter than the 19-octet header');
  const marker = r.view(BGP_MARKER_LENGTH);
  const ones = BGP_MARKER_OCTET;
  for (let i = 0; i < marker.length; i++) {
    if (marker[i] !== ones) {
      throw headerError(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED, EMPTY_DATA, 'marker is not all ones');
    }
  }
  const length = r.u16();
  const type = r.u8();
  const extendedMax = ctx.extendedMessage ? BGP_EXTENDED_MAX_MESSAGE_LENGTH : BGP_MAX_MESSAGE_LENGTH;
  if (length < BGP_HEADER_LENGTH || length > extendedMax)
    throw badLength(length, 'outside the allowed range');
  const min = MIN_LENGTH[type];
  if (min === undefined) {
    throw headerError(HeaderSubcode.BAD_MESSAGE_TYPE, Uint8Array.of(type), `message type ${type}`);
  }
  if (type === MessageType.KEEPALIVE && length !== MinMessageLength.KEEPALIVE) {
    throw badLength(length, 'a KEEPALIVE is exactly 19 octets');
  }
  if (length < min) throw badLength(length, `below the minimum ${min} for type ${type}`);
  if (length > maxMessageLength(type, ctx)) throw badLength(length, `above the maximum for type ${type}`);
  if (length - BGP_HEADER_LENGTH > r.remaining)
    throw badLength(length, `only ${r.remaining} body octets present`);
  return { start, length, type };
}

const MARKER = new Uint8Array(BGP_MARKER_LENGTH).fill(BGP_MARKER_OCTET);

export function writeHeader(w: Writer, type: number, length: number): void {
  w.bytes(MARKER);
  w.u16(length);
  w.u8(type);
}
