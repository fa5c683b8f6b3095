/** Hand-built wire bytes for the malformed-message tables: hex strings in, exact octets out. */
export const MARKER = 'ff'.repeat(16);

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function bytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
}

function u16(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** A whole message; `length` overrides the Length field. */
export function msg(type: number, body: string, length?: number): Uint8Array {
  const b = body.replace(/\s+/g, '');
  return bytes(MARKER + u16(length ?? 19 + b.length / 2) + type.toString(16).padStart(2, '0') + b);
}

/** One path attribute; Extended Length when the flags ask for it. */
export function attr(flags: number, type: number, value: string, length?: number): string {
  const v = value.replace(/\s+/g, '');
  const len = length ?? v.length / 2;
  const lenHex = flags & 0x10 ? u16(len) : len.toString(16).padStart(2, '0');
  return flags.toString(16).padStart(2, '0') + type.toString(16).padStart(2, '0') + lenHex + v;
}

export function updateBody(parts: { withdrawn?: string; attrs?: string; nlri?: string }): string {
  const w = (parts.withdrawn ?? '').replace(/\s+/g, '');
  const a = (parts.attrs ?? '').replace(/\s+/g, '');
  return u16(w.length / 2) + w + u16(a.length / 2) + a + (parts.nlri ?? '');
}

export function update(parts: { withdrawn?: string; attrs?: string; nlri?: string }): Uint8Array {
  return msg(2, updateBody(parts));
}

/** Well-formed attributes for a 2-octet-AS session announcing 198.51.100.0/24. */
export const ORIGIN_IGP = attr(0x40, 1, '00');
export const AS_PATH_65001 = attr(0x40, 2, '0201 fde9');
export const NEXT_HOP_192_0_2_1 = attr(0x40, 3, 'c0000201');
export const MANDATORY = ORIGIN_IGP + AS_PATH_65001 + NEXT_HOP_192_0_2_1;
export const NLRI_198_51_100 = '18c63364';

/** MP_REACH_NLRI for IPv6 unicast with next hop 2001:db8::1 (the length octet can be overridden). */
export const MP_REACH_V6 = (nlri: string, nhLength = '10', nh = '20010db8000000000000000000000001') =>
  attr(0x80, 14, `0002 01 ${nhLength} ${nh} 00 ${nlri}`);
