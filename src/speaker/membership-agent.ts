/**
 * The membership adapter (docs/membership.md, "Adapter"): runs the pure SWIM reducer of
 * src/core/membership over one UDP socket. It owns the socket, the HMAC framing (keyring.ts), the single
 * timer armed at `nextWakeup`, the per-peer ports, and turns the reducer's actions into datagrams and
 * events (`memberUp`, `memberDown`, `memberLeft`, and `change` with the live set whenever it changes).
 * The roster comes from `setPeers` (the speaker Pods, see src/k8s/translate/speaker-pods.ts).
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import {
  createMembership,
  decodeMessage,
  encodeMessage,
  liveMembers,
  MembershipWireError,
  nextWakeup,
  step,
  type MembershipAction,
  type MembershipEvent,
  type MembershipState,
  type Message,
} from '../core/membership/index.js';
import { MembershipAgentError } from './membership/errors.js';
import { Keyring } from './membership/keyring.js';
import {
  checkOptions,
  checkPeers,
  DEFAULT_KEY_GRACE_MS,
  type MembershipAgentOptions,
  type MembershipLog,
  type MembershipPeer,
  type MembershipTimers,
} from './membership/options.js';
import {
  bindSocket,
  closeSocket,
  defaultSocketFactory,
  sendDatagram,
  settleWithin,
} from './membership/udp.js';

export { MembershipAgentError } from './membership/errors.js';
export { DEFAULT_KEY_GRACE_MS } from './membership/options.js';
export type { MembershipAgentOptions, MembershipLog, MembershipPeer, MembershipTimers };

export interface MembershipAgentEvents {
  change: [ReadonlySet<string>];
  memberUp: [string];
  memberDown: [string];
  memberLeft: [string, 'leave' | 'removed'];
  error: [Error];
}

/**
 * Counters for metrics. `received` counts every datagram read; the others say why one was dropped. A type
 * alias (not an interface) so that it is assignable to `Record<string, number>`.
 */
export type MembershipStats = {
  sent: number;
  received: number;
  badMac: number;
  malformed: number;
  unknownSender: number;
  sendErrors: number;
};

/** How long `leave()` waits for its datagrams to be written before it gives up. */
const LEAVE_FLUSH_TIMEOUT_MS = 1_000;
/** Longest delay setTimeout accepts (2^31 - 1 ms); later wakeups are re-armed when it fires. */
const MAX_TIMER_MS = 0x7fff_ffff;
const SEED_RANGE = 0x1_0000_0000;

const silentLog: MembershipLog = { debug: () => {}, info: () => {}, warn: () => {} };
const globalTimers: MembershipTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setImmediate: (callback) => void setImmediate(callback),
};

export class MembershipAgent extends EventEmitter<MembershipAgentEvents> {
  private state: MembershipState;
  private readonly keyring: Keyring;
  private readonly now: () => number;
  private readonly timers: MembershipTimers;
  private readonly log: MembershipLog;
  private readonly ports = new Map<string, number>();
  private readonly counters: MembershipStats = {
    sent: 0,
    received: 0,
    badMac: 0,
    malformed: 0,
    unknownSender: 0,
    sendErrors: 0,
  };
  private socket: Socket | undefined;
  private boundPort: number;
  private timer: unknown;
  private armedAt: number | undefined;
  private tickPending = false;
  private liveSet: ReadonlySet<string>;
  private started = false;
  private stopped = false;

  constructor(private readonly options: MembershipAgentOptions) {
    super();
    checkOptions(options);
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? globalTimers;
    this.log = options.log ?? silentLog;
    this.keyring = new Keyring(options.key, options.keyGraceMs ?? DEFAULT_KEY_GRACE_MS);
    this.boundPort = options.bind.port;
    const now = this.now();
    this.state = createMembership({
      self: options.self,
      incarnation: options.incarnation ?? Math.floor(now / 1000) >>> 0,
      seed: options.seed ?? randomInt(SEED_RANGE),
      now,
      ...(options.config ? { config: options.config } : {}),
    });
    this.liveSet = new Set(liveMembers(this.state));
  }

  /** Binds the socket and starts probing. Rejects with a MembershipAgentError if the bind fails. */
  async start(): Promise<void> {
    if (this.started) throw new MembershipAgentError('start', 'already started');
    this.started = true;
    const { address, port } = this.options.bind;
    const socket = await bindSocket(this.options.socket ?? defaultSocketFactory, address, port);
    if (this.stopped) {
      await closeSocket(socket);
      return;
    }
    this.socket = socket;
    this.boundPort = socket.address().port;
    socket.on('message', (bytes) => this.receive(bytes));
    socket.on('error', (error) => this.socketError(error));
    this.log.info(
      { address, port: this.boundPort, incarnation: this.state.incarnation },
      'membership started',
    );
    this.arm();
  }

  /** The bound address and port (the port is the requested one until `start()` resolves). */
  address(): { address: string; port: number } {
    return { address: this.options.bind.address, port: this.boundPort };
  }

  /** The roster (speaker Pods). Self may be listed; it is ignored. Throws a MembershipAgentError on bad input. */
  setPeers(peers: readonly MembershipPeer[]): void {
    checkPeers(peers);
    this.ports.clear();
    for (const p of peers) if (p.port !== undefined) this.ports.set(p.name, p.port);
    const roster = peers.map((p) => ({ name: p.name, address: p.address }));
    this.apply({ type: 'peerSetChanged', peers: roster });
  }

