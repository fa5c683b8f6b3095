/**
 * AF_PACKET sockets for the layer-2 speaker (ARP, NDP): a typed wrapper over the native addon's packet*
 * functions (native/src/packet.c). Owns argument validation (interface names, MAC addresses, filters),
 * the mapping of kernel packet types, and the PacketConn contract. Frames are read inside the addon on
 * the event loop and delivered to onFrame; socket errors (e.g. ENETDOWN while the link is down) go to
 * onError, and the socket keeps receiving once the link is back. See docs/native.md, "AF_PACKET".
 */
import { ETH_P_ARP, ETH_P_IPV6, validateBpfFilter } from './bpf.js';
import { loadNativePacket, type BpfInstruction, type PacketHandle } from './native.js';

/** Which frames to bind to: ARP (ETH_P_ARP) or IPv6 (ETH_P_IPV6, for ICMPv6 NDP). */
export type PacketProtocol = 'arp' | 'ipv6';

/** Kernel packet types (linux/if_packet.h) delivered to onFrame; PACKET_OUTGOING never is. */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export type PacketType = 'host' | 'broadcast' | 'multicast' | 'otherhost';
const PACKET_TYPES: Record<number, PacketType> = {
  [PACKET_HOST]: 'host',
  [PACKET_BROADCAST]: 'broadcast',
  [PACKET_MULTICAST]: 'multicast',
  [PACKET_OTHERHOST]: 'otherhost',
};

const PROTOCOLS: Record<PacketProtocol, number> = { arp: ETH_P_ARP, ipv6: ETH_P_IPV6 };
/** IFNAMSIZ - 1. */
export const IFNAME_MAX_BYTES = 15;
const MAC_BYTES = 6;
const RECEIVE_BUFFER_MAX = 0x7fff_ffff;
/** Most frames one sendMany call takes (HN_SEND_MANY_MAX in native/src/packet_send.c, the kernel's UIO_MAXIOV). */
export const SEND_MANY_MAX = 1024;

export interface PacketSocketOptions {
  interface: string;
  protocol: PacketProtocol;
  /** Classic BPF program attached before bind (see ARP_FILTER, ICMPV6_ND_FILTER in bpf.ts). */
  filter?: readonly BpfInstruction[];
  /** Receive buffer (SO_RCVBUFFORCE; SO_RCVBUF without CAP_NET_ADMIN, capped by net.core.rmem_max). */
  receiveBufferBytes?: number;
}

/** Frames accepted by the filter since open: packets (queued or dropped) and drops (buffer was full). */
export interface PacketStats {
  packets: number;
  drops: number;
}

export type FrameHandler = (frame: Buffer, type: PacketType) => void;
/** error has Node's code/errno/syscall; fatal means the socket stopped receiving and must be reopened. */
export type PacketErrorHandler = (error: NodeJS.ErrnoException, fatal: boolean) => void;

/** What a layer-2 speaker needs from a link: send frames, join multicast MACs, counters, close. */
export interface PacketConn {
  /** Sends one whole Ethernet frame; false when the transmit queue is full (EAGAIN), nothing sent. */
  send(frame: Uint8Array): boolean;
  addMembership(mac: string): void;
  dropMembership(mac: string): void;
  stats(): PacketStats;
  close(): void;
}

export interface PacketSocket extends PacketConn {
  /** The interface index bound at open; a speaker reopens when the interface's index changes. */
  readonly ifindex: number;
  readonly interface: string;
  /** The receive buffer the kernel granted (it reports twice the requested size). */
  receiveBufferBytes(): number;
  attachFilter(filter: readonly BpfInstruction[]): void;
  /**
   * Sends up to SEND_MANY_MAX whole Ethernet frames with one sendmmsg(2) per 64 frames, in order; returns
   * how many were sent. Fewer than frames.length: the transmit queue filled (EAGAIN) and the rest were not
   * sent, or an error stopped the batch after some frames (the next call throws it). An error before any
   * frame went out is thrown, as by send(). Bad arguments throw PacketSocketOptionError before anything is sent.
   */
  sendMany(frames: readonly Uint8Array[]): number;
}

/** Bad options for openPacketSocket (names the field and the reason). */
export class PacketSocketOptionError extends TypeError {
  override readonly name = 'PacketSocketOptionError';
}

