/**
 * `BfdService`: the BFD endpoint of one host. It owns the receive sockets (RFC 5881 single-hop on 3784,
 * RFC 5883 multihop on 4784, one per address family, opened when the first session needs them),
 * allocates local discriminators, creates `BfdSession`s with their own source-port sockets, and hands
 * every received packet to its session (`BfdDemux`). Ports are configurable so tests can run two
 * services on one host.
 */
import type { Socket } from 'node:dgram';
import {
  BFD_MAX_UINT32,
  BFD_MULTIHOP_PORT,
  BFD_SINGLE_HOP_PORT,
  BFD_SINGLE_HOP_TTL,
  BFD_SOURCE_PORT_MAX,
  BFD_SOURCE_PORT_MIN,
  decodeControlPacket,
  type BfdPacketErrorReason,
} from '../codec/index.js';
import { BfdConfigError, checkTimerParameters } from '../fsm/index.js';
import { systemClock, type Clock } from '../clock.js';
import { canonicalAddress, canonicalSource, type AddressFamily } from './address.js';
import { BfdDemux, type DemuxDiscardReason } from './demux.js';
import { BfdLifecycleError, BfdSocketError } from './errors.js';
import { TypedEmitter } from '../../session/emitter.js';
import { socketFd, type MinTtlPort } from './gtsm.js';
import { BfdSession, type BfdMode } from './session.js';
import { bindSourcePort, bindUdp, closeSocket, udpTransport } from './udp.js';

/** Defaults: FRR's (300 ms, multiplier 3). */
export const BFD_DEFAULT_DESIRED_MIN_TX_US = 300_000;
export const BFD_DEFAULT_REQUIRED_MIN_RX_US = 300_000;
export const BFD_DEFAULT_DETECT_MULT = 3;
const SOURCE_PORT_ATTEMPTS = 64;
const DISCRIMINATOR_ATTEMPTS = 64;

export interface BfdServiceInit {
  /** Receive port for single-hop sessions; default 3784 (RFC 5881). */
  readonly singleHopPort?: number;
  /** Receive port for multihop sessions; default 4784 (RFC 5883). */
  readonly multihopPort?: number;
  /** Addresses the receive sockets bind to; default the wildcard of each family. */
  readonly bindAddress?: { readonly ipv4?: string; readonly ipv6?: string };
  /** Source ports of sessions; default 49152–65535 (RFC 5881 §4). */
  readonly sourcePortRange?: { readonly min: number; readonly max: number };
  /** Minimum received TTL for multihop sessions, enforced only with a `MinTtlPort` (RFC 5883 §5). */
  readonly multihopMinTtl?: number;
}

export interface BfdServiceComponents {
  readonly clock?: Clock;
  /** Uniform in [0, 1): jitter, discriminators, source ports. Default `Math.random`. */
  readonly random?: () => number;
  /** Enforces the received-TTL check in the kernel; without it GTSM is not checked on receive. */
  readonly minTtl?: MinTtlPort;
}

export interface BfdSessionOptions {
  readonly peerAddress: string;
  /** Source address of our packets (binds the session's socket); default chosen by the kernel. */
  readonly localAddress?: string;
  readonly multihop?: boolean;
  readonly desiredMinTxUs?: number;
  readonly requiredMinRxUs?: number;
  readonly detectMult?: number;
  readonly passive?: boolean;
  /** Destination port; default 3784 (single-hop) or 4784 (multihop). For tests. */
  readonly peerPort?: number;
}

export interface BfdServiceEvents {
  /** A datagram that reached no session: a codec check failed or no session matched. */
  discard: {
    readonly reason: BfdPacketErrorReason | DemuxDiscardReason;
    readonly source: string;
    readonly mode: BfdMode;
  };
  error: { readonly error: Error };
}

export class BfdService extends TypedEmitter<BfdServiceEvents> {
  readonly #init: BfdServiceInit;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #minTtl: MinTtlPort | undefined;
  readonly #demux = new BfdDemux<BfdSession>();
  readonly #receivers = new Map<string, Promise<Socket>>();
  #running = false;

  constructor(components: BfdServiceComponents = {}, init: BfdServiceInit = {}) {
    super();
    this.#init = init;
    this.#clock = components.clock ?? systemClock;
    this.#random = components.random ?? Math.random;
    this.#minTtl = components.minTtl;
  }

  /** Whether received single-hop packets with TTL below 255 are dropped (needs a `MinTtlPort`). */
  get receiveTtlEnforced(): boolean {
    return this.#minTtl !== undefined;
  }

