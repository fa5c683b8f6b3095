/**
 * `BfdSession`: one BFD session to one peer. It runs the pure state machine (`../fsm`) against an
 * injected clock, random source and transport, arms and cancels the timers the machine asks for, sends
 * its packets and reports state changes as typed events. A BGP session subscribes to `down`.
 *
 * The session does not own a socket for receiving: the `BfdService` demultiplexes datagrams and calls
 * `receive`. Constructors do no I/O; `start()` enables the session (AdminDown → Down) and `stop()`
 * shuts it down (AdminDown with diagnostic 7 sent once) and releases the transport.
 */
import { diagnosticName, encodeControlPacket, type BfdControlPacket, type BfdState } from '../codec/index.js';
import {
  checkTimerParameters,
  detectionTimeUs,
  initialState,
  jitteredDelayUs,
  step,
  txIntervalUs,
  type BfdDiscardReason,
  type BfdFsmAction,
  type BfdFsmConfig,
  type BfdFsmEvent,
  type BfdFsmState,
  type BfdIntervals,
  type BfdTimerParameters,
} from '../fsm/index.js';
import type { Clock } from '../clock.js';
import { BfdLifecycleError } from './errors.js';
import { TypedEmitter } from '../../session/emitter.js';

/** The outbound side of a session: a socket bound to the session's source port. */
export interface BfdTransport {
  send(packet: Uint8Array, callback: (error: Error | null) => void): void;
  close(): Promise<void>;
}

export interface BfdSessionComponents {
  readonly clock: Clock;
  /** Uniform in [0, 1); used for transmit jitter. */
  readonly random: () => number;
  readonly transport: BfdTransport;
}

export type BfdMode = 'single-hop' | 'multihop';

export interface BfdSessionInit {
  readonly peerAddress: string;
  readonly mode: BfdMode;
  readonly config: BfdFsmConfig;
  /** Called once when `stop()` has released the transport (the service deregisters the session). */
  readonly onStopped?: () => void;
}

export interface BfdStateChangeEvent {
  readonly peerAddress: string;
  readonly from: BfdState;
  readonly to: BfdState;
  /** bfd.LocalDiag after the change (BfdDiagnostic). */
  readonly diagnostic: number;
  readonly diagnosticName: string;
  /** The peer's state at the change; AdminDown means the peer shut the session down (RFC 5882 §3.2). */
  readonly remoteState: BfdState;
}

export interface BfdSessionEvents {
  /** Every change of bfd.SessionState. */
  'state-change': BfdStateChangeEvent;
  /** The session reached Up. */
  up: BfdStateChangeEvent;
  /** The session left Up (to Down, or AdminDown after `stop()`). */
  down: BfdStateChangeEvent;
  'poll-complete': { readonly inUse: BfdIntervals };
  discard: { readonly reason: BfdDiscardReason };
  'send-error': { readonly error: Error };
}

export interface BfdSessionSnapshot {
  readonly state: BfdState;
  readonly localDiagnostic: number;
  readonly remoteState: BfdState;
  readonly localDiscriminator: number;
  readonly remoteDiscriminator: number;
  readonly advertised: BfdIntervals;
  readonly inUse: BfdIntervals;
  readonly pollActive: boolean;
  readonly txIntervalUs: number;
  readonly detectionTimeUs: number;
  readonly packetsSent: number;
  readonly packetsReceived: number;
}

export class BfdSession extends TypedEmitter<BfdSessionEvents> {
  readonly peerAddress: string;
  readonly mode: BfdMode;
  readonly localDiscriminator: number;
  readonly #components: BfdSessionComponents;
  readonly #onStopped: (() => void) | undefined;
  #state: BfdFsmState;
  #txTimer: unknown;
  #detectTimer: unknown;
  #queue: BfdFsmEvent[] = [];
  #dispatching = false;
  #stopped = false;
  #sent = 0;
  #received = 0;

  constructor(components: BfdSessionComponents, init: BfdSessionInit) {
    super();
    this.#components = components;
    this.peerAddress = init.peerAddress;
    this.mode = init.mode;
    this.#onStopped = init.onStopped;
    this.#state = initialState(init.config);
    this.localDiscriminator = init.config.localDiscriminator;
  }

  get state(): BfdState {
    return this.#state.sessionState;
  }

  get remoteDiscriminator(): number {
    return this.#state.remoteDiscr;
  }

  snapshot(): BfdSessionSnapshot {
    const s = this.#state;
    return {
      state: s.sessionState,
      localDiagnostic: s.localDiag,
      remoteState: s.remoteState,
      localDiscriminator: s.config.localDiscriminator,
      remoteDiscriminator: s.remoteDiscr,
      advertised: s.advertised,
      inUse: s.inUse,
      pollActive: s.pollActive,
      txIntervalUs: txIntervalUs(s),
      detectionTimeUs: detectionTimeUs(s),
      packetsSent: this.#sent,
      packetsReceived: this.#received,
    };
  }

