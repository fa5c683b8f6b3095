/**
 * Classic BPF (struct sock_filter) programs for Herald's AF_PACKET sockets, attached with SO_ATTACH_FILTER
 * before bind so the kernel drops uninteresting frames before they are queued (and before they count in
 * PACKET_STATISTICS). Owns the opcode constants (linux/filter.h), the ready filters for ARP and for
 * ICMPv6 Neighbor Solicitation/Advertisement, and a structural check run before the addon sees a program.
 */
import type { BpfInstruction } from './native.js';

// Instruction classes, sizes, modes and sources (include/uapi/linux/bpf_common.h).
export const BPF_LD = 0x00;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_ABS = 0x20;
export const BPF_JEQ = 0x10;
export const BPF_K = 0x00;
/** Most instructions the kernel accepts in one program (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
/** Return value: accept the whole frame. */
export const BPF_ACCEPT = 0xffff_ffff;
/** Return value: drop the frame. */
export const BPF_DROP = 0;

// Frame layout (Ethernet II, RFC 826 ARP, RFC 8200 IPv6, RFC 4861 NDP).
export const ETH_HEADER_LEN = 14;
export const ETH_TYPE_OFFSET = 12;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV4 = 0x0800;
export const ETH_P_IPV6 = 0x86dd;
export const ARP_HRD_ETHER = 1;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
const ARP_HTYPE_OFFSET = ETH_HEADER_LEN;
const ARP_PTYPE_OFFSET = ETH_HEADER_LEN + 2;
const ARP_HLEN_PLEN_OFFSET = ETH_HEADER_LEN + 4;
const ARP_OPER_OFFSET = ETH_HEADER_LEN + 6;
/** hlen 6 (Ethernet) and plen 4 (IPv4), read as one 16-bit word. */
const ARP_HLEN_PLEN_ETHER_IPV4 = 0x0604;
export const IPV6_HEADER_LEN = 40;
const IPV6_NEXT_HEADER_OFFSET = ETH_HEADER_LEN + 6;
const IPV6_HOP_LIMIT_OFFSET = ETH_HEADER_LEN + 7;
export const IPPROTO_ICMPV6 = 58;
/** RFC 4861 §7.1.1/§7.1.2: NS and NA must arrive with hop limit 255. */
export const ND_HOP_LIMIT = 255;
const ICMPV6_TYPE_OFFSET = ETH_HEADER_LEN + IPV6_HEADER_LEN;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;

const LDH_ABS = BPF_LD | BPF_H | BPF_ABS;
const LDB_ABS = BPF_LD | BPF_B | BPF_ABS;
const JEQ_K = BPF_JMP | BPF_JEQ | BPF_K;
const RET_K = BPF_RET | BPF_K;

function stmt(code: number, k: number): BpfInstruction {
  return { code, jt: 0, jf: 0, k };
}

function jump(code: number, k: number, jt: number, jf: number): BpfInstruction {
  return { code, jt, jf, k };
}

/**
 * ARP for IPv4 over Ethernet (htype 1, ptype 0x0800, hlen 6, plen 4), requests and replies; everything
 * else (other ethertypes, malformed or other hardware types, RARP opcodes) is dropped.
 */
export const ARP_FILTER: readonly BpfInstruction[] = Object.freeze([
  stmt(LDH_ABS, ETH_TYPE_OFFSET),
  jump(JEQ_K, ETH_P_ARP, 0, 10),
  stmt(LDH_ABS, ARP_HTYPE_OFFSET),
  jump(JEQ_K, ARP_HRD_ETHER, 0, 8),
  stmt(LDH_ABS, ARP_PTYPE_OFFSET),
  jump(JEQ_K, ETH_P_IPV4, 0, 6),
  stmt(LDH_ABS, ARP_HLEN_PLEN_OFFSET),
  jump(JEQ_K, ARP_HLEN_PLEN_ETHER_IPV4, 0, 4),
  stmt(LDH_ABS, ARP_OPER_OFFSET),
  jump(JEQ_K, ARP_OP_REQUEST, 1, 0),
  jump(JEQ_K, ARP_OP_REPLY, 0, 1),
  stmt(RET_K, BPF_ACCEPT),
  stmt(RET_K, BPF_DROP),
]);

/**
 * ICMPv6 Neighbor Solicitation and Neighbor Advertisement with hop limit 255 directly after the IPv6
 * header (NDP messages carry no extension headers in practice); all other IPv6 traffic is dropped.
 */
export const ICMPV6_ND_FILTER: readonly BpfInstruction[] = Object.freeze([
  stmt(LDH_ABS, ETH_TYPE_OFFSET),
  jump(JEQ_K, ETH_P_IPV6, 0, 8),
  stmt(LDB_ABS, IPV6_NEXT_HEADER_OFFSET),
  jump(JEQ_K, IPPROTO_ICMPV6, 0, 6),
  stmt(LDB_ABS, IPV6_HOP_LIMIT_OFFSET),
  jump(JEQ_K, ND_HOP_LIMIT, 0, 4),
  stmt(LDB_ABS, ICMPV6_TYPE_OFFSET),
  jump(JEQ_K, ND_NEIGHBOR_SOLICIT, 1, 0),
  jump(JEQ_K, ND_NEIGHBOR_ADVERT, 0, 1),
  stmt(RET_K, BPF_ACCEPT),
  stmt(RET_K, BPF_DROP),
]);

/** A BPF program Herald refuses before handing it to the kernel (the field and reason are in the message). */
export class BpfFilterError extends TypeError {
  override readonly name = 'BpfFilterError';
}

const FIELD_MAX = { code: 0xffff, jt: 0xff, jf: 0xff, k: 0xffff_ffff } as const;

function checkInstruction(insn: unknown, index: number, length: number): void {
  if (typeof insn !== 'object' || insn === null) {
    throw new BpfFilterError(`filter[${index}] must be an object { code, jt, jf, k }`);
  }
  const record = insn as Record<string, unknown>;
  for (const [field, max] of Object.entries(FIELD_MAX)) {
    const value = record[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      throw new BpfFilterError(
        `filter[${index}].${field} must be an integer in [0, ${max}], got ${String(value)}`,
      );
    }
  }
  const { code, jt, jf } = record as unknown as BpfInstruction;
  // Conditional jumps (BPF_JMP other than BPF_JA) are relative to the next instruction.
  const isConditional = (code & 0x07) === BPF_JMP && (code & 0xf0) !== 0;
  if (isConditional && (index + 1 + jt >= length || index + 1 + jf >= length)) {
    throw new BpfFilterError(`filter[${index}] jumps past the end of the program (jt ${jt}, jf ${jf})`);
  }
}

/** Checks shape, field ranges, jump targets and a final return; throws BpfFilterError (a TypeError). */
export function validateBpfFilter(filter: unknown): readonly BpfInstruction[] {
  if (!Array.isArray(filter)) {
    throw new BpfFilterError('filter must be an array of { code, jt, jf, k }');
  }
  if (filter.length === 0 || filter.length > BPF_MAXINSNS) {
    throw new BpfFilterError(`filter must have 1 to ${BPF_MAXINSNS} instructions, got ${filter.length}`);
  }
  filter.forEach((insn, index) => checkInstruction(insn, index, filter.length));
  const last = filter[filter.length - 1] as BpfInstruction;
  if ((last.code & 0x07) !== BPF_RET) {
    throw new BpfFilterError(`filter must end with a return instruction (BPF_RET), got code ${last.code}`);
  }
  return filter as readonly BpfInstruction[];
}
