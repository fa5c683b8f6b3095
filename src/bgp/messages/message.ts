/**
 * A whole BGP message (header + body) as one WireCodec: the body codec is picked from the type (the
 * dns-packet `record(type)` switch), the header is written with the length computed up front.
 */
import { BGP_HEADER_LENGTH, HeaderSubcode } from '../constants.js';
import type { BgpMessage, CodecContext } from '../types.js';
import type { WireCodec } from '../wire/codec.js';
import type { Writer } from '../wire/writer.js';
import { headerError, u16Data } from '../wire/notify.js';
import type { BodyCodec, MessageOf } from './body.js';
import { readHeader, writeHeader } from './header.js';
import { keepaliveBody } from './keepalive.js';
import { notificationBody } from './notification.js';
import { openBody } from './open.js';
import { routeRefreshBody } from './route-refresh.js';
import { updateBody } from './update.js';

type MessageKind = BgpMessage['type'];

const BODY_BY_TYPE: { readonly [T in MessageKind]: BodyCodec<T> } = {
  open: openBody,
  update: updateBody,
  notification: notificationBody,
  keepalive: keepaliveBody,
  'route-refresh': routeRefreshBody,
};

const BODY_BY_CODE: ReadonlyMap<number, BodyCodec<MessageKind>> = new Map(
  Object.values(BODY_BY_TYPE).map((b) => [b.code, b as BodyCodec<MessageKind>]),
);

function bodyFor<T extends MessageKind>(m: MessageOf<T>): BodyCodec<T> {
  return BODY_BY_TYPE[m.type] as unknown as BodyCodec<T>;
}

/** Length of the whole message, header included. */
export function messageLength(m: BgpMessage, ctx: CodecContext): number {
  return BGP_HEADER_LENGTH + bodyFor(m).length(m, ctx);
}

/** Writes a whole message whose length (from messageLength) is already known. */
export function writeMessage(w: Writer, m: BgpMessage, ctx: CodecContext, length: number): void {
  const body = bodyFor(m);
  writeHeader(w, body.code, length);
  body.encode(w, m, ctx);
}

export const messageCodec: WireCodec<BgpMessage> = {
  encode: (w, m, ctx) => writeMessage(w, m, ctx, messageLength(m, ctx)),
  decode(r, ctx) {
    const header = readHeader(r, ctx);
    const bodyLength = header.length - BGP_HEADER_LENGTH;
    const body = r.sub(bodyLength, () =>
      headerError(
        HeaderSubcode.BAD_MESSAGE_LENGTH,
        u16Data(header.length),
        'message body is shorter than its fields',
      ),
    );
    const codec = BODY_BY_CODE.get(header.type);
    // readHeader has already rejected unknown types; this keeps the lookup total for the type checker.
    if (codec === undefined)
      throw headerError(HeaderSubcode.BAD_MESSAGE_TYPE, Uint8Array.of(header.type), 'type');
    return codec.decode(body, ctx, header);
  },
  length: messageLength,
};
