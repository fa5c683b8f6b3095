/**
 * The optional port that enforces the receive side of GTSM (RFC 5881 §5, RFC 5082): Node's dgram cannot
 * read a received packet's TTL, so only the kernel can drop single-hop packets that arrive with a TTL
 * below 255, through IP_MINTTL (IPv4) or IPV6_MINHOPCOUNT (IPv6) on the receiving socket. A native addon
 * (Herald's `src/platform`) implements it; without it the check is not enforced, and the service says
 * so in `receiveTtlEnforced`.
 */
import type { Socket } from 'node:dgram';
import type { AddressFamily } from './address.js';

export interface MinTtlPort {
  /** Sets IP_MINTTL / IPV6_MINHOPCOUNT to `minTtl` on the socket with file descriptor `fd`. */
  setMinTtl(fd: number, family: AddressFamily, minTtl: number): void;
}

/** The file descriptor of a bound dgram socket (an undocumented handle field), or undefined. */
export function socketFd(socket: Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
