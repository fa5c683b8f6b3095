/**
 * The TCP connections of one session, by FSM connection id: outbound attempts through the transport
 * (answered with `connected` or `connectFailed`), adopted inbound sockets, refused ones, and closing
 * (NOTIFICATION, then FIN, then destroy after the linger time). A connection the FSM closed is forgotten
 * at once, so its late input never reaches the FSM.
 */
import type net from 'node:net';

import type { ConnId } from '../fsm/types.js';
import type { NotificationMessage } from '../types.js';
import type { Clock } from './clock.js';
import { SessionConnection, type ConnectionHandlers } from './connection.js';
import type { TcpConnectOptions, TcpTransport } from './transport.js';

export interface PoolEvents {
  /** The outbound attempt `id` connected (FSM Tcp_CR_Acked). */
  connected(id: ConnId): void;
  /** The outbound attempt `id` failed (FSM TcpConnectionFails). */
  connectFailed(id: ConnId, error: unknown): void;
  /** A NOTIFICATION is about to be written on a closing connection. */
  notificationSent(message: NotificationMessage): void;
}

export class ConnectionPool {
  readonly #conns = new Map<ConnId, SessionConnection>();
  readonly #closing = new Map<SessionConnection, Promise<void>>();

  constructor(
    private readonly transport: TcpTransport,
    private readonly clock: Clock,
    private readonly lingerMs: number,
    private readonly handlers: ConnectionHandlers,
    private readonly events: PoolEvents,
  ) {}

  get(id: ConnId): SessionConnection | undefined {
    return this.#conns.get(id);
  }

  /** Whether `conn` is still the live connection for its id (not closed by the FSM). */
  isCurrent(conn: SessionConnection): boolean {
    return this.#conns.get(conn.id) === conn;
  }

  connect(id: ConnId, options: Omit<TcpConnectOptions, 'signal'>): void {
    const conn = new SessionConnection(id, 'outbound', this.handlers);
    this.#conns.set(id, conn);
    const attempt = Promise.resolve().then(() =>
      this.transport.connect({ ...options, signal: conn.abort.signal }),
    );
    attempt.then(
      (socket) => {
        if (!this.isCurrent(conn) || conn.closed) {
          socket.destroy();
          return;
        }
        conn.attach(socket);
        this.events.connected(id);
      },
      (error: unknown) => {
        if (this.isCurrent(conn)) this.events.connectFailed(id, error);
      },
    );
  }

  adopt(id: ConnId, socket: net.Socket): void {
    const conn = new SessionConnection(id, 'inbound', this.handlers);
    this.#conns.set(id, conn);
    conn.attach(socket);
  }

  /** Refuses an inbound socket the FSM did not adopt: NOTIFICATION, then close. */
  reject(socket: net.Socket, notification: NotificationMessage): void {
    const conn = new SessionConnection(0, 'inbound', this.handlers);
    conn.attach(socket);
    this.#shut(conn, notification);
  }

  /** Closes connection `id` (aborting an attempt); the NOTIFICATION is sent only on a connected socket. */
  close(id: ConnId, notification?: NotificationMessage): void {
    const conn = this.#conns.get(id);
    if (conn === undefined) return;
    this.#conns.delete(id);
    this.#shut(conn, conn.socket === undefined ? undefined : notification);
  }

  #shut(conn: SessionConnection, notification?: NotificationMessage): void {
    if (notification !== undefined) this.events.notificationSent(notification);
    const closing = conn.close(this.clock, this.lingerMs, notification);
    this.#closing.set(conn, closing);
    void closing.finally(() => this.#closing.delete(conn));
  }

  /** Resolves when every closing connection is closed; on abort, destroys them and resolves. */
  async waitClosed(signal?: AbortSignal): Promise<void> {
    if (this.#closing.size === 0) return;
    const all = Promise.all(this.#closing.values()).then(() => undefined);
    if (signal === undefined) return all;
    const aborted = new Promise<void>((resolve) => {
      const onAbort = (): void => {
        for (const conn of this.#closing.keys()) conn.socket?.destroy();
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([all, aborted]);
  }
}