/** Linux interface-name rules (dev_valid_name): 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
export function validateInterfaceName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new PacketSocketOptionError(`interface must be a string, got ${typeof name}`);
  }
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > IFNAME_MAX_BYTES || name === '.' || name === '..' || /[/:\s\0]/u.test(name)) {
    throw new PacketSocketOptionError(
      `interface '${name}' is not a valid interface name (1 to ${IFNAME_MAX_BYTES} bytes, no '/', ':' or spaces)`,
    );
  }
  return name;
}

/** Parses "33:33:ff:00:00:01" (or '-' separated) into 6 bytes; throws PacketSocketOptionError. */
export function parseMac(text: string, what = 'mac'): Buffer {
  const match =
    /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/iu.exec(
      String(text),
    );
  if (match === null) {
    throw new PacketSocketOptionError(
      `${what} '${String(text)}' is not a MAC address like 33:33:ff:00:00:01`,
    );
  }
  const bytes = [1, 3, 4, 5, 6, 7].map((group) => Number.parseInt(match[group]!, 16));
  return Buffer.from(bytes.slice(0, MAC_BYTES));
}

function multicastMac(text: string): Buffer {
  const mac = parseMac(text);
  if ((mac[0]! & 1) === 0) {
    throw new PacketSocketOptionError(`mac '${text}' is not a multicast address (group bit clear)`);
  }
  return mac;
}

function checkOptions(options: PacketSocketOptions): { protocol: number } {
  if (typeof options !== 'object' || options === null) {
    throw new PacketSocketOptionError('options must be an object');
  }
  validateInterfaceName(options.interface);
  const protocol = Object.hasOwn(PROTOCOLS, String(options.protocol))
    ? PROTOCOLS[options.protocol]
    : undefined;
  if (protocol === undefined) {
    throw new PacketSocketOptionError(`protocol must be 'arp' or 'ipv6', got ${String(options.protocol)}`);
  }
  if (options.filter !== undefined) validateBpfFilter(options.filter);
  const bytes = options.receiveBufferBytes;
  if (bytes !== undefined && (!Number.isInteger(bytes) || bytes < 1 || bytes > RECEIVE_BUFFER_MAX)) {
    throw new PacketSocketOptionError(`receiveBufferBytes must be an integer in [1, ${RECEIVE_BUFFER_MAX}]`);
  }
  return { protocol };
}

function asBuffer(frame: Uint8Array): Buffer {
  if (Buffer.isBuffer(frame)) return frame;
  if (!(frame instanceof Uint8Array))
    throw new PacketSocketOptionError('frame must be a Buffer or Uint8Array');
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** Checks a sendMany batch and returns it as Buffers (views, no copies). */
export function validateFrames(frames: readonly Uint8Array[]): Buffer[] {
  if (!Array.isArray(frames)) {
    throw new PacketSocketOptionError('frames must be an array of Buffer or Uint8Array');
  }
  if (frames.length > SEND_MANY_MAX) {
    throw new PacketSocketOptionError(
      `frames must hold at most ${SEND_MANY_MAX} frames, got ${frames.length}`,
    );
  }
  return frames.map((frame: unknown, index) => {
    if (!(frame instanceof Uint8Array)) {
      throw new PacketSocketOptionError(`frames[${index}] must be a Buffer or Uint8Array`);
    }
    return asBuffer(frame);
  });
}

function isAgain(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EAGAIN';
}

/**
 * Opens an AF_PACKET socket on one interface for one protocol. Needs CAP_NET_RAW. An unknown interface
 * throws ENODEV naming it; bad options throw PacketSocketOptionError / BpfFilterError (TypeErrors).
 */
export function openPacketSocket(
  options: PacketSocketOptions,
  onFrame: FrameHandler,
  onError: PacketErrorHandler,
): PacketSocket {
  const { protocol } = checkOptions(options);
  if (typeof onFrame !== 'function' || typeof onError !== 'function') {
    throw new PacketSocketOptionError('onFrame and onError must be functions');
  }
  const native = loadNativePacket();
  const handle: PacketHandle = native.packetOpen(
    {
      ifname: options.interface,
      protocol,
      ...(options.filter === undefined ? {} : { filter: options.filter }),
      ...(options.receiveBufferBytes === undefined ? {} : { receiveBufferBytes: options.receiveBufferBytes }),
    },
    (frame, type) => onFrame(frame, PACKET_TYPES[type] ?? 'otherhost'),
    onError,
  );
  const { ifindex } = native.packetInfo(handle);
  return {
    ifindex,
    interface: options.interface,
    send(frame) {
      try {
        native.packetSend(handle, asBuffer(frame));
        return true;
      } catch (error) {
        if (isAgain(error)) return false;
        throw error;
      }
    },
    sendMany(frames) {
      const buffers = validateFrames(frames);
      return buffers.length === 0 ? 0 : native.packetSendMany(handle, buffers);
    },
    addMembership: (mac) => native.packetMembership(handle, multicastMac(mac), true),
    dropMembership: (mac) => native.packetMembership(handle, multicastMac(mac), false),
    stats: () => native.packetStats(handle),
    receiveBufferBytes: () => native.packetInfo(handle).receiveBufferBytes,
    attachFilter: (filter) => native.packetAttachFilter(handle, validateBpfFilter(filter)),
    close: () => native.packetClose(handle),
  };
}
