import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BfdDiagnostic } from '../../../../src/bgp/bfd/codec/index.js';
import {
  BfdConfigError,
  initialState,
  jitteredDelayUs,
  step,
  type BfdFsmAction,
} from '../../../../src/bgp/bfd/fsm/index.js';
import { CONFIG, LOCAL_DISCR, REMOTE_DISCR, down, init, ofType, run, rx, sent, up } from './fsm-helpers.js';

describe('BFD FSM: transmission (RFC 5880 §6.8.7)', () => {
  it('admin-up sends a Down packet at once at the 1 s slow rate and arms the jittered timer', () => {
    const result = step(initialState(CONFIG), { type: 'admin-up' }, 0);
    expect(sent(result.actions)).toEqual([
      {
        diagnostic: 0,
        state: 'Down',
        poll: false,
        final: false,
        controlPlaneIndependent: false,
        demand: false,
        detectMult: 3,
        myDiscriminator: LOCAL_DISCR,
        yourDiscriminator: 0,
        desiredMinTxUs: 1_000_000,
        requiredMinRxUs: 300_000,
        requiredMinEchoRxUs: 0,
      },
    ]);
    expect(ofType(result.actions, 'arm-tx-timer')).toEqual([
      { type: 'arm-tx-timer', intervalUs: 1_000_000, minFactor: 0.75, maxFactor: 1 },
    ]);
  });

  it('jitters to 75–90 % when Detect Mult is 1', () => {
    const result = step(initialState({ ...CONFIG, detectMult: 1 }), { type: 'admin-up' }, 0);
    expect(ofType(result.actions, 'arm-tx-timer')).toMatchObject([{ minFactor: 0.75, maxFactor: 0.9 }]);
  });

  it('jitteredDelayUs stays within the bounds for any random value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (r, mult1) => {
        const action = {
          type: 'arm-tx-timer',
          intervalUs: 300_000,
          minFactor: 0.75,
          maxFactor: mult1 ? 0.9 : 1,
        } as const;
        const delay = jitteredDelayUs(action, r);
        return delay >= 225_000 && delay <= (mult1 ? 270_000 : 300_000);
      }),
    );
    const action = { type: 'arm-tx-timer', intervalUs: 1000, minFactor: 0.75, maxFactor: 1 } as const;
    expect([jitteredDelayUs(action, 0), jitteredDelayUs(action, 0.5)]).toEqual([750, 875]);
  });

  it('the transmit interval is the larger of Desired Min TX and the remote Required Min RX', () => {
    const result = step(up(), rx({ state: 'Up', requiredMinRxUs: 2_000_000 }), 100);
    expect(result.state.txIntervalUs).toBe(2_000_000);
    expect(ofType(result.actions, 'arm-tx-timer')).toMatchObject([{ intervalUs: 2_000_000 }]);
  });

  it('each tx timer expiry sends one periodic packet and re-arms', () => {
    const result = step(up(), { type: 'tx-timer-expired' }, 500);
    expect(sent(result.actions)).toHaveLength(1);
    expect(sent(result.actions)[0]).toMatchObject({
      state: 'Up',
      yourDiscriminator: REMOTE_DISCR,
      poll: false,
    });
    expect(ofType(result.actions, 'arm-tx-timer')).toHaveLength(1);
    expect(result.state.lastTxMs).toBe(500);
  });

  it('stops sending while the remote Required Min RX is 0, but still answers a poll', () => {
    const silent = step(up(), rx({ state: 'Up', requiredMinRxUs: 0 }), 100);
    expect(ofType(silent.actions, 'cancel-tx-timer')).toHaveLength(1);
    expect(step(silent.state, { type: 'tx-timer-expired' }, 400).actions).toEqual([]);
    const polled = step(silent.state, rx({ state: 'Up', requiredMinRxUs: 0, poll: true }), 500);
    expect(sent(polled.actions)).toMatchObject([{ final: true }]);
  });

  it('honours the remote Demand bit when both are Up, unless polling (§6.8.7)', () => {
    const demand = step(up(), rx({ state: 'Up', demand: true }), 100);
    expect(ofType(demand.actions, 'cancel-tx-timer')).toHaveLength(1);
    expect(step(demand.state, { type: 'tx-timer-expired' }, 400).actions).toEqual([]);
    const polling = step(
      demand.state,
      { type: 'set-parameters', parameters: { desiredMinTxUs: 200_000 } },
      110,
    );
    expect(ofType(polling.actions, 'arm-tx-timer')).toHaveLength(1);
    const tick = step(polling.state, { type: 'tx-timer-expired' }, 400);
    expect(sent(tick.actions)).toMatchObject([{ poll: true }]);
  });

  it('resumes at once when allowed again if the last packet is an interval old', () => {
    const silent = step(up(), rx({ state: 'Up', requiredMinRxUs: 0 }), 100).state;
    const resumed = step(silent, rx({ state: 'Up' }), 5_000);
    expect(sent(resumed.actions)).toHaveLength(1);
    expect(ofType(resumed.actions, 'arm-tx-timer')).toHaveLength(1);
  });

  it('does not send early when resuming less than an interval after the last packet', () => {
    const sentAt = step(up(), { type: 'tx-timer-expired' }, 1_000).state;
    const silent = step(sentAt, rx({ state: 'Up', requiredMinRxUs: 0 }), 1_010).state;
    const resumed = step(silent, rx({ state: 'Up' }), 1_020);
    expect(sent(resumed.actions)).toEqual([]);
    expect(ofType(resumed.actions, 'arm-tx-timer')).toHaveLength(1);
  });

  it('ignores a tx timer that is not running', () => {
    const silent = step(up(), rx({ state: 'Up', requiredMinRxUs: 0 }), 100).state;
    expect(step(silent, { type: 'tx-timer-expired' }, 200).actions).toEqual([]);
  });
});

