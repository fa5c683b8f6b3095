/**
 * bench:arp's frames. Every request carries its step and sequence number in the ARP sender hardware
 * address (and the Ethernet source), 02:SS:QQ:QQ:QQ:QQ (locally administered unicast; SS the step,
 * QQ.. the 32-bit sequence). Both responders copy that address into the reply's target hardware address
 * (RFC 826), which is how replies are matched to requests without any state in the frame otherwise.
 */
import { parseIpBytes } from '../../src/l2/wire/addresses.js';
import { buildArpFrame } from '../../src/l2/wire/builders.js';
import {
  ArpOp,
  BROADCAST_MAC,
  ETHERNET_HEADER_LENGTH,
  EtherType,
  IPV4_LENGTH,
  MAC_LENGTH,
} from '../../src/l2/wire/constants.js';

/** The first octet of every generated MAC: unicast, locally administered (IEEE 802 U/L bit). */
export const GENERATED_MAC_FIRST_OCTET = 0x02;
const MAC_STEP_OFFSET = 1;
const MAC_SEQUENCE_OFFSET = 2;

// Offsets in an untagged Ethernet frame carrying Ethernet/IPv4 ARP (RFC 826 field order).
const ETHER_SOURCE_OFFSET = MAC_LENGTH;
const ETHER_TYPE_OFFSET = 2 * MAC_LENGTH;
/** hrd (2 octets), pro (2), hln (1), pln (1), then op (2). */
const ARP_OP_OFFSET = ETHERNET_HEADER_LENGTH + 6;
const ARP_SENDER_MAC_OFFSET = ARP_OP_OFFSET + 2;
const ARP_SENDER_IP_OFFSET = ARP_SENDER_MAC_OFFSET + MAC_LENGTH;
const ARP_TARGET_MAC_OFFSET = ARP_SENDER_IP_OFFSET + IPV4_LENGTH;
const ARP_END = ARP_TARGET_MAC_OFFSET + MAC_LENGTH + IPV4_LENGTH;

/** A reusable broadcast "who-has target tell sender" frame whose sender MAC is rewritten per request. */
export class RequestFrame {
  readonly buffer: Buffer;

  constructor(senderIp: string, targetIp: string) {
    const frame = buildArpFrame(
      { destination: BROADCAST_MAC, source: macOf(0, 0) },
      {
        op: ArpOp.REQUEST,
        senderMac: macOf(0, 0),
        senderIp: parseIpBytes(senderIp),
        targetMac: new Uint8Array(MAC_LENGTH),
        targetIp: parseIpBytes(targetIp),
      },
    );
    this.buffer = Buffer.from(frame);
  }

  /** Writes step and sequence into the Ethernet source and the ARP sender hardware address. */
  set(step: number, sequence: number): Buffer {
    for (const at of [ETHER_SOURCE_OFFSET, ARP_SENDER_MAC_OFFSET]) {
      this.buffer[at + MAC_STEP_OFFSET] = step;
      this.buffer.writeUInt32BE(sequence, at + MAC_SEQUENCE_OFFSET);
    }
    return this.buffer;
  }
}

function macOf(step: number, sequence: number): Uint8Array {
  const mac = Buffer.alloc(MAC_LENGTH);
  mac[0] = GENERATED_MAC_FIRST_OCTET;
  mac[MAC_STEP_OFFSET] = step;
  mac.writeUInt32BE(sequence, MAC_SEQUENCE_OFFSET);
  return mac;
}

export interface MatchedReply {
  readonly step: number;
  readonly sequence: number;
  /** The ARP sender protocol address of the reply (the address that was asked for), as a 32-bit number. */
  readonly senderIp: number;
}

/**
 * An ARP reply addressed to a generated MAC, or undefined for anything else (gratuitous ARP, requests,
 * other frames). Reads fixed offsets: this is the generator's hot path.
 */
export function matchReply(frame: Buffer): MatchedReply | undefined {
  if (frame.length < ARP_END) return undefined;
  if (frame.readUInt16BE(ETHER_TYPE_OFFSET) !== EtherType.ARP) return undefined;
  if (frame.readUInt16BE(ARP_OP_OFFSET) !== ArpOp.REPLY) return undefined;
  if (frame[ARP_TARGET_MAC_OFFSET] !== GENERATED_MAC_FIRST_OCTET) return undefined;
  return {
    step: frame[ARP_TARGET_MAC_OFFSET + MAC_STEP_OFFSET]!,
    sequence: frame.readUInt32BE(ARP_TARGET_MAC_OFFSET + MAC_SEQUENCE_OFFSET),
    senderIp: frame.readUInt32BE(ARP_SENDER_IP_OFFSET),
  };
}

/** 192.0.2.1 -> 0xc0000201. */
export function ipv4Number(text: string): number {
  return Buffer.from(parseIpBytes(text)).readUInt32BE(0);
}
