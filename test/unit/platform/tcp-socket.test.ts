// connectTcp and the listener/socket helpers over loopback only (no root, no namespaces): MD5 keys on both
// sides connect, a missing key times out, options are applied to the fd before connect, and failures
// (bad options, abort, refused, timeout) reject cleanly.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import { socketOptions } from '../../../src/platform/native.js';
import {
  connectTcp,
  setListenerMd5,
  setListenerMinTtl,
  setListenerTtl,
  setSocketMinTtl,
  setSocketTtl,
  TcpConnectTimeoutError,
  type ConnectTcpOptions,
} from '../../../src/platform/tcp-socket.js';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function echoServer(host: string): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (data) => socket.write(data));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

function options(over: Partial<ConnectTcpOptions> & { port: number }): ConnectTcpOptions {
  return { host: '127.0.0.1', family: 4, timeoutMs: 2_000, signal: new AbortController().signal, ...over };
}

async function echo(socket: net.Socket, text: string): Promise<string> {
  sockets.push(socket);
  const reply = new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString())));
  socket.write(text);
  return reply;
}

describe('connectTcp over loopback', () => {
  it('connects with the same MD5 key on both sides and applies TTL, GTSM and the source port', async () => {
    const { server, port } = await echoServer('127.0.0.1');
    setListenerMd5(server, '127.0.0.1', 'bgp-secret');
    const socket = await connectTcp(options({ port, md5Password: 'bgp-secret', ttl: 17, minTtl: 1 }));
    expect(await echo(socket, 'open')).toBe('open');
    const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
    expect(socketOptions(fd)).toMatchObject({ family: 4, ttl: 17, minTtl: 1 });
  });

  it('binds the local address and port before connecting', async () => {
    const { port } = await echoServer('127.0.0.1');
    const probe = await echoServer('127.0.0.2');
    const localPort = probe.port; // a free port on 127.0.0.2 once the probe listener closes
    await new Promise((resolve) => probe.server.close(resolve));
    servers.splice(servers.indexOf(probe.server), 1);
    const socket = await connectTcp(options({ port, localAddress: '127.0.0.2', localPort }));
    sockets.push(socket);
    expect([socket.localAddress, socket.localPort]).toEqual(['127.0.0.2', localPort]);
  });

  it('connects an IPv6 socket to an IPv4 host through the mapped address', async () => {
    const { server, port } = await echoServer('127.0.0.1');
    setListenerMd5(server, '127.0.0.1', 'mapped');
    const socket = await connectTcp(options({ port, family: 6, md5Password: 'mapped' }));
    expect(socket.remoteAddress).toBe('::ffff:127.0.0.1');
    expect(await echo(socket, 'v6')).toBe('v6');
  });

  it('times out when the listener wants a key the client does not send', async () => {
    const { server, port } = await echoServer('127.0.0.1');
    setListenerMd5(server, '127.0.0.1', 'only-server');
    const attempt = connectTcp(options({ port, timeoutMs: 300 }));
    await expect(attempt).rejects.toBeInstanceOf(TcpConnectTimeoutError);
    await expect(attempt).rejects.toThrow(/timed out after 300 ms/);
  });

  it('connects again once the listener key is removed', async () => {
    const { server, port } = await echoServer('127.0.0.1');
    setListenerMd5(server, '127.0.0.1', 'temporary');
    setListenerMd5(server, '127.0.0.1', '');
    const socket = await connectTcp(options({ port }));
    expect(await echo(socket, 'plain')).toBe('plain');
  });

  it('rejects with the socket error when the port is closed', async () => {
    const { server, port } = await echoServer('127.0.0.1');
    await new Promise((resolve) => server.close(resolve));
    servers.splice(0);
    await expect(connectTcp(options({ port }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with the abort reason, before or during the connect', async () => {
    const aborted = new AbortController();
    aborted.abort(new Error('stopped'));
    await expect(connectTcp(options({ port: 179, signal: aborted.signal }))).rejects.toThrow('stopped');

    const { server, port } = await echoServer('127.0.0.1');
    setListenerMd5(server, '127.0.0.1', 'never-matches');
    const later = new AbortController();
    const attempt = connectTcp(options({ port, signal: later.signal, timeoutMs: 10_000 }));
    setTimeout(() => later.abort(new Error('shutdown')), 50);
    await expect(attempt).rejects.toThrow('shutdown');
  });

  it.each([
    [{ host: 'peer.example' }, TypeError, /host must be an IPv4 or IPv6 address/],
    [{ host: '::1', family: 4 as const }, TypeError, /host ::1 is IPv6 but family is 4/],
    [{ family: 5 as unknown as 4 }, TypeError, /family must be 4 or 6/],
    [{ port: 0 }, RangeError, /port must be an integer in \[1, 65535\]/],
    [{ timeoutMs: 0 }, RangeError, /timeoutMs must be a positive number/],
  ])('rejects bad options %j', async (over, type, message) => {
    const attempt = connectTcp(options({ port: 179, ...over }));
    await expect(attempt).rejects.toBeInstanceOf(type);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('listener and socket helpers', () => {
  it('set TTL and GTSM on a listener and on an accepted connection', async () => {
    const { server, port } = await echoServer('::1');
    setListenerTtl(server, 255);
    setListenerMinTtl(server, 254);
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    expect(socketOptions(fd)).toMatchObject({ family: 6, ttl: 255, minTtl: 254, ipv4MinTtl: 254 });
    setListenerMinTtl(server, 0);
    const socket = await connectTcp(options({ host: '::1', family: 6, port }));
    sockets.push(socket);
    setSocketTtl(socket, 3);
    setSocketMinTtl(socket, 2);
    const clientFd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
    expect(socketOptions(clientFd)).toMatchObject({ ttl: 3, minTtl: 2 });
  });

  it('refuses a server that is not listening', () => {
    expect(() => setListenerMd5(net.createServer(), '192.0.2.1', 'k')).toThrow(/server has no open socket/);
    expect(() => setSocketMinTtl(new net.Socket(), 255)).toThrow(/socket has no open socket/);
  });
});
