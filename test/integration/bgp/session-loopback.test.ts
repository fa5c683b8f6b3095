/**
 * Two bgp-ts-lite sessions over real TCP on loopback (127.0.0.1/127.0.0.2 and ::1; ports 17900-17949, used
 * only by this file). Timers run on fake clocks, so hold-timer expiry is driven by hand and nothing
 * sleeps; waits poll for a condition with a real-time bound.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { decodeMessage } from '../../../src/bgp/codec.js';
import { Afi, CeaseSubcode, ErrorCode, RouteRefreshSubtype, Safi } from '../../../src/bgp/constants.js';
import { parsePrefix, prefixKey } from '../../../src/bgp/nlri/prefix.js';
import type { Route } from '../../../src/bgp/rib/route.js';
import type { BgpSessionEvents } from '../../../src/bgp/session/events.js';
import { BgpListener } from '../../../src/bgp/session/listener.js';
import type { BgpSessionInit } from '../../../src/bgp/session/options.js';
import { BgpSession } from '../../../src/bgp/session/session.js';
import { DEFAULT_CODEC_CONTEXT } from '../../../src/bgp/types.js';
import { FakeClock } from '../../fakes/clock.js';

const IPV4 = { afi: Afi.IPV4, safi: Safi.UNICAST };
const IPV6 = { afi: Afi.IPV6, safi: Safi.UNICAST };
const WAIT_MS = 5_000;

async function until(what: string, cond: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Records every event of a session. */
class Recorder {
  readonly events: { type: keyof BgpSessionEvents; detail: unknown }[] = [];
  constructor(session: BgpSession) {
    for (const type of [
      'state',
      'open',
      'established',
      'notification',
      'update',
      'routeRefresh',
      'routesSent',
      'warning',
    ] as const) {
      session.on(type, (detail) => this.events.push({ type, detail }));
    }
  }
  of<K extends keyof BgpSessionEvents>(type: K): BgpSessionEvents[K][] {
    return this.events.filter((e) => e.type === type).map((e) => e.detail as BgpSessionEvents[K]);
  }
  /** Prefixes the recorded UPDATEs leave announced (applied in order). */
  announced(): string[] {
    const rib = new Set<string>();
    for (const u of this.of('update')) {
      for (const n of u.message.withdrawn) rib.delete(prefixKey(n.prefix));
      for (const n of u.message.nlri) rib.add(prefixKey(n.prefix));
      for (const a of u.message.attributes) {
        if (a.kind === 'mp-unreach-nlri') for (const n of a.withdrawn) rib.delete(prefixKey(n.prefix));
        if (a.kind === 'mp-reach-nlri') for (const n of a.nlri) rib.add(prefixKey(n.prefix));
      }
    }
    return [...rib].sort();
  }
}

