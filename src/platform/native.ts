/**
 * Loads Herald's Node-API addon (native/build/Release/herald_native.node, built by `npm run build:native`)
 * on first use and exposes its functions with types. This is the only module that touches the addon
 * (dependency rule: only src/platform imports native/). See docs/native.md.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Address family of a socket: 4 (AF_INET) or 6 (AF_INET6). */
export type IpFamily = 4 | 6;

export interface TcpSocketOptions {
  family: IpFamily;
  /** RFC 2385 key for one peer, set before the SYN. An IPv4 peer on an IPv6 socket is mapped (::ffff:a.b.c.d). */
  md5?: { peer: string; key: string };
  /** Outgoing TTL / hop limit (1..255), e.g. eBGP multihop or 255 for GTSM. */
  ttl?: number;
  /** Minimum accepted TTL / hop count (RFC 5082 GTSM), 0..255; 0 turns the check off. */
  minTtl?: number;
  /** Source address, bound before connecting (IPv6 link-local may carry "%iface"). */
  bindAddress?: string;
  bindPort?: number;
  reuseAddr?: boolean;
}

/** Options read back from a socket. For IPv6 sockets ttl/minTtl are the IPv6 values. */
export interface SocketOptionsInfo {
  family: IpFamily;
  ttl: number;
  minTtl: number;
  ipv4Ttl: number;
  ipv4MinTtl: number;
  reuseAddr: boolean;
}

/** The addon's exports, as implemented in native/src/*.c. */
export interface HeraldNative {
  tcpSocket(options: TcpSocketOptions): number;
  setTcpMd5(fd: number, peer: string, key: string): void;
  setTtl(fd: number, family: IpFamily, ttl: number): void;
  setMinTtl(fd: number, family: IpFamily, ttl: number): void;
  socketOptions(fd: number): SocketOptionsInfo;
}

/** The addon is missing or cannot be loaded (e.g. not built on this machine). */
export class NativeAddonError extends Error {
  override readonly name = 'NativeAddonError';
}

const ADDON_FILE = 'native/build/Release/herald_native.node';
// From src/platform/ (tsx, vitest) and from dist/src/platform/ (compiled) up to the package root.
const ADDON_CANDIDATES = [`../../${ADDON_FILE}`, `../../../${ADDON_FILE}`].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

let cached: HeraldNative | undefined;

/** Loads the addon once; throws NativeAddonError with the fix ("run npm run build:native") if it is not built. */
export function loadNative(): HeraldNative {
  if (cached !== undefined) {
    return cached;
  }
  const path = ADDON_CANDIDATES.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    throw new NativeAddonError(
      `Herald's native addon is not built (looked for ${ADDON_CANDIDATES.join(', ')}): run npm run build:native`,
    );
  }
  try {
    cached = createRequire(import.meta.url)(path) as HeraldNative;
  } catch (cause) {
    throw new NativeAddonError(`cannot load Herald's native addon ${path}: run npm run build:native`, {
      cause,
    });
  }
  return cached;
}

/** Creates a non-blocking TCP socket with MD5/TTL/GTSM/source set; returns its fd (see TcpSocketOptions). */
export function tcpSocket(options: TcpSocketOptions): number {
  return loadNative().tcpSocket(options);
}

/** Adds or replaces the RFC 2385 key for `peer` on any TCP socket (a listener's children inherit it); '' removes it. */
export function setTcpMd5(fd: number, peer: string, key: string): void {
  loadNative().setTcpMd5(fd, peer, key);
}

/** Sets IP_TTL (family 4) or IPV6_UNICAST_HOPS and IP_TTL (family 6) on an existing socket. */
export function setTtl(fd: number, family: IpFamily, ttl: number): void {
  loadNative().setTtl(fd, family, ttl);
}

/** Sets IP_MINTTL (family 4) or IPV6_MINHOPCOUNT and IP_MINTTL (family 6); 0 turns GTSM off. */
export function setMinTtl(fd: number, family: IpFamily, ttl: number): void {
  loadNative().setMinTtl(fd, family, ttl);
}

/** Reads back family, TTLs, minimum TTLs and SO_REUSEADDR of a socket. */
export function socketOptions(fd: number): SocketOptionsInfo {
  return loadNative().socketOptions(fd);
}

/** One classic BPF instruction (struct sock_filter); see src/platform/bpf.ts. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export interface PacketOpenOptions {
  /** Interface name (looked up with if_nametoindex when opening). */
  ifname: string;
  /** Ethertype bound to (e.g. 0x0806 ARP, 0x86dd IPv6), 1..0xffff. */
  protocol: number;
  /** Attached before bind, so no unfiltered frame is queued. */
  filter?: readonly BpfInstruction[];
  /** SO_RCVBUFFORCE (falls back to SO_RCVBUF without CAP_NET_ADMIN). */
  receiveBufferBytes?: number;
}

/** An open AF_PACKET socket in the addon; only packet* functions use it. */
export interface PacketHandle {
  readonly __packetHandle: unique symbol;
}

export interface PacketHandleInfo {
  fd: number;
  ifindex: number;
  protocol: number;
  receiveBufferBytes: number;
  closed: boolean;
}

/** PACKET_STATISTICS accumulated since open: packets queued or dropped (after the filter), drops (buffer full). */
export interface PacketStatsInfo {
  packets: number;
  drops: number;
}

/** Called once per received frame with the kernel's packet type (PACKET_HOST 0 ... PACKET_OTHERHOST 3). */
export type PacketFrameCallback = (frame: Buffer, packetType: number) => void;
/** Called on a socket error (Node-style code/errno/syscall); fatal: the addon stopped polling. */
export type PacketErrorCallback = (error: NodeJS.ErrnoException, fatal: boolean) => void;

/** The addon's AF_PACKET exports (native/src/packet.c). */
export interface HeraldNativePacket {
  packetOpen(
    options: PacketOpenOptions,
    onFrame: PacketFrameCallback,
    onError: PacketErrorCallback,
  ): PacketHandle;
  packetSend(handle: PacketHandle, frame: Uint8Array): void;
  /** sendmmsg of up to 1024 frames; returns how many went out (fewer when the queue filled: EAGAIN). */
  packetSendMany(handle: PacketHandle, frames: readonly Buffer[]): number;
  packetAttachFilter(handle: PacketHandle, filter: readonly BpfInstruction[]): void;
  packetMembership(handle: PacketHandle, mac: Buffer, add: boolean): void;
  packetStats(handle: PacketHandle): PacketStatsInfo;
  packetInfo(handle: PacketHandle): PacketHandleInfo;
  packetClose(handle: PacketHandle): void;
}

/** The AF_PACKET functions of the addon (loaded on first use, like the TCP ones). */
export function loadNativePacket(): HeraldNativePacket {
  return loadNative() as unknown as HeraldNativePacket;
}
