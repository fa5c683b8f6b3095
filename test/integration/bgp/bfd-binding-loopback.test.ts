/**
 * Two bgp-ts-lite speakers with BFD on loopback (real sockets, real clock): speaker A (127.0.0.1) connects
 * to speaker B (127.0.0.2, passive, BgpListener), each with a BFD session bound to its BGP session. B's BFD
 * packets reach A through a UDP relay the test can block. Blocking them takes A's BFD Down, and A tears
 * BGP down with Cease / BFD Down (RFC 9687) within the detection time, long before the hold timer; BGP
 * comes back by itself after the back-off. BGP does not wait for BFD, and a peer disabling BFD (AdminDown)
 * leaves BGP alone (RFC 5882 §3.2). Ports 17950-17959, loopback only.
 */
import { createSocket, type Socket } from 'node:dgram';

import { afterEach, describe, expect, it } from 'vitest';

import { BfdService, type BfdSession } from '../../../src/bgp/bfd/index.js';
import { CeaseSubcode, ErrorCode } from '../../../src/bgp/constants.js';
import { BfdBinding } from '../../../src/bgp/session/bfd-binding.js';
import type { BgpSessionEvents } from '../../../src/bgp/session/events.js';
import { BgpListener } from '../../../src/bgp/session/listener.js';
import { BgpSession } from '../../../src/bgp/session/session.js';

const A = '127.0.0.1';
const B = '127.0.0.2';
/** 50 ms × 3: a detection time of 150 ms. */
const FAST = { desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, detectMult: 3 };
const DETECTION_MS = 150;
/** Scheduling slack on a loaded 2-core machine; the hold time (30 s) is 100 times longer. */
const SLACK_MS = 1_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A UDP relay for B's BFD packets: receives on A's address at `port` and re-sends them from B's address
 * to A's BFD port (so A sees them come from B) while `pass` is true.
 */
async function relay(port: number, targetPort: number): Promise<{ pass: boolean }> {
  const bind = (socket: Socket, address: string, bindPort: number): Promise<void> =>
    new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(bindPort, address, () => resolve());
    });
  const inbound = createSocket('udp4');
  const outbound = createSocket('udp4');
  const state = { pass: true };
  inbound.on('message', (message) => {
    if (state.pass) outbound.send(message, targetPort, A);
  });
  await bind(inbound, A, port);
  await bind(outbound, B, 0);
  for (const socket of [inbound, outbound]) {
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  }
  return state;
}

interface Speaker {
  session: BgpSession;
  notifications: BgpSessionEvents['notification'][];
  states: BgpSessionEvents['state'][];
}

function speaker(session: BgpSession): Speaker {
  const s: Speaker = { session, notifications: [], states: [] };
  session.on('notification', (n) => s.notifications.push(n));
  session.on('state', (e) => s.states.push(e));
  return s;
}

/** A's and B's BGP sessions (B passive behind a listener) and BFD sessions, B → A BFD through a relay. */
async function setup(ports: { bgp: number; bfdA: number; bfdB: number; relay: number }) {
  const common = { peerPort: ports.bgp, holdTimeS: 30, closeLingerMs: 200 };
  const a = speaker(
    new BgpSession({
      ...common,
      peerAddress: B,
      localAddress: A,
      peerAs: 65002,
      localAs: 65001,
      routerId: '10.0.0.1',
      idleHold: { minMs: 300 },
    }),
  );
  const b = speaker(
    new BgpSession({
      ...common,
      peerAddress: A,
      peerAs: 65001,
      localAs: 65002,
      routerId: '10.0.0.2',
      passive: true,
      idleHold: { minMs: 100 },
    }),
  );
  const listener = new BgpListener({ host: B, port: ports.bgp });
  listener.add(b.session);
  await listener.start();
  cleanups.push(() => listener.stop());

  const link = await relay(ports.relay, ports.bfdA);
  const serviceA = new BfdService({}, { singleHopPort: ports.bfdA, bindAddress: { ipv4: A } });
  const serviceB = new BfdService({}, { singleHopPort: ports.bfdB, bindAddress: { ipv4: B } });
  for (const s of [serviceA, serviceB]) {
    await s.start();
    cleanups.push(() => s.stop());
  }
  const bfdA = await serviceA.addSession({ peerAddress: B, localAddress: A, peerPort: ports.bfdB, ...FAST });
  const bfdB = await serviceB.addSession({ peerAddress: A, localAddress: B, peerPort: ports.relay, ...FAST });
  const bindA = new BfdBinding(a.session, bfdA);
  const bindB = new BfdBinding(b.session, bfdB);
  for (const binding of [bindA, bindB]) {
    binding.start();
    cleanups.push(async () => binding.stop());
  }
  // Sessions close their connections before the listener stops (server.close waits for them).
  for (const s of [a, b]) cleanups.push(() => s.session.stop({ signal: AbortSignal.timeout(2_000) }));
  return { a, b, bfdA, bfdB, bindA, bindB, link };
}

