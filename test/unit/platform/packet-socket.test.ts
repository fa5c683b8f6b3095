// AF_PACKET wrapper: argument validation (no root: checks run before the socket is created), MAC parsing,
// and the ready BPF filters run through a small classic-BPF interpreter on hand-built frames.
import { describe, expect, it } from 'vitest';

import {
  ARP_FILTER,
  BPF_ABS,
  BPF_B,
  BPF_H,
  BPF_JEQ,
  BPF_JMP,
  BPF_LD,
  BPF_RET,
  BpfFilterError,
  ICMPV6_ND_FILTER,
  validateBpfFilter,
} from '../../../src/platform/bpf.js';
import { loadNativePacket, type BpfInstruction } from '../../../src/platform/native.js';
import {
  openPacketSocket,
  PacketSocketOptionError,
  parseMac,
  SEND_MANY_MAX,
  validateFrames,
  validateInterfaceName,
  type PacketSocketOptions,
} from '../../../src/platform/packet-socket.js';

const noop = (): void => undefined;
const open = (options: Record<string, unknown>) => () =>
  openPacketSocket(
    { interface: 'lo', protocol: 'arp', ...options } as unknown as PacketSocketOptions,
    noop,
    noop,
  );

/** Runs the subset of classic BPF the filters use (LD H/B ABS, JEQ K, RET K); out-of-frame loads drop. */
function runBpf(program: readonly BpfInstruction[], frame: Buffer): number {
  let acc = 0;
  for (let pc = 0, steps = 0; pc < program.length && steps < 100; steps++) {
    const { code, jt, jf, k } = program[pc]!;
    if (code === (BPF_LD | BPF_H | BPF_ABS)) {
      if (k + 2 > frame.length) return 0;
      acc = frame.readUInt16BE(k);
    } else if (code === (BPF_LD | BPF_B | BPF_ABS)) {
      if (k + 1 > frame.length) return 0;
      acc = frame[k]!;
    } else if (code === (BPF_JMP | BPF_JEQ)) {
      pc += acc === k ? jt : jf;
    } else if (code === BPF_RET) {
      return k;
    } else {
      throw new Error(`unexpected opcode ${code}`);
    }
    pc++;
  }
  throw new Error('program ran off its end');
}

function arpFrame(op: number, overrides: Record<number, number> = {}): Buffer {
  const frame = Buffer.alloc(42);
  frame.fill(0xff, 0, 6);
  frame.writeUInt16BE(0x0806, 12);
  frame.writeUInt16BE(1, 14); // htype Ethernet
  frame.writeUInt16BE(0x0800, 16); // ptype IPv4
  frame[18] = 6;
  frame[19] = 4;
  frame.writeUInt16BE(op, 20);
  for (const [offset, value] of Object.entries(overrides)) frame[Number(offset)] = value;
  return frame;
}

function icmpv6Frame(type: number, hopLimit = 255, nextHeader = 58): Buffer {
  const frame = Buffer.alloc(14 + 40 + 24);
  frame.writeUInt16BE(0x86dd, 12);
  frame[14] = 0x60;
  frame[20] = nextHeader;
  frame[21] = hopLimit;
  frame[54] = type;
  return frame;
}

describe('ready BPF filters', () => {
  it('ARP_FILTER accepts Ethernet/IPv4 requests and replies only', () => {
    expect(validateBpfFilter(ARP_FILTER)).toBe(ARP_FILTER);
    expect(runBpf(ARP_FILTER, arpFrame(1))).not.toBe(0);
    expect(runBpf(ARP_FILTER, arpFrame(2))).not.toBe(0);
    expect(runBpf(ARP_FILTER, arpFrame(3))).toBe(0); // RARP request
    expect(runBpf(ARP_FILTER, arpFrame(1, { 15: 6 }))).toBe(0); // htype IEEE 802
    expect(runBpf(ARP_FILTER, arpFrame(1, { 17: 0xdd, 16: 0x86 }))).toBe(0); // ptype IPv6
    expect(runBpf(ARP_FILTER, arpFrame(1, { 19: 16 }))).toBe(0); // plen 16
    expect(runBpf(ARP_FILTER, arpFrame(1, { 12: 0x08, 13: 0x00 }))).toBe(0); // IPv4 ethertype
    expect(runBpf(ARP_FILTER, arpFrame(1).subarray(0, 20))).toBe(0); // truncated
  });

  it('ICMPV6_ND_FILTER accepts NS and NA with hop limit 255 only', () => {
    expect(validateBpfFilter(ICMPV6_ND_FILTER)).toBe(ICMPV6_ND_FILTER);
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(135))).not.toBe(0);
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(136))).not.toBe(0);
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(128))).toBe(0); // echo request
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(133))).toBe(0); // router solicitation
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(135, 64))).toBe(0); // forwarded: hop limit < 255
    expect(runBpf(ICMPV6_ND_FILTER, icmpv6Frame(135, 255, 17))).toBe(0); // UDP
    expect(runBpf(ICMPV6_ND_FILTER, arpFrame(1))).toBe(0);
  });
});

