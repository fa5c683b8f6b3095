/**
 * The public codec API of bgp-ts-lite: whole messages (19-octet header included) to and from bytes.
 *
 * decodeMessage() throws only BgpWireError, and only for errors that end the session: action
 * 'session-reset', or 'afisafi-disable' (RFC 7606 §7.11, carrying `afiSafi`; a session that does not
 * implement AFI/SAFI disable resets instead, which the RFC also allows). Everything RFC 7606 handles
 * without a reset comes back in `warnings`: for 'treat-as-withdraw' the UPDATE's announced routes (NLRI
 * field and MP_REACH_NLRI) have been turned into withdrawals (IPv4 in `withdrawn`, others as
 * MP_UNREACH_NLRI); for 'attribute-discard' the attribute has been dropped.
 *
 * encodeMessage() throws BgpInputError for a value that cannot go on the wire (including a message
 * longer than the session allows: 4096 octets, or 65535 for UPDATE/NOTIFICATION/ROUTE-REFRESH after
 * RFC 8654 negotiation).
 */
import { HeaderSubcode, MessageType } from './constants.js';
import { BgpInputError, type BgpWireError } from './errors.js';
import { maxMessageLength } from './messages/header.js';
import { messageCodec, messageLength, writeMessage } from './messages/message.js';
import type { BgpMessage, CodecContext } from './types.js';
import { decodeContext } from './wire/codec.js';
import { headerError, u16Data } from './wire/notify.js';
import { Reader } from './wire/reader.js';
import { Writer } from './wire/writer.js';

export { messageLength } from './messages/message.js';

export interface DecodeResult {
  readonly message: BgpMessage;
  readonly warnings: readonly BgpWireError[];
}

const TYPE_CODE: Readonly<Record<BgpMessage['type'], number>> = {
  open: MessageType.OPEN,
  update: MessageType.UPDATE,
  notification: MessageType.NOTIFICATION,
  keepalive: MessageType.KEEPALIVE,
  'route-refresh': MessageType.ROUTE_REFRESH,
};

export function encodeMessage(msg: BgpMessage, ctx: CodecContext): Uint8Array {
  const length = messageLength(msg, ctx);
  const max = maxMessageLength(TYPE_CODE[msg.type], ctx);
  if (length > max) {
    throw new BgpInputError(msg.type, `message of ${length} octets exceeds the session maximum ${max}`);
  }
  const w = Writer.alloc(length);
  writeMessage(w, msg, ctx, length);
  if (w.pos !== length) throw new Error(`bgp-ts-lite: wrote ${w.pos} octets, messageLength said ${length}`);
  return w.buf;
}

/** Decodes exactly one whole message (as returned by MessageFramer). */
export function decodeMessage(bytes: Uint8Array, ctx: CodecContext): DecodeResult {
  const overflow = () =>
    headerError(HeaderSubcode.BAD_MESSAGE_LENGTH, u16Data(bytes.length), 'message truncated');
  const r = Reader.over(bytes, overflow);
  const warnings: BgpWireError[] = [];
  const message = messageCodec.decode(r, decodeContext(ctx, warnings));
  if (r.pos !== bytes.length) {
    // The framer hands over whole messages; octets after Length mean the stream was cut wrongly.
    throw headerError(
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      u16Data(r.pos),
      `Length ${r.pos} but ${bytes.length} octets were given`,
    );
  }
  return { message, warnings };
}
