/**
 * The BFD side of `herald peer-check --bfd`: a BfdService with one session to the router (single-hop,
 * RFC 5881, or multihop, RFC 5883, with --multihop N > 1) bound to the BGP session through BfdBinding, so a
 * BFD Down tears BGP down with Cease / BFD Down (RFC 9687) and the check fails. Reports every BFD state
 * change and a final snapshot.
 */
import {
  BfdService,
  type BfdServiceInit,
  type BfdSession,
  type BfdStateChangeEvent,
} from '../../bgp/bfd/index.js';
import { BfdBinding, type BgpSession } from '../../bgp/index.js';
import type { PeerCheckArgs } from './args.js';
import type { Json } from './report.js';

const US_PER_MS = 1000;

export interface BfdCheckEvents {
  change(event: BfdStateChangeEvent): void;
}

export class BfdCheck {
  readonly #service: BfdService;
  #session: BfdSession | undefined;
  #binding: BfdBinding | undefined;
  #reachedUp = false;
  #final: { state: string; summary: Json } | undefined;

  constructor(init: BfdServiceInit = {}) {
    this.#service = new BfdService({}, init);
  }

  /** Opens the sockets, creates the session, binds it to `bgp` and starts it. Rejects on socket errors. */
  async start(
    args: PeerCheckArgs,
    bgp: BgpSession,
    events: BfdCheckEvents,
    signal: AbortSignal,
  ): Promise<void> {
    const bfd = args.bfd;
    if (bfd === undefined) return;
    await this.#service.start();
    const session = await this.#service.addSession(
      {
        peerAddress: args.peer,
        ...(args.source !== undefined ? { localAddress: args.source } : {}),
        multihop: args.multihop !== undefined && args.multihop > 1,
        desiredMinTxUs: bfd.transmitIntervalMs * US_PER_MS,
        requiredMinRxUs: bfd.receiveIntervalMs * US_PER_MS,
        detectMult: bfd.detectMultiplier,
      },
      signal,
    );
    session.on('state-change', (event) => {
      if (event.to === 'Up') this.#reachedUp = true;
      events.change(event);
    });
    const binding = new BfdBinding(bgp, session);
    binding.start();
    session.start();
    this.#session = session;
    this.#binding = binding;
  }

  /** The state when the check ended (see freeze), else the current one. */
  get state(): string | undefined {
    return this.#final?.state ?? this.#session?.state;
  }

  /** Records the state the check ended in, before BGP closes (a router then drops its BFD session). */
  freeze(): void {
    this.#final ??= { state: this.#session?.state ?? 'not started', summary: this.#live() };
  }

  /** The BFD part of the result (as frozen when the check ended). */
  summary(): Json {
    return this.#final?.summary ?? this.#live();
  }

  #live(): Json {
    const s = this.#session?.snapshot();
    if (s === undefined) return { state: 'not started' };
    return {
      state: s.state,
      reachedUp: this.#reachedUp,
      teardowns: this.#binding?.teardowns ?? 0,
      mode: this.#session?.mode ?? 'single-hop',
      localDiscriminator: s.localDiscriminator,
      remoteDiscriminator: s.remoteDiscriminator,
      remoteState: s.remoteState,
      txIntervalMs: s.txIntervalUs / US_PER_MS,
      detectionTimeMs: s.detectionTimeUs / US_PER_MS,
      packetsSent: s.packetsSent,
      packetsReceived: s.packetsReceived,
    };
  }

  /** Unbinds, then stops the session (AdminDown) and closes the sockets. */
  async stop(): Promise<void> {
    this.#binding?.stop();
    await this.#service.stop();
  }
}
