/**
 * NOTIFICATION (RFC 4271 §4.5): Error code, Error subcode, Data. Any code and subcode decode (the
 * receiver closes the connection regardless); see shutdown-communication.ts for Cease data.
 */
import { MessageType, NOTIFICATION_FIXED_LENGTH } from '../constants.js';
import type { BodyCodec } from './body.js';

export const notificationBody: BodyCodec<'notification'> = {
  code: MessageType.NOTIFICATION,
  type: 'notification',
  decode: (r) => ({ type: 'notification', code: r.u8(), subcode: r.u8(), data: r.rest() }),
  encode(w, m) {
    w.u8(m.code);
    w.u8(m.subcode);
    w.bytes(m.data);
  },
  length: (m) => NOTIFICATION_FIXED_LENGTH + m.data.length,
};
