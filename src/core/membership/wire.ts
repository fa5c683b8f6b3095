/**
 * The membership wire format: a compact big-endian binary encoding of `Message`, with typed decode
 * errors. Authentication is the adapter's job: a datagram is `message || MAC`, where MAC is
 * HMAC-SHA256(key, message), MAC_BYTES long, keyed with the Secret the controller creates. This module
 * only splits and joins that trailer; it never computes a MAC.
 *
 *   0      2        3     4             8       12
 *   | magic | version | type | incarnation | seq | from (len u8 + UTF-8) | [target] | count u8 | updates…
 *   update: kind u8 | incarnation u32 | name (len u8 + UTF-8)
 */
import type { Message, MessageType, Update, UpdateKind } from './types.js';

/** "HM" (Herald Membership). */
export const WIRE_MAGIC = 0x484d;
export const WIRE_VERSION = 1;
/** HMAC-SHA256 output length; the MAC trails the message. */
export const MAC_BYTES = 32;
/** Header field offsets: magic(2) + version(1) + type(1) + incarnation(4) + seq(4). */
const OFFSET_MAGIC = 0;
const OFFSET_VERSION = 2;
const OFFSET_TYPE = 3;
const OFFSET_INCARNATION = 4;
const OFFSET_SEQ = 8;
export const HEADER_BYTES = 12;
const U16_BYTES = 2;
export const MAX_NAME_BYTES = 253;
export const MAX_UPDATES = 255;
const U8_BYTES = 1;
const U32_BYTES = 4;
const UPDATE_FIXED_BYTES = U8_BYTES + U32_BYTES;

const TYPE_CODES: Readonly<Record<MessageType, number>> = { ping: 1, ack: 2, 'ping-req': 3, gossip: 4 };
const KIND_CODES: Readonly<Record<UpdateKind, number>> = { alive: 1, suspect: 2, dead: 3, left: 4 };
const TYPES = new Map(Object.entries(TYPE_CODES).map(([k, v]) => [v, k as MessageType]));
const KINDS = new Map(Object.entries(KIND_CODES).map(([k, v]) => [v, k as UpdateKind]));

export type WireErrorCode =
  | 'truncated'
  | 'bad-magic'
  | 'bad-version'
  | 'bad-type'
  | 'bad-kind'
  | 'bad-name'
  | 'bad-field'
  | 'trailing-bytes';

