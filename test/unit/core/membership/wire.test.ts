import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HEADER_BYTES,
  MAC_BYTES,
  MembershipWireError,
  WIRE_MAGIC,
  decodeMessage,
  encodeMessage,
  joinMac,
  splitMac,
  type Message,
  type Update,
} from '../../../../src/core/membership/index.js';

const name = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,62}$/);
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const update: fc.Arbitrary<Update> = fc.record({
  kind: fc.constantFrom('alive', 'suspect', 'dead', 'left'),
  name,
  incarnation: u32,
});
const message: fc.Arbitrary<Message> = fc
  .record({
    type: fc.constantFrom('ping', 'ack', 'ping-req', 'gossip'),
    from: name,
    incarnation: u32,
    seq: u32,
    target: name,
    updates: fc.array(update, { maxLength: 20 }),
  })
  .map(({ target, ...m }) => (m.type === 'ping-req' ? { ...m, target } : m));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MembershipWireError) return e.code;
    throw e;
  }
  return 'none';
}

describe('membership wire codec', () => {
  it('round-trips every message (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
    );
  });

  it('has a fixed, documented layout', () => {
    const bytes = encodeMessage({
      type: 'ping-req',
      from: 'n1',
      incarnation: 0x01020304,
      seq: 9,
      target: 'n2',
      updates: [{ kind: 'dead', name: 'n3', incarnation: 7 }],
    });
    expect([...bytes]).toEqual([
      0x48, 0x4d, 1, 3, 1, 2, 3, 4, 0, 0, 0, 9, 2, 0x6e, 0x31, 2, 0x6e, 0x32, 1, 3, 0, 0, 0, 7, 2, 0x6e, 0x33,
    ]);
    expect((bytes[0]! << 8) | bytes[1]!).toBe(WIRE_MAGIC);
  });

  it('decodes at a non-zero offset inside a larger buffer', () => {
    const m: Message = { type: 'ack', from: 'x', incarnation: 1, seq: 2, updates: [] };
    const bytes = encodeMessage(m);
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 5);
    expect(decodeMessage(big.subarray(5, 5 + bytes.length))).toEqual(m);
  });

  const good = encodeMessage({
    type: 'gossip',
    from: 'n1',
    incarnation: 1,
    seq: 0,
    updates: [{ kind: 'alive', name: 'n2', incarnation: 3 }],
  });
  const patched = (i: number, v: number): Uint8Array => {
    const copy = Uint8Array.from(good);
    copy[i] = v;
    return copy;
  };
  it.each([
    { name: 'empty', bytes: new Uint8Array(0), code: 'truncated' },
    { name: 'truncated header', bytes: good.subarray(0, HEADER_BYTES - 1), code: 'truncated' },
    { name: 'truncated update', bytes: good.subarray(0, good.length - 1), code: 'truncated' },
    { name: 'bad magic', bytes: patched(0, 0), code: 'bad-magic' },
    { name: 'bad version', bytes: patched(2, 9), code: 'bad-version' },
    { name: 'bad type', bytes: patched(3, 0), code: 'bad-type' },
    { name: 'empty from', bytes: patched(HEADER_BYTES, 0), code: 'bad-name' },
    { name: 'bad update kind', bytes: patched(HEADER_BYTES + 4, 0), code: 'bad-kind' },
    { name: 'invalid UTF-8 name', bytes: patched(HEADER_BYTES + 1, 0xff), code: 'bad-name' },
    { name: 'trailing bytes', bytes: Uint8Array.from([...good, 0]), code: 'trailing-bytes' },
  ])('decode rejects $name with $code', ({ bytes, code }) => {
    expect(codeOf(() => decodeMessage(bytes))).toBe(code);
  });

  it('names the field in the error', () => {
    expect(() => decodeMessage(patched(HEADER_BYTES + 4, 0))).toThrow(/updates\[0\]\.kind/);
  });

  it('decoding arbitrary bytes throws nothing but MembershipWireError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const withMagic = Uint8Array.from([0x48, 0x4d, 1, ...bytes]);
        for (const b of [bytes, withMagic]) {
          try {
            decodeMessage(b);
          } catch (e) {
            if (!(e instanceof MembershipWireError)) return false;
          }
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    {
      name: 'incarnation above uint32',
      m: { type: 'ack', from: 'a', incarnation: 2 ** 32, seq: 0, updates: [] },
      code: 'bad-field',
    },
    {
      name: 'negative seq',
      m: { type: 'ack', from: 'a', incarnation: 0, seq: -1, updates: [] },
      code: 'bad-field',
    },
    {
      name: 'empty from',
      m: { type: 'ack', from: '', incarnation: 0, seq: 0, updates: [] },
      code: 'bad-name',
    },
    {
      name: 'name too long',
      m: { type: 'ack', from: 'x'.repeat(254), incarnation: 0, seq: 0, updates: [] },
      code: 'bad-name',
    },
    {
      name: 'ping-req without target',
      m: { type: 'ping-req', from: 'a', incarnation: 0, seq: 0, updates: [] },
      code: 'bad-field',
    },
    {
      name: 'target on a ping',
      m: { type: 'ping', from: 'a', target: 'b', incarnation: 0, seq: 0, updates: [] },
      code: 'bad-field',
    },
  ] as { name: string; m: Message; code: string }[])('encode rejects $name', ({ m, code }) => {
    expect(codeOf(() => encodeMessage(m))).toBe(code);
  });

  it('splits and joins the MAC trailer', () => {
    const mac = new Uint8Array(MAC_BYTES).fill(0xab);
    const datagram = joinMac(good, mac);
    expect(datagram.length).toBe(good.length + MAC_BYTES);
    const parts = splitMac(datagram);
    expect([...parts.message]).toEqual([...good]);
    expect([...parts.mac]).toEqual([...mac]);
    expect(codeOf(() => splitMac(new Uint8Array(MAC_BYTES)))).toBe('truncated');
    expect(codeOf(() => joinMac(good, new Uint8Array(16)))).toBe('bad-field');
  });
});