  /** A new Secret: signs with it from now on, and still accepts the old one for the grace period. */
  setKey(secret: Uint8Array): void {
    if (this.keyring.rotate(secret, this.now())) this.log.info({}, 'membership key rotated');
  }

  /** Members currently up (alive or suspect), self included until it has left. */
  live(): ReadonlySet<string> {
    return this.liveSet;
  }

  /**
   * Graceful leave: tells every member at once and resolves when those datagrams are written (or after
   * LEAVE_FLUSH_TIMEOUT_MS, or when `signal` aborts). The agent then ignores everything; call stop().
   */
  async leave(signal?: AbortSignal): Promise<void> {
    if (this.state.left || this.stopped) return;
    const result = step(this.state, { type: 'leave' }, this.now());
    this.state = result.state;
    this.disarm();
    const writes = this.execute(result.actions);
    this.updateLive();
    this.log.info({ members: writes.length }, 'membership leave sent');
    await settleWithin(Promise.allSettled(writes), LEAVE_FLUSH_TIMEOUT_MS, signal);
  }

  /** Stops the timer and closes the socket. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.disarm();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await closeSocket(socket);
  }

  stats(): MembershipStats {
    return { ...this.counters };
  }

  private apply(event: MembershipEvent): void {
    const result = step(this.state, event, this.now());
    this.state = result.state;
    void this.execute(result.actions);
    this.updateLive();
    this.arm();
  }

  /** Runs the reducer's actions; returns the pending writes of its sends. */
  private execute(actions: readonly MembershipAction[]): Promise<void>[] {
    const writes: Promise<void>[] = [];
    for (const action of actions) {
      if (action.type === 'send') writes.push(this.send(action.to, action.address, action.message));
      else if (action.type === 'memberUp') this.emit('memberUp', action.name);
      else if (action.type === 'memberDown') this.emit('memberDown', action.name);
      else this.emit('memberLeft', action.name, action.reason);
    }
    return writes;
  }

  private send(to: string, address: string, message: Message): Promise<void> {
    const socket = this.socket;
    const port = this.ports.get(to) ?? this.boundPort;
    const fail = (error: unknown): void => {
      this.counters.sendErrors += 1;
      this.log.debug({ to, address, port, err: String(error) }, 'membership send failed');
    };
    if (!socket) {
      fail('socket not open');
      return Promise.resolve();
    }
    let datagram: Uint8Array;
    try {
      datagram = this.keyring.seal(encodeMessage(message));
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
    this.counters.sent += 1;
    return sendDatagram(socket, datagram, port, address).catch(fail);
  }

  private receive(bytes: Uint8Array): void {
    if (this.stopped) return;
    this.counters.received += 1;
    const opened = this.keyring.open(bytes, this.now());
    if (!opened.ok) {
      if (opened.reason === 'bad-mac') this.counters.badMac += 1;
      else this.counters.malformed += 1;
      this.log.debug({ bytes: bytes.length, reason: opened.reason }, 'membership datagram dropped');
      return;
    }
    const message = this.decode(opened.message);
    if (!message) return;
    if (message.from === this.state.self || !this.state.members.has(message.from)) {
      this.counters.unknownSender += 1;
      this.log.debug({ from: message.from }, 'membership message from a sender not in the roster');
      return;
    }
    this.apply({ type: 'messageReceived', message });
  }

  private decode(bytes: Uint8Array): Message | undefined {
    try {
      return decodeMessage(bytes);
    } catch (error) {
      // decodeMessage throws only MembershipWireError; anything else is counted the same (never thrown).
      this.counters.malformed += 1;
      const detail =
        error instanceof MembershipWireError
          ? { field: error.field, code: error.code }
          : { err: String(error) };
      this.log.debug(detail, 'membership datagram malformed');
      return undefined;
    }
  }

  private updateLive(): void {
    const next = new Set(liveMembers(this.state));
    if (sameSet(next, this.liveSet)) return;
    this.liveSet = next;
    this.emit('change', next);
  }

  /** Keeps exactly one timer armed at the reducer's next wakeup (while running and not left). */
  private arm(): void {
    if (!this.socket || this.stopped || this.state.left || this.tickPending) return;
    const at = nextWakeup(this.state);
    if (this.timer !== undefined && this.armedAt === at) return;
    this.disarm();
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, at - this.now()));
    this.armedAt = at;
    this.timer = this.timers.setTimeout(() => this.fire(), delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = undefined;
    // Until the tick ran, datagrams read meanwhile do not arm a timer (the tick re-arms).
    this.tickPending = true;
    const tick = (): void => {
      this.tickPending = false;
      if (!this.stopped && !this.state.left) this.apply({ type: 'tick' });
    };
    if (this.timers.setImmediate) this.timers.setImmediate(tick);
    else tick();
  }

  private socketError(error: Error): void {
    const wrapped = new MembershipAgentError('socket', error.message, { cause: error });
    if (this.listenerCount('error') > 0) this.emit('error', wrapped);
    else this.log.warn({ err: error.message }, 'membership socket error');
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