  /** Enables the session (RFC 5880 §6.8.16 AdminDown → Down); it starts sending unless passive. */
  start(): void {
    this.#assertLive('start');
    this.#dispatch({ type: 'admin-up' });
  }

  /** Administratively disables the session without releasing it; `start()` enables it again. */
  adminDown(): void {
    this.#assertLive('adminDown');
    this.#dispatch({ type: 'admin-down' });
  }

  /** New timer parameters; while Up they are negotiated with a Poll Sequence (RFC 5880 §6.8.3). */
  setParameters(parameters: Partial<BfdTimerParameters>): void {
    this.#assertLive('setParameters');
    checkTimerParameters(parameters);
    this.#dispatch({ type: 'set-parameters', parameters });
  }

  /** A decoded packet the service demultiplexed to this session. */
  receive(packet: BfdControlPacket): void {
    if (this.#stopped) return;
    this.#received += 1;
    this.#dispatch({ type: 'packet-received', packet });
  }

  /**
   * Sends AdminDown once, cancels the timers and releases the transport. Idempotent; may be called from
   * an event listener (the AdminDown packet still goes out before the transport closes).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#dispatch({ type: 'admin-down' });
    this.#stopped = true;
    this.#clearTimers();
    await Promise.resolve();
    try {
      await this.#components.transport.close();
    } finally {
      this.#onStopped?.();
    }
  }

  #assertLive(operation: string): void {
    if (this.#stopped)
      throw new BfdLifecycleError(`BfdSession ${this.peerAddress}: ${operation}() after stop()`);
  }

  #dispatch(event: BfdFsmEvent): void {
    this.#queue.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const result = step(this.#state, next, this.#components.clock.now());
        this.#state = result.state;
        this.#perform(result.actions);
      }
    } finally {
      this.#dispatching = false;
    }
  }

  #perform(actions: readonly BfdFsmAction[]): void {
    const notifications: BfdFsmAction[] = [];
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          this.#send(action.packet);
          break;
        case 'arm-tx-timer':
          this.#armTx(jitteredDelayUs(action, this.#components.random()) / 1000);
          break;
        case 'cancel-tx-timer':
          this.#cancelTx();
          break;
        case 'arm-detect-timer':
          this.#armDetect(action.delayUs / 1000);
          break;
        case 'cancel-detect-timer':
          this.#cancelDetect();
          break;
        default:
          notifications.push(action);
      }
    }
    for (const action of notifications) this.#notify(action);
  }

  #notify(action: BfdFsmAction): void {
    if (action.type === 'state-change') {
      const change: BfdStateChangeEvent = {
        peerAddress: this.peerAddress,
        from: action.from,
        to: action.to,
        diagnostic: action.diagnostic,
        diagnosticName: diagnosticName(action.diagnostic),
        remoteState: action.remoteState,
      };
      this.emit('state-change', change);
      if (action.to === 'Up') this.emit('up', change);
      if (action.from === 'Up') this.emit('down', change);
    } else if (action.type === 'poll-complete') {
      this.emit('poll-complete', { inUse: action.inUse });
    } else if (action.type === 'discard') {
      this.emit('discard', { reason: action.reason });
    }
  }

  #send(packet: BfdControlPacket): void {
    this.#sent += 1;
    this.#components.transport.send(encodeControlPacket(packet), (error) => {
      if (error !== null) this.emit('send-error', { error });
    });
  }

  #armTx(delayMs: number): void {
    this.#cancelTx();
    if (this.#stopped) return;
    this.#txTimer = this.#components.clock.setTimeout(() => {
      this.#txTimer = undefined;
      this.#dispatch({ type: 'tx-timer-expired' });
    }, delayMs);
  }

  #armDetect(delayMs: number): void {
    this.#cancelDetect();
    if (this.#stopped) return;
    this.#detectTimer = this.#components.clock.setTimeout(() => {
      this.#detectTimer = undefined;
      this.#dispatch({ type: 'detect-timer-expired' });
    }, delayMs);
  }

  #cancelTx(): void {
    if (this.#txTimer !== undefined) this.#components.clock.clearTimeout(this.#txTimer);
    this.#txTimer = undefined;
  }

  #cancelDetect(): void {
    if (this.#detectTimer !== undefined) this.#components.clock.clearTimeout(this.#detectTimer);
    this.#detectTimer = undefined;
  }

  #clearTimers(): void {
    this.#cancelTx();
    this.#cancelDetect();
  }
}