  get sessions(): readonly BfdSession[] {
    return this.#demux.sessions();
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  /** Stops every session (each sends AdminDown) and closes the receive sockets. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#demux.sessions().map((s) => s.stop()));
    const receivers = [...this.#receivers.values()];
    this.#receivers.clear();
    await Promise.all(receivers.map((p) => p.then(closeSocket, () => undefined)));
  }

  /**
   * Creates a session (not yet started: call `start()` on it). Opens the receive socket of its mode and
   * family if needed and binds its source port. Throws `BfdConfigError` for bad options.
   */
  async addSession(options: BfdSessionOptions, signal?: AbortSignal): Promise<BfdSession> {
    if (!this.#running) throw new BfdLifecycleError('BfdService.addSession() before start()');
    const mode: BfdMode = options.multihop === true ? 'multihop' : 'single-hop';
    const peer = canonicalAddress(options.peerAddress, 'peerAddress');
    const local =
      options.localAddress === undefined ? undefined : canonicalAddress(options.localAddress, 'localAddress');
    if (local !== undefined && local.family !== peer.family) {
      throw new BfdConfigError(
        'localAddress',
        `localAddress ${local.text} is not of the family of ${peer.text}`,
      );
    }
    const parameters = {
      desiredMinTxUs: options.desiredMinTxUs ?? BFD_DEFAULT_DESIRED_MIN_TX_US,
      requiredMinRxUs: options.requiredMinRxUs ?? BFD_DEFAULT_REQUIRED_MIN_RX_US,
      detectMult: options.detectMult ?? BFD_DEFAULT_DETECT_MULT,
    };
    checkTimerParameters(parameters);
    if (this.#demux.hasPeer(mode, peer.text)) {
      throw new BfdConfigError('peerAddress', `a ${mode} BFD session to ${peer.text} exists`);
    }
    signal?.throwIfAborted();
    await this.#receiver(mode, peer.family);
    const socket = await bindSourcePort({
      family: peer.family,
      address: local?.text ?? wildcard(peer.family),
      min: this.#init.sourcePortRange?.min ?? BFD_SOURCE_PORT_MIN,
      max: this.#init.sourcePortRange?.max ?? BFD_SOURCE_PORT_MAX,
      random: this.#random,
      attempts: SOURCE_PORT_ATTEMPTS,
    });
    socket.on('error', (error) => this.emit('error', { error }));
    const transport = udpTransport(socket, peer.text, options.peerPort ?? this.#port(mode));
    if (signal?.aborted === true || !this.#running || this.#demux.hasPeer(mode, peer.text)) {
      await transport.close();
      signal?.throwIfAborted();
      throw new BfdLifecycleError(`BfdService: session to ${peer.text} raced with stop() or a duplicate`);
    }
    const session: BfdSession = new BfdSession(
      { clock: this.#clock, random: this.#random, transport },
      {
        peerAddress: peer.text,
        mode,
        config: {
          ...parameters,
          localDiscriminator: this.#newDiscriminator(),
          passive: options.passive === true,
        },
        onStopped: () => this.#demux.remove(session),
      },
    );
    this.#demux.add(session);
    return session;
  }

  #port(mode: BfdMode): number {
    return mode === 'single-hop'
      ? (this.#init.singleHopPort ?? BFD_SINGLE_HOP_PORT)
      : (this.#init.multihopPort ?? BFD_MULTIHOP_PORT);
  }

  #newDiscriminator(): number {
    for (let attempt = 0; attempt < DISCRIMINATOR_ATTEMPTS; attempt += 1) {
      const candidate = 1 + Math.floor(this.#random() * BFD_MAX_UINT32);
      if (!this.#demux.hasDiscriminator(candidate)) return candidate;
    }
    throw new BfdConfigError(
      'localDiscriminator',
      'no free local discriminator (is the random source constant?)',
    );
  }

  /** The receive socket of `mode` and `family`, opened (once) on first use. */
  #receiver(mode: BfdMode, family: AddressFamily): Promise<Socket> {
    const key = `${mode}|${family}`;
    let pending = this.#receivers.get(key);
    if (pending === undefined) {
      pending = this.#openReceiver(mode, family);
      this.#receivers.set(key, pending);
      pending.catch(() => this.#receivers.delete(key));
    }
    return pending;
  }

  async #openReceiver(mode: BfdMode, family: AddressFamily): Promise<Socket> {
    const bindAddress = family === 'IPv4' ? this.#init.bindAddress?.ipv4 : this.#init.bindAddress?.ipv6;
    const socket = await bindUdp({
      family,
      address: bindAddress ?? wildcard(family),
      port: this.#port(mode),
    });
    socket.on('error', (error) => this.emit('error', { error }));
    socket.on('message', (message, rinfo) => this.#onDatagram(mode, message, rinfo.address));
    const minTtl = mode === 'single-hop' ? BFD_SINGLE_HOP_TTL : this.#init.multihopMinTtl;
    if (this.#minTtl !== undefined && minTtl !== undefined) {
      const fd = socketFd(socket);
      if (fd === undefined) {
        await closeSocket(socket);
        throw new BfdSocketError('set-min-ttl', 'the receive socket has no readable file descriptor');
      }
      this.#minTtl.setMinTtl(fd, family, minTtl);
    }
    return socket;
  }

  #onDatagram(mode: BfdMode, message: Uint8Array, sourceAddress: string): void {
    const source = canonicalSource(sourceAddress) ?? sourceAddress;
    const decoded = decodeControlPacket(message);
    if (!decoded.ok) {
      this.emit('discard', { reason: decoded.error.reason, source, mode });
      return;
    }
    const found = this.#demux.lookup(mode, source, decoded.packet);
    if ('discard' in found) {
      this.emit('discard', { reason: found.discard, source, mode });
      return;
    }
    found.session.receive(decoded.packet);
  }
}

function wildcard(family: AddressFamily): string {
  return family === 'IPv4' ? '0.0.0.0' : '::';
}