describe('validateBpfFilter', () => {
  const ret = { code: BPF_RET, jt: 0, jf: 0, k: 0 };
  it.each([
    ['not an array', { code: 6 }, /must be an array/u],
    ['empty', [], /1 to 4096 instructions/u],
    ['a non-object instruction', [1, ret], /filter\[0\] must be an object/u],
    ['a missing field', [{ code: 6, jt: 0, k: 0 }], /filter\[0\]\.jf must be an integer/u],
    [
      'code out of range',
      [{ ...ret, code: 0x1_0000 }],
      /filter\[0\]\.code must be an integer in \[0, 65535\]/u,
    ],
    ['k not an integer', [{ ...ret, k: 1.5 }], /filter\[0\]\.k/u],
    [
      'a jump past the end',
      [{ code: BPF_JMP | BPF_JEQ, jt: 1, jf: 0, k: 0 }, ret],
      /filter\[0\] jumps past/u,
    ],
    ['no final return', [{ code: BPF_LD | BPF_H | BPF_ABS, jt: 0, jf: 0, k: 12 }], /must end with a return/u],
  ])('rejects %s with a TypeError', (_name, filter, message) => {
    expect(() => validateBpfFilter(filter)).toThrow(BpfFilterError);
    expect(() => validateBpfFilter(filter)).toThrow(TypeError);
    expect(() => validateBpfFilter(filter)).toThrow(message);
  });
});

describe('openPacketSocket argument validation (before any socket is created)', () => {
  it.each(['', 'x'.repeat(16), 'eth0/1', 'eth 0', '..', 'a:b'])('rejects interface name %j', (name) => {
    expect(open({ interface: name })).toThrow(PacketSocketOptionError);
    expect(open({ interface: name })).toThrow(`interface '${name}' is not a valid interface name`);
  });

  it('rejects a non-string interface', () => {
    expect(open({ interface: 7 })).toThrow(/interface must be a string, got number/u);
  });

  it('names an interface that does not exist (ENODEV)', () => {
    expect(open({ interface: 'hpkt-none0' })).toThrow(/ENODEV: interface 'hpkt-none0'/u);
    expect(open({ interface: 'hpkt-none0' })).toThrow(expect.objectContaining({ code: 'ENODEV' }));
  });

  it('rejects bad protocols, filters, buffer sizes and callbacks', () => {
    expect(open({ protocol: 'ipv4' })).toThrow(/protocol must be 'arp' or 'ipv6', got ipv4/u);
    expect(open({ protocol: 'toString' })).toThrow(/protocol must be/u);
    expect(open({ filter: [{ code: 6 }] })).toThrow(BpfFilterError);
    expect(open({ filter: 'ARP' })).toThrow(TypeError);
    expect(open({ receiveBufferBytes: 0 })).toThrow(/receiveBufferBytes must be an integer/u);
    expect(open({ receiveBufferBytes: 2 ** 31 })).toThrow(PacketSocketOptionError);
    const options: PacketSocketOptions = { interface: 'lo', protocol: 'arp' };
    expect(() => openPacketSocket(options, 'f' as never, noop)).toThrow(
      /onFrame and onError must be functions/u,
    );
  });

  it('validateInterfaceName accepts ordinary names', () => {
    for (const name of ['eth0', 'veth-a.100', 'br0', 'x'.repeat(15)])
      expect(validateInterfaceName(name)).toBe(name);
  });
});

