/**
 * The contract of a message body codec (one per message type): header.ts and message.ts own the
 * 19-octet header; a body codec sees a reader bounded to its body and the header that framed it.
 */
import type { BgpMessage, CodecContext } from '../types.js';
import type { DecodeContext } from '../wire/codec.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import type { MessageHeader } from './header.js';

export type MessageOf<T extends BgpMessage['type']> = Extract<BgpMessage, { type: T }>;

export interface BodyCodec<T extends BgpMessage['type']> {
  /** MessageType code. */
  readonly code: number;
  readonly type: T;
  decode(r: Reader, ctx: DecodeContext, header: MessageHeader): MessageOf<T>;
  encode(w: Writer, message: MessageOf<T>, ctx: CodecContext): void;
  /** Body length in octets (the message length minus 19). */
  length(message: MessageOf<T>, ctx: CodecContext): number;
}
