/**
 * One TCP connection of a session: the socket, the stream framer (RFC 4271 §4.1), decoding with the
 * connection's codec context, encoding of what the FSM sends, and the closing sequence (NOTIFICATION,
 * FIN, then destroy after a linger time if the peer does not close first). It decides nothing: every
 * message or error goes to the session's handlers, which feed the FSM.
 */
import type net from 'node:net';

import { decodeMessage, encodeMessage } from '../codec.js';
import { BGP_EXTENDED_MAX_MESSAGE_LENGTH, BGP_MAX_MESSAGE_LENGTH } from '../constants.js';
import { BgpWireError } from '../errors.js';
import type { ConnId, Direction } from '../fsm/types.js';
import {
  DEFAULT_CODEC_CONTEXT,
  type BgpMessage,
  type CodecContext,
  type NotificationMessage,
} from '../types.js';
import { MessageFramer } from '../wire/framer.js';
import type { Clock } from './clock.js';

export interface ConnectionHandlers {
  message(conn: SessionConnection, message: BgpMessage, warnings: readonly BgpWireError[]): void;
  wireError(conn: SessionConnection, error: BgpWireError): void;
  /** The socket closed or failed while the session still used it. */
  lost(conn: SessionConnection, error: Error | undefined): void;
}

export class SessionConnection {
  readonly abort = new AbortController();
  #codec: CodecContext = DEFAULT_CODEC_CONTEXT;
  #socket: net.Socket | undefined;
  readonly #framer = new MessageFramer(BGP_MAX_MESSAGE_LENGTH);
  #closed = false;
  #error: Error | undefined;

  constructor(
    readonly id: ConnId,
    readonly direction: Direction,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  get socket(): net.Socket | undefined {
    return this.#socket;
  }

  get codec(): CodecContext {
    return this.#codec;
  }

  /** After OPEN negotiation: decode and encode with the session's context, accept RFC 8654 lengths. */
  negotiated(codec: CodecContext): void {
    this.#codec = codec;
    this.#framer.setMaxLength(
      codec.extendedMessage ? BGP_EXTENDED_MAX_MESSAGE_LENGTH : BGP_MAX_MESSAGE_LENGTH,
    );
  }

  attach(socket: net.Socket): void {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => {
      this.#error = error;
    });
    socket.on('close', () => {
      if (!this.#closed) this.handlers.lost(this, this.#error);
    });
  }

  #receive(chunk: Uint8Array): void {
    if (this.#closed) return;
    let frames: Uint8Array[];
    try {
      frames = this.#framer.push(chunk);
    } catch (error) {
      this.#report(error);
      return;
    }
    for (const frame of frames) {
      if (this.#closed) return;
      let decoded;
      try {
        decoded = decodeMessage(frame, this.#codec);
      } catch (error) {
        this.#report(error);
        return;
      }
      this.handlers.message(this, decoded.message, decoded.warnings);
    }
  }

  #report(error: unknown): void {
    if (error instanceof BgpWireError) this.handlers.wireError(this, error);
    else this.handlers.lost(this, error instanceof Error ? error : new Error(String(error)));
  }

  /** Encodes and writes one message; false when the connection is closed or has no socket. */
  send(message: BgpMessage): boolean {
    if (this.#closed || this.#socket === undefined || this.#socket.destroyed) return false;
    this.#socket.write(encodeMessage(message, this.#codec));
    return true;
  }

  /**
   * Stops reading, sends `notification` (if any), half-closes, and destroys the socket when the peer has
   * closed too or after `lingerMs`. Aborts a connection attempt still in progress. Resolves when closed.
   */
  close(clock: Clock, lingerMs: number, notification?: NotificationMessage): Promise<void> {
    this.#closed = true;
    this.abort.abort(new Error(`BGP connection ${this.id} closed`));
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => socket.destroy(), lingerMs);
      socket.once('close', () => {
        clock.clearTimeout(timer);
        resolve();
      });
      if (notification !== undefined) {
        try {
          socket.write(encodeMessage(notification, this.#codec));
        } catch {
          // A NOTIFICATION that cannot be encoded (e.g. data too long) is dropped; the close still happens.
        }
      }
      socket.end();
    });
  }

  /** The local address of the socket in canonical form (IPv4-mapped IPv6 unwrapped, zone removed). */
  get localAddress(): string | undefined {
    return canonicalAddress(this.#socket?.localAddress);
  }
}

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** '::ffff:192.0.2.1' -> '192.0.2.1'; 'fe80::1%eth0' -> 'fe80::1'. */
export function canonicalAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const mapped = V4_MAPPED.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  const zone = address.indexOf('%');
  return zone >= 0 ? address.slice(0, zone) : address;
}
