/**
 * The fast path of the responder for the one frame a busy segment is full of: an untagged Ethernet ARP
 * request for an IPv4 address (RFC 826). It reads the fields in place and writes the reply into one
 * buffer, with no decoding into objects, and returns exactly what the general path (responder.ts) would:
 * the same reply bytes, or `not-owned`. Anything else (VLAN tags, other opcodes, gratuitous or
 * self-sent frames, a sender address this node owns, which may be a conflict) is left to the general
 * path by returning undefined. Pure; test/unit/l2/responder.test.ts checks the equivalence.
 */
import {
  ARP_HARDWARE_ETHERNET,
  ARP_PROTOCOL_IPV4,
  ArpOp,
  ETHERNET_HEADER_LENGTH,
  ETHERNET_MIN_FRAME_LENGTH,
  EtherType,
  IPV4_LENGTH,
  MAC_LENGTH,
} from './wire/constants.js';

/** Offsets in the frame: Ethernet header, then ARP's fixed part and its four addresses. */
const ETHERTYPE_AT = 2 * MAC_LENGTH;
const HTYPE_AT = ETHERNET_HEADER_LENGTH;
const PTYPE_AT = HTYPE_AT + 2;
const HLEN_AT = PTYPE_AT + 2;
const PLEN_AT = HLEN_AT + 1;
const OP_AT = PLEN_AT + 1;
const SHA_AT = OP_AT + 2;
const SPA_AT = SHA_AT + MAC_LENGTH;
const THA_AT = SPA_AT + IPV4_LENGTH;
const TPA_AT = THA_AT + MAC_LENGTH;
const ARP_END = TPA_AT + IPV4_LENGTH;
const BYTE = 8;
const BROADCAST_OCTET = 0xff;

export interface FastContext {
  readonly ifaceMac: Uint8Array;
  readonly ifaceName: string;
  readonly owned: (ip: string, ifaceName: string) => boolean;
}

export type FastArpResult =
  { readonly kind: 'reply'; readonly frame: Uint8Array } | { readonly kind: 'not-owned' };

const u16 = (f: Uint8Array, at: number): number => (((f[at] ?? 0) << BYTE) | (f[at + 1] ?? 0)) >>> 0;
const ipv4 = (f: Uint8Array, at: number): string => `${f[at]}.${f[at + 1]}.${f[at + 2]}.${f[at + 3]}`;

function equalAt(f: Uint8Array, at: number, other: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (f[at + i] !== other[i]) return false;
  return true;
}

function broadcastAt(f: Uint8Array, at: number): boolean {
  for (let i = 0; i < MAC_LENGTH; i++) if (f[at + i] !== BROADCAST_OCTET) return false;
  return true;
}

function plainRequest(f: Uint8Array, mac: Uint8Array): boolean {
  return (
    f.length >= ARP_END &&
    u16(f, ETHERTYPE_AT) === EtherType.ARP &&
    u16(f, HTYPE_AT) === ARP_HARDWARE_ETHERNET &&
    u16(f, PTYPE_AT) === ARP_PROTOCOL_IPV4 &&
    f[HLEN_AT] === MAC_LENGTH &&
    f[PLEN_AT] === IPV4_LENGTH &&
    u16(f, OP_AT) === ArpOp.REQUEST &&
    !equalAt(f, MAC_LENGTH, mac, MAC_LENGTH) &&
    (broadcastAt(f, 0) || equalAt(f, 0, mac, MAC_LENGTH)) &&
    !equalAt(f, SPA_AT, f.subarray(TPA_AT, ARP_END), IPV4_LENGTH)
  );
}

function reply(f: Uint8Array, mac: Uint8Array): Uint8Array {
  const out = new Uint8Array(ETHERNET_MIN_FRAME_LENGTH);
  out.set(f.subarray(SHA_AT, SHA_AT + MAC_LENGTH), 0);
  out.set(mac, MAC_LENGTH);
  out.set(f.subarray(ETHERTYPE_AT, OP_AT), ETHERTYPE_AT);
  out[OP_AT + 1] = ArpOp.REPLY;
  out.set(mac, SHA_AT);
  out.set(f.subarray(TPA_AT, ARP_END), SPA_AT);
  out.set(f.subarray(SHA_AT, SPA_AT + IPV4_LENGTH), THA_AT);
  return out;
}

/** The decision for a plain ARP request, or undefined when the general path must decide. */
export function fastArp(frame: Uint8Array, ctx: FastContext): FastArpResult | undefined {
  if (!plainRequest(frame, ctx.ifaceMac)) return undefined;
  if (ctx.owned(ipv4(frame, SPA_AT), ctx.ifaceName)) return undefined;
  if (!ctx.owned(ipv4(frame, TPA_AT), ctx.ifaceName)) return { kind: 'not-owned' };
  return { kind: 'reply', frame: reply(frame, ctx.ifaceMac) };
}
