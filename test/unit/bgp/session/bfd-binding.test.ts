/**
 * BGP ↔ BFD wiring (RFC 5882, RFC 9687): the FSM's AutomaticStop with Cease / BFD Down in every state,
 * when a BFD Down is suppressed (RFC 5882 §3.2), a BfdBinding between two real BfdSessions on an in-memory
 * link and a recording BGP port, and a real BgpSession against a scripted peer on loopback (port 17960),
 * everything on one fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { decodeControlPacket, type BfdControlPacket } from '../../../../src/bgp/bfd/codec/index.js';
import {
  BfdSession,
  type BfdStateChangeEvent,
  type BfdTransport,
} from '../../../../src/bgp/bfd/session/index.js';
import { CeaseSubcode, ErrorCode } from '../../../../src/bgp/constants.js';
import { BgpInputError } from '../../../../src/bgp/errors.js';
import { step } from '../../../../src/bgp/fsm/reducer.js';
import type { BgpState, FsmEvent } from '../../../../src/bgp/fsm/types.js';
import {
  BfdBinding,
  bfdSuppressReason,
  type BfdBindingEvents,
  type BgpSessionPort,
} from '../../../../src/bgp/session/bfd-binding.js';
import { BgpSession } from '../../../../src/bgp/session/session.js';
import { FakeClock } from '../../../fakes/clock.js';
import { env, notificationsSent, ofType, SCENARIOS, stateOf } from '../fsm/helpers.js';
import { RawPeer, until } from './raw-peer.js';

const BFD_DOWN_EVENT: FsmEvent = { type: 'AutomaticStop', subcode: CeaseSubcode.BFD_DOWN };
const CEASE_BFD_DOWN: [number, number] = [ErrorCode.CEASE, CeaseSubcode.BFD_DOWN];

describe('FSM: AutomaticStop with Cease / BFD Down (RFC 9687) in every state', () => {
  const table: Record<string, { to: BgpState; sent: [number, number][]; restarts: boolean }> = {
    'Idle (stopped)': { to: 'Idle', sent: [], restarts: false },
    'Idle (holding off)': { to: 'Idle', sent: [], restarts: false },
    Connect: { to: 'Idle', sent: [], restarts: true },
    Active: { to: 'Idle', sent: [], restarts: true },
    OpenSent: { to: 'Idle', sent: [CEASE_BFD_DOWN], restarts: true },
    OpenConfirm: { to: 'Idle', sent: [CEASE_BFD_DOWN], restarts: true },
    Established: { to: 'Idle', sent: [CEASE_BFD_DOWN], restarts: true },
  };
  it.each(Object.entries(table))('%s -> %o', (scenario, want) => {
    const from = SCENARIOS[scenario]!();
    const { state, actions } = step(from, BFD_DOWN_EVENT, env(1_000));
    expect(stateOf(state)).toBe(want.to);
    expect(notificationsSent(actions)).toEqual(want.sent);
    const idleHold = ofType(actions, 'startTimer').filter((a) => a.timer === 'IdleHoldTimer');
    expect(idleHold.length).toBe(want.restarts ? 1 : 0);
    const change = ofType(actions, 'stateChange');
    if (want.restarts) {
      expect(change).toEqual([
        {
          type: 'stateChange',
          from: stateOf(from),
          to: 'Idle',
          reason: { kind: 'automatic-stop', subcode: CeaseSubcode.BFD_DOWN },
        },
      ]);
      expect(state.admin).toBe('started');
    } else {
      expect(change).toEqual([]);
    }
  });
});

function change(partial: Partial<BfdStateChangeEvent>): BfdStateChangeEvent {
  return {
    peerAddress: '192.0.2.2',
    from: 'Up',
    to: 'Down',
    diagnostic: 1,
    diagnosticName: 'Control Detection Time Expired',
    remoteState: 'Up',
    ...partial,
  };
}

describe('bfdSuppressReason (RFC 5882 §3.2)', () => {
  it.each([
    [change({}), 'Established', undefined],
    [change({}), 'OpenSent', undefined],
    [change({}), 'Connect', undefined],
    [change({}), 'Idle', 'bgp-idle'],
    [change({ remoteState: 'AdminDown', diagnostic: 3 }), 'Established', 'peer-admin-down'],
    [change({ to: 'AdminDown', diagnostic: 7 }), 'Established', 'local-admin-down'],
  ] as const)('%o with BGP %s -> %s', (event, bgp, want) => {
    expect(bfdSuppressReason(event, bgp)).toBe(want);
  });
});

/** Two BfdSessions on an in-memory link (1 ms latency) that a test can cut. */
function bfdPair(clock: FakeClock) {
  const link = { up: true };
  const sessions: { a?: BfdSession; b?: BfdSession } = {};
  const transport = (to: () => BfdSession | undefined): BfdTransport => ({
    send(bytes, callback) {
      const decoded = decodeControlPacket(bytes);
      if (!decoded.ok) return callback(decoded.error);
      const packet: BfdControlPacket = decoded.packet;
      if (link.up) clock.setTimeout(() => to()?.receive(packet), 1);
      callback(null);
    },
    async close() {},
  });
  let seed = 7;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const params = { desiredMinTxUs: 100_000, requiredMinRxUs: 100_000, detectMult: 3 };
  const make = (peer: string, discr: number, to: () => BfdSession | undefined): BfdSession =>
    new BfdSession(
      { clock, random, transport: transport(to) },
      {
        peerAddress: peer,
        mode: 'single-hop',
        config: { ...params, localDiscriminator: discr, passive: false },
      },
    );
  sessions.a = make('127.0.0.2', 0xa, () => sessions.b);
  sessions.b = make('127.0.0.1', 0xb, () => sessions.a);
  return { link, a: sessions.a, b: sessions.b };
}

