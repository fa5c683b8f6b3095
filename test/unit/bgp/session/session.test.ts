/**
 * BgpSession against a scripted peer on loopback (ports 17920-17939) and against a recording transport:
 * what it asks the transport for, wire errors answered with the right NOTIFICATION, keepalive cadence on a
 * fake clock, the prefix limit, and input validation. The constructor does no I/O.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import {
  CeaseSubcode,
  ErrorCode,
  HeaderSubcode,
  OpenSubcode,
  UpdateSubcode,
} from '../../../../src/bgp/constants.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import { parsePrefix } from '../../../../src/bgp/nlri/prefix.js';
import type { BgpSessionEvents } from '../../../../src/bgp/session/events.js';
import type { BgpSessionInit } from '../../../../src/bgp/session/options.js';
import { BgpSession } from '../../../../src/bgp/session/session.js';
import type { TcpConnectOptions, TcpTransport } from '../../../../src/bgp/session/transport.js';
import { FakeClock } from '../../../fakes/clock.js';
import { peerOpen, RawPeer, until } from './raw-peer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function base(port: number, extra: Partial<BgpSessionInit> = {}): BgpSessionInit {
  return {
    peerAddress: '127.0.0.1',
    peerPort: port,
    peerAs: 65002,
    localAs: 65001,
    routerId: '10.0.0.1',
    closeLingerMs: 100,
    ...extra,
  };
}

async function setup(
  port: number,
  extra: Partial<BgpSessionInit> = {},
  peerOptions: { allowHalfOpen?: boolean } = {},
) {
  const peer = new RawPeer(port, peerOptions);
  await peer.listen();
  const clock = new FakeClock();
  const session = new BgpSession(base(port, extra), { clock });
  const events: { type: keyof BgpSessionEvents; detail: unknown }[] = [];
  for (const type of ['state', 'notification', 'warning', 'update', 'routesSent'] as const) {
    session.on(type, (detail) => events.push({ type, detail }));
  }
  cleanups.push(async () => {
    await session.stop({ signal: AbortSignal.timeout(1_000) });
    await peer.close();
  });
  return { peer, clock, session, events };
}

function notificationsSent(events: { type: string; detail: unknown }[]): [number, number][] {
  return events
    .filter(
      (e) => e.type === 'notification' && (e.detail as BgpSessionEvents['notification']).direction === 'sent',
    )
    .map((e) => {
      const m = (e.detail as BgpSessionEvents['notification']).message;
      return [m.code, m.subcode];
    });
}

describe('against a scripted peer', () => {
  it('establishes, sends keepalives every third of the hold time on the injected clock', async () => {
    const { peer, clock, session } = await setup(17920, { holdTimeS: 30 });
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    const keepalives = (): number => peer.of('keepalive').length;
    const start = keepalives();
    for (let i = 0; i < 6; i++) {
      peer.send({ type: 'keepalive' });
      await clock.advanceAsync(10_000);
    }
    await until('keepalives', () => keepalives() - start >= 6);
    expect(keepalives() - start).toBeLessThanOrEqual(8);
    expect(session.state).toBe('Established');
  });

  it.each([
    {
      name: 'a broken marker',
      port: 17921,
      bytes: Uint8Array.from([...new Array(16).fill(0), 0, 19, 4]),
      want: [ErrorCode.MESSAGE_HEADER, HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED],
    },
    {
      name: 'a KEEPALIVE of length 20',
      port: 17922,
      bytes: Uint8Array.from([...new Array(16).fill(0xff), 0, 20, 4, 0]),
      want: [ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_LENGTH],
    },
    {
      name: 'an unknown message type',
      port: 17923,
      bytes: Uint8Array.from([...new Array(16).fill(0xff), 0, 19, 9]),
      want: [ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_TYPE],
    },
  ])('answers $name with NOTIFICATION $want and closes', async ({ port, bytes, want }) => {
    const { peer, session, events } = await setup(port);
    session.start();
    await until('connected', () => peer.socket !== undefined);
    peer.sendRaw(bytes);
    await until('the close', () => peer.closed);
    expect(peer.of('notification').map((n) => [n.code, n.subcode])).toEqual([want]);
    expect(notificationsSent(events)).toEqual([want]);
    expect(session.state).toBe('Idle');
  });

  it('answers an OPEN from the wrong AS with Bad Peer AS', async () => {
    const { peer, session } = await setup(17924);
    session.start();
    await peer.handshake(peerOpen({ myAs: 65099, capabilities: [{ kind: 'four-octet-as', asn: 65099 }] }));
    await until('the close', () => peer.closed);
    expect(peer.of('notification').map((n) => [n.code, n.subcode])).toEqual([
      [ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_PEER_AS],
    ]);
  });

  it('answers a malformed UPDATE with an UPDATE Message Error', async () => {
    const { peer, session } = await setup(17925);
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    // Withdrawn Routes Length 200 in a 23-octet UPDATE.
    peer.sendRaw(Uint8Array.from([...new Array(16).fill(0xff), 0, 23, 2, 0, 200, 0, 0]));
    await until('the close', () => peer.closed);
    expect(peer.of('notification')[0]).toMatchObject({
      code: ErrorCode.UPDATE_MESSAGE,
      subcode: UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
    });
  });

  it('stops with Cease / Maximum Number of Prefixes Reached past maxPrefixes, then retries', async () => {
    const { peer, session, clock } = await setup(17926, { maxPrefixes: 2 });
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    const attrs = [
      { kind: 'origin', value: 0 },
      { kind: 'as-path', segments: [{ type: 2, asns: [65002] }] },
      { kind: 'next-hop', address: Uint8Array.of(127, 0, 0, 1) },
    ] as const;
    const nlri = ['198.51.100.0/24', '198.51.100.1/32', '203.0.113.0/24'].map((p) => ({
      prefix: parsePrefix(p),
    }));
    peer.send({ type: 'update', withdrawn: [], attributes: attrs, nlri: nlri.slice(0, 2) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(session.state).toBe('Established');
    expect(session.stats.receivedPrefixes).toBe(2);
    peer.send({ type: 'update', withdrawn: [], attributes: attrs, nlri: nlri.slice(2) });
    await until('the close', () => peer.closed);
    expect(peer.of('notification')[0]).toMatchObject({
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.MAXIMUM_PREFIXES_REACHED,
    });
    expect(session.stats.lastReason).toEqual({
      kind: 'automatic-stop',
      subcode: CeaseSubcode.MAXIMUM_PREFIXES_REACHED,
    });
    const opens = peer.of('open').length;
    await clock.advanceAsync(1_000);
    await until('a new connection', () => peer.of('open').length > opens);
  });

  it('sends the desired routes once Established and their withdrawal on change', async () => {
    const { peer, session } = await setup(17927);
    session.setRoutes([{ prefix: parsePrefix('192.0.2.10/32') }]);
    session.start();
    await peer.handshake();
    await until('routes and End-of-RIB', () => peer.of('update').length >= 3);
    const [routes, eor4, eor6] = peer.of('update');
    expect(routes?.nlri.map((n) => Array.from(n.prefix.address))).toEqual([[192, 0, 2, 10]]);
    const nextHop = routes?.attributes.find((a) => a.kind === 'next-hop');
    expect(nextHop?.kind === 'next-hop' && Array.from(nextHop.address)).toEqual([127, 0, 0, 1]);
    expect(eor4).toEqual({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
    expect(eor6?.attributes[0]).toMatchObject({ kind: 'mp-unreach-nlri', afi: 2, withdrawn: [] });
    session.setRoutes([]);
    await until('the withdrawal', () => peer.of('update').length >= 4);
    expect(peer.of('update')[3]?.withdrawn.map((n) => Array.from(n.prefix.address))).toEqual([
      [192, 0, 2, 10],
    ]);
  });

  it('reports RFC 7606 repairs as warnings and stays Established', async () => {
    const { peer, session, events } = await setup(17928);
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    // ORIGIN with value 9 and a prefix: treat-as-withdraw (RFC 7606 §7.1).
    const update = [
      0, 0, 0, 18, 0x40, 1, 1, 9, 0x40, 2, 4, 2, 1, 0xfd, 0xea, 0x40, 3, 4, 127, 0, 0, 1, 24, 198, 51, 100,
    ];
    const body = Uint8Array.from(update);
    const header = [...new Array(16).fill(0xff), 0, 19 + body.length, 2];
    peer.sendRaw(Uint8Array.from([...header, ...body]));
    await until('the warning', () => events.some((e) => e.type === 'warning'));
    expect(session.state).toBe('Established');
    expect(peer.of('notification')).toEqual([]);
    // The repaired UPDATE withdrew instead of announcing.
    expect(session.stats.receivedPrefixes).toBe(0);
  });
});

describe('against a recording transport', () => {
  class Recording implements TcpTransport {
    readonly calls: TcpConnectOptions[] = [];
    connect(options: TcpConnectOptions): Promise<net.Socket> {
      this.calls.push(options);
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    }
    listen(): Promise<net.Server> {
      return Promise.reject(new Error('not used'));
    }
    setListenerMd5(): void {}
  }

  it('does no I/O until start, then passes source, MD5, GTSM and timeout to the transport', async () => {
    const transport = new Recording();
    const clock = new FakeClock();
    const session = new BgpSession(
      base(179, {
        localAddress: '127.0.0.1',
        localPort: 17999,
        md5Password: 's3cret',
        ttlSecurityHops: 1,
        connectTimeoutMs: 2_500,
      }),
      { transport, clock },
    );
    expect(transport.calls).toEqual([]);
    expect(clock.pending()).toEqual([]);
    session.start();
    await until('the attempt', () => transport.calls.length === 1);
    expect(transport.calls[0]).toMatchObject({
      host: '127.0.0.1',
      port: 179,
      localAddress: '127.0.0.1',
      localPort: 17999,
      md5Password: 's3cret',
      ttl: 255,
      minTtl: 255,
      timeoutMs: 2_500,
    });
    await session.stop();
  });

  it('backs off between failed attempts on the injected clock', async () => {
    const transport = new Recording();
    const clock = new FakeClock();
    const warnings: string[] = [];
    const session = new BgpSession(base(179), { transport, clock, random: () => 0.999999 });
    session.on('warning', (w) => warnings.push(w.message));
    session.start();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await until(`attempt ${i + 1}`, () => transport.calls.length === i + 1);
      times.push(clock.now());
      await new Promise((resolve) => setTimeout(resolve, 5));
      await clock.advanceAsync(clock.nextDueIn() ?? 0);
    }
    expect(times.slice(1).map((t, i) => t - (times[i] as number))).toEqual([1000, 2000, 4000, 8000]);
    expect(warnings[0]).toMatch(/connect to 127\.0\.0\.1 port 179 failed: connect ECONNREFUSED/);
    await session.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('uses eBGP multihop as the TTL', async () => {
    const transport = new Recording();
    const session = new BgpSession(base(179, { ebgpMultihop: 4 }), { transport, clock: new FakeClock() });
    session.start();
    await until('the attempt', () => transport.calls.length === 1);
    expect(transport.calls[0]?.ttl).toBe(4);
    expect(transport.calls[0]?.minTtl).toBeUndefined();
    await session.stop();
  });
});

describe('input validation', () => {
  it.each([
    { name: 'peer address', init: { peerAddress: 'router-1' }, field: 'peerAddress' },
    { name: 'router id 0.0.0.0', init: { routerId: '0.0.0.0' }, field: 'routerId' },
    { name: 'router id IPv6', init: { routerId: '::1' }, field: 'routerId' },
    { name: 'hold time 2', init: { holdTimeS: 2 }, field: 'holdTimeS' },
    { name: 'local AS 0', init: { localAs: 0 }, field: 'localAs' },
    { name: 'port 70000', init: { peerPort: 70000 }, field: 'peerPort' },
    { name: 'GTSM with multihop', init: { ttlSecurityHops: 1, ebgpMultihop: 2 }, field: 'ttlSecurityHops' },
    { name: 'no families', init: { families: [] }, field: 'families' },
    { name: 'IPv4 next hop given as IPv6', init: { nextHopIpv4: '2001:db8::1' }, field: 'nextHopIpv4' },
    {
      name: 'restart time 5000',
      init: { gracefulRestart: { restartTimeS: 5000, restarted: false } },
      field: 'gracefulRestart.restartTimeS',
    },
  ])('rejects $name naming $field', ({ init, field }) => {
    try {
      new BgpSession({ ...base(179), ...init } as BgpSessionInit);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BgpInputError);
      expect((error as BgpInputError).field).toBe(field);
    }
  });

  it('setRoutes rejects a bad route synchronously and keeps the previous set', () => {
    const session = new BgpSession(base(179), { clock: new FakeClock() });
    expect(() =>
      session.setRoutes([{ prefix: parsePrefix('192.0.2.0/24'), attributes: { med: -1 } }]),
    ).toThrow(BgpInputError);
  });
});

describe('stop', () => {
  it('from an event listener resolves only once the connection is closed', async () => {
    const { peer, session, events, clock } = await setup(17929, {}, { allowHalfOpen: true });
    let stopped: Promise<void> | undefined;
    let done = false;
    session.on('established', () => {
      stopped = session.stop({ shutdownCommunication: 'from a listener' }).then(() => {
        done = true;
      });
    });
    session.start();
    await peer.handshake();
    await until('our FIN', () => peer.ended);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done).toBe(false);
    await clock.advanceAsync(100);
    await stopped;
    expect(session.state).toBe('Idle');
    expect(notificationsSent(events)).toEqual([[ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN]]);
    expect(peer.of('notification')[0]).toMatchObject({ code: ErrorCode.CEASE });
    expect(session.runningTimers()).toEqual([]);
  });

  it('waits for a peer that does not close, up to the linger time on the clock', async () => {
    const { peer, session, clock } = await setup(17930, {}, { allowHalfOpen: true });
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    let done = false;
    const stopped = session.stop().then(() => {
      done = true;
    });
    await until('our FIN', () => peer.ended);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done).toBe(false);
    await clock.advanceAsync(100);
    await stopped;
    expect(done).toBe(true);
  });
});

describe('robustness', () => {
  it('reports an action that throws as a warning instead of throwing into the event loop', () => {
    const session = new BgpSession(base(179, { passive: true }), { clock: new FakeClock() });
    const warnings: string[] = [];
    session.on('warning', (w) => warnings.push(w.message));
    session.start();
    const socket = new net.Socket();
    socket.setNoDelay = () => {
      throw new Error('socket is broken');
    };
    expect(() => session.acceptConnection(socket)).not.toThrow();
    expect(warnings).toEqual([expect.stringMatching(/could not accept: Error: socket is broken/)]);
    socket.destroy();
  });
});