describe('BFD FSM: passive role (§6.1)', () => {
  it('sends nothing until the remote system has spoken', () => {
    const result = step(initialState({ ...CONFIG, passive: true }), { type: 'admin-up' }, 0);
    expect(result.state.sessionState).toBe('Down');
    expect(sent(result.actions)).toEqual([]);
    expect(ofType(result.actions, 'arm-tx-timer')).toEqual([]);
  });

  it('starts sending once a packet arrives, and goes silent after a detection timeout', () => {
    const passive = down({ passive: true });
    const heard = step(passive, rx({ state: 'Down' }), 10);
    expect(heard.state.sessionState).toBe('Init');
    expect(sent(heard.actions)).toMatchObject([{ state: 'Init', yourDiscriminator: REMOTE_DISCR }]);
    const lost = step(heard.state, { type: 'detect-timer-expired' }, 10_000);
    expect(lost.state.remoteDiscr).toBe(0);
    expect(ofType(lost.actions, 'cancel-tx-timer')).toHaveLength(1);
  });
});

describe('BFD FSM: detection (§6.8.4)', () => {
  it('arms the detection timer with remote Detect Mult × max(Required Min RX, remote Desired Min TX)', () => {
    const result = step(down(), rx({ state: 'Down', detectMult: 5, desiredMinTxUs: 400_000 }), 10);
    expect(ofType(result.actions, 'arm-detect-timer')).toEqual([
      { type: 'arm-detect-timer', delayUs: 2_000_000 },
    ]);
    expect(result.state.detectDeadlineMs).toBe(2_010);
  });

  it('goes Down with diagnostic 1 and forgets the remote when the detection time passes', () => {
    const result = step(up(), { type: 'detect-timer-expired' }, 5_000);
    expect(result.state).toMatchObject({
      sessionState: 'Down',
      localDiag: BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED,
      remoteDiscr: 0,
      remoteState: 'Down',
      pollActive: false,
      detectDeadlineMs: undefined,
    });
    expect(result.state.advertised.desiredMinTxUs).toBe(1_000_000);
    const next = step(result.state, { type: 'tx-timer-expired' }, 6_000);
    expect(sent(next.actions)).toMatchObject([{ state: 'Down', yourDiscriminator: 0, diagnostic: 1 }]);
  });

  it('re-arms a detection timer that fires early (stale) instead of going Down', () => {
    const s = up();
    const deadline = s.detectDeadlineMs!;
    const result = step(s, { type: 'detect-timer-expired' }, deadline - 100);
    expect(result.state.sessionState).toBe('Up');
    expect(result.actions).toEqual([{ type: 'arm-detect-timer', delayUs: 100_000 }]);
  });

  it('every accepted packet pushes the deadline out', () => {
    const s = run(up(), [[rx({ state: 'Up' }), 700]]).state;
    expect(s.detectDeadlineMs).toBe(1_600);
    expect(step(s, { type: 'detect-timer-expired' }, 1_000).state.sessionState).toBe('Up');
  });

  it('runs no detection timer when we asked for no packets and the remote sends none', () => {
    const s = init({ requiredMinRxUs: 0 });
    const result = step(s, rx({ state: 'Init', desiredMinTxUs: 0 }), 50);
    expect(result.state.detectDeadlineMs).toBeUndefined();
    expect(ofType(result.actions, 'cancel-detect-timer')).toHaveLength(1);
  });
});

