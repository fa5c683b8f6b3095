/**
 * Timer values (RFC 4271 §10 jitter, §4.4 keepalive, OpenSent hold time) and the IdleHoldTimer back-off
 * with error amnesia, as pure functions and as the durations the reducer asks for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { initialState } from '../../../../src/bgp/fsm/reducer.js';
import {
  countFailure,
  DEFAULT_IDLE_HOLD_POLICY,
  idleHoldDelayMs,
  jitter,
  jitteredKeepaliveMs,
  keepaliveIntervalMs,
  MIN_KEEPALIVE_INTERVAL_MS,
} from '../../../../src/bgp/fsm/timers.js';
import type { FsmAction, FsmState } from '../../../../src/bgp/fsm/types.js';
import { env, makeConfig, makePeerOpen, ofType, run, SCENARIOS, stateOf } from './helpers.js';

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

function timers(actions: readonly FsmAction[], name: string): number[] {
  return ofType(actions, 'startTimer')
    .filter((a) => a.timer === name)
    .map((a) => a.durationMs);
}

describe('jitter (RFC 4271 §10)', () => {
  it('stays within [0.75, 1.0] of the nominal value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), unit, (ms, r) => {
        const j = jitter(ms, () => r);
        return j >= Math.floor(ms * 0.75) && j <= ms;
      }),
    );
  });

  it('reaches both ends of the range', () => {
    expect(jitter(1000, () => 0)).toBe(750);
    expect(jitter(1000, () => 0.999999)).toBe(1000);
  });

  it('clamps a misbehaving random source into the range', () => {
    expect(jitter(1000, () => -3)).toBe(750);
    expect(jitter(1000, () => 7)).toBe(1000);
  });
});

describe('keepalive interval (RFC 4271 §4.4)', () => {
  it.each([
    { hold: 90, configured: undefined, want: 30_000 },
    { hold: 3, configured: undefined, want: 1_000 },
    { hold: 10, configured: undefined, want: 3_333 },
    { hold: 90, configured: 10, want: 10_000 },
    { hold: 9, configured: 10, want: 3_000 },
    { hold: 0, configured: 10, want: 0 },
  ])('hold $hold s, configured $configured s -> $want ms', ({ hold, configured, want }) => {
    expect(keepaliveIntervalMs(hold, configured)).toBe(want);
  });

  it('never goes below one second once jittered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 100_000 }), unit, (interval, r) => {
        const d = jitteredKeepaliveMs(interval, () => r);
        return d >= MIN_KEEPALIVE_INTERVAL_MS && d <= interval;
      }),
    );
  });
});

describe('IdleHoldTimer back-off', () => {
  const policy = { minMs: 1000, maxMs: 60_000, amnesiaMs: 300_000 };

  it('doubles from the minimum up to the cap', () => {
    const top = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => idleHoldDelayMs(n, policy, top))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('is jittered within [0.75, 1.0] of the doubled value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), unit, (failures, r) => {
        const nominal = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(failures - 1, 52));
        const d = idleHoldDelayMs(failures, policy, () => r);
        return d >= Math.floor(nominal * 0.75) && d <= nominal;
      }),
    );
  });

  it('forgets earlier failures after a quiet period (error amnesia)', () => {
    expect(countFailure(5, 1000, 1000 + policy.amnesiaMs, policy)).toBe(6);
    expect(countFailure(5, 1000, 1001 + policy.amnesiaMs, policy)).toBe(1);
    expect(countFailure(0, undefined, 0, policy)).toBe(1);
  });
});

/** Connect, then fail `n` times at the given times; returns the IdleHoldTimer durations asked for. */
function failRepeatedly(times: number[]): { delays: number[]; state: FsmState } {
  let s = run(initialState(makeConfig()), [{ type: 'ManualStart' }]).state;
  const delays: number[] = [];
  for (const now of times) {
    const conn = s.connections[0]?.id ?? 0;
    const failed = run(s, [{ type: 'TcpConnectionFails', conn }], env(now));
    delays.push(...timers(failed.actions, 'IdleHoldTimer'));
    s = run(failed.state, [{ type: 'IdleHoldTimer_Expires' }], env(now)).state;
  }
  return { delays, state: s };
}

