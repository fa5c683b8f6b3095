/**
 * The membership agent's UDP socket over node:dgram: bind (udp4 or udp6 by the bind address), send one
 * datagram as a promise that settles once the kernel took it, wait for a batch of sends (bounded), and
 * close.
 */
import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { isIP } from 'node:net';
import { MembershipAgentError } from './errors.js';

/** Makes the (unbound) socket; tests may hand in their own. */
export type SocketFactory = (type: SocketType) => Socket;

export const defaultSocketFactory: SocketFactory = (type) => createSocket({ type });

export function socketTypeOf(address: string): SocketType {
  return isIP(address) === 6 ? 'udp6' : 'udp4';
}

/** Binds `address`:`port` (0: any free port) exclusively; rejects with a MembershipAgentError. */
export function bindSocket(factory: SocketFactory, address: string, port: number): Promise<Socket> {
  const socket = factory(socketTypeOf(address));
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      closeSocket(socket).finally(() =>
        reject(new MembershipAgentError('bind', `cannot bind UDP ${address} port ${port}: ${error.message}`)),
      );
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Sends one datagram; resolves once written, rejects with the socket's error. */
export function sendDatagram(
  socket: Socket,
  bytes: Uint8Array,
  port: number,
  address: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      socket.send(bytes, port, address, (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/** Waits for `work`, at most `ms` and not past an abort of `signal`. */
export async function settleWithin(work: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    onAbort = resolve;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
