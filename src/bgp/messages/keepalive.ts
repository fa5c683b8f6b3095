/** KEEPALIVE (RFC 4271 §4.4): a header alone; header.ts already insists on exactly 19 octets. */
import { MessageType } from '../constants.js';
import type { BodyCodec } from './body.js';

export const keepaliveBody: BodyCodec<'keepalive'> = {
  code: MessageType.KEEPALIVE,
  type: 'keepalive',
  decode: () => ({ type: 'keepalive' }),
  encode() {},
  length: () => 0,
};
