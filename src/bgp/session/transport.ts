/**
 * The TCP port of bgp-ts-lite sessions. A session never creates sockets itself: it asks a `TcpTransport`
 * to connect (outbound) or to listen (BgpListener). The default `nodeTcpTransport` uses node:net and
 * supports everything except TCP MD5 (RFC 2385), TTL and minimum TTL (RFC 5082 GTSM), which Node cannot set
 * on a socket before its SYN: it rejects those options with TcpTransportUnsupportedError. An MD5-capable
 * transport (a native addon creates the socket, sets the key/TTL, binds the source, then hands the fd to
 * `net.Socket`) implements the same interface.
 */
import net from 'node:net';

export interface TcpConnectOptions {
  /** Peer IP address literal (IPv4 or IPv6; MD5 keys and GTSM are per address, so no host names). */
  readonly host: string;
  readonly port: number;
  /** Source address to bind before connecting. */
  readonly localAddress?: string;
  /** Source port to bind before connecting. */
  readonly localPort?: number;
  /** RFC 2385 key shared with the peer, set before the SYN. */
  readonly md5Password?: string;
  /** Outgoing TTL / hop limit: eBGP multihop, or 255 for GTSM. */
  readonly ttl?: number;
  /** RFC 5082 GTSM: drop segments that arrive with a lower TTL / hop limit. */
  readonly minTtl?: number;
  /** Give up after this long (the connection attempt rejects). */
  readonly timeoutMs: number;
  /** Aborts the attempt; the promise rejects with the signal's reason and the socket is destroyed. */
  readonly signal: AbortSignal;
}

export interface Md5Peer {
  /** Peer address literal; on a dual-stack listener an IPv4 peer is given in its plain dotted form. */
  readonly address: string;
  readonly password: string;
}

export interface TcpListenOptions {
  /** Local address to listen on ('::' for every address, dual stack). */
  readonly host: string;
  /** 0 picks a free port (read it back from `server.address()`). */
  readonly port: number;
  /** Per-peer RFC 2385 keys set on the listening socket; accepted connections inherit them. */
  readonly md5Peers?: readonly Md5Peer[];
  /** Outgoing TTL of accepted connections (255 for GTSM). */
  readonly ttl?: number;
  /** RFC 5082 GTSM on the listener. */
  readonly minTtl?: number;
  readonly signal?: AbortSignal;
}

export interface TcpTransport {
  /** Resolves with a connected socket, or rejects (refused, unreachable, timeout, abort). */
  connect(options: TcpConnectOptions): Promise<net.Socket>;
  /** Resolves with a listening server; its 'connection' events carry the accepted sockets. */
  listen(options: TcpListenOptions): Promise<net.Server>;
  /** Sets (or with '' removes) the MD5 key for one peer address on a listening server. */
  setListenerMd5(server: net.Server, peer: string, password: string): void;
}

/** The transport cannot do what a session asked for (e.g. TCP MD5 on plain node:net). */
export class TcpTransportUnsupportedError extends Error {
  override readonly name = 'TcpTransportUnsupportedError';
  constructor(readonly option: string) {
    super(
      `the node:net transport cannot set ${option} (Node has no setsockopt before connect): ` +
        'use a TcpTransport backed by the native addon',
    );
  }
}

export class TcpConnectTimeoutError extends Error {
  override readonly name = 'TcpConnectTimeoutError';
  readonly code = 'ETIMEDOUT';
}

function unsupportedOption(options: {
  md5Password?: string;
  md5Peers?: readonly Md5Peer[];
  ttl?: number;
  minTtl?: number;
}): string | undefined {
  if (options.md5Password !== undefined && options.md5Password !== '') return 'a TCP MD5 password (RFC 2385)';
  if (options.md5Peers !== undefined && options.md5Peers.length > 0)
    return 'TCP MD5 keys on a listener (RFC 2385)';
  if (options.ttl !== undefined) return 'the TTL';
  if (options.minTtl !== undefined) return 'a minimum TTL (RFC 5082 GTSM)';
  return undefined;
}

function connectSocket(options: TcpConnectOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: options.host,
      port: options.port,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      ...(options.localPort !== undefined ? { localPort: options.localPort } : {}),
    });
    const fail = (error: unknown): void => {
      cleanup();
      socket.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onAbort = (): void => fail(options.signal.reason);
    const timer = setTimeout(
      () =>
        fail(
          new TcpConnectTimeoutError(
            `connect to ${options.host} port ${options.port} timed out after ${options.timeoutMs} ms`,
          ),
        ),
      options.timeoutMs,
    );
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', fail);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.once('error', fail);
  });
}

function listenServer(options: TcpListenOptions): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({
      host: options.host,
      port: options.port,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  });
}

/** node:net transport: IPv4/IPv6, source address and port, timeout and abort; no MD5/TTL/GTSM. */
export const nodeTcpTransport: TcpTransport = {
  async connect(options) {
    const unsupported = unsupportedOption(options);
    if (unsupported !== undefined) throw new TcpTransportUnsupportedError(unsupported);
    options.signal.throwIfAborted();
    return connectSocket(options);
  },
  async listen(options) {
    const unsupported = unsupportedOption(options);
    if (unsupported !== undefined) throw new TcpTransportUnsupportedError(unsupported);
    return listenServer(options);
  },
  setListenerMd5(_server, _peer, password) {
    if (password !== '') throw new TcpTransportUnsupportedError('TCP MD5 keys on a listener (RFC 2385)');
  },
};
