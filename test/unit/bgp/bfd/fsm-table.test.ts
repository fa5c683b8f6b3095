import { describe, expect, it } from 'vitest';
import type { BfdState } from '../../../../src/bgp/bfd/codec/index.js';
import { BfdDiagnostic } from '../../../../src/bgp/bfd/codec/index.js';
import { initialState, step, type BfdFsmEvent, type BfdFsmState } from '../../../../src/bgp/bfd/fsm/index.js';
import { CONFIG, adminDown, down, init, ofType, rx, up } from './fsm-helpers.js';

const STATES: Record<BfdState, () => BfdFsmState> = { AdminDown: adminDown, Down: down, Init: init, Up: up };
const LATE = 100_000;

const EVENTS: Record<string, BfdFsmEvent> = {
  'rx AdminDown': rx({ state: 'AdminDown' }),
  'rx Down': rx({ state: 'Down' }),
  'rx Init': rx({ state: 'Init' }),
  'rx Up': rx({ state: 'Up' }),
  'detect-timer-expired': { type: 'detect-timer-expired' },
  'tx-timer-expired': { type: 'tx-timer-expired' },
  'admin-up': { type: 'admin-up' },
  'admin-down': { type: 'admin-down' },
  'set-parameters': { type: 'set-parameters', parameters: { desiredMinTxUs: 500_000 } },
};

const { NO_DIAGNOSTIC: NONE, CONTROL_DETECTION_TIME_EXPIRED: EXPIRED } = BfdDiagnostic;
const { NEIGHBOR_SIGNALED_SESSION_DOWN: NEIGHBOR, ADMINISTRATIVELY_DOWN: ADMIN } = BfdDiagnostic;

/** RFC 5880 §6.2 / §6.8.6 / §6.8.4 / §6.8.16: [local state, event, next state, bfd.LocalDiag after]. */
const TABLE: ReadonlyArray<readonly [BfdState, string, BfdState, number]> = [
  ['AdminDown', 'rx AdminDown', 'AdminDown', ADMIN],
  ['AdminDown', 'rx Down', 'AdminDown', ADMIN],
  ['AdminDown', 'rx Init', 'AdminDown', ADMIN],
  ['AdminDown', 'rx Up', 'AdminDown', ADMIN],
  ['AdminDown', 'detect-timer-expired', 'AdminDown', ADMIN],
  ['AdminDown', 'tx-timer-expired', 'AdminDown', ADMIN],
  ['AdminDown', 'admin-up', 'Down', NONE],
  ['AdminDown', 'admin-down', 'AdminDown', ADMIN],
  ['AdminDown', 'set-parameters', 'AdminDown', ADMIN],
  ['Down', 'rx AdminDown', 'Down', NONE],
  ['Down', 'rx Down', 'Init', NONE],
  ['Down', 'rx Init', 'Up', NONE],
  ['Down', 'rx Up', 'Down', NONE],
  ['Down', 'detect-timer-expired', 'Down', NONE],
  ['Down', 'tx-timer-expired', 'Down', NONE],
  ['Down', 'admin-up', 'Down', NONE],
  ['Down', 'admin-down', 'AdminDown', ADMIN],
  ['Down', 'set-parameters', 'Down', NONE],
  ['Init', 'rx AdminDown', 'Down', NEIGHBOR],
  ['Init', 'rx Down', 'Init', NONE],
  ['Init', 'rx Init', 'Up', NONE],
  ['Init', 'rx Up', 'Up', NONE],
  ['Init', 'detect-timer-expired', 'Down', EXPIRED],
  ['Init', 'tx-timer-expired', 'Init', NONE],
  ['Init', 'admin-up', 'Init', NONE],
  ['Init', 'admin-down', 'AdminDown', ADMIN],
  ['Init', 'set-parameters', 'Init', NONE],
  ['Up', 'rx AdminDown', 'Down', NEIGHBOR],
  ['Up', 'rx Down', 'Down', NEIGHBOR],
  ['Up', 'rx Init', 'Up', NONE],
  ['Up', 'rx Up', 'Up', NONE],
  ['Up', 'detect-timer-expired', 'Down', EXPIRED],
  ['Up', 'tx-timer-expired', 'Up', NONE],
  ['Up', 'admin-up', 'Up', NONE],
  ['Up', 'admin-down', 'AdminDown', ADMIN],
  ['Up', 'set-parameters', 'Up', NONE],
];

describe('BFD FSM: every state × event', () => {
  it('covers every state and every event', () => {
    expect(TABLE).toHaveLength(Object.keys(STATES).length * Object.keys(EVENTS).length);
  });

  it.each(TABLE.map(([from, event, to, diagnostic]) => ({ from, event, to, diagnostic })))(
    '$from + $event → $to (diag $diagnostic)',
    ({ from, event, to, diagnostic }) => {
      const before = STATES[from]();
      expect(before.sessionState).toBe(from);
      const result = step(before, EVENTS[event]!, LATE);
      expect(result.state.sessionState).toBe(to);
      expect(result.state.localDiag).toBe(diagnostic);
      const changes = ofType(result.actions, 'state-change');
      if (to === from) {
        expect(changes).toEqual([]);
      } else {
        expect(changes).toEqual([
          { type: 'state-change', from, to, diagnostic, remoteState: expect.any(String) },
        ]);
      }
    },
  );

  it('starts administratively down and silent', () => {
    const s = initialState(CONFIG);
    expect(s.sessionState).toBe('AdminDown');
    expect(step(s, { type: 'tx-timer-expired' }, 0).actions).toEqual([]);
  });

  it('reports the remote state with a change (RFC 5882 §3.2: AdminDown from the peer is not a failure)', () => {
    const result = step(up(), rx({ state: 'AdminDown', diagnostic: ADMIN }), 50);
    expect(ofType(result.actions, 'state-change')).toEqual([
      { type: 'state-change', from: 'Up', to: 'Down', diagnostic: NEIGHBOR, remoteState: 'AdminDown' },
    ]);
  });

  it('discards packets in AdminDown after recording the remote variables (§6.8.6 order)', () => {
    const result = step(adminDown(), rx({ state: 'Up', requiredMinRxUs: 700_000 }), 50);
    expect(ofType(result.actions, 'discard')).toEqual([{ type: 'discard', reason: 'session-admin-down' }]);
    expect(result.state.remoteMinRxUs).toBe(700_000);
    expect(ofType(result.actions, 'arm-detect-timer')).toEqual([]);
  });

  it('discards packets with the A bit: no authentication is configured (§6.8.6)', () => {
    const before = init();
    const result = step(
      before,
      rx({ state: 'Up', auth: { type: 1, data: new Uint8Array([1, 0x61, 0x62]) } }),
      50,
    );
    expect(result.state).toEqual(before);
    expect(result.actions).toEqual([{ type: 'discard', reason: 'authentication-not-configured' }]);
  });
});
