/**
 * BfdBinding: ties one BGP session to one BFD session (RFC 5882 §4.3, RFC 9687). When the BFD session
 * leaves Up for Down, the BGP session is stopped with NOTIFICATION Cease / BFD Down (RFC 9687 subcode 10)
 * through RFC 4271 Event 8 (AutomaticStop), so it returns to Idle and reconnects after its IdleHoldTimer
 * back-off like after any other error. The FSM stays pure: this adapter only listens and calls
 * `automaticStop`.
 *
 * Choices (as FRR and BIRD make them):
 * - BFD configured but not (yet) Up does not hold BGP back: the BGP session connects and establishes on
 *   its own; only a transition out of Up tears it down.
 * - RFC 5882 §3.2: a Down caused by the peer's AdminDown (it disabled BFD) and our own AdminDown
 *   (`adminDown()`/`stop()`) leave the BGP session alone; they are reported as `suppressed`.
 * - A BGP session already Idle (stopped, or holding off) has nothing to tear down (`suppressed` too).
 */
import type { BfdState } from '../bfd/codec/index.js';
import type { BfdStateChangeEvent } from '../bfd/session/session.js';
import { CeaseSubcode } from '../constants.js';
import type { BgpState } from '../fsm/types.js';
import { TypedEmitter } from './emitter.js';

/** What the binding needs of a BFD session; `BfdSession` has it. */
export interface BfdSessionPort {
  readonly peerAddress: string;
  readonly state: BfdState;
  on(type: 'state-change', listener: (event: BfdStateChangeEvent) => void): () => void;
}

/** What the binding needs of a BGP session; `BgpSession` has it. */
export interface BgpSessionPort {
  readonly peerAddress: string;
  readonly state: BgpState;
  automaticStop(subcode: number): void;
}

/** Why a BFD Down did not tear the BGP session down. */
export type BfdSuppressReason = 'peer-admin-down' | 'local-admin-down' | 'bgp-idle';

export interface BfdBindingEvents {
  /** BFD went Down: the BGP session (in `bgpState`) was sent Cease / BFD Down and is restarting. */
  teardown: { readonly bfd: BfdStateChangeEvent; readonly bgpState: BgpState };
  /** BFD left Up but the BGP session was left alone, and why. */
  suppressed: { readonly bfd: BfdStateChangeEvent; readonly reason: BfdSuppressReason };
}

export class BfdBinding extends TypedEmitter<BfdBindingEvents> {
  readonly #bgp: BgpSessionPort;
  readonly #bfd: BfdSessionPort;
  #unsubscribe: (() => void) | undefined;
  #teardowns = 0;

  /** Subscribes nothing yet (call `start()`). */
  constructor(bgp: BgpSessionPort, bfd: BfdSessionPort) {
    super();
    this.#bgp = bgp;
    this.#bfd = bfd;
  }

  /** The BFD session's current state (Up, Down, Init, AdminDown). */
  get bfdState(): BfdState {
    return this.#bfd.state;
  }

  /** How many times a BFD Down tore the BGP session down. */
  get teardowns(): number {
    return this.#teardowns;
  }

  /** Starts following the BFD session. Idempotent. */
  start(): void {
    this.#unsubscribe ??= this.#bfd.on('state-change', (event) => this.#onChange(event));
  }

  /** Stops following it; neither session is touched. Idempotent. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #onChange(event: BfdStateChangeEvent): void {
    if (event.from !== 'Up') return;
    const reason = bfdSuppressReason(event, this.#bgp.state);
    if (reason !== undefined) {
      this.emit('suppressed', { bfd: event, reason });
      return;
    }
    const bgpState = this.#bgp.state;
    this.#teardowns++;
    this.#bgp.automaticStop(CeaseSubcode.BFD_DOWN);
    this.emit('teardown', { bfd: event, bgpState });
  }
}

/** Undefined when a BFD session that left Up must take the BGP session down (pure). */
export function bfdSuppressReason(
  event: BfdStateChangeEvent,
  bgpState: BgpState,
): BfdSuppressReason | undefined {
  if (event.to === 'AdminDown') return 'local-admin-down';
  if (event.remoteState === 'AdminDown') return 'peer-admin-down';
  if (bgpState === 'Idle') return 'bgp-idle';
  return undefined;
}
