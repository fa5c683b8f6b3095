/**
 * BGP Administrative Shutdown Communication (RFC 9003, obsoleting RFC 8203): the Data of a Cease
 * NOTIFICATION with subcode Administrative Shutdown (2) or Administrative Reset (4) may carry a
 * length octet and up to 255 octets of UTF-8 text. Decoding never throws: a bad length or bad UTF-8 is
 * reported as 'malformed' for the log (§5), not as a protocol error.
 */
import { CeaseSubcode, ErrorCode, MAX_SHUTDOWN_COMMUNICATION_LENGTH } from '../constants.js';
import { BgpInputError } from '../errors.js';
import type { NotificationMessage } from '../types.js';
import { copyBytes } from '../wire/reader.js';

export type ShutdownCommunication =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'text';
      readonly text: string;
      /** Octets after the communication. */ readonly trailing: Uint8Array;
    }
  | { readonly kind: 'malformed'; readonly reason: string };

const LENGTH_OCTET = 1;

export function isShutdownCommunicationCease(code: number, subcode: number): boolean {
  return (
    code === ErrorCode.CEASE &&
    (subcode === CeaseSubcode.ADMINISTRATIVE_SHUTDOWN || subcode === CeaseSubcode.ADMINISTRATIVE_RESET)
  );
}

/** Length octet + UTF-8 text; throws BgpInputError when the text exceeds 255 octets. */
export function encodeShutdownCommunication(text: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  if (utf8.length > MAX_SHUTDOWN_COMMUNICATION_LENGTH) {
    throw new BgpInputError('shutdownCommunication', `${utf8.length} octets of UTF-8 exceed 255`);
  }
  const out = new Uint8Array(LENGTH_OCTET + utf8.length);
  out[0] = utf8.length;
  out.set(utf8, LENGTH_OCTET);
  return out;
}

export function decodeShutdownCommunication(data: Uint8Array): ShutdownCommunication {
  if (data.length === 0 || data[0] === 0) return { kind: 'none' };
  const length = data[0] as number;
  if (LENGTH_OCTET + length > data.length) {
    return {
      kind: 'malformed',
      reason: `length ${length} exceeds the ${data.length - LENGTH_OCTET} octets present`,
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      data.subarray(LENGTH_OCTET, LENGTH_OCTET + length),
    );
    return { kind: 'text', text, trailing: copyBytes(data, LENGTH_OCTET + length) };
  } catch {
    return { kind: 'malformed', reason: 'not valid UTF-8' };
  }
}

/** A Cease NOTIFICATION (Administrative Shutdown by default) carrying a shutdown communication. */
export function shutdownNotification(
  text: string,
  subcode: number = CeaseSubcode.ADMINISTRATIVE_SHUTDOWN,
): NotificationMessage {
  const data = text === '' ? new Uint8Array(0) : encodeShutdownCommunication(text);
  return { type: 'notification', code: ErrorCode.CEASE, subcode, data };
}