function ceaseBfdDown(n: BgpSessionEvents['notification']): boolean {
  return n.message.code === ErrorCode.CEASE && n.message.subcode === CeaseSubcode.BFD_DOWN;
}

function isBfdDownReason(reason: BgpSessionEvents['state']['reason'] | undefined): boolean {
  if (reason?.kind === 'automatic-stop') return reason.subcode === CeaseSubcode.BFD_DOWN;
  if (reason?.kind === 'notification-received')
    return reason.code === ErrorCode.CEASE && reason.subcode === CeaseSubcode.BFD_DOWN;
  return false;
}

function up(bfd: BfdSession): Promise<void> {
  return new Promise((resolve) => {
    if (bfd.state === 'Up') return resolve();
    const off = bfd.on('up', () => {
      off();
      resolve();
    });
  });
}

describe('BGP with BFD between two bgp-ts-lite speakers on loopback', () => {
  it('establishes without BFD Up, is torn down with Cease / BFD Down when BFD fails, and recovers', async () => {
    const { a, b, bfdA, bfdB, bindA, link } = await setup({
      bgp: 17950,
      bfdA: 17951,
      bfdB: 17952,
      relay: 17953,
    });
    link.pass = false; // B's BFD packets never reach A: A's BFD cannot come Up
    bfdA.start();
    bfdB.start();
    b.session.start();
    a.session.start();
    await until('BGP Established while BFD is not Up', () => a.session.state === 'Established');
    expect(bfdA.state).not.toBe('Up');
    await until('B Established', () => b.session.state === 'Established');

    link.pass = true;
    await until('BFD Up on both sides', () => bfdA.state === 'Up' && bfdB.state === 'Up');
    expect(a.session.state).toBe('Established');

    link.pass = false;
    const blockedAt = performance.now();
    const sent = await until('A to send Cease / BFD Down', () =>
      a.notifications.find((n) => n.direction === 'sent' && ceaseBfdDown(n)),
    );
    const elapsedMs = performance.now() - blockedAt;
    expect(sent.message.data).toEqual(new Uint8Array(0));
    expect(elapsedMs).toBeLessThan(DETECTION_MS + SLACK_MS);
    expect(bindA.teardowns).toBe(1);
    expect(a.states.find((s) => s.from === 'Established')?.reason).toEqual({
      kind: 'automatic-stop',
      subcode: CeaseSubcode.BFD_DOWN,
    });
    // B either received A's Cease / BFD Down or, seeing A's BFD Down first, sent its own.
    await until('B to leave Established', () => b.states.find((s) => s.from === 'Established'));
    const bReason = b.states.find((s) => s.from === 'Established')?.reason;
    expect(isBfdDownReason(bReason), JSON.stringify(bReason)).toBe(true);

    link.pass = true;
    await Promise.all([up(bfdA), up(bfdB)]);
    await until('BGP Established again after the back-off', () =>
      a.session.state === 'Established' && a.session.stats.establishedCount === 2 ? true : undefined,
    );
    console.log(
      `BFD Down to Cease / BFD Down sent: ${elapsedMs.toFixed(0)} ms (detection ${DETECTION_MS} ms)`,
    );
  });

  it('keeps BGP up when the peer disables BFD (AdminDown, RFC 5882 §3.2)', async () => {
    const { a, b, bfdA, bfdB, bindA } = await setup({ bgp: 17954, bfdA: 17955, bfdB: 17956, relay: 17957 });
    const suppressed: string[] = [];
    bindA.on('suppressed', (e) => suppressed.push(e.reason));
    bfdA.start();
    bfdB.start();
    b.session.start();
    a.session.start();
    await until('Established and BFD Up', () => a.session.state === 'Established' && bfdA.state === 'Up');
    await bfdB.stop();
    await until('A to see BFD Down', () => bfdA.state === 'Down');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(suppressed).toEqual(['peer-admin-down']);
    expect(a.session.state).toBe('Established');
    expect(a.notifications).toEqual([]);
    expect(bindA.teardowns).toBe(0);
  });
});
