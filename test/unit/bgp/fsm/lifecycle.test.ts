/**
 * Whole-session behaviour of two simulated speakers on fake time: keepalive cadence, the hold timer
 * enforced in both directions (a silent peer is dropped at expiry with NOTIFICATION Hold Timer Expired),
 * reconnection with back-off, passive mode, and stops with a Cease shutdown communication.
 */
import { describe, expect, it } from 'vitest';

import { CeaseSubcode, ErrorCode } from '../../../../src/bgp/constants.js';
import { shutdownCommunicationOf } from '../../../../src/bgp/fsm/notification.js';
import { initialState } from '../../../../src/bgp/fsm/reducer.js';
import type { FsmConfig } from '../../../../src/bgp/fsm/types.js';
import {
  env,
  LOCAL_AS,
  makeConfig,
  makePeerOpen,
  notificationsSent,
  ofType,
  PEER_AS,
  PEER_ID,
  run,
  sentTypes,
  stateOf,
} from './helpers.js';
import { Sim, type Side } from './sim.js';

const HOLD_S = 9;

function pair(a: Partial<FsmConfig> = {}, b: Partial<FsmConfig> = {}): Sim {
  const ca = makeConfig({ holdTimeS: HOLD_S, ...a });
  const cb = {
    ...makeConfig({ localAs: PEER_AS, bgpId: PEER_ID, holdTimeS: HOLD_S, ...b }),
    peerAs: LOCAL_AS,
  };
  return new Sim(initialState(ca), initialState(cb));
}

function established(a?: Partial<FsmConfig>, b?: Partial<FsmConfig>): Sim {
  const sim = pair(a, b);
  sim.inject('A', { type: 'ManualStart' });
  sim.inject('B', { type: 'ManualStart_with_PassiveTcpEstablishment' });
  sim.runFor(100);
  expect([sim.state('A'), sim.state('B')]).toEqual(['Established', 'Established']);
  return sim;
}

function keepalivesSent(sim: Sim, side: Side): number {
  return sentTypes(sim.actions(side)).filter((t) => t === 'keepalive').length;
}

describe('keepalives and the hold timer', () => {
  it('stays Established for an hour with keepalives every third of the hold time', () => {
    const sim = established();
    const before = keepalivesSent(sim, 'A');
    sim.runFor(3_600_000);
    expect([sim.state('A'), sim.state('B')]).toEqual(['Established', 'Established']);
    const sent = keepalivesSent(sim, 'A') - before;
    // Interval 3 s jittered to [2.25 s, 3 s]: between 1200 and 1600 keepalives in an hour.
    expect(sent).toBeGreaterThanOrEqual(1200);
    expect(sent).toBeLessThanOrEqual(1600);
  });

  it.each([
    { silent: 'A', detector: 'B' },
    { silent: 'B', detector: 'A' },
  ] as const)(
    'drops a peer that stops sending keepalives ($silent silent, $detector detects)',
    ({ silent, detector }) => {
      const sim = established();
      sim.mute.add(silent);
      const mutedAt = sim.now;
      sim.runFor(HOLD_S * 1000 - 100);
      expect(sim.state(detector)).toBe('Established');
      sim.runFor(200);
      expect(sim.state(detector)).toBe('Idle');
      expect(notificationsSent(sim.actions(detector))).toEqual([[ErrorCode.HOLD_TIMER_EXPIRED, 0]]);
      const drop = ofType(sim.actions(detector), 'stateChange').at(-1);
      expect(drop?.reason).toEqual({ kind: 'hold-timer-expired' });
      // The silent side learns why from the NOTIFICATION.
      expect(ofType(sim.actions(silent), 'stateChange').at(-1)?.reason).toMatchObject({
        kind: 'notification-received',
        code: ErrorCode.HOLD_TIMER_EXPIRED,
      });
      // The hold timer fired no later than hold time after the last keepalive arrived.
      const droppedAt = sim.peers[detector].log.find((l) => l.action.type === 'close')?.at ?? 0;
      expect(droppedAt - mutedAt).toBeLessThanOrEqual(HOLD_S * 1000);
    },
  );

  it('reconnects after the drop, after the IdleHoldTimer back-off', () => {
    const sim = established();
    sim.mute.add('A');
    sim.runFor(HOLD_S * 1000 + 10);
    sim.mute.clear();
    sim.runFor(5_000);
    expect([sim.state('A'), sim.state('B')]).toEqual(['Established', 'Established']);
  });

  it('never sends keepalives and never expires with a hold time of 0', () => {
    const sim = established({ holdTimeS: 0 }, { holdTimeS: 0 });
    const before = keepalivesSent(sim, 'A');
    sim.mute.add('A');
    sim.mute.add('B');
    sim.runFor(3_600_000);
    expect([sim.state('A'), sim.state('B')]).toEqual(['Established', 'Established']);
    expect(keepalivesSent(sim, 'A')).toBe(before);
    expect(sim.pendingTimers('A')).toEqual([]);
  });
});

