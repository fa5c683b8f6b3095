/**
 * The NOTIFICATIONs the FSM sends and how it reads the ones it receives: Cease with an RFC 9003 shutdown
 * communication (encoded by ../messages/shutdown-communication.ts), Hold Timer Expired, the RFC 6608 FSM error subcode for the state an unexpected message
 * arrived in, and the version-error check behind NotifMsgVerErr (RFC 4271 Event 24).
 */
import { CeaseSubcode, ErrorCode, FsmSubcode, OpenSubcode } from '../constants.js';
import {
  decodeShutdownCommunication,
  encodeShutdownCommunication,
  isShutdownCommunicationCease,
} from '../messages/shutdown-communication.js';
import type { NotificationMessage } from '../types.js';
import type { ConnectionState, ErrorNotification } from './types.js';

const EMPTY = new Uint8Array(0);

export function notification(code: number, subcode: number, data: Uint8Array = EMPTY): NotificationMessage {
  return { type: 'notification', code, subcode, data };
}

export function fromError(error: ErrorNotification): NotificationMessage {
  return notification(error.code, error.subcode, error.data);
}

/** RFC 4271 §6.5: Hold Timer Expired (no subcode). */
export const HOLD_TIMER_EXPIRED_NOTIFICATION = notification(ErrorCode.HOLD_TIMER_EXPIRED, 0);

/** RFC 6608 §3: the Finite State Machine Error subcode for a message unexpected in `state`. */
export function fsmErrorSubcode(state: ConnectionState): number {
  switch (state) {
    case 'OpenSent':
      return FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT;
    case 'OpenConfirm':
      return FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM;
    case 'Established':
      return FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED;
    default:
      return FsmSubcode.UNSPECIFIED;
  }
}

/** An unexpected message in `state` (RFC 6608). */
export function unexpectedMessage(state: ConnectionState): NotificationMessage {
  return notification(ErrorCode.FSM, fsmErrorSubcode(state));
}

/** An unexpected non-message event (a timer that should not run): FSM error, unspecified subcode. */
export const FSM_ERROR_UNSPECIFIED = notification(ErrorCode.FSM, FsmSubcode.UNSPECIFIED);

/**
 * The shutdown communication in a received Cease (Administrative Shutdown/Reset), or undefined when the
 * NOTIFICATION has none or it is malformed (RFC 9003 §5: then it is only logged).
 */
export function shutdownCommunicationOf(message: NotificationMessage): string | undefined {
  if (!isShutdownCommunicationCease(message.code, message.subcode)) return undefined;
  const decoded = decodeShutdownCommunication(message.data);
  return decoded.kind === 'text' ? decoded.text : undefined;
}

/** The Cease a ManualStop sends; Administrative Shutdown unless another subcode is given. */
export function ceaseNotification(subcode?: number, communication?: string): NotificationMessage {
  const sub = subcode ?? CeaseSubcode.ADMINISTRATIVE_SHUTDOWN;
  const data =
    communication !== undefined && communication !== '' && isShutdownCommunicationCease(ErrorCode.CEASE, sub)
      ? encodeShutdownCommunication(communication)
      : EMPTY;
  return notification(ErrorCode.CEASE, sub, data);
}

/** Cease / Connection Rejected (RFC 4486): an inbound connection we will not use. */
export const CONNECTION_REJECTED_NOTIFICATION = notification(
  ErrorCode.CEASE,
  CeaseSubcode.CONNECTION_REJECTED,
);

/** RFC 4271 Event 24: the peer does not support our BGP version. */
export function isVersionError(message: NotificationMessage): boolean {
  return (
    message.code === ErrorCode.OPEN_MESSAGE && message.subcode === OpenSubcode.UNSUPPORTED_VERSION_NUMBER
  );
}
