/**
 * BgpListener: accepts TCP connections on the BGP port and hands each one to the session configured for
 * the remote address (passive sessions depend on it; active ones use it to resolve collisions, RFC 4271
 * §6.8). A connection from an unknown address gets Cease / Connection Rejected (RFC 4486). Per-peer TCP MD5
 * keys are kept on the listening socket through the transport.
 */
import type net from 'node:net';

import { encodeMessage } from '../codec.js';
import { BGP_PORT } from '../constants.js';
import { BgpInputError } from '../errors.js';
import { CONNECTION_REJECTED_NOTIFICATION } from '../fsm/notification.js';
import { formatAddress, parseAddress } from '../nlri/prefix.js';
import { DEFAULT_CODEC_CONTEXT } from '../types.js';
import { canonicalAddress } from './connection.js';
import type { BgpSession } from './session.js';
import { nodeTcpTransport, type TcpTransport } from './transport.js';

export interface BgpListenerInit {
  /** Address to listen on. Default '::' (every address, IPv4 and IPv6). */
  readonly host?: string;
  /** Default 179; 0 picks a free port. */
  readonly port?: number;
  /** Outgoing TTL of accepted connections (255 with GTSM). */
  readonly ttl?: number;
  /** RFC 5082 GTSM minimum TTL on the listener. */
  readonly minTtl?: number;
  /** How long a rejected connection may stay open to flush its NOTIFICATION. Default 3 s. */
  readonly rejectLingerMs?: number;
}

export interface BgpListenerComponents {
  readonly transport?: TcpTransport;
}

/** The key sessions are found by: the canonical text of the address ('::ffff:a.b.c.d' unwrapped). */
export function peerKey(address: string): string {
  return formatAddress(parseAddress(canonicalAddress(address) ?? address));
}

export class BgpListener {
  readonly #init: BgpListenerInit;
  readonly #transport: TcpTransport;
  readonly #sessions = new Map<string, BgpSession>();
  #server: net.Server | undefined;

  constructor(init: BgpListenerInit = {}, components: BgpListenerComponents = {}) {
    this.#init = init;
    this.#transport = components.transport ?? nodeTcpTransport;
  }

  /** The bound address once started (port included, useful with port 0). */
  get address(): net.AddressInfo | undefined {
    const a = this.#server?.address();
    return a !== null && typeof a === 'object' ? a : undefined;
  }

  async start(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#server !== undefined) return;
    const md5Peers = [...this.#sessions.values()]
      .filter((s) => s.md5Password !== undefined && s.md5Password !== '')
      .map((s) => ({ address: s.peerAddress, password: s.md5Password as string }));
    const server = await this.#transport.listen({
      host: this.#init.host ?? '::',
      port: this.#init.port ?? BGP_PORT,
      ...(md5Peers.length > 0 ? { md5Peers } : {}),
      ...(this.#init.ttl !== undefined ? { ttl: this.#init.ttl } : {}),
      ...(this.#init.minTtl !== undefined ? { minTtl: this.#init.minTtl } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    server.on('connection', (socket: net.Socket) => this.#onConnection(socket));
    this.#server = server;
  }

  /** Stops accepting; sessions and their connections are not touched. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Routes connections from `session.peerAddress` to `session`. One session per peer address. */
  add(session: BgpSession): void {
    const key = peerKey(session.peerAddress);
    const existing = this.#sessions.get(key);
    if (existing !== undefined && existing !== session) {
      throw new BgpInputError('peerAddress', `a session for ${key} is already registered with this listener`);
    }
    this.#sessions.set(key, session);
    if (this.#server !== undefined && session.md5Password !== undefined && session.md5Password !== '') {
      this.#transport.setListenerMd5(this.#server, session.peerAddress, session.md5Password);
    }
  }

  remove(session: BgpSession): void {
    const key = peerKey(session.peerAddress);
    if (this.#sessions.get(key) !== session) return;
    this.#sessions.delete(key);
    if (this.#server !== undefined && session.md5Password !== undefined && session.md5Password !== '') {
      this.#transport.setListenerMd5(this.#server, session.peerAddress, '');
    }
  }

  #onConnection(socket: net.Socket): void {
    socket.on('error', () => undefined);
    const remote = socket.remoteAddress;
    const session = remote === undefined ? undefined : this.#sessions.get(peerKey(remote));
    if (session !== undefined) {
      session.acceptConnection(socket);
      return;
    }
    socket.setTimeout(this.#init.rejectLingerMs ?? 3_000, () => socket.destroy());
    socket.on('data', () => undefined);
    socket.end(encodeMessage(CONNECTION_REJECTED_NOTIFICATION, DEFAULT_CODEC_CONTEXT));
  }
}