describe('the addon checks its own arguments too', () => {
  const raw = loadNativePacket() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const call =
    (name: string, ...args: unknown[]) =>
    () =>
      raw[name]!(...args);

  it('throws TypeError/RangeError naming the argument, never crashes', () => {
    const base = { ifname: 'lo', protocol: 0x0806 };
    expect(call('packetOpen', base, noop)).toThrow(/packetOpen expects 3 arguments/u);
    expect(call('packetOpen', 'lo', noop, noop)).toThrow(/options must be an object/u);
    expect(call('packetOpen', { protocol: 0x806 }, noop, noop)).toThrow(/options.ifname must be a string/u);
    expect(call('packetOpen', { ...base, protocol: 0x1_0000 }, noop, noop)).toThrow(RangeError);
    const badFilter = { ...base, filter: [{ code: 6, jt: 0, jf: 300, k: 0 }] };
    expect(call('packetOpen', badFilter, noop, noop)).toThrow(/filter\[0\]\.jf must be in \[0, 255\]/u);
    expect(call('packetOpen', { ...base, filter: [{ code: 6, jt: 0, jf: 0 }] }, noop, noop)).toThrow(
      TypeError,
    );
    expect(call('packetOpen', { ...base, ifname: 'hpkt-none0' }, noop, noop)).toThrow(/ENODEV/u);
    expect(call('packetSend', {}, Buffer.alloc(1))).toThrow(/handle must be a packet socket handle/u);
    expect(call('packetSendMany', {}, [Buffer.alloc(1)])).toThrow(/handle must be a packet socket handle/u);
    expect(call('packetSendMany', {})).toThrow(/packetSendMany expects 2 arguments/u);
    expect(call('packetClose', {})).toThrow(TypeError);
    expect(call('packetStats', 1)).toThrow(TypeError);
  });
});

describe('validateFrames (sendMany batches)', () => {
  it('accepts Buffers and Uint8Arrays, returning Buffer views of the same bytes', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const buffer = Buffer.from([9]);
    const out = validateFrames([buffer, bytes]);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(buffer);
    expect(Buffer.isBuffer(out[1])).toBe(true);
    expect([...out[1]!]).toEqual([2, 3]);
    bytes[0] = 7; // a view, not a copy
    expect(out[1]![0]).toBe(7);
    expect(validateFrames([])).toEqual([]);
    expect(validateFrames(Array.from({ length: SEND_MANY_MAX }, () => buffer))).toHaveLength(SEND_MANY_MAX);
  });

  it.each([
    ['not an array', Buffer.alloc(4), /frames must be an array of Buffer or Uint8Array/u],
    [
      'a string element',
      [Buffer.alloc(1), Buffer.alloc(1), Buffer.alloc(1), 'ff'],
      /frames\[3\] must be a Buffer or Uint8Array/u,
    ],
    ['a number array element', [[1, 2]], /frames\[0\] must be a Buffer or Uint8Array/u],
    ['an Int16Array', [new Int16Array(4)], /frames\[0\] must be a Buffer/u],
    ['undefined', [Buffer.alloc(1), undefined], /frames\[1\]/u],
    [
      'too many frames',
      Array.from({ length: SEND_MANY_MAX + 1 }, () => Buffer.alloc(1)),
      new RegExp(`frames must hold at most ${SEND_MANY_MAX} frames, got ${SEND_MANY_MAX + 1}`, 'u'),
    ],
  ])('rejects %s with a PacketSocketOptionError naming the field', (_name, frames, message) => {
    expect(() => validateFrames(frames as never)).toThrow(PacketSocketOptionError);
    expect(() => validateFrames(frames as never)).toThrow(message);
  });
});

describe('parseMac', () => {
  it('parses colon and dash forms', () => {
    expect([...parseMac('33:33:ff:00:00:01')]).toEqual([0x33, 0x33, 0xff, 0, 0, 1]);
    expect([...parseMac('01-00-5E-7f-FF-fa')]).toEqual([1, 0, 0x5e, 0x7f, 0xff, 0xfa]);
  });
  it.each(['33:33:ff:00:00', '33:33:ff:00:00:01:02', '33-33:ff:00:00:01', 'g3:33:ff:00:00:01', ''])(
    'rejects %j naming it',
    (text) => {
      expect(() => parseMac(text)).toThrow(PacketSocketOptionError);
      expect(() => parseMac(text)).toThrow(`mac '${text}' is not a MAC address`);
    },
  );
});
