/**
 * The ports the Layer 2 announcer consumes, declared here by the consumer: a link that opens one
 * packet connection per (interface, protocol) — satisfied structurally by src/platform/packet-socket.ts,
 * wired in by the speaker — and a timer clock (satisfied by globalThis timers and test/fakes/clock.ts).
 * Also the announcer's options, their defaults and their validation.
 */

/** ARP frames (ETH_P_ARP) or IPv6 frames (ETH_P_IPV6, for ICMPv6 NDP). */
export type LinkProtocol = 'arp' | 'ipv6';

/** One classic BPF instruction, as struct sock_filter. */
export interface LinkFilterInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export interface LinkOpenOptions {
  interface: string;
  protocol: LinkProtocol;
  filter?: readonly LinkFilterInstruction[];
}

/** An open packet connection on one interface. */
export interface LinkConn {
  /** Sends one whole Ethernet frame; false when nothing was sent (transmit queue full). */
  send(frame: Uint8Array): boolean;
  addMembership(mac: string): void;
  dropMembership(mac: string): void;
  close(): void;
}

export type LinkFrameHandler = (frame: Uint8Array) => void;
export type LinkErrorHandler = (error: Error, fatal: boolean) => void;

export interface PacketLink {
  open(options: LinkOpenOptions, onFrame: LinkFrameHandler, onError: LinkErrorHandler): LinkConn;
}

export interface AnnouncerClock {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AnnouncerOptions {
  link: PacketLink;
  clock: AnnouncerClock;
  /** BPF programs passed to open() per protocol (the speaker passes ARP_FILTER / ICMPV6_ND_FILTER). */
  filters?: Partial<Record<LinkProtocol, readonly LinkFilterInstruction[]>>;
  /** Offsets (ms, ascending, first >= 0) after a takeover at which gratuitous frames are sent. */
  burstOffsetsMs?: readonly number[];
  /** Interval (ms) of the slow refresh after the burst, while the address is owned. */
  refreshIntervalMs?: number;
}

/** Immediately, then +100 ms, +300 ms and +1.1 s (past Linux's 1 s ARP locktime, as MetalLB waits). */
export const DEFAULT_BURST_OFFSETS_MS: readonly number[] = Object.freeze([0, 100, 300, 1100]);
/** The slow refresh while an address is owned (MetalLB #2910). */
export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;

/** Bad announcer options or arguments; names the field and the reason. */
export class AnnouncerError extends TypeError {
  override readonly name = 'AnnouncerError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export interface ResolvedTiming {
  readonly burstOffsetsMs: readonly number[];
  readonly refreshIntervalMs: number;
}

export function resolveTiming(options: AnnouncerOptions): ResolvedTiming {
  const burst = options.burstOffsetsMs ?? DEFAULT_BURST_OFFSETS_MS;
  if (!Array.isArray(burst) || burst.length === 0) {
    throw new AnnouncerError('burstOffsetsMs', 'must be a non-empty array of milliseconds');
  }
  burst.forEach((ms: unknown, i) => {
    const prev = i === 0 ? 0 : (burst[i - 1] as number);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < prev) {
      throw new AnnouncerError(
        `burstOffsetsMs[${i}]`,
        'must be a finite number >= 0 and >= the previous one',
      );
    }
  });
  const refresh = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  if (typeof refresh !== 'number' || !Number.isFinite(refresh) || refresh <= 0) {
    throw new AnnouncerError('refreshIntervalMs', `must be a positive number, got ${String(refresh)}`);
  }
  return { burstOffsetsMs: [...burst], refreshIntervalMs: refresh };
}