interface Side {
  session: BgpSession;
  clock: FakeClock;
  rec: Recorder;
  listener?: BgpListener;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function route(cidr: string): Route {
  return { prefix: parsePrefix(cidr) };
}

async function side(init: BgpSessionInit, listen?: { host: string; port: number }): Promise<Side> {
  const clock = new FakeClock();
  const session = new BgpSession({ closeLingerMs: 200, ...init }, { clock });
  const rec = new Recorder(session);
  const s: Side = { session, clock, rec };
  if (listen !== undefined) {
    const listener = new BgpListener(listen);
    listener.add(session);
    await listener.start();
    s.listener = listener;
  }
  cleanups.push(async () => {
    await session.stop({ signal: AbortSignal.timeout(2_000) });
    await s.listener?.stop();
  });
  return s;
}

/** A (AS 65001, active) connects to B (AS 65002, passive, listening). */
async function pair(
  family: 'v4' | 'v6',
  port: number,
  extraA: Partial<BgpSessionInit> = {},
  extraB: Partial<BgpSessionInit> = {},
): Promise<{ a: Side; b: Side }> {
  const [hostA, hostB] = family === 'v4' ? ['127.0.0.1', '127.0.0.2'] : ['::1', '::1'];
  const b = await side(
    {
      peerAddress: hostA,
      peerAs: 65001,
      localAs: 65002,
      routerId: '10.0.0.2',
      passive: true,
      holdTimeS: 9,
      ...extraB,
    },
    { host: hostB, port },
  );
  const a = await side({
    peerAddress: hostB,
    peerPort: port,
    localAddress: hostA,
    peerAs: 65002,
    localAs: 65001,
    routerId: '10.0.0.1',
    holdTimeS: 9,
    ...(family === 'v4' ? { nextHopIpv6: '2001:db8::1' } : { nextHopIpv4: '192.0.2.1' }),
    ...extraA,
  });
  return { a, b };
}

async function established(...sides: Side[]): Promise<void> {
  await until('Established', () => sides.every((s) => s.session.state === 'Established'));
}

describe.each([
  { family: 'v4' as const, port: 17900 },
  { family: 'v6' as const, port: 17901 },
])('route exchange over $family', ({ family, port }) => {
  it('announces the desired routes, then End-of-RIB, then follows changes', async () => {
    const { a, b } = await pair(family, port);
    a.session.setRoutes([route('192.0.2.10/32'), route('192.0.2.11/32'), route('2001:db8:1::10/128')]);
    b.session.start();
    a.session.start();
    await established(a, b);
    await until(
      'End-of-RIB for both families',
      () => b.rec.of('update').filter((u) => u.endOfRib).length === 2,
    );
    expect(b.rec.announced()).toEqual(['192.0.2.10/32', '192.0.2.11/32', '2001:db8:1::10/128']);
    // Routes come before the End-of-RIB markers.
    const updates = b.rec.of('update');
    expect(updates.findIndex((u) => u.endOfRib)).toBeGreaterThanOrEqual(updates.length - 2);
    expect(b.session.stats.receivedPrefixes).toBe(3);
    expect(a.session.stats.advertisedPrefixes).toBe(3);

    a.session.setRoutes([route('192.0.2.10/32'), route('198.51.100.0/24'), route('2001:db8:1::10/128')]);
    await until('the change', () => b.rec.announced().includes('198.51.100.0/24'));
    expect(b.rec.announced()).toEqual(['192.0.2.10/32', '198.51.100.0/24', '2001:db8:1::10/128']);
    expect(b.session.stats.receivedPrefixes).toBe(3);

    const open = b.rec.of('open')[0]?.negotiated;
    expect(open?.peerAs).toBe(65001);
    expect(open?.families).toEqual([IPV4, IPV6]);
    expect(open?.enhancedRouteRefresh).toBe(true);
    expect(open?.extendedMessage).toBe(true);
    const conn = a.session.connection;
    expect(conn?.direction).toBe('outbound');
    expect(b.session.connection).toMatchObject({
      direction: 'inbound',
      remotePort: conn?.localPort,
      localPort: conn?.remotePort,
    });
  });
});

describe('hold timer', () => {
  it.each([
    { name: 'A drops a silent B', detector: 'a', silent: 'b', port: 17902 },
    { name: 'B drops a silent A', detector: 'b', silent: 'a', port: 17903 },
  ] as const)('$name with NOTIFICATION Hold Timer Expired', async ({ detector, silent, port }) => {
    const sides = await pair('v4', port);
    sides.b.session.start();
    sides.a.session.start();
    await established(sides.a, sides.b);
    const d = sides[detector];
    const s = sides[silent];
    // Only the detector's time moves: the silent side's keepalive timer never fires.
    await d.clock.advanceAsync(8_900);
    expect(d.session.state).toBe('Established');
    await d.clock.advanceAsync(200);
    await until('the drop', () => d.session.state === 'Idle' && s.session.state !== 'Established');
    expect(d.rec.of('notification')).toEqual([
      expect.objectContaining({
        direction: 'sent',
        message: expect.objectContaining({ code: ErrorCode.HOLD_TIMER_EXPIRED, subcode: 0 }),
      }),
    ]);
    await until('the NOTIFICATION at the silent side', () => s.rec.of('notification').length > 0);
    expect(s.rec.of('notification')[0]).toMatchObject({
      direction: 'received',
      message: { code: ErrorCode.HOLD_TIMER_EXPIRED },
    });
    expect(s.rec.of('state').find((c) => c.from === 'Established')?.reason).toMatchObject({
      kind: 'notification-received',
      code: ErrorCode.HOLD_TIMER_EXPIRED,
    });
    expect(d.rec.of('state').find((c) => c.from === 'Established')?.reason).toEqual({
      kind: 'hold-timer-expired',
    });
  });

  it('keeps the session up while keepalives flow', async () => {
    const { a, b } = await pair('v4', 17904);
    b.session.start();
    a.session.start();
    await established(a, b);
    for (let i = 0; i < 20; i++) {
      await a.clock.advanceAsync(1_000);
      await b.clock.advanceAsync(1_000);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([a.session.state, b.session.state]).toEqual(['Established', 'Established']);
  });
});

describe('stop', () => {
  it('sends Cease / Administrative Shutdown with the shutdown communication', async () => {
    const { a, b } = await pair('v4', 17905);
    b.session.start();
    a.session.start();
    await established(a, b);
    await a.session.stop({ shutdownCommunication: 'node drained for maintenance' });
    expect(a.session.state).toBe('Idle');
    await until('the NOTIFICATION', () => b.rec.of('notification').length > 0);
    expect(b.rec.of('notification')[0]).toMatchObject({
      direction: 'received',
      message: { code: ErrorCode.CEASE, subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN },
      communication: 'node drained for maintenance',
    });
    expect(b.session.state).not.toBe('Established');
  });

  it('rejects a shutdown communication over 255 octets without stopping', async () => {
    const { a } = await pair('v4', 17906);
    await expect(a.session.stop({ shutdownCommunication: 'x'.repeat(256) })).rejects.toThrow(
      /shutdownCommunication/,
    );
  });
});

describe('route refresh', () => {
  it('re-sends the family framed by BoRR/EoRR (RFC 7313)', async () => {
    const { a, b } = await pair('v4', 17907);
    a.session.setRoutes([route('192.0.2.10/32'), route('2001:db8:1::10/128')]);
    b.session.start();
    a.session.start();
    await established(a, b);
    await until('initial routes', () => b.rec.of('update').filter((u) => u.endOfRib).length === 2);
    const before = b.rec.of('update').length;
    expect(b.session.requestRouteRefresh(IPV4)).toBe(true);
    await until('EoRR', () =>
      b.rec.of('routeRefresh').some((r) => r.message.subtype === RouteRefreshSubtype.END_OF_RIB),
    );
    expect(b.rec.of('routeRefresh').map((r) => r.message.subtype)).toEqual([
      RouteRefreshSubtype.BEGIN_OF_RIB,
      RouteRefreshSubtype.END_OF_RIB,
    ]);
    const again = b.rec.of('update').slice(before);
    expect(again.flatMap((u) => u.message.nlri.map((n) => prefixKey(n.prefix)))).toEqual(['192.0.2.10/32']);
    expect(a.rec.of('routesSent').at(-1)).toMatchObject({ refresh: IPV4, announced: 1 });
  });

  it('re-sends without BoRR/EoRR when enhanced route refresh is not negotiated', async () => {
    const { a, b } = await pair('v4', 17908, {}, { enhancedRouteRefresh: false });
    a.session.setRoutes([route('192.0.2.10/32')]);
    b.session.start();
    a.session.start();
    await established(a, b);
    await until('initial routes', () => b.rec.of('update').filter((u) => u.endOfRib).length === 2);
    const before = b.rec.of('update').length;
    b.session.requestRouteRefresh(IPV4);
    await until('re-announcement', () => b.rec.of('update').length > before);
    expect(b.rec.of('routeRefresh')).toEqual([]);
    expect(a.rec.of('routeRefresh').map((r) => r.message.subtype)).toEqual([0]);
  });
});

describe('collision', () => {
  it('both speakers connect to each other: one connection survives on both sides', async () => {
    const ports = { a: 17910, b: 17911 };
    const a = await side(
      {
        peerAddress: '127.0.0.2',
        peerPort: ports.b,
        localAddress: '127.0.0.1',
        peerAs: 65002,
        localAs: 65001,
        routerId: '10.0.0.1',
        holdTimeS: 9,
      },
      { host: '127.0.0.1', port: ports.a },
    );
    const b = await side(
      {
        peerAddress: '127.0.0.1',
        peerPort: ports.a,
        localAddress: '127.0.0.2',
        peerAs: 65001,
        localAs: 65002,
        routerId: '10.0.0.2',
        holdTimeS: 9,
      },
      { host: '127.0.0.2', port: ports.b },
    );
    a.session.start();
    b.session.start();
    await established(a, b);
    // Let any losing connection finish closing, then check both ends agree on the one left.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ca = a.session.connection;
    const cb = b.session.connection;
    expect(ca).toBeDefined();
    expect(cb).toMatchObject({ localPort: ca?.remotePort, remotePort: ca?.localPort });
    // B has the higher BGP Identifier, so the connection B initiated is kept (RFC 4271 §6.8).
    expect(cb?.direction).toBe('outbound');
    expect([a.session.stats.establishedCount, b.session.stats.establishedCount]).toEqual([1, 1]);
    const dumps = [...a.rec.of('notification'), ...b.rec.of('notification')].filter(
      (n) => n.direction === 'sent' && n.message.subcode === CeaseSubcode.CONNECTION_COLLISION_RESOLUTION,
    );
    expect(dumps.length).toBeGreaterThanOrEqual(1);
  });
});

describe('graceful restart (Herald as the restarting speaker)', () => {
  it('advertises the R bit after a restart, sends End-of-RIB, and closes silently on a graceful stop', async () => {
    const { a, b } = await pair('v4', 17912, { gracefulRestart: { restartTimeS: 120, restarted: true } });
    a.session.setRoutes([route('192.0.2.10/32')]);
    b.session.start();
    a.session.start();
    await established(a, b);
    const gr = b.rec.of('open')[0]?.negotiated.peerGracefulRestart;
    expect(gr).toMatchObject({
      restartState: true,
      restartTime: 120,
      families: [
        { afi: Afi.IPV4, safi: Safi.UNICAST, forwardingState: true },
        { afi: Afi.IPV6, safi: Safi.UNICAST, forwardingState: true },
      ],
    });
    await until('End-of-RIB', () => b.rec.of('update').filter((u) => u.endOfRib).length === 2);
    expect(b.rec.of('update')[0]?.message.nlri.map((n) => prefixKey(n.prefix))).toEqual(['192.0.2.10/32']);

    await a.session.stop({ gracefulRestart: true });
    await until('B notices', () => b.session.state !== 'Established');
    expect(a.rec.of('notification')).toEqual([]);
    expect(b.rec.of('notification')).toEqual([]);
    expect(b.rec.of('state').find((c) => c.from === 'Established')?.reason).toMatchObject({
      kind: 'tcp-failed',
    });

    // B holds off for its IdleHoldTimer (1 s) before accepting again.
    await b.clock.advanceAsync(1_000);
    expect(b.session.state).toBe('Active');
    // The same session object reconnecting later is not a restart: no R bit.
    a.session.start();
    await until('re-established', () => b.rec.of('open').length === 2 && b.session.state === 'Established');
    expect(b.rec.of('open')[1]?.negotiated.peerGracefulRestart?.restartState).toBe(false);
  });
});

describe('listener', () => {
  it('answers a connection from an unknown address with Cease / Connection Rejected', async () => {
    const { b } = await pair('v4', 17913);
    b.session.start();
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const s = net.connect({ host: '127.0.0.2', port: 17913, localAddress: '127.0.0.3' });
      s.on('data', (c) => chunks.push(c));
      s.on('end', () => resolve(Buffer.concat(chunks)));
      s.on('error', reject);
      s.setTimeout(WAIT_MS, () => reject(new Error('no answer')));
    });
    const { message } = decodeMessage(new Uint8Array(bytes), DEFAULT_CODEC_CONTEXT);
    expect(message).toMatchObject({
      type: 'notification',
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.CONNECTION_REJECTED,
    });
  });

  it('hands a known peer’s connection to a stopped session, which refuses it', async () => {
    const { b } = await pair('v4', 17914);
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const s = net.connect({ host: '127.0.0.2', port: 17914, localAddress: '127.0.0.1' });
      s.on('data', (c) => chunks.push(c));
      s.on('end', () => resolve(Buffer.concat(chunks)));
      s.on('error', reject);
    });
    expect(decodeMessage(new Uint8Array(bytes), DEFAULT_CODEC_CONTEXT).message).toMatchObject({
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.CONNECTION_REJECTED,
    });
    expect(b.rec.of('notification')[0]).toMatchObject({ direction: 'sent' });
  });
});
