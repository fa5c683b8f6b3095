/**
 * The small adapters of the session layer: the node:net transport (and what it refuses), the timer
 * table over a fake clock, the typed emitter, the FakeClock itself, address canonicalisation, options
 * defaults, and the listener's MD5 bookkeeping through the transport port. Ports 17940-17949.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { BgpListener, peerKey } from '../../../../src/bgp/session/listener.js';
import { canonicalAddress } from '../../../../src/bgp/session/connection.js';
import { TypedEmitter } from '../../../../src/bgp/session/emitter.js';
import { resolveSessionOptions } from '../../../../src/bgp/session/options.js';
import { BgpSession } from '../../../../src/bgp/session/session.js';
import { TimerTable } from '../../../../src/bgp/session/timers.js';
import {
  nodeTcpTransport,
  TcpConnectTimeoutError,
  TcpTransportUnsupportedError,
  type TcpListenOptions,
  type TcpTransport,
} from '../../../../src/bgp/session/transport.js';
import type { FsmEvent } from '../../../../src/bgp/fsm/types.js';
import { FakeClock } from '../../../fakes/clock.js';

describe('nodeTcpTransport', () => {
  const signal = (): AbortSignal => new AbortController().signal;

  it.each([
    { name: 'an MD5 password', opts: { md5Password: 'x' }, what: /TCP MD5/ },
    { name: 'a TTL', opts: { ttl: 255 }, what: /TTL/ },
    { name: 'a minimum TTL', opts: { minTtl: 254 }, what: /GTSM/ },
  ])('refuses $name with a clear error', async ({ opts, what }) => {
    const attempt = nodeTcpTransport.connect({
      host: '127.0.0.1',
      port: 17940,
      timeoutMs: 1000,
      signal: signal(),
      ...opts,
    });
    await expect(attempt).rejects.toBeInstanceOf(TcpTransportUnsupportedError);
    await expect(attempt).rejects.toThrow(what);
  });

  it('refuses MD5 keys on a listener', async () => {
    await expect(
      nodeTcpTransport.listen({
        host: '127.0.0.1',
        port: 0,
        md5Peers: [{ address: '127.0.0.1', password: 'x' }],
      }),
    ).rejects.toBeInstanceOf(TcpTransportUnsupportedError);
    const server = net.createServer();
    expect(() => nodeTcpTransport.setListenerMd5(server, '127.0.0.1', 'x')).toThrow(
      TcpTransportUnsupportedError,
    );
    expect(() => nodeTcpTransport.setListenerMd5(server, '127.0.0.1', '')).not.toThrow();
  });

  it('connects from the requested source address and port', async () => {
    const server = await nodeTcpTransport.listen({ host: '127.0.0.1', port: 17941 });
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const socket = await nodeTcpTransport.connect({
      host: '127.0.0.1',
      port: 17941,
      localAddress: '127.0.0.5',
      localPort: 17942,
      timeoutMs: 1000,
      signal: signal(),
    });
    const remote = await accepted;
    expect([remote.remoteAddress, remote.remotePort]).toEqual(['127.0.0.5', 17942]);
    socket.destroy();
    remote.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects over IPv6', async () => {
    const server = await nodeTcpTransport.listen({ host: '::1', port: 17943 });
    const socket = await nodeTcpTransport.connect({
      host: '::1',
      port: 17943,
      timeoutMs: 1000,
      signal: signal(),
    });
    expect(socket.remoteAddress).toBe('::1');
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('times out when the peer never answers the SYN', async () => {
    // A listener whose thread is blocked cannot accept; once its queue is full, SYNs are dropped.
    const source = `
      const net = require('node:net');
      const { parentPort, workerData } = require('node:worker_threads');
      const server = net.createServer();
      server.listen({ host: '127.0.0.1', port: workerData.port, backlog: 1 }, () => {
        parentPort.postMessage('ready');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.blockMs);
        server.close();
      });`;
    const worker = new Worker(source, { eval: true, workerData: { port: 17946, blockMs: 3000 } });
    const fillers: net.Socket[] = [];
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      for (let i = 0; i < 4; i++) {
        fillers.push(net.connect({ host: '127.0.0.1', port: 17946 }).on('error', () => undefined));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const started = Date.now();
      const attempt = nodeTcpTransport.connect({
        host: '127.0.0.1',
        port: 17946,
        timeoutMs: 200,
        signal: signal(),
      });
      await expect(attempt).rejects.toBeInstanceOf(TcpConnectTimeoutError);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const f of fillers) f.destroy();
      await worker.terminate();
    }
  });

  it('rejects a refused connection and an aborted one', async () => {
    await expect(
      nodeTcpTransport.connect({ host: '127.0.0.1', port: 17944, timeoutMs: 1000, signal: signal() }),
    ).rejects.toThrow(/ECONNREFUSED/);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      nodeTcpTransport.connect({
        host: '127.0.0.1',
        port: 17944,
        timeoutMs: 1000,
        signal: controller.signal,
      }),
    ).rejects.toThrow(/stopped/);
  });
});

describe('TimerTable', () => {
  it('restarts, stops per connection, and reports expiry events', () => {
    const clock = new FakeClock();
    const fired: FsmEvent[] = [];
    const t = new TimerTable(clock, (e) => fired.push(e));
    t.start('HoldTimer', 1000, 1);
    t.start('KeepaliveTimer', 300, 1);
    t.start('HoldTimer', 1000, 2);
    t.start('ConnectRetryTimer', 500);
    clock.advance(400);
    expect(fired).toEqual([{ type: 'KeepaliveTimer_Expires', conn: 1 }]);
    t.start('HoldTimer', 1000, 1); // restart at t=400
    t.stopConnection(2);
    expect(t.running()).toEqual(['ConnectRetryTimer', 'HoldTimer#1']);
    clock.advance(1000);
    expect(fired.slice(1)).toEqual([
      { type: 'ConnectRetryTimer_Expires' },
      { type: 'HoldTimer_Expires', conn: 1 },
    ]);
    t.start('IdleHoldTimer', 10);
    t.stopAll();
    clock.advance(100);
    expect(fired).toHaveLength(3);
  });
});

describe('TypedEmitter', () => {
  class E extends TypedEmitter<{ a: number; b: string }> {
    fire(n: number): void {
      this.emit('a', n);
    }
  }

  it('delivers to listeners in order, unsubscribes, and isolates a throwing listener', async () => {
    const e = new E();
    const got: string[] = [];
    const off = e.on('a', (n) => got.push(`first ${n}`));
    e.on('a', () => {
      throw new Error('listener bug');
    });
    e.on('a', (n) => got.push(`third ${n}`));
    const errors: unknown[] = [];
    const onError = (err: unknown): void => {
      errors.push(err);
    };
    process.on('uncaughtException', onError);
    try {
      e.fire(1);
      off();
      e.fire(2);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(got).toEqual(['first 1', 'third 1', 'third 2']);
    expect(errors).toHaveLength(2);
  });

  it('once resolves with the next event, or rejects on abort', async () => {
    const e = new E();
    const next = e.once('a');
    e.fire(7);
    await expect(next).resolves.toBe(7);
    const controller = new AbortController();
    const never = e.once('a', { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(never).rejects.toThrow('gave up');
  });
});

describe('FakeClock', () => {
  it('fires timers in due order, including ones scheduled while advancing', () => {
    const clock = new FakeClock(100);
    const order: string[] = [];
    clock.setTimeout(() => order.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      order.push(`a@${clock.now()}`);
      clock.setTimeout(() => order.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => order.push('never'), 1);
    clock.clearTimeout(cancelled);
    clock.advance(50);
    expect(order).toEqual(['a@110', 'c@115', 'b@120']);
    expect(clock.now()).toBe(150);
    expect(clock.pending()).toEqual([]);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('runNext jumps to the next timer', () => {
    const clock = new FakeClock();
    clock.setTimeout(() => undefined, 30);
    expect(clock.nextDueIn()).toBe(30);
    expect(clock.runNext()).toBe(true);
    expect(clock.now()).toBe(30);
    expect(clock.runNext()).toBe(false);
  });
});

describe('addresses', () => {
  it.each([
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('canonicalAddress(%s) = %s', (input, want) => {
    expect(canonicalAddress(input)).toBe(want);
  });

  it('peerKey folds equivalent IPv6 spellings and mapped IPv4 together', () => {
    expect(peerKey('2001:0db8:0:0::1')).toBe(peerKey('2001:db8::1'));
    expect(peerKey('::ffff:192.0.2.1')).toBe(peerKey('192.0.2.1'));
  });
});

describe('session options', () => {
  it('fills in the documented defaults', () => {
    const o = resolveSessionOptions({
      peerAddress: '192.0.2.2',
      peerAs: 65002,
      localAs: 65001,
      routerId: '192.0.2.1',
    });
    expect(o.peerPort).toBe(179);
    expect(o.connectTimeoutMs).toBe(10_000);
    expect(o.fsm).toMatchObject({ holdTimeS: 90, connectRetryTimeMs: 120_000, bgpId: 0xc0000201 });
    expect(o.fsm.idleHold).toEqual({ minMs: 1000, maxMs: 120_000, amnesiaMs: 300_000 });
    expect(o.fsm.families).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 1 },
    ]);
    expect(o.ttl).toBeUndefined();
  });

  it('turns GTSM hops into TTL 255 and the minimum TTL (RFC 5082)', () => {
    const o = resolveSessionOptions({
      peerAddress: '192.0.2.2',
      peerAs: 1,
      localAs: 2,
      routerId: '192.0.2.1',
      ttlSecurityHops: 3,
    });
    expect([o.ttl, o.minTtl]).toEqual([255, 253]);
  });
});

describe('BgpListener', () => {
  class RecordingListen implements TcpTransport {
    readonly listens: TcpListenOptions[] = [];
    readonly md5: [string, string][] = [];
    connect(): Promise<net.Socket> {
      return Promise.reject(new Error('unused'));
    }
    async listen(options: TcpListenOptions): Promise<net.Server> {
      this.listens.push(options);
      return nodeTcpTransport.listen({ host: options.host, port: options.port });
    }
    setListenerMd5(_server: net.Server, peer: string, password: string): void {
      this.md5.push([peer, password]);
    }
  }

  it('passes MD5 keys and GTSM to the transport, at start and as sessions come and go', async () => {
    const transport = new RecordingListen();
    const listener = new BgpListener(
      { host: '127.0.0.1', port: 17945, minTtl: 255, ttl: 255 },
      { transport },
    );
    const s1 = new BgpSession({
      peerAddress: '127.0.0.7',
      peerAs: 1,
      localAs: 2,
      routerId: '10.0.0.1',
      md5Password: 'one',
    });
    const s2 = new BgpSession({
      peerAddress: '127.0.0.8',
      peerAs: 1,
      localAs: 2,
      routerId: '10.0.0.1',
      md5Password: 'two',
    });
    listener.add(s1);
    await listener.start();
    expect(transport.listens[0]).toMatchObject({
      md5Peers: [{ address: '127.0.0.7', password: 'one' }],
      minTtl: 255,
      ttl: 255,
    });
    listener.add(s2);
    listener.remove(s1);
    expect(transport.md5).toEqual([
      ['127.0.0.8', 'two'],
      ['127.0.0.7', ''],
    ]);
    expect(() =>
      listener.add(new BgpSession({ peerAddress: '127.0.0.8', peerAs: 1, localAs: 2, routerId: '10.0.0.1' })),
    ).toThrow(/already registered/);
    expect(listener.address?.port).toBe(17945);
    await listener.stop();
  });
});
