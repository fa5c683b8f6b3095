import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createMembership,
  nextWakeup,
  step,
  type MembershipEvent,
  type MembershipState,
  type Update,
} from '../../../../src/core/membership/index.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const name = fc.constantFrom(...NAMES);
const update: fc.Arbitrary<Update> = fc.record({
  kind: fc.constantFrom('alive', 'suspect', 'dead', 'left'),
  name,
  incarnation: fc.integer({ min: 0, max: 4 }),
});
const event: fc.Arbitrary<{ dt: number; event: MembershipEvent }> = fc.record({
  dt: fc.integer({ min: 0, max: 300 }),
  event: fc.oneof(
    {
      weight: 1,
      arbitrary: fc
        .subarray(NAMES)
        .map((ns) => ({ type: 'peerSetChanged' as const, peers: ns.map((n) => ({ name: n, address: n })) })),
    },
    { weight: 4, arbitrary: fc.constant({ type: 'tick' as const }) },
    { weight: 1, arbitrary: fc.constant({ type: 'leave' as const }) },
    {
      weight: 6,
      arbitrary: fc
        .record({
          type: fc.constantFrom('ping', 'ack', 'ping-req', 'gossip'),
          from: name,
          incarnation: fc.integer({ min: 0, max: 4 }),
          seq: fc.integer({ min: 0, max: 5 }),
          target: name,
          updates: fc.array(update, { maxLength: 4 }),
        })
        .map((m) => ({ type: 'messageReceived' as const, message: m })),
    },
  ),
});

function checkInvariants(s: MembershipState, now: number): void {
  expect(s.members.has(s.self)).toBe(false);
  for (const [n] of s.suspicions) expect(s.members.get(n)?.status).toBe('suspect');
  for (const m of s.members.values()) if (m.status === 'suspect') expect(s.suspicions.has(m.name)).toBe(true);
  expect(s.ring[s.ringIndex]).toBe(s.self);
  for (const n of s.ring) if (n !== s.self) expect(['alive', 'suspect']).toContain(s.members.get(n)?.status);
  if (!s.left) expect(nextWakeup(s)).toBeLessThanOrEqual(Math.max(now, s.nextProbeAt));
}

describe('membership reducer (property)', () => {
  it('never throws, never mutates its input, keeps its invariants, and never reports itself', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        let state = createMembership({ self: 'a', incarnation: 0, seed: 1, now: 0 });
        let now = 0;
        for (const { dt, event: e } of events) {
          now += dt;
          const frozen = JSON.stringify([...state.members]);
          const r = step(state, e, now);
          expect(JSON.stringify([...state.members])).toBe(frozen);
          for (const a of r.actions) {
            if (a.type === 'send') expect(a.to).not.toBe('a');
            else expect(a.name).not.toBe('a');
          }
          state = r.state;
          checkInvariants(state, now);
        }
      }),
      { numRuns: 300 },
    );
  });
});
