/**
 * The IPv6 fixed header (RFC 8200 §3) and its payload. Payload Length bounds the payload; octets after
 * it (Ethernet padding) are left unread. Extension headers are not parsed: `nextHeader` says what
 * follows, and the frame classifier drops anything but ICMPv6 directly after the fixed header.
 */
import type { L2Codec } from './codec.js';
import {
  IPV6_ADDRESS_LENGTH,
  IPV6_FLOW_LABEL_MASK,
  IPV6_HEADER_LENGTH,
  IPV6_TRAFFIC_CLASS_MAX,
  IPV6_TRAFFIC_CLASS_SHIFT,
  IPV6_VERSION,
  IPV6_VERSION_SHIFT,
} from './constants.js';
import type { Reader, Writer } from './cursor.js';
import { L2WireError } from './errors.js';

export interface Ipv6Packet {
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly payload: Uint8Array;
}

function firstWord(p: Omit<Ipv6Packet, 'payload'>): number {
  if (!Number.isInteger(p.trafficClass) || p.trafficClass < 0 || p.trafficClass > IPV6_TRAFFIC_CLASS_MAX) {
    throw new L2WireError('bad-value', 'ipv6.trafficClass', `${p.trafficClass} is not in 0..255`);
  }
  if (!Number.isInteger(p.flowLabel) || p.flowLabel < 0 || p.flowLabel > IPV6_FLOW_LABEL_MASK) {
    throw new L2WireError('bad-value', 'ipv6.flowLabel', `${p.flowLabel} is not a 20-bit value`);
  }
  return (
    ((IPV6_VERSION << IPV6_VERSION_SHIFT) | (p.trafficClass << IPV6_TRAFFIC_CLASS_SHIFT) | p.flowLabel) >>> 0
  );
}

/** Writes the fixed header alone, so builders can write a payload of `payloadLength` in place behind it. */
export function encodeIpv6Header(w: Writer, h: Omit<Ipv6Packet, 'payload'>, payloadLength: number): void {
  w.u32(firstWord(h));
  w.u16(payloadLength);
  w.u8(h.nextHeader);
  w.u8(h.hopLimit);
  w.fixed(h.source, IPV6_ADDRESS_LENGTH, 'ipv6.source');
  w.fixed(h.destination, IPV6_ADDRESS_LENGTH, 'ipv6.destination');
}

export const ipv6Codec: L2Codec<Ipv6Packet> = {
  length: (p) => IPV6_HEADER_LENGTH + p.payload.length,

  encode(w: Writer, p: Ipv6Packet): void {
    encodeIpv6Header(w, p, p.payload.length);
    w.bytes(p.payload);
  },

  decode(r: Reader): Ipv6Packet {
    const word = r.u32();
    const version = word >>> IPV6_VERSION_SHIFT;
    if (version !== IPV6_VERSION)
      throw new L2WireError('ipv6-bad-version', 'ipv6.version', `${version} is not 6`);
    const payloadLength = r.u16();
    const nextHeader = r.u8();
    const hopLimit = r.u8();
    const source = r.bytes(IPV6_ADDRESS_LENGTH);
    const destination = r.bytes(IPV6_ADDRESS_LENGTH);
    if (payloadLength > r.remaining) {
      throw new L2WireError(
        'ipv6-bad-payload-length',
        'ipv6.payloadLength',
        `${payloadLength} is more than the ${r.remaining} octets that follow the header`,
      );
    }
    return {
      trafficClass: (word >>> IPV6_TRAFFIC_CLASS_SHIFT) & IPV6_TRAFFIC_CLASS_MAX,
      flowLabel: word & IPV6_FLOW_LABEL_MASK,
      nextHeader,
      hopLimit,
      source,
      destination,
      payload: r.bytes(payloadLength),
    };
  },
};
