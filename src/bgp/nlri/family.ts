/**
 * Address family facts the codec needs: address sizes, prefix limits and which <AFI, SAFI> pairs
 * bgp-ts-lite can parse (IPv4 and IPv6 unicast, RFC 4760).
 */
import {
  Afi,
  type AfiValue,
  IPV4_ADDRESS_LENGTH,
  IPV4_MAX_PREFIX_LENGTH,
  IPV6_ADDRESS_LENGTH,
  IPV6_MAX_PREFIX_LENGTH,
  Safi,
} from '../constants.js';
import type { CodecContext } from '../types.js';

export function isAfi(afi: number): afi is AfiValue {
  return afi === Afi.IPV4 || afi === Afi.IPV6;
}

/** The <AFI, SAFI> pairs whose NLRI bgp-ts-lite decodes. */
export function isSupportedFamily(afi: number, safi: number): afi is AfiValue {
  return isAfi(afi) && safi === Safi.UNICAST;
}

export function addressLength(afi: AfiValue): number {
  return afi === Afi.IPV4 ? IPV4_ADDRESS_LENGTH : IPV6_ADDRESS_LENGTH;
}

export function maxPrefixLength(afi: AfiValue): number {
  return afi === Afi.IPV4 ? IPV4_MAX_PREFIX_LENGTH : IPV6_MAX_PREFIX_LENGTH;
}

/** RFC 7911: whether NLRI of this family carry a Path Identifier when received. */
export function addPathOnReceive(ctx: CodecContext, afi: number, safi: number): boolean {
  return ctx.addPathReceive.size > 0 && ctx.addPathReceive.has(`${afi}/${safi}`);
}

/** RFC 7911: whether NLRI of this family carry a Path Identifier when sent. */
export function addPathOnSend(ctx: CodecContext, afi: number, safi: number): boolean {
  return ctx.addPathSend.size > 0 && ctx.addPathSend.has(`${afi}/${safi}`);
}
