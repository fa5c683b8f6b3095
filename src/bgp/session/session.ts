/**
 * BgpSession: one BGP peer, the I/O adapter around the pure FSM (../fsm). It turns sockets, decoded
 * messages and clock timers into FSM events, executes the FSM's actions (connect, send, close, timers),
 * and exports the caller's desired routes while Established (setRoutes, diffed against what was sent).
 * The constructor validates and stores; nothing happens until start(). Events are typed (BgpSessionEvents).
 */
import type net from 'node:net';

import { CeaseSubcode } from '../constants.js';
import { BgpInputError, type BgpWireError } from '../errors.js';
import { shutdownCommunicationOf } from '../fsm/notification.js';
import { encodeShutdownCommunication } from '../messages/shutdown-communication.js';
import { initialState, peerState, step } from '../fsm/reducer.js';
import type {
  BgpState,
  ConnId,
  FsmAction,
  FsmEvent,
  FsmState,
  Negotiated,
  StateReason,
} from '../fsm/types.js';
import type { Route } from '../rib/route.js';
import type { AfiSafi, BgpMessage, NotificationMessage } from '../types.js';
import { systemClock, type Clock } from './clock.js';
import { canonicalAddress, type ConnectionHandlers, type SessionConnection } from './connection.js';
import { TypedEmitter } from './emitter.js';
import type { BgpSessionEvents, BgpSessionStats, ConnectionInfo, StopOptions } from './events.js';
import { exportContextFor, RouteExporter, type FlushOptions } from './exporter.js';
import { messageEvent, wireErrorEvent } from './inbound.js';
import { resolveSessionOptions, type BgpSessionInit, type ResolvedSessionOptions } from './options.js';
import { ReceivedRoutes } from './received.js';
import { TimerTable } from './timers.js';
import { ConnectionPool } from './pool.js';
import { nodeTcpTransport, type TcpConnectOptions, type TcpTransport } from './transport.js';

/** The Error Subcode field is one octet (RFC 4271 §4.5). */
const MAX_SUBCODE = 0xff;

export interface BgpSessionComponents {
  /** Default: node:net (no TCP MD5 / TTL / GTSM). */
  readonly transport?: TcpTransport;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for timer jitter. Default Math.random. */
  readonly random?: () => number;
}

interface QueueItem {
  readonly event: FsmEvent;
  /** The inbound socket of a TcpConnectionConfirmed event. */
  readonly socket?: net.Socket;
}

interface Counters {
  establishedCount: number;
  updatesSent: number;
  notificationsSent: number;
  notificationsReceived: number;
  lastReason?: StateReason;
}

