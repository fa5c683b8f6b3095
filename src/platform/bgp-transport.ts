/**
 * The native TCP transport of bgp-ts-lite sessions: the `TcpTransport` port (src/bgp/session/transport.ts)
 * backed by the addon (tcp-socket.ts, native.ts), so a BgpSession and a BgpListener get what node:net
 * cannot do: TCP MD5 signatures (RFC 2385) per peer, the outgoing TTL (eBGP multihop) and RFC 5082 GTSM
 * (TTL 255 plus a minimum received TTL).
 *
 * - connect: the addon creates the socket, sets key, TTL, minimum TTL and source, then Node connects it.
 * - listen: the addon creates and binds the listening socket with TTL, minimum TTL and every peer key
 *   set BEFORE listen(), so no SYN is ever accepted without its checks; Node then listens on that fd.
 *   Accepted connections inherit all of it. Keys can be added or removed later (setListenerMd5).
 */
import { closeSync } from 'node:fs';
import net from 'node:net';

import type { Md5Peer, TcpConnectOptions, TcpListenOptions, TcpTransport } from '../bgp/session/transport.js';
import { setTcpMd5, tcpSocket, type IpFamily } from './native.js';
import { connectTcp, setListenerMd5 } from './tcp-socket.js';

const LISTEN_BACKLOG = 128;

/** A listen or connect option the native transport cannot use, naming the field and the reason. */
export class BgpTransportOptionError extends Error {
  override readonly name = 'BgpTransportOptionError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

function familyOf(address: string, field: string): IpFamily {
  const family = net.isIP(address);
  if (family === 0)
    throw new BgpTransportOptionError(field, `must be an IP address literal, got '${address}'`);
  return family === 4 ? 4 : 6;
}

/** The family of an outbound socket: the peer's, except an IPv4 peer reached from an IPv6 source. */
function connectFamily(options: TcpConnectOptions): IpFamily {
  const peer = familyOf(options.host, 'host');
  if (options.localAddress === undefined) return peer;
  const local = familyOf(options.localAddress, 'localAddress');
  if (peer === 6 && local === 4) {
    throw new BgpTransportOptionError(
      'localAddress',
      `IPv4 ${options.localAddress} cannot reach IPv6 ${options.host}`,
    );
  }
  return local;
}

function checkMd5Peers(peers: readonly Md5Peer[], listenFamily: IpFamily): void {
  peers.forEach((peer, i) => {
    const family = familyOf(peer.address, `md5Peers[${i}].address`);
    if (family === 6 && listenFamily === 4) {
      throw new BgpTransportOptionError(
        `md5Peers[${i}].address`,
        `IPv6 peer ${peer.address} cannot reach an IPv4 listener`,
      );
    }
    if (peer.password === '')
      throw new BgpTransportOptionError(`md5Peers[${i}].password`, 'must not be empty');
  });
}

/** Creates, configures and binds the listening socket (not yet listening); returns its fd. */
function listeningFd(options: TcpListenOptions): number {
  const family = familyOf(options.host, 'host');
  const peers = options.md5Peers ?? [];
  checkMd5Peers(peers, family);
  const fd = tcpSocket({
    family,
    bindAddress: options.host,
    bindPort: options.port,
    reuseAddr: true,
    ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
    ...(options.minTtl !== undefined ? { minTtl: options.minTtl } : {}),
  });
  try {
    for (const peer of peers) setTcpMd5(fd, peer.address, peer.password);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

function listenOnFd(fd: number, signal: AbortSignal | undefined): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      server.close();
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // Node adopts the bound fd (uv_tcp_open) and calls listen() on it; closing the server closes the fd.
    server.listen({ fd, backlog: LISTEN_BACKLOG, ...(signal !== undefined ? { signal } : {}) });
  });
}

/** TcpTransport with TCP MD5, TTL and GTSM through Herald's native addon (Linux). */
export class NativeTcpTransport implements TcpTransport {
  /** Resolves with the connected socket; an MD5 or GTSM mismatch rejects as a connect timeout (ETIMEDOUT). */
  async connect(options: TcpConnectOptions): Promise<net.Socket> {
    options.signal.throwIfAborted();
    return connectTcp({
      host: options.host,
      port: options.port,
      family: connectFamily(options),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      ...(options.localPort !== undefined ? { localPort: options.localPort } : {}),
      ...(options.md5Password !== undefined && options.md5Password !== ''
        ? { md5Password: options.md5Password }
        : {}),
      ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
      ...(options.minTtl !== undefined ? { minTtl: options.minTtl } : {}),
    });
  }

  /** Resolves with a server listening with every peer key, the TTL and the minimum TTL already set. */
  async listen(options: TcpListenOptions): Promise<net.Server> {
    options.signal?.throwIfAborted();
    // From here on the fd belongs to the server: Node closes it when listening fails or the server closes.
    return listenOnFd(listeningFd(options), options.signal);
  }

  /** Adds, replaces or (password '') removes one peer's key on a listening server. */
  setListenerMd5(server: net.Server, peer: string, password: string): void {
    familyOf(peer, 'peer');
    setListenerMd5(server, peer, password);
  }
}

/** The shared native transport (stateless). */
export const nativeTcpTransport: TcpTransport = new NativeTcpTransport();
