/**
 * TCP helpers for BGP sessions on top of the native addon: an outgoing connection whose socket gets its
 * TCP MD5 key, TTL, GTSM minimum TTL and source address before the SYN (the addon creates the socket,
 * `net.Socket({ fd })` then connects it), and per-peer MD5 / TTL settings on listeners and connections.
 * Node exposes no fd for net objects; the undocumented `_handle.fd` is read in one place (handleFd).
 */
import { closeSync } from 'node:fs';
import net from 'node:net';

import { setMinTtl, setTcpMd5, setTtl, socketOptions, tcpSocket, type IpFamily } from './native.js';

export interface ConnectTcpOptions {
  /** Peer IP address literal (no host names: the MD5 key and GTSM are per address). */
  host: string;
  port: number;
  /** Socket family; an IPv4 host on a family-6 socket is connected as ::ffff:a.b.c.d. */
  family: IpFamily;
  /** RFC 2385 key shared with the peer; up to 80 bytes. */
  md5Password?: string;
  ttl?: number;
  minTtl?: number;
  localAddress?: string;
  localPort?: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** The peer did not complete the handshake in time. With MD5 or GTSM, a key or TTL mismatch looks like this. */
export class TcpConnectTimeoutError extends Error {
  override readonly name = 'TcpConnectTimeoutError';
  readonly code = 'ETIMEDOUT';
}

const PORT_MAX = 65_535;

function checkConnectOptions(options: ConnectTcpOptions): string {
  const hostFamily = net.isIP(options.host);
  if (hostFamily === 0) {
    throw new TypeError(`connectTcp: host must be an IPv4 or IPv6 address, got '${options.host}'`);
  }
  if (options.family !== 4 && options.family !== 6) {
    throw new TypeError(`connectTcp: family must be 4 or 6, got ${String(options.family)}`);
  }
  if (hostFamily === 6 && options.family === 4) {
    throw new TypeError(`connectTcp: host ${options.host} is IPv6 but family is 4`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > PORT_MAX) {
    throw new RangeError(`connectTcp: port must be an integer in [1, ${PORT_MAX}], got ${options.port}`);
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError(`connectTcp: timeoutMs must be a positive number, got ${options.timeoutMs}`);
  }
  // Node connects an IPv6 socket to an IPv4 address only in its mapped form (else EINVAL).
  return hostFamily === 4 && options.family === 6 ? `::ffff:${options.host}` : options.host;
}

/**
 * Opens a TCP connection with MD5/TTL/GTSM/source applied before the first packet. Resolves with the
 * connected socket; rejects with TcpConnectTimeoutError after timeoutMs, with signal.reason on abort, or
 * with the socket error (ECONNREFUSED, EHOSTUNREACH, ...). The socket is destroyed on every failure.
 */
export async function connectTcp(options: ConnectTcpOptions): Promise<net.Socket> {
  const connectHost = checkConnectOptions(options);
  options.signal.throwIfAborted();
  const fd = tcpSocket({
    family: options.family,
    ...(options.md5Password !== undefined && options.md5Password !== ''
      ? { md5: { peer: options.host, key: options.md5Password } }
      : {}),
    ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
    ...(options.minTtl !== undefined ? { minTtl: options.minTtl } : {}),
    ...(options.localAddress !== undefined ? { bindAddress: options.localAddress } : {}),
    ...(options.localPort !== undefined ? { bindPort: options.localPort } : {}),
  });
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return waitForConnect(socket, connectHost, options);
}

function waitForConnect(socket: net.Socket, host: string, options: ConnectTcpOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      cleanup();
      socket.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const onAbort = (): void => fail(options.signal.reason);
    const timer = setTimeout(() => {
      fail(
        new TcpConnectTimeoutError(
          `connect to ${options.host} port ${options.port} timed out after ${options.timeoutMs} ms ` +
            '(no answer: peer unreachable, or a TCP MD5 key / TTL mismatch)',
        ),
      );
    }, options.timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', fail);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.once('error', fail);
    socket.connect({ host, port: options.port });
  });
}

/** The OS fd behind a net.Server or net.Socket (Node 20-24: `_handle.fd`, -1 when closed). */
function handleFd(target: net.Server | net.Socket, what: string): number {
  const handle = (target as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new Error(`${what} has no open socket (not listening / not connected, or already closed)`);
  }
  return fd;
}

function familyOf(fd: number): IpFamily {
  return socketOptions(fd).family;
}

/** Sets (or with '' removes) the MD5 key for `peer` on a listening server; accepted connections inherit it. */
export function setListenerMd5(server: net.Server, peer: string, password: string): void {
  setTcpMd5(handleFd(server, 'server'), peer, password);
}

/** GTSM on a listener: SYNs arriving with a lower TTL/hop limit are dropped; accepted sockets inherit it. */
export function setListenerMinTtl(server: net.Server, ttl: number): void {
  const fd = handleFd(server, 'server');
  setMinTtl(fd, familyOf(fd), ttl);
}

/** Outgoing TTL of a listener's SYN-ACKs and of the connections it accepts (e.g. 255 for GTSM). */
export function setListenerTtl(server: net.Server, ttl: number): void {
  const fd = handleFd(server, 'server');
  setTtl(fd, familyOf(fd), ttl);
}

/** GTSM on an established connection (e.g. one accepted before the listener had it). */
export function setSocketMinTtl(socket: net.Socket, ttl: number): void {
  const fd = handleFd(socket, 'socket');
  setMinTtl(fd, familyOf(fd), ttl);
}

/** Outgoing TTL / hop limit of an established connection. */
export function setSocketTtl(socket: net.Socket, ttl: number): void {
  const fd = handleFd(socket, 'socket');
  setTtl(fd, familyOf(fd), ttl);
}
