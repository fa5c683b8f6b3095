/**
 * ARP packets (RFC 826) for Ethernet hardware and IPv4 protocol addresses only: any other hardware or
 * protocol type, or address lengths other than 6 and 4, is an L2WireError. Trailing octets (Ethernet
 * padding) are left unread.
 */
import type { L2Codec } from './codec.js';
import {
  ARP_ETHERNET_IPV4_LENGTH,
  ARP_HARDWARE_ETHERNET,
  ARP_PROTOCOL_IPV4,
  IPV4_LENGTH,
  MAC_LENGTH,
} from './constants.js';
import type { Reader, Writer } from './cursor.js';
import { L2WireError } from './errors.js';

export interface ArpPacket {
  /** ArpOp.REQUEST, ArpOp.REPLY, or another opcode (kept as read). */
  readonly op: number;
  readonly senderMac: Uint8Array;
  readonly senderIp: Uint8Array;
  readonly targetMac: Uint8Array;
  readonly targetIp: Uint8Array;
}

function expect(
  actual: number,
  wanted: number,
  code: 'arp-unsupported-hardware' | 'arp-unsupported-protocol' | 'arp-bad-address-length',
  field: string,
): void {
  if (actual !== wanted) throw new L2WireError(code, field, `${actual} is not supported (only ${wanted})`);
}

export const arpCodec: L2Codec<ArpPacket> = {
  length: () => ARP_ETHERNET_IPV4_LENGTH,

  encode(w: Writer, p: ArpPacket): void {
    w.u16(ARP_HARDWARE_ETHERNET);
    w.u16(ARP_PROTOCOL_IPV4);
    w.u8(MAC_LENGTH);
    w.u8(IPV4_LENGTH);
    w.u16(p.op);
    w.fixed(p.senderMac, MAC_LENGTH, 'arp.senderMac');
    w.fixed(p.senderIp, IPV4_LENGTH, 'arp.senderIp');
    w.fixed(p.targetMac, MAC_LENGTH, 'arp.targetMac');
    w.fixed(p.targetIp, IPV4_LENGTH, 'arp.targetIp');
  },

  decode(r: Reader): ArpPacket {
    expect(r.u16(), ARP_HARDWARE_ETHERNET, 'arp-unsupported-hardware', 'arp.hardwareType');
    expect(r.u16(), ARP_PROTOCOL_IPV4, 'arp-unsupported-protocol', 'arp.protocolType');
    expect(r.u8(), MAC_LENGTH, 'arp-bad-address-length', 'arp.hardwareLength');
    expect(r.u8(), IPV4_LENGTH, 'arp-bad-address-length', 'arp.protocolLength');
    const op = r.u16();
    const senderMac = r.bytes(MAC_LENGTH);
    const senderIp = r.bytes(IPV4_LENGTH);
    const targetMac = r.bytes(MAC_LENGTH);
    const targetIp = r.bytes(IPV4_LENGTH);
    return { op, senderMac, senderIp, targetMac, targetIp };
  },
};