describe('reconnection', () => {
  it('retries with growing delays while the peer is unreachable, then connects', () => {
    const sim = pair();
    sim.unreachable.add('B');
    sim.inject('A', { type: 'ManualStart' });
    sim.inject('B', { type: 'ManualStart_with_PassiveTcpEstablishment' });
    sim.runFor(60_000);
    const attempts = sim.peers.A.log.filter((l) => l.action.type === 'connect').map((l) => l.at);
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] as number));
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1] as number);
    sim.unreachable.clear();
    sim.runFor(120_000);
    expect(sim.state('A')).toBe('Established');
  });
});

describe('passive mode', () => {
  it('waits in Active, never connects, and accepts the peer', () => {
    const r = run(initialState(makeConfig()), [{ type: 'ManualStart_with_PassiveTcpEstablishment' }]);
    expect(stateOf(r.state)).toBe('Active');
    expect(ofType(r.actions, 'connect')).toEqual([]);
    expect(ofType(r.actions, 'startTimer')).toEqual([]);
    expect(run(r.state, [{ type: 'ConnectRetryTimer_Expires' }]).actions).toEqual([]);
    const accepted = run(r.state, [{ type: 'TcpConnectionConfirmed' }]);
    expect(stateOf(accepted.state)).toBe('OpenSent');
    expect(sentTypes(accepted.actions)).toEqual(['open']);
  });

  it('goes back to Active (not Connect) after a failure and the back-off', () => {
    const s = run(initialState(makeConfig()), [
      { type: 'ManualStart_with_PassiveTcpEstablishment' },
      { type: 'TcpConnectionConfirmed' },
      { type: 'BGPOpen', conn: 1, open: makePeerOpen() },
      { type: 'TcpConnectionFails', conn: 1 },
    ]);
    expect(stateOf(s.state)).toBe('Idle');
    const restarted = run(s.state, [{ type: 'IdleHoldTimer_Expires' }]);
    expect(stateOf(restarted.state)).toBe('Active');
    expect(ofType(restarted.actions, 'connect')).toEqual([]);
  });

  it('returns to Active without a ConnectRetryTimer when OpenSent loses its connection', () => {
    const r = run(initialState(makeConfig()), [
      { type: 'ManualStart_with_PassiveTcpEstablishment' },
      { type: 'TcpConnectionConfirmed' },
      { type: 'TcpConnectionFails', conn: 1 },
    ]);
    expect(stateOf(r.state)).toBe('Active');
    expect(ofType(r.actions, 'startTimer').filter((t) => t.timer === 'ConnectRetryTimer')).toEqual([]);
  });

  it('refuses connections while stopped', () => {
    const r = run(initialState(makeConfig()), [{ type: 'TcpConnectionConfirmed' }]);
    expect(notificationsSent(r.actions)).toEqual([[ErrorCode.CEASE, CeaseSubcode.CONNECTION_REJECTED]]);
  });
});

describe('stopping', () => {
  it('sends Cease / Administrative Shutdown with the RFC 9003 communication and goes Idle for good', () => {
    const sim = established();
    sim.inject('A', { type: 'ManualStop', communication: 'maintenance: node drained' });
    sim.runFor(10 * 60_000);
    const close = ofType(sim.actions('A'), 'close').at(-1);
    expect(close?.notification).toMatchObject({
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN,
    });
    expect(close?.notification && shutdownCommunicationOf(close.notification)).toBe(
      'maintenance: node drained',
    );
    expect(sim.state('A')).toBe('Idle');
    expect(sim.pendingTimers('A')).toEqual([]);
    const down = ofType(sim.actions('B'), 'stateChange').find((c) => c.from === 'Established');
    expect(down?.reason).toMatchObject({
      kind: 'notification-received',
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN,
    });
  });

  it('closes without a NOTIFICATION for a graceful restart', () => {
    const sim = established();
    sim.inject('A', { type: 'ManualStop', silent: true });
    expect(ofType(sim.actions('A'), 'close').at(-1)).toEqual({ type: 'close', conn: 1 });
  });

  it('uses another Cease subcode when asked', () => {
    const sim = established();
    sim.inject('A', {
      type: 'ManualStop',
      subcode: CeaseSubcode.PEER_DECONFIGURED,
      communication: 'ignored here',
    });
    const n = ofType(sim.actions('A'), 'close').at(-1)?.notification;
    expect(n).toMatchObject({
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.PEER_DECONFIGURED,
      data: new Uint8Array(0),
    });
  });

  it('rejects a shutdown communication longer than 255 octets', () => {
    const s = run(initialState(makeConfig()), [{ type: 'ManualStart' }]).state;
    expect(() => run(s, [{ type: 'ManualStop', communication: 'é'.repeat(128) }], env())).toThrow(
      /shutdownCommunication/,
    );
  });
});
