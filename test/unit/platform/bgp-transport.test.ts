// The native TcpTransport over loopback only (no root, no namespaces, free ports chosen by the kernel):
// MD5 keys on connect and per peer on the listener (set before listen()), a missing or wrong key never
// connects, keys added and removed later, TTL and GTSM on both sides, and a BgpSession pair that reaches
// Established with MD5 through BgpListener but never with a wrong key.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import { BgpListener } from '../../../src/bgp/session/listener.js';
import { BgpSession } from '../../../src/bgp/session/session.js';
import type { TcpConnectOptions, TcpListenOptions } from '../../../src/bgp/session/transport.js';
import {
  BgpTransportOptionError,
  NativeTcpTransport,
  nativeTcpTransport,
} from '../../../src/platform/bgp-transport.js';
import { socketOptions } from '../../../src/platform/native.js';

const transport = new NativeTcpTransport();
const SHORT_MS = 400;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function fdOf(target: net.Server | net.Socket): number {
  return (target as unknown as { _handle: { fd: number } })._handle.fd;
}

/** A transport listener that echoes what it receives; closed after the test. */
async function echoListener(
  options: Partial<TcpListenOptions> = {},
): Promise<{ server: net.Server; port: number; peers: string[] }> {
  const server = await transport.listen({ host: '127.0.0.1', port: 0, ...options });
  const peers: string[] = [];
  const accepted: net.Socket[] = [];
  server.on('connection', (socket: net.Socket) => {
    accepted.push(socket);
    peers.push(socket.remoteAddress ?? '');
    socket.on('data', (data) => socket.write(data));
    socket.on('error', () => undefined);
  });
  cleanups.push(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { server, port: (server.address() as net.AddressInfo).port, peers };
}

function connect(port: number, over: Partial<TcpConnectOptions> = {}): Promise<net.Socket> {
  const attempt = transport.connect({
    host: '127.0.0.1',
    port,
    timeoutMs: 3_000,
    signal: new AbortController().signal,
    ...over,
  });
  void attempt.then((socket) => cleanups.push(() => socket.destroy())).catch(() => undefined);
  return attempt;
}

async function echo(socket: net.Socket, text: string): Promise<string> {
  const reply = new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString())));
  socket.write(text);
  return reply;
}