export class MembershipWireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    readonly field: string,
    reason: string,
  ) {
    super(`membership message ${field}: ${reason}`);
    this.name = 'MembershipWireError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function nameBytes(name: string, field: string): Uint8Array {
  const bytes = encoder.encode(name);
  if (bytes.length === 0 || bytes.length > MAX_NAME_BYTES) {
    throw new MembershipWireError(
      'bad-name',
      field,
      `must be 1-${MAX_NAME_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

function checkU32(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new MembershipWireError('bad-field', field, `must be a uint32, got ${value}`);
  }
}

/** Encodes a message (without MAC). Throws MembershipWireError for values the format cannot carry. */
export function encodeMessage(msg: Message): Uint8Array {
  checkU32(msg.incarnation, 'incarnation');
  checkU32(msg.seq, 'seq');
  if (msg.updates.length > MAX_UPDATES) {
    throw new MembershipWireError(
      'bad-field',
      'updates',
      `at most ${MAX_UPDATES}, got ${msg.updates.length}`,
    );
  }
  if ((msg.type === 'ping-req') !== (msg.target !== undefined)) {
    throw new MembershipWireError('bad-field', 'target', 'required for ping-req and only there');
  }
  const from = nameBytes(msg.from, 'from');
  const target = msg.target === undefined ? undefined : nameBytes(msg.target, 'target');
  const names = msg.updates.map((u, i) => {
    checkU32(u.incarnation, `updates[${i}].incarnation`);
    return nameBytes(u.name, `updates[${i}].name`);
  });
  let length = HEADER_BYTES + U8_BYTES + from.length + U8_BYTES;
  if (target) length += U8_BYTES + target.length;
  for (const n of names) length += UPDATE_FIXED_BYTES + U8_BYTES + n.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint16(OFFSET_MAGIC, WIRE_MAGIC);
  view.setUint8(OFFSET_VERSION, WIRE_VERSION);
  view.setUint8(OFFSET_TYPE, TYPE_CODES[msg.type]);
  view.setUint32(OFFSET_INCARNATION, msg.incarnation);
  view.setUint32(OFFSET_SEQ, msg.seq);
  let pos = writeName(out, HEADER_BYTES, from);
  if (target) pos = writeName(out, pos, target);
  out[pos++] = msg.updates.length;
  msg.updates.forEach((u, i) => {
    view.setUint8(pos, KIND_CODES[u.kind]);
    view.setUint32(pos + U8_BYTES, u.incarnation);
    pos = writeName(out, pos + UPDATE_FIXED_BYTES, names[i]!);
  });
  return out;
}

function writeName(out: Uint8Array, pos: number, bytes: Uint8Array): number {
  out[pos] = bytes.length;
  out.set(bytes, pos + U8_BYTES);
  return pos + U8_BYTES + bytes.length;
}

class Cursor {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, field: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new MembershipWireError('truncated', field, `needs ${n} more bytes at offset ${this.pos}`);
    }
  }
  u8(field: string): number {
    this.need(U8_BYTES, field);
    return this.view.getUint8(this.pos++);
  }
  u16(field: string): number {
    this.need(U16_BYTES, field);
    const v = this.view.getUint16(this.pos);
    this.pos += U16_BYTES;
    return v;
  }
  u32(field: string): number {
    this.need(U32_BYTES, field);
    const v = this.view.getUint32(this.pos);
    this.pos += U32_BYTES;
    return v;
  }
  name(field: string): string {
    const len = this.u8(`${field}.length`);
    if (len === 0) throw new MembershipWireError('bad-name', field, 'is empty');
    this.need(len, field);
    const slice = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    try {
      return decoder.decode(slice);
    } catch {
      throw new MembershipWireError('bad-name', field, 'is not valid UTF-8');
    }
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
}

function decodeHeader(r: Cursor): { type: MessageType; incarnation: number; seq: number } {
  const magic = r.u16('magic');
  if (magic !== WIRE_MAGIC) throw new MembershipWireError('bad-magic', 'magic', `0x${magic.toString(16)}`);
  const version = r.u8('version');
  if (version !== WIRE_VERSION)
    throw new MembershipWireError('bad-version', 'version', `unsupported ${version}`);
  const code = r.u8('type');
  const type = TYPES.get(code);
  if (!type) throw new MembershipWireError('bad-type', 'type', `unknown code ${code}`);
  return { type, incarnation: r.u32('incarnation'), seq: r.u32('seq') };
}

/** Decodes a message (MAC already verified and removed). Throws only MembershipWireError. */
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Cursor(bytes);
  const { type, incarnation, seq } = decodeHeader(r);
  const from = r.name('from');
  const target = type === 'ping-req' ? r.name('target') : undefined;
  const count = r.u8('updates.count');
  const updates: Update[] = [];
  for (let i = 0; i < count; i++) {
    const code = r.u8(`updates[${i}].kind`);
    const kind = KINDS.get(code);
    if (!kind) throw new MembershipWireError('bad-kind', `updates[${i}].kind`, `unknown code ${code}`);
    const inc = r.u32(`updates[${i}].incarnation`);
    updates.push({ kind, incarnation: inc, name: r.name(`updates[${i}].name`) });
  }
  if (r.remaining !== 0)
    throw new MembershipWireError('trailing-bytes', 'message', `${r.remaining} unexpected bytes`);
  return { type, from, incarnation, seq, ...(target !== undefined ? { target } : {}), updates };
}

/** Splits a datagram into the message and its trailing MAC (to be verified by the adapter). */
export function splitMac(datagram: Uint8Array): { message: Uint8Array; mac: Uint8Array } {
  if (datagram.length < HEADER_BYTES + MAC_BYTES) {
    throw new MembershipWireError(
      'truncated',
      'mac',
      `datagram of ${datagram.length} bytes cannot hold a message and a MAC`,
    );
  }
  const cut = datagram.length - MAC_BYTES;
  return { message: datagram.subarray(0, cut), mac: datagram.subarray(cut) };
}

/** Appends the MAC the adapter computed over `message`. */
export function joinMac(message: Uint8Array, mac: Uint8Array): Uint8Array {
  if (mac.length !== MAC_BYTES)
    throw new MembershipWireError('bad-field', 'mac', `must be ${MAC_BYTES} bytes`);
  const out = new Uint8Array(message.length + MAC_BYTES);
  out.set(message);
  out.set(mac, message.length);
  return out;
}