describe('BFD FSM: administrative control (§6.8.16)', () => {
  const shutdown = (): { actions: BfdFsmAction[]; state: ReturnType<typeof up> } =>
    run(up(), [[{ type: 'admin-down' }, 1_000]]);

  it('sends AdminDown with diagnostic 7 at once and stops detection', () => {
    const { actions, state } = shutdown();
    expect(sent(actions)).toMatchObject([
      { state: 'AdminDown', diagnostic: BfdDiagnostic.ADMINISTRATIVELY_DOWN },
    ]);
    expect(ofType(actions, 'cancel-detect-timer')).toHaveLength(1);
    expect(state.detectDeadlineMs).toBeUndefined();
  });

  it('keeps sending AdminDown for one remote detection time, then stops', () => {
    const { state } = shutdown();
    expect(state.adminDownUntilMs).toBe(1_000 + 3 * 1_000);
    const during = step(state, { type: 'tx-timer-expired' }, 3_500);
    expect(sent(during.actions)).toMatchObject([{ state: 'AdminDown' }]);
    const after = step(during.state, { type: 'tx-timer-expired' }, 4_100);
    expect(sent(after.actions)).toEqual([]);
    expect(ofType(after.actions, 'arm-tx-timer')).toEqual([]);
    expect(after.state.txRunning).toBe(false);
  });

  it('admin-up after a shutdown restarts from Down', () => {
    const { state } = shutdown();
    const quiet = step(state, { type: 'tx-timer-expired' }, 4_100).state;
    const result = step(quiet, { type: 'admin-up' }, 10_000);
    expect(result.state.sessionState).toBe('Down');
    expect(result.state.adminDownUntilMs).toBeUndefined();
    expect(sent(result.actions)).toMatchObject([{ state: 'Down', diagnostic: 0 }]);
  });
});

describe('BFD FSM: configuration', () => {
  it.each([
    { field: 'localDiscriminator', config: { localDiscriminator: 0 } },
    { field: 'localDiscriminator', config: { localDiscriminator: 2 ** 32 } },
    { field: 'desiredMinTxUs', config: { desiredMinTxUs: 0 } },
    { field: 'requiredMinRxUs', config: { requiredMinRxUs: -1 } },
    { field: 'detectMult', config: { detectMult: 0 } },
    { field: 'detectMult', config: { detectMult: 256 } },
    { field: 'detectMult', config: { detectMult: 2.5 } },
  ])('rejects $field in $config', ({ field, config }) => {
    expect(() => initialState({ ...CONFIG, ...config })).toThrowError(
      expect.objectContaining({ name: 'BfdConfigError', field }),
    );
  });

  it('rejects bad parameter changes with a typed error', () => {
    expect(() => step(up(), { type: 'set-parameters', parameters: { detectMult: 0 } }, 0)).toThrow(
      BfdConfigError,
    );
  });
});
