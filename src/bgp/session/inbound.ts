/**
 * What arrives on a connection, as RFC 4271 §8.1 events: decoded messages (Events 19, 24-27 and
 * ROUTE-REFRESH) and decoding errors by their NOTIFICATION code (Events 21, 22, 28).
 */
import { ErrorCode } from '../constants.js';
import type { BgpWireError } from '../errors.js';
import { isVersionError } from '../fsm/notification.js';
import type { ConnId, FsmEvent } from '../fsm/types.js';
import type { BgpMessage } from '../types.js';

export function messageEvent(conn: ConnId, message: BgpMessage): FsmEvent {
  switch (message.type) {
    case 'open':
      return { type: 'BGPOpen', conn, open: message };
    case 'keepalive':
      return { type: 'KeepAliveMsg', conn };
    case 'update':
      return { type: 'UpdateMsg', conn, message };
    case 'route-refresh':
      return { type: 'RouteRefreshMsg', conn, message };
    case 'notification':
      return { type: isVersionError(message) ? 'NotifMsgVerErr' : 'NotifMsg', conn, notification: message };
  }
}

/** Header errors, OPEN errors, and everything else (UPDATE, ROUTE-REFRESH, AFI/SAFI disable) as UpdateMsgErr. */
export function wireErrorEvent(conn: ConnId, error: BgpWireError): FsmEvent {
  const notification = { code: error.code, subcode: error.subcode, data: error.data };
  if (error.code === ErrorCode.MESSAGE_HEADER) return { type: 'BGPHeaderErr', conn, error: notification };
  if (error.code === ErrorCode.OPEN_MESSAGE) return { type: 'BGPOpenMsgErr', conn, error: notification };
  return { type: 'UpdateMsgErr', conn, error: notification };
}