class RecordingBgp implements BgpSessionPort {
  readonly peerAddress = '127.0.0.2';
  readonly stops: number[] = [];
  constructor(public state: BgpState = 'Established') {}
  automaticStop(subcode: number): void {
    this.stops.push(subcode);
    this.state = 'Idle';
  }
}

function record(binding: BfdBinding) {
  const events: { type: keyof BfdBindingEvents; detail: unknown }[] = [];
  binding.on('teardown', (detail) => events.push({ type: 'teardown', detail }));
  binding.on('suppressed', (detail) => events.push({ type: 'suppressed', detail }));
  return events;
}

describe('BfdBinding with real BfdSessions on a fake clock', () => {
  it('tears BGP down with Cease / BFD Down within the detection time after BFD goes Down', () => {
    const clock = new FakeClock();
    const { link, a, b } = bfdPair(clock);
    const bgp = new RecordingBgp();
    const binding = new BfdBinding(bgp, a);
    const events = record(binding);
    binding.start();
    a.start();
    b.start();
    clock.advance(3_000);
    expect(binding.bfdState).toBe('Up');
    expect(bgp.stops).toEqual([]);
    link.up = false;
    const cutAt = clock.now();
    let downAt: number | undefined;
    a.on('down', () => (downAt = clock.now()));
    clock.advance(1_000);
    expect(bgp.stops).toEqual([CeaseSubcode.BFD_DOWN]);
    expect(downAt! - cutAt).toBeLessThanOrEqual(300 + 1);
    expect(binding.teardowns).toBe(1);
    expect(events).toEqual([
      {
        type: 'teardown',
        detail: {
          bgpState: 'Established',
          bfd: expect.objectContaining({ from: 'Up', to: 'Down', diagnostic: 1 }) as unknown,
        },
      },
    ]);
  });

  it('leaves BGP alone while BFD is configured but never comes Up', () => {
    const clock = new FakeClock();
    const { a } = bfdPair(clock);
    const bgp = new RecordingBgp('OpenSent');
    const binding = new BfdBinding(bgp, a);
    binding.start();
    a.start(); // the peer never starts BFD
    clock.advance(30_000);
    expect(a.state).toBe('Down');
    expect(bgp.stops).toEqual([]);
    expect(bgp.state).toBe('OpenSent');
  });

  it('does not tear BGP down when the peer disables BFD (AdminDown) or we do', async () => {
    const clock = new FakeClock();
    const { a, b } = bfdPair(clock);
    const bgpA = new RecordingBgp();
    const bgpB = new RecordingBgp();
    const bindingA = new BfdBinding(bgpA, a);
    const bindingB = new BfdBinding(bgpB, b);
    const eventsA = record(bindingA);
    const eventsB = record(bindingB);
    bindingA.start();
    bindingB.start();
    a.start();
    b.start();
    clock.advance(3_000);
    await b.stop();
    clock.advance(1_000);
    expect([bgpA.stops, bgpB.stops]).toEqual([[], []]);
    expect(eventsA.map((e) => [e.type, (e.detail as { reason: string }).reason])).toEqual([
      ['suppressed', 'peer-admin-down'],
    ]);
    expect(eventsB.map((e) => [e.type, (e.detail as { reason: string }).reason])).toEqual([
      ['suppressed', 'local-admin-down'],
    ]);
  });

  it('reports an Idle BGP session as suppressed, follows later Downs, and stops following on stop()', () => {
    const clock = new FakeClock();
    const { link, a, b } = bfdPair(clock);
    const bgp = new RecordingBgp('Idle');
    const binding = new BfdBinding(bgp, a);
    const events = record(binding);
    binding.start();
    binding.start(); // idempotent: one subscription
    a.start();
    b.start();
    clock.advance(3_000);
    link.up = false;
    clock.advance(2_000);
    expect(events.map((e) => (e.detail as { reason?: string }).reason)).toEqual(['bgp-idle']);
    bgp.state = 'Established';
    link.up = true;
    clock.advance(5_000);
    expect(a.state).toBe('Up');
    link.up = false;
    clock.advance(2_000);
    expect(bgp.stops).toEqual([CeaseSubcode.BFD_DOWN]);
    binding.stop();
    bgp.state = 'Established';
    link.up = true;
    clock.advance(5_000);
    link.up = false;
    clock.advance(2_000);
    expect(bgp.stops).toEqual([CeaseSubcode.BFD_DOWN]);
    expect(binding.teardowns).toBe(1);
  });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('BfdBinding with a real BgpSession (loopback port 17960, fake clock)', () => {
  it('sends Cease / BFD Down on the wire, goes Idle, then reconnects after the IdleHoldTimer', async () => {
    const clock = new FakeClock();
    const peer = new RawPeer(17960);
    await peer.listen();
    const session = new BgpSession(
      {
        peerAddress: '127.0.0.1',
        peerPort: 17960,
        peerAs: 65002,
        localAs: 65001,
        routerId: '10.0.0.1',
        closeLingerMs: 100,
      },
      { clock, random: () => 0.999999 },
    );
    const { link, a, b } = bfdPair(clock);
    const binding = new BfdBinding(session, a);
    cleanups.push(async () => {
      binding.stop();
      await session.stop({ signal: AbortSignal.timeout(1_000) });
      await peer.close();
    });
    binding.start();
    a.start();
    b.start();
    session.start();
    await peer.handshake();
    await until('Established', () => session.state === 'Established');
    clock.advance(3_000);
    expect(a.state).toBe('Up');
    link.up = false;
    clock.advance(1_000);
    await until('the close', () => peer.closed);
    expect(peer.of('notification').map((n) => [n.code, n.subcode])).toEqual([CEASE_BFD_DOWN]);
    expect(session.state).toBe('Idle');
    expect(session.stats.lastReason).toEqual({ kind: 'automatic-stop', subcode: CeaseSubcode.BFD_DOWN });
    const opens = peer.of('open').length;
    await clock.advanceAsync(1_000);
    await until('a new connection after the back-off', () => peer.of('open').length > opens);
  });

  it('automaticStop refuses a subcode outside one octet', () => {
    const session = new BgpSession({
      peerAddress: '127.0.0.1',
      peerAs: 65002,
      localAs: 65001,
      routerId: '10.0.0.1',
    });
    expect(() => session.automaticStop(0)).toThrow(BgpInputError);
    expect(() => session.automaticStop(256)).toThrow(/subcode: must be a Cease subcode in 1..255, got 256/);
  });
});