export class BgpSession extends TypedEmitter<BgpSessionEvents> {
  readonly #options: ResolvedSessionOptions;
  readonly #transport: TcpTransport;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #timers: TimerTable;
  readonly #pool: ConnectionPool;
  readonly #exporter = new RouteExporter();
  readonly #received = new ReceivedRoutes();
  readonly #counters: Counters = {
    establishedCount: 0,
    updatesSent: 0,
    notificationsSent: 0,
    notificationsReceived: 0,
  };
  readonly #queue: QueueItem[] = [];
  #fsm: FsmState;
  #processing = false;
  #flushScheduled = false;
  #establishedOn: { conn: ConnId; negotiated: Negotiated } | undefined;

  /** Validates `init` (BgpInputError naming the field); does no I/O. */
  constructor(init: BgpSessionInit, components: BgpSessionComponents = {}) {
    super();
    this.#options = resolveSessionOptions(init);
    this.#transport = components.transport ?? nodeTcpTransport;
    this.#clock = components.clock ?? systemClock;
    this.#random = components.random ?? Math.random;
    this.#timers = new TimerTable(this.#clock, (event) => this.#dispatch({ event }));
    this.#pool = new ConnectionPool(
      this.#transport,
      this.#clock,
      this.#options.closeLingerMs,
      this.#handlers(),
      {
        connected: (id) => this.#dispatch({ event: { type: 'Tcp_CR_Acked', conn: id } }),
        connectFailed: (id, error) => {
          const text = error instanceof Error ? error.message : String(error);
          const port = this.#options.peerPort;
          this.emit('warning', {
            message: `connect to ${this.peerAddress} port ${port} failed: ${text}`,
            cause: error,
          });
          this.#dispatch({ event: { type: 'TcpConnectionFails', conn: id } });
        },
        notificationSent: (message) => {
          this.#counters.notificationsSent++;
          this.#emitNotification('sent', message);
        },
      },
    );
    this.#fsm = initialState(this.#options.fsm);
  }

  get peerAddress(): string {
    return this.#options.init.peerAddress;
  }

  get md5Password(): string | undefined {
    return this.#options.init.md5Password;
  }

  get state(): BgpState {
    return peerState(this.#fsm);
  }

  /** What was negotiated with the peer while Established. */
  get negotiated(): Negotiated | undefined {
    return this.#establishedOn?.negotiated;
  }

  get stats(): BgpSessionStats {
    const c = this.#counters;
    return {
      state: this.state,
      ...(c.lastReason !== undefined ? { lastReason: c.lastReason } : {}),
      establishedCount: c.establishedCount,
      updatesReceived: this.#received.updates,
      updatesSent: c.updatesSent,
      receivedPrefixes: this.#received.count,
      advertisedPrefixes: this.#exporter.advertisedCount,
      notificationsSent: c.notificationsSent,
      notificationsReceived: c.notificationsReceived,
    };
  }

  /** ManualStart (or ManualStart_with_PassiveTcpEstablishment for passive sessions). */
  start(): void {
    const passive = this.#options.init.passive === true;
    this.#dispatch({ event: { type: passive ? 'ManualStart_with_PassiveTcpEstablishment' : 'ManualStart' } });
  }

  /**
   * ManualStop: Cease (Administrative Shutdown with the RFC 9003 communication, or the given subcode) on
   * every connection, or no NOTIFICATION at all for a graceful restart. Resolves when the connections are
   * closed. Throws BgpInputError for a communication longer than 255 octets.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (options.shutdownCommunication !== undefined)
      encodeShutdownCommunication(options.shutdownCommunication);
    this.#dispatch({
      event: {
        type: 'ManualStop',
        ...(options.subcode !== undefined ? { subcode: options.subcode } : {}),
        ...(options.shutdownCommunication !== undefined
          ? { communication: options.shutdownCommunication }
          : {}),
        ...(options.gracefulRestart === true ? { silent: true } : {}),
      },
    });
    // Called from an event listener, the stop is queued behind the event being processed: let it run.
    if (this.#processing) await Promise.resolve();
    await this.#pool.waitClosed(options.signal);
    this.#timers.stopAll();
  }

  /**
   * RFC 4271 Event 8 (AutomaticStop) requested by a local component, e.g. BFD Down (RFC 9687, see
   * bfd-binding.ts): Cease with `subcode` on every connection, then Idle and an automatic restart after
   * the IdleHoldTimer back-off. Ignored while Idle or stopped. Throws BgpInputError for a subcode outside
   * 1..255 or a communication longer than 255 octets.
   */
  automaticStop(subcode: number, communication?: string): void {
    if (!Number.isInteger(subcode) || subcode < 1 || subcode > MAX_SUBCODE) {
      throw new BgpInputError('subcode', `must be a Cease subcode in 1..${MAX_SUBCODE}, got ${subcode}`);
    }
    if (communication !== undefined) encodeShutdownCommunication(communication);
    this.#dispatch({
      event: { type: 'AutomaticStop', subcode, ...(communication !== undefined ? { communication } : {}) },
    });
  }

  /**
   * The routes to announce (desired state). Diffed against what the peer has and sent when Established;
   * after every (re)connection the full set is sent, then End-of-RIB. Throws BgpInputError for a bad route.
   */
  setRoutes(routes: Iterable<Route>): void {
    this.#exporter.setRoutes(routes);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush({});
    });
  }

  /** Hands over a connection the peer opened to us (from a BgpListener). */
  acceptConnection(socket: net.Socket): void {
    this.#dispatch({ event: { type: 'TcpConnectionConfirmed' }, socket });
  }

  /** The TCP endpoints of the Established connection. */
  get connection(): ConnectionInfo | undefined {
    const on = this.#establishedOn;
    const socket = on === undefined ? undefined : this.#pool.get(on.conn)?.socket;
    if (on === undefined || socket === undefined) return undefined;
    return {
      direction: this.#pool.get(on.conn)?.direction ?? 'outbound',
      localAddress: canonicalAddress(socket.localAddress) ?? '',
      localPort: socket.localPort ?? 0,
      remoteAddress: canonicalAddress(socket.remoteAddress) ?? '',
      remotePort: socket.remotePort ?? 0,
    };
  }

  /**
   * Asks the peer to send its routes of `family` again (RFC 2918). Returns false when not Established, or
   * when the peer did not advertise route refresh or the family was not negotiated.
   */
  requestRouteRefresh(family: AfiSafi): boolean {
    const on = this.#establishedOn;
    if (on === undefined || !on.negotiated.peerRouteRefresh) return false;
    if (!on.negotiated.families.some((f) => f.afi === family.afi && f.safi === family.safi)) return false;
    const message = { type: 'route-refresh', afi: family.afi, safi: family.safi, subtype: 0 } as const;
    return this.#pool.get(on.conn)?.send(message) ?? false;
  }

  /** Running FSM timers ("HoldTimer#2"), for tests and diagnostics. */
  runningTimers(): string[] {
    return this.#timers.running();
  }

  // ------------------------------------------------------------------ FSM driving

  #dispatch(item: QueueItem): void {
    this.#queue.push(item);
    if (this.#processing) return;
    this.#processing = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) this.#run(next);
    } finally {
      this.#processing = false;
    }
  }

  #run(item: QueueItem): void {
    const result = step(this.#fsm, item.event, { now: this.#clock.now(), random: this.#random });
    this.#fsm = result.state;
    for (const action of result.actions) {
      try {
        this.#execute(action, item);
      } catch (error) {
        // A failing action (e.g. a message the encoder refuses) must not take the event loop down.
        this.emit('warning', { message: `could not ${action.type}: ${String(error)}`, cause: error });
      }
    }
    if (
      item.socket !== undefined &&
      !result.actions.some((a) => a.type === 'accept' || a.type === 'reject')
    ) {
      item.socket.destroy();
    }
  }

  #execute(action: FsmAction, item: QueueItem): void {
    switch (action.type) {
      case 'connect':
        return this.#pool.connect(action.conn, this.#connectOptions());
      case 'accept':
        if (item.socket !== undefined) this.#pool.adopt(action.conn, item.socket);
        return;
      case 'reject':
        if (item.socket !== undefined) this.#pool.reject(item.socket, action.notification);
        return;
      case 'send':
        this.#pool.get(action.conn)?.send(action.message);
        return;
      case 'close':
        this.#timers.stopConnection(action.conn);
        return this.#pool.close(action.conn, action.notification);
      case 'startTimer':
        return this.#timers.start(action.timer, action.durationMs, action.conn);
      case 'stopTimer':
        return this.#timers.stop(action.timer, action.conn);
      case 'stateChange':
        return this.#stateChanged(action.from, action.to, action.reason);
      case 'openReceived':
        this.#pool.get(action.conn)?.negotiated(action.negotiated.codec);
        this.emit('open', { negotiated: action.negotiated });
        return;
      case 'established':
        return this.#established(action.conn, action.negotiated);
      case 'deliver':
        return this.#deliver(action.message);
    }
  }

  #handlers(): ConnectionHandlers {
    return {
      message: (conn, message, warnings) => this.#onMessage(conn, message, warnings),
      wireError: (conn, error) => this.#dispatch({ event: wireErrorEvent(conn.id, error) }),
      lost: (conn, error) => {
        if (!this.#pool.isCurrent(conn)) return;
        if (error !== undefined)
          this.emit('warning', {
            message: `connection to ${this.peerAddress} failed: ${error.message}`,
            cause: error,
          });
        this.#dispatch({ event: { type: 'TcpConnectionFails', conn: conn.id } });
      },
    };
  }

  #connectOptions(): Omit<TcpConnectOptions, 'signal'> {
    const o = this.#options;
    return {
      host: o.init.peerAddress,
      port: o.peerPort,
      ...(o.init.localAddress !== undefined ? { localAddress: o.init.localAddress } : {}),
      ...(o.init.localPort !== undefined ? { localPort: o.init.localPort } : {}),
      ...(o.init.md5Password !== undefined ? { md5Password: o.init.md5Password } : {}),
      ...(o.ttl !== undefined ? { ttl: o.ttl } : {}),
      ...(o.minTtl !== undefined ? { minTtl: o.minTtl } : {}),
      timeoutMs: o.connectTimeoutMs,
    };
  }

  #onMessage(conn: SessionConnection, message: BgpMessage, warnings: readonly BgpWireError[]): void {
    for (const w of warnings) {
      this.emit('warning', { message: `UPDATE repaired (RFC 7606 ${w.action}): ${w.message}`, cause: w });
    }
    if (message.type === 'notification') {
      this.#counters.notificationsReceived++;
      this.#emitNotification('received', message);
    }
    this.#dispatch({ event: messageEvent(conn.id, message) });
  }

  #emitNotification(direction: 'sent' | 'received', message: NotificationMessage): void {
    const communication = shutdownCommunicationOf(message);
    this.emit('notification', {
      direction,
      message,
      ...(communication !== undefined ? { communication } : {}),
    });
  }

  // ------------------------------------------------------------------ Established

  #stateChanged(from: BgpState, to: BgpState, reason: StateReason): void {
    this.#counters.lastReason = reason;
    if (from === 'Established') {
      this.#establishedOn = undefined;
      this.#exporter.close();
      this.#received.clear();
    }
    this.emit('state', { from, to, reason });
  }

  #established(id: ConnId, negotiated: Negotiated): void {
    const conn = this.#pool.get(id);
    if (conn === undefined) return;
    this.#establishedOn = { conn: id, negotiated };
    this.#counters.establishedCount++;
    const o = this.#options;
    const ctx = exportContextFor(conn.localAddress, negotiated, o.fsm.localAs, o.nextHopIpv4, o.nextHopIpv6);
    this.#exporter.open(ctx, (message) => conn.send(message));
    this.emit('established', { negotiated });
    this.#flush({ endOfRib: true });
  }

  #flush(options: FlushOptions): void {
    const result = this.#exporter.flush(options);
    const on = this.#establishedOn;
    if (result === undefined || on === undefined) return;
    this.#counters.updatesSent += result.updates;
    if (result.skipped.length > 0) this.emit('routesSkipped', { skipped: result.skipped });
    if (result.updates === 0) return;
    this.emit('routesSent', {
      updates: result.updates,
      announced: result.announced,
      withdrawn: result.withdrawn,
      endOfRib: result.endOfRib,
      ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    });
    this.#dispatch({ event: { type: 'UpdateSent', conn: on.conn } });
  }

  #deliver(message: BgpMessage): void {
    if (message.type === 'route-refresh') {
      this.emit('routeRefresh', { message });
      const negotiated = this.#establishedOn?.negotiated;
      const family = negotiated?.families.find((f) => f.afi === message.afi && f.safi === message.safi);
      // RFC 2918 §4: a refresh for a family not negotiated is ignored; BoRR/EoRR concern routes we receive.
      if (negotiated === undefined || family === undefined || message.subtype !== 0) return;
      this.#flush({ refresh: family, enhanced: negotiated.enhancedRouteRefresh });
      return;
    }
    if (message.type !== 'update') return;
    const summary = this.#received.apply(message);
    this.emit('update', { message, ...summary, receivedPrefixes: this.#received.count });
    const max = this.#options.init.maxPrefixes;
    if (max !== undefined && this.#received.count > max) {
      this.emit('warning', {
        message: `${this.peerAddress} announced ${this.#received.count} prefixes, more than ${max}`,
      });
      this.#dispatch({ event: { type: 'AutomaticStop', subcode: CeaseSubcode.MAXIMUM_PREFIXES_REACHED } });
    }
  }
}
