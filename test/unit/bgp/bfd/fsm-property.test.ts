import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BFD_SLOW_TX_INTERVAL_US, encodeControlPacket } from '../../../../src/bgp/bfd/codec/index.js';
import {
  initialState,
  mayTransmitPeriodically,
  step,
  type BfdFsmEvent,
  type BfdFsmState,
} from '../../../../src/bgp/bfd/fsm/index.js';
import { CONFIG, remote } from './fsm-helpers.js';

const interval = fc.constantFrom(0, 10_000, 300_000, 1_000_000, 3_000_000);
const positiveInterval = fc.constantFrom(10_000, 100_000, 300_000, 2_000_000);

const packetEvent: fc.Arbitrary<BfdFsmEvent> = fc
  .record({
    state: fc.constantFrom('AdminDown', 'Down', 'Init', 'Up' as const),
    poll: fc.boolean(),
    final: fc.boolean(),
    demand: fc.boolean(),
    detectMult: fc.integer({ min: 1, max: 5 }),
    desiredMinTxUs: interval,
    requiredMinRxUs: interval,
    withAuth: fc.boolean(),
  })
  .map(({ withAuth, ...fields }) => ({
    type: 'packet-received',
    packet: remote({
      ...fields,
      ...(withAuth ? { auth: { type: 1, data: new Uint8Array([1, 0x70]) } } : {}),
    }),
  }));

const event: fc.Arbitrary<BfdFsmEvent> = fc.oneof(
  { weight: 6, arbitrary: packetEvent },
  { weight: 3, arbitrary: fc.constant<BfdFsmEvent>({ type: 'tx-timer-expired' }) },
  { weight: 2, arbitrary: fc.constant<BfdFsmEvent>({ type: 'detect-timer-expired' }) },
  { weight: 1, arbitrary: fc.constantFrom<BfdFsmEvent>({ type: 'admin-up' }, { type: 'admin-down' }) },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          desiredMinTxUs: positiveInterval,
          requiredMinRxUs: interval,
          detectMult: fc.integer({ min: 1, max: 5 }),
        },
        { requiredKeys: [] },
      )
      .map((parameters): BfdFsmEvent => ({ type: 'set-parameters', parameters })),
  },
);

function checkInvariants(
  before: BfdFsmState,
  after: BfdFsmState,
  actions: ReturnType<typeof step>['actions'],
): void {
  let current = before.sessionState;
  for (const action of actions) {
    if (action.type === 'send') {
      expect(action.packet.poll && action.packet.final).toBe(false);
      expect(() => encodeControlPacket(action.packet)).not.toThrow();
    }
    if (action.type === 'state-change') {
      expect(action.from).toBe(current);
      expect(action.to).not.toBe(current);
      if (action.to === 'Up') expect(['Down', 'Init']).toContain(action.from);
      current = action.to;
    }
  }
  expect(after.sessionState).toBe(current);
  if (after.pollActive) expect(after.sessionState).toBe('Up');
  if (!after.pollActive) expect(after.inUse).toEqual(after.advertised);
  if (after.sessionState !== 'Up')
    expect(after.advertised.desiredMinTxUs).toBeGreaterThanOrEqual(BFD_SLOW_TX_INTERVAL_US);
  if (after.sessionState === 'Init' || after.sessionState === 'Up') expect(after.remoteDiscr).not.toBe(0);
  if (after.sessionState === 'AdminDown') expect(after.detectDeadlineMs).toBeUndefined();
}

describe('BFD FSM: invariants over random event sequences', () => {
  it('holds the RFC 5880 invariants after every step', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(event, fc.integer({ min: 0, max: 2_000 })), { maxLength: 60 }),
        (passive, events) => {
          let state = initialState({ ...CONFIG, passive });
          let now = 0;
          for (const [e, dt] of events) {
            now += dt;
            const result = step(state, e, now);
            checkInvariants(state, result.state, result.actions);
            if (!mayTransmitPeriodically(result.state, now)) expect(result.state.txRunning).toBe(false);
            state = result.state;
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