describe('NativeTcpTransport: TCP MD5 (RFC 2385)', () => {
  it('connects when both sides have the same key for each other', async () => {
    const { port, peers } = await echoListener({ md5Peers: [{ address: '127.0.0.2', password: 's3cret' }] });
    const socket = await connect(port, { localAddress: '127.0.0.2', md5Password: 's3cret' });
    expect(await echo(socket, 'open')).toBe('open');
    expect(peers).toEqual(['127.0.0.2']);
  });

  it('never connects without the key the listener expects, or with a different one', async () => {
    const { port, peers } = await echoListener({ md5Peers: [{ address: '127.0.0.2', password: 's3cret' }] });
    await expect(connect(port, { localAddress: '127.0.0.2', timeoutMs: SHORT_MS })).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    await expect(
      connect(port, { localAddress: '127.0.0.2', md5Password: 'other', timeoutMs: SHORT_MS }),
    ).rejects.toThrow(/timed out after 400 ms/);
    expect(peers).toEqual([]);
  });

  it('keeps keys per peer: a peer without a key connects plainly, a signed SYN from it is dropped', async () => {
    const { port, peers } = await echoListener({ md5Peers: [{ address: '127.0.0.2', password: 'two' }] });
    const plain = await connect(port, { localAddress: '127.0.0.3' });
    expect(await echo(plain, 'plain')).toBe('plain');
    await expect(
      connect(port, { localAddress: '127.0.0.3', md5Password: 'two', timeoutMs: SHORT_MS }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(peers).toEqual(['127.0.0.3']);
  });

  it('adds and removes a peer key on a listening server', async () => {
    const { server, port } = await echoListener();
    transport.setListenerMd5(server, '127.0.0.4', 'later');
    await expect(connect(port, { localAddress: '127.0.0.4', timeoutMs: SHORT_MS })).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    expect(await echo(await connect(port, { localAddress: '127.0.0.4', md5Password: 'later' }), 'k')).toBe(
      'k',
    );
    transport.setListenerMd5(server, '127.0.0.4', '');
    expect(await echo(await connect(port, { localAddress: '127.0.0.4' }), 'none')).toBe('none');
  });

  it('takes an IPv4 peer in plain form on a dual-stack listener', async () => {
    const { port, peers } = await echoListener({
      host: '::',
      md5Peers: [{ address: '127.0.0.5', password: 'dual' }],
    });
    const socket = await connect(port, { localAddress: '127.0.0.5', md5Password: 'dual' });
    expect(await echo(socket, 'v4')).toBe('v4');
    expect(peers).toEqual(['::ffff:127.0.0.5']);
    const v6 = await connect(port, { host: '::1', md5Password: undefined });
    expect(await echo(v6, 'v6')).toBe('v6');
  });
});

describe('NativeTcpTransport: TTL and GTSM (RFC 5082)', () => {
  it('sets TTL and minimum TTL on the listener before it listens, and on outgoing sockets', async () => {
    const { server, port } = await echoListener({ host: '::1', ttl: 255, minTtl: 255 });
    expect(socketOptions(fdOf(server))).toMatchObject({ family: 6, ttl: 255, minTtl: 255, ipv4MinTtl: 255 });
    const socket = await connect(port, { host: '::1', ttl: 255, minTtl: 255 });
    expect(await echo(socket, 'gtsm')).toBe('gtsm');
    expect(socketOptions(fdOf(socket))).toMatchObject({ family: 6, ttl: 255, minTtl: 255 });
  });

  it('a GTSM listener drops SYNs sent with a TTL below its minimum', async () => {
    const { port, peers } = await echoListener({ ttl: 255, minTtl: 255 });
    await expect(connect(port, { ttl: 64, timeoutMs: SHORT_MS })).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    expect(await echo(await connect(port, { ttl: 255 }), 'ok')).toBe('ok');
    expect(peers).toHaveLength(1);
  });

  it('eBGP multihop TTL goes on the socket before the SYN', async () => {
    const { port } = await echoListener();
    const socket = await connect(port, { ttl: 2 });
    expect(socketOptions(fdOf(socket))).toMatchObject({ family: 4, ttl: 2 });
  });
});

describe('NativeTcpTransport: errors', () => {
  it('names the bad field', async () => {
    await expect(transport.listen({ host: 'localhost', port: 0 })).rejects.toBeInstanceOf(
      BgpTransportOptionError,
    );
    await expect(
      transport.listen({ host: '127.0.0.1', port: 0, md5Peers: [{ address: '::1', password: 'x' }] }),
    ).rejects.toThrow(/md5Peers\[0\]\.address: IPv6 peer ::1 cannot reach an IPv4 listener/);
    await expect(
      transport.listen({ host: '::', port: 0, md5Peers: [{ address: '192.0.2.1', password: '' }] }),
    ).rejects.toThrow(/md5Peers\[0\]\.password: must not be empty/);
    await expect(connect(179, { host: '::1', localAddress: '127.0.0.1' })).rejects.toThrow(
      /localAddress: IPv4 127\.0\.0\.1 cannot reach IPv6 ::1/,
    );
    expect(() => transport.setListenerMd5(net.createServer(), 'peer', 'x')).toThrow(/peer: must be an IP/);
  });

  it('rejects an address in use, and an aborted signal, without leaking a listener', async () => {
    const { port } = await echoListener();
    await expect(transport.listen({ host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const aborted = AbortSignal.abort(new Error('stopping'));
    await expect(transport.listen({ host: '127.0.0.1', port: 0, signal: aborted })).rejects.toThrow(
      'stopping',
    );
    await expect(connect(port, { signal: aborted })).rejects.toThrow('stopping');
  });
});

describe('BgpSession over the native transport', () => {
  async function pair(keyA: string, keyB: string): Promise<{ a: BgpSession; b: BgpSession }> {
    const common = { holdTimeS: 9, connectRetryTimeS: 1, connectTimeoutMs: 500, closeLingerMs: 100 };
    const b = new BgpSession(
      {
        ...common,
        peerAddress: '127.0.0.6',
        peerAs: 65001,
        localAs: 65002,
        routerId: '192.0.2.2',
        passive: true,
        md5Password: keyB,
      },
      { transport: nativeTcpTransport },
    );
    const listener = new BgpListener({ host: '127.0.0.7', port: 0 }, { transport: nativeTcpTransport });
    listener.add(b);
    await listener.start();
    const a = new BgpSession(
      {
        ...common,
        peerAddress: '127.0.0.7',
        peerPort: listener.address?.port ?? 0,
        localAddress: '127.0.0.6',
        peerAs: 65002,
        localAs: 65001,
        routerId: '192.0.2.1',
        md5Password: keyA,
        idleHold: { minMs: 100, maxMs: 200 },
      },
      { transport: nativeTcpTransport },
    );
    cleanups.push(async () => {
      await a.stop({ signal: AbortSignal.timeout(1_000) });
      await b.stop({ signal: AbortSignal.timeout(1_000) });
      await listener.stop();
    });
    b.start();
    a.start();
    return { a, b };
  }

  async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!cond() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return cond();
  }

  it('reaches Established with matching MD5 keys (listener key set from the session)', async () => {
    const { a, b } = await pair('bgp-md5', 'bgp-md5');
    expect(await until(() => a.state === 'Established' && b.state === 'Established', 5_000)).toBe(true);
  });

  it('never reaches Established with different keys; the connect attempts time out', async () => {
    const { a, b } = await pair('bgp-md5', 'other');
    const warnings: string[] = [];
    a.on('warning', (w) => warnings.push(w.message));
    expect(await until(() => warnings.length >= 1, 3_000)).toBe(true);
    expect(warnings[0]).toMatch(/timed out after 500 ms/);
    expect([a.state, b.state]).not.toContain('Established');
    expect(b.stats.establishedCount).toBe(0);
  });
});
