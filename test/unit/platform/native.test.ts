// The native addon's argument validation and errno errors: bad input throws TypeError/RangeError (never a
// crash), system call failures throw Error with code/errno/syscall. Needs no root and no network.
import { closeSync, openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';

import {
  loadNative,
  setMinTtl,
  setTcpMd5,
  setTtl,
  socketOptions,
  tcpSocket,
  type TcpSocketOptions,
} from '../../../src/platform/native.js';

const opened: number[] = [];
function open(options: TcpSocketOptions): number {
  const fd = tcpSocket(options);
  opened.push(fd);
  return fd;
}

afterEach(() => {
  for (const fd of opened.splice(0)) closeSync(fd);
});

// The raw addon, for calls the typed wrappers would not compile.
const raw = loadNative() as unknown as Record<string, (...args: unknown[]) => unknown>;
const call =
  (name: string, ...args: unknown[]) =>
  () =>
    raw[name]!(...args);

describe('tcpSocket', () => {
  it('creates a socket with the requested options', () => {
    const fd = open({
      family: 4,
      ttl: 7,
      minTtl: 200,
      reuseAddr: true,
      md5: { peer: '192.0.2.1', key: 'k' },
    });
    expect(socketOptions(fd)).toEqual({
      family: 4,
      ttl: 7,
      minTtl: 200,
      ipv4Ttl: 7,
      ipv4MinTtl: 200,
      reuseAddr: true,
    });
  });

  it('sets the IPv6 and the IPv4 options on an IPv6 socket and maps an IPv4 MD5 peer', () => {
    const fd = open({ family: 6, ttl: 9, minTtl: 255, md5: { peer: '192.0.2.1', key: 'k' } });
    expect(socketOptions(fd)).toMatchObject({ family: 6, ttl: 9, minTtl: 255, ipv4Ttl: 9, ipv4MinTtl: 255 });
  });

  it('accepts an 80-byte key and rejects 81 bytes (UTF-8 bytes, not characters)', () => {
    open({ family: 4, md5: { peer: '192.0.2.1', key: 'k'.repeat(80) } });
    expect(() => tcpSocket({ family: 4, md5: { peer: '192.0.2.1', key: 'k'.repeat(81) } })).toThrow(
      /options\.md5\.key must be at most 80 bytes/,
    );
    expect(() => tcpSocket({ family: 4, md5: { peer: '192.0.2.1', key: 'é'.repeat(41) } })).toThrow(
      RangeError,
    );
  });

  it.each([
    [[], TypeError, /tcpSocket expects 1 arguments/],
    [[42], TypeError, /options must be an object/],
    [[{}], TypeError, /options.family must be 4 or 6/],
    [[{ family: 5 }], RangeError, /options.family must be 4 or 6, got 5/],
    [[{ family: '4' }], TypeError, /options.family must be an integer/],
    [[{ family: 4, ttl: 0 }], RangeError, /options.ttl must be in \[1, 255\], got 0/],
    [[{ family: 4, ttl: 1.5 }], TypeError, /options.ttl must be an integer number, got 1.5/],
    [[{ family: 4, minTtl: 256 }], RangeError, /options.minTtl must be in \[0, 255\]/],
    [[{ family: 4, bindPort: 70000 }], RangeError, /options.bindPort/],
    [[{ family: 4, reuseAddr: 'yes' }], TypeError, /options.reuseAddr must be a boolean/],
    [[{ family: 4, md5: 'x' }], TypeError, /options.md5 must be an object/],
    [[{ family: 4, md5: { key: 'x' } }], TypeError, /options.md5.peer must be a string/],
    [[{ family: 4, md5: { peer: '192.0.2.1' } }], TypeError, /options.md5.key must be a string/],
    [[{ family: 4, md5: { peer: '192.0.2.1', key: '' } }], RangeError, /must not be empty/],
    [[{ family: 4, md5: { peer: 'peer.example', key: 'k' } }], TypeError, /'peer.example' is not an IPv4/],
    [[{ family: 4, md5: { peer: '2001:db8::1', key: 'k' } }], TypeError, /is IPv6 but the socket is IPv4/],
    [[{ family: 4, md5: { peer: '192.0.2.1\u0000x', key: 'k' } }], TypeError, /must not contain NUL/],
    [
      [{ family: 4, bindAddress: 'x'.repeat(65) }],
      RangeError,
      /options.bindAddress must be at most 64 bytes/,
    ],
    [[{ family: 6, bindAddress: 'fe80::1%no-such-if0' }], TypeError, /unknown interface scope/],
    [[{ family: 4, bindAddress: '192.0.2.1%lo' }], TypeError, /an IPv4 address has no scope/],
  ])('rejects %j', (args, type, message) => {
    const fn = call('tcpSocket', ...args);
    expect(fn).toThrow(type);
    expect(fn).toThrow(message);
  });

  it('reports a failed bind as an errno error with code, errno and syscall', () => {
    let error: unknown;
    try {
      tcpSocket({ family: 4, bindAddress: '192.0.2.77' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'EADDRNOTAVAIL',
      errno: -99,
      syscall: 'bind',
      message: expect.stringMatching(/^EADDRNOTAVAIL: binding .*: Cannot assign requested address$/),
    });
  });
});

describe('setTcpMd5 / setTtl / setMinTtl', () => {
  it('adds, replaces and removes a key; removing a missing key is not an error', () => {
    const fd = open({ family: 6 });
    setTcpMd5(fd, '2001:db8::1', 'one');
    setTcpMd5(fd, '2001:db8::1', 'two');
    setTcpMd5(fd, '192.0.2.1', 'mapped');
    setTcpMd5(fd, '::ffff:192.0.2.1', '');
    setTcpMd5(fd, '2001:db8::1', '');
    expect(() => setTcpMd5(fd, '2001:db8::1', '')).not.toThrow();
  });

  it('sets TTL and minimum TTL on an existing socket', () => {
    const fd = open({ family: 4 });
    setTtl(fd, 4, 255);
    setMinTtl(fd, 4, 254);
    expect(socketOptions(fd)).toMatchObject({ ttl: 255, minTtl: 254 });
    setMinTtl(fd, 4, 0);
    expect(socketOptions(fd).minTtl).toBe(0);
  });

  it('names the option and the errno when the kernel refuses (IPv6 option on an IPv4 socket)', () => {
    const fd = open({ family: 4 });
    expect(() => setTtl(fd, 6, 64)).toThrow(/^ENOPROTOOPT: IPV6_UNICAST_HOPS 64 on fd \d+: /);
  });

  it('rejects an fd that is not an IP socket', () => {
    const file = openSync('/dev/null', 'r');
    try {
      expect(() => setTcpMd5(file, '192.0.2.1', 'k')).toThrow(/^ENOTSOCK: SO_DOMAIN of fd \d+: /);
    } finally {
      closeSync(file);
    }
    expect(() => setTcpMd5(2 ** 31 - 1, '192.0.2.1', 'k')).toThrow(/^EBADF: /);
  });

  it.each([
    ['setTcpMd5', [-1, '192.0.2.1', 'k'], RangeError, /fd must be in \[0, 2147483647\]/],
    ['setTcpMd5', ['3', '192.0.2.1', 'k'], TypeError, /fd must be an integer/],
    ['setTcpMd5', [3, 42, 'k'], TypeError, /peer must be a string/],
    ['setTcpMd5', [3, '192.0.2.1', Buffer.from('k')], TypeError, /key must be a string/],
    ['setTcpMd5', [3, '192.0.2.1'], TypeError, /setTcpMd5 expects 3 arguments, got 2/],
    ['setTtl', [3, 4, 256], RangeError, /ttl must be in \[1, 255\]/],
    ['setTtl', [3, 5, 64], RangeError, /family must be 4 or 6, got 5/],
    ['setMinTtl', [3, 4, -1], RangeError, /ttl must be in \[0, 255\]/],
    ['setMinTtl', [3, 4, Number.NaN], TypeError, /ttl must be an integer number/],
    ['socketOptions', [], TypeError, /socketOptions expects 1 arguments/],
  ])('%s rejects %j', (name, args, type, message) => {
    expect(call(name, ...args)).toThrow(type);
    expect(call(name, ...args)).toThrow(message);
  });
});
