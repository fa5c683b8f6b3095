/**
 * UDP sockets for BFD (RFC 5881 single-hop, RFC 5883 multihop) over node:dgram: the receive socket on
 * the well-known port, and per session a send socket bound to a source port from 49152–65535 that is
 * kept for the session's life, sending with TTL / hop limit 255.
 */
import { createSocket, type Socket } from 'node:dgram';
import { BFD_SINGLE_HOP_TTL } from '../codec/index.js';
import type { AddressFamily } from './address.js';
import { BfdSocketError } from './errors.js';
import type { BfdTransport } from './session.js';

export interface BindOptions {
  readonly family: AddressFamily;
  readonly address: string;
  readonly port: number;
}

/** Opens a UDP socket of `family` bound to `address`:`port` (IPv6 sockets are IPv6-only). */
export function bindUdp(options: BindOptions): Promise<Socket> {
  const socket = createSocket(
    options.family === 'IPv4' ? { type: 'udp4' } : { type: 'udp6', ipv6Only: true },
  );
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      socket.close();
      reject(
        new BfdSocketError(
          'bind',
          `cannot bind UDP ${options.address} port ${options.port}: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    };
    socket.once('error', onError);
    socket.bind({ address: options.address, port: options.port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export interface SourcePortOptions {
  readonly family: AddressFamily;
  readonly address: string;
  readonly min: number;
  readonly max: number;
  readonly random: () => number;
  readonly attempts: number;
}

/** Binds a send socket to a random free port in [min, max] and sets TTL 255 (RFC 5881 §4, §5). */
export async function bindSourcePort(options: SourcePortOptions): Promise<Socket> {
  const span = options.max - options.min + 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < options.attempts; attempt += 1) {
    const port = options.min + (Math.floor(options.random() * span) % span);
    try {
      const socket = await bindUdp({ family: options.family, address: options.address, port });
      socket.setTTL(BFD_SINGLE_HOP_TTL);
      return socket;
    } catch (error) {
      lastError = error;
    }
  }
  throw new BfdSocketError(
    'bind-source-port',
    `no free source port in ${options.min}..${options.max} after ${options.attempts} attempts`,
    { cause: lastError },
  );
}

/** How long `close()` waits for sends still in flight (the AdminDown of `stop()`) before closing. */
const CLOSE_DRAIN_TIMEOUT_MS = 1_000;

/**
 * The transport of one session: sends to the peer's BFD port and reports errors through the callback.
 * `close()` lets sends already handed to the socket finish first, so the AdminDown of a stop gets out.
 */
export function udpTransport(socket: Socket, peerAddress: string, peerPort: number): BfdTransport {
  let closed = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const settle = (): void => {
    inFlight -= 1;
    if (inFlight === 0) drained?.();
  };
  return {
    send(packet, callback) {
      if (closed) {
        callback(new BfdSocketError('send', 'the session transport is closed'));
        return;
      }
      try {
        inFlight += 1;
        socket.send(packet, peerPort, peerAddress, (error) => {
          settle();
          callback(error ?? null);
        });
      } catch (error) {
        settle();
        callback(error instanceof Error ? error : new BfdSocketError('send', String(error)));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_DRAIN_TIMEOUT_MS);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      await closeSocket(socket);
    },
  };
}

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