describe('timers requested by the reducer', () => {
  it('backs off on consecutive connection failures and resets after a quiet period', () => {
    const { delays } = failRepeatedly([0, 10, 20, 30, 40, 400_000]);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 1000]);
  });

  it('caps the back-off at the configured maximum', () => {
    const { delays } = failRepeatedly(Array.from({ length: 12 }, (_, i) => i));
    expect(Math.max(...delays)).toBe(DEFAULT_IDLE_HOLD_POLICY.maxMs);
  });

  it('resets the counter on ManualStop and ManualStart', () => {
    const { state } = failRepeatedly([0, 1, 2]);
    expect(state.connectRetryCounter).toBe(3);
    const restarted = run(state, [{ type: 'ManualStop' }, { type: 'ManualStart' }]).state;
    expect(restarted.connectRetryCounter).toBe(0);
  });

  it('starts the ConnectRetryTimer jittered from the configured value', () => {
    const low = run(
      initialState(makeConfig()),
      [{ type: 'ManualStart' }],
      env(0, () => 0),
    );
    const high = run(
      initialState(makeConfig()),
      [{ type: 'ManualStart' }],
      env(0, () => 0.999999),
    );
    expect(timers(low.actions, 'ConnectRetryTimer')).toEqual([90_000]);
    expect(timers(high.actions, 'ConnectRetryTimer')).toEqual([120_000]);
  });

  it('uses the large OpenSent HoldTimer (4 minutes), unjittered', () => {
    const r = run(
      initialState(makeConfig()),
      [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked', conn: 1 }],
      env(0, () => 0),
    );
    expect(timers(r.actions, 'HoldTimer')).toEqual([240_000]);
  });

  it('negotiates the smaller hold time and keepalives at a third of it', () => {
    const s = SCENARIOS.OpenSent?.() as FsmState;
    const r = run(s, [{ type: 'BGPOpen', conn: 1, open: makePeerOpen({ holdTime: 30 }) }]);
    expect(timers(r.actions, 'HoldTimer')).toEqual([30_000]);
    expect(timers(r.actions, 'KeepaliveTimer')).toEqual([10_000]);
    expect(r.state.connections[0]?.negotiated?.holdTimeS).toBe(30);
  });

  it('keeps our hold time when the peer proposes a larger one', () => {
    const s = SCENARIOS.OpenSent?.() as FsmState;
    const r = run(s, [{ type: 'BGPOpen', conn: 1, open: makePeerOpen({ holdTime: 240 }) }]);
    expect(timers(r.actions, 'HoldTimer')).toEqual([90_000]);
  });

  it('uses no HoldTimer and no KeepaliveTimer when the hold time is 0', () => {
    const s = SCENARIOS.OpenSent?.() as FsmState;
    const r = run(s, [
      { type: 'BGPOpen', conn: 1, open: makePeerOpen({ holdTime: 0 }) },
      { type: 'KeepAliveMsg', conn: 1 },
    ]);
    expect(timers(r.actions, 'HoldTimer')).toEqual([]);
    expect(timers(r.actions, 'KeepaliveTimer')).toEqual([]);
    expect(ofType(r.actions, 'stopTimer').filter((a) => a.timer === 'HoldTimer')).not.toEqual([]);
    expect(stateOf(r.state)).toBe('Established');
  });

  it('restarts the HoldTimer on KEEPALIVE and UPDATE, and the KeepaliveTimer when we send an UPDATE', () => {
    const s = SCENARIOS.Established?.() as FsmState;
    expect(timers(run(s, [{ type: 'KeepAliveMsg', conn: 1 }]).actions, 'HoldTimer')).toEqual([90_000]);
    const update = { type: 'update', withdrawn: [], attributes: [], nlri: [] } as const;
    const r = run(s, [{ type: 'UpdateMsg', conn: 1, message: update }]);
    expect(timers(r.actions, 'HoldTimer')).toEqual([90_000]);
    expect(ofType(r.actions, 'deliver')).toEqual([{ type: 'deliver', conn: 1, message: update }]);
    expect(timers(run(s, [{ type: 'UpdateSent', conn: 1 }]).actions, 'KeepaliveTimer')).toEqual([30_000]);
  });

  it('uses a configured keepalive interval', () => {
    const s = run(initialState(makeConfig({ keepaliveTimeS: 5 })), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
    ]).state;
    const r = run(s, [{ type: 'BGPOpen', conn: 1, open: makePeerOpen() }]);
    expect(timers(r.actions, 'KeepaliveTimer')).toEqual([5_000]);
  });
});
