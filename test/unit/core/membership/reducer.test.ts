import { describe, expect, it } from 'vitest';
import {
  createMembership,
  liveMembers,
  nextWakeup,
  step,
  type MembershipAction,
  type MembershipEvent,
  type MembershipState,
  type Message,
  type Update,
} from '../../../../src/core/membership/index.js';

const CONFIG = {
  probeIntervalMs: 200,
  probeTimeoutMs: 50,
  indirectTimeoutMs: 100,
  suspicionTimeoutMs: 300,
  indirectChecks: 2,
};
const PEERS = ['a', 'b', 'c', 'd'].map((name) => ({ name, address: `192.0.2.${name.charCodeAt(0) - 96}` }));

/** A reducer driven by a fake clock, recording every action. */
class Harness {
  state: MembershipState;
  now = 0;
  log: { at: number; action: MembershipAction }[] = [];
  constructor(self = 'a', config: object = CONFIG) {
    this.state = createMembership({ self, incarnation: 0, seed: 42, now: 0, config });
    this.apply({ type: 'peerSetChanged', peers: PEERS });
  }
  apply(event: MembershipEvent): MembershipAction[] {
    const r = step(this.state, event, this.now);
    this.state = r.state;
    for (const action of r.actions) this.log.push({ at: this.now, action });
    return [...r.actions];
  }
  receive(from: string, type: Message['type'], extra: Partial<Message> = {}): MembershipAction[] {
    return this.apply({
      type: 'messageReceived',
      message: { type, from, incarnation: 0, seq: 0, updates: [], ...extra },
    });
  }
  /** Advances the clock tick by tick (5 ms) to `until`. */
  runTo(until: number, answer?: (a: MembershipAction) => void): void {
    while (this.now < until) {
      this.now = Math.min(until, this.now + 5);
      for (const a of this.apply({ type: 'tick' })) answer?.(a);
    }
  }
  sends(type?: Message['type']): { to: string; message: Message }[] {
    return this.log.flatMap(({ action: a }) =>
      a.type === 'send' && (type === undefined || a.message.type === type)
        ? [{ to: a.to, message: a.message }]
        : [],
    );
  }
  events(): { at: number; action: MembershipAction }[] {
    return this.log.filter((l) => l.action.type !== 'send');
  }
}

/** Answers every ping from `a` on behalf of every peer except the silent ones. */
function responder(h: Harness, silent: Set<string>): (a: MembershipAction) => void {
  return (a) => {
    if (a.type !== 'send' || silent.has(a.to)) return;
    if (a.message.type === 'ping') h.receive(a.to, 'ack', { seq: a.message.seq });
  };
}

describe('membership reducer', () => {
  it('admits listed peers as up, ignores self, and is deterministic', () => {
    const h = new Harness();
    expect(h.events().map((e) => e.action)).toEqual(
      ['b', 'c', 'd'].map((name) => ({ type: 'memberUp', name })),
    );
    expect(liveMembers(h.state).sort()).toEqual(['a', 'b', 'c', 'd']);
    const again = new Harness();
    h.runTo(2000, responder(h, new Set()));
    again.runTo(2000, responder(again, new Set()));
    expect(again.log).toEqual(h.log);
  });

  it('probes one member per period and stays quiet when everyone answers', () => {
    const h = new Harness();
    h.runTo(2000, responder(h, new Set()));
    const pings = h.sends('ping');
    expect(pings.length).toBeGreaterThanOrEqual(9);
    expect(pings.length).toBeLessThanOrEqual(11);
    expect(new Set(pings.map((p) => p.to))).toEqual(new Set(['b', 'c', 'd']));
    expect(h.sends('ping-req')).toEqual([]);
    expect(h.events()).toHaveLength(3);
  });

  it('detects a silent peer: ping-req after the probe timeout, suspect, then down after the suspicion timeout', () => {
    const h = new Harness();
    const silent = new Set(['c']);
    h.runTo(3000, responder(h, silent));
    const firstPing = h.log.find(
      (l) => l.action.type === 'send' && l.action.to === 'c' && l.action.message.type === 'ping',
    )!;
    const pingReqs = h.sends('ping-req');
    expect(pingReqs.length).toBe(2);
    expect(pingReqs.every((p) => p.message.target === 'c' && p.to !== 'c')).toBe(true);
    const down = h.events().filter((e) => e.action.type === 'memberDown');
    expect(down.map((e) => e.action)).toEqual([{ type: 'memberDown', name: 'c' }]);
    const bound = CONFIG.probeTimeoutMs + CONFIG.indirectTimeoutMs + CONFIG.suspicionTimeoutMs;
    expect(down[0]!.at - firstPing.at).toBeGreaterThanOrEqual(bound);
    expect(down[0]!.at - firstPing.at).toBeLessThanOrEqual(bound + 10);
    // The suspect was told directly so it could refute, and the death is gossiped.
    expect(h.sends('gossip').some((g) => g.to === 'c' && g.message.updates[0]?.kind === 'suspect')).toBe(
      true,
    );
    expect(
      h.sends('gossip').some((g) => g.message.updates.some((u) => u.kind === 'dead' && u.name === 'c')),
    ).toBe(true);
    expect(liveMembers(h.state).sort()).toEqual(['a', 'b', 'd']);
  });

  it('an ack relayed by a helper clears the probe (no suspicion)', () => {
    const h = new Harness();
    h.runTo(3000, (a) => {
      if (a.type !== 'send') return;
      if (a.message.type === 'ping' && a.to !== 'c') h.receive(a.to, 'ack', { seq: a.message.seq });
      if (a.message.type === 'ping-req') h.receive(a.to, 'ack', { seq: a.message.seq });
    });
    expect(h.sends('ping-req').length).toBeGreaterThan(0);
    expect(h.events()).toHaveLength(3);
  });

  it('a suspect that refutes with a higher incarnation is not declared down', () => {
    const h = new Harness();
    let incarnation = 0;
    h.runTo(3000, (a) => {
      const suspicion = a.type === 'send' && a.to === 'c' && a.message.type === 'gossip';
      if (suspicion && a.message.updates[0]?.kind === 'suspect') {
        incarnation = a.message.updates[0].incarnation + 1;
        h.receive('c', 'gossip', { incarnation, updates: [{ kind: 'alive', name: 'c', incarnation }] });
      } else responder(h, new Set(['c']))(a);
    });
    expect(incarnation).toBeGreaterThanOrEqual(1);
    expect(h.state.members.get('c')).toMatchObject({ status: 'alive', incarnation });
    expect(h.events().some((e) => e.action.type === 'memberDown' && e.action.name === 'c')).toBe(false);
  });

  it('refutes suspicion about itself by raising its incarnation and gossiping alive', () => {
    const h = new Harness();
    h.receive('b', 'gossip', { updates: [{ kind: 'suspect', name: 'a', incarnation: 0 }] });
    expect(h.state.incarnation).toBe(1);
    const [ack] = h.receive('b', 'ping', { seq: 7 });
    expect(ack).toMatchObject({ type: 'send', to: 'b', message: { type: 'ack', seq: 7, incarnation: 1 } });
    expect((ack as { message: Message }).message.updates).toContainEqual({
      kind: 'alive',
      name: 'a',
      incarnation: 1,
    });
    // Old news (a lower incarnation) does not make it bump again.
    h.receive('b', 'gossip', { updates: [{ kind: 'dead', name: 'a', incarnation: 0 }] });
    expect(h.state.incarnation).toBe(1);
  });

  it.each<{ name: string; updates: Update[]; want: MembershipAction[] }>([
    {
      name: 'leave is handled at once',
      updates: [{ kind: 'left', name: 'c', incarnation: 0 }],
      want: [{ type: 'memberLeft', name: 'c', reason: 'leave' }],
    },
    {
      name: 'dead gossip reports down',
      updates: [{ kind: 'dead', name: 'c', incarnation: 0 }],
      want: [{ type: 'memberDown', name: 'c' }],
    },
    {
      name: 'suspect gossip alone reports nothing yet',
      updates: [{ kind: 'suspect', name: 'c', incarnation: 0 }],
      want: [],
    },
    {
      name: 'stale dead (lower incarnation) is ignored',
      updates: [
        { kind: 'alive', name: 'c', incarnation: 3 },
        { kind: 'dead', name: 'c', incarnation: 2 },
      ],
      want: [],
    },
    {
      name: 'unknown members are ignored',
      updates: [{ kind: 'dead', name: 'zz', incarnation: 9 }],
      want: [],
    },
  ])('gossip: $name', ({ updates, want }) => {
    const h = new Harness();
    const actions = h.receive('b', 'gossip', { updates }).filter((a) => a.type !== 'send');
    expect(actions).toEqual(want);
  });

  it('a left member is no longer probed', () => {
    const h = new Harness();
    h.receive('b', 'gossip', { updates: [{ kind: 'left', name: 'c', incarnation: 0 }] });
    h.runTo(2000, responder(h, new Set()));
    expect(h.sends('ping').some((p) => p.to === 'c')).toBe(false);
  });

  it('graceful leave tells every member at once, then goes quiet', () => {
    const h = new Harness();
    const actions = h.apply({ type: 'leave' });
    expect(actions.map((a) => (a.type === 'send' ? a.to : a.type)).sort()).toEqual(['b', 'c', 'd']);
    for (const a of actions) {
      expect(a).toMatchObject({
        type: 'send',
        message: { type: 'gossip', updates: [{ kind: 'left', name: 'a' }] },
      });
    }
    expect(h.receive('b', 'ping', { seq: 1 })).toEqual([]);
    h.runTo(1000);
    expect(h.log.length).toBe(3 + 3);
  });

  it('adds new peers, updates addresses and drops removed ones', () => {
    const h = new Harness();
    const actions = h.apply({
      type: 'peerSetChanged',
      peers: [
        { name: 'a', address: '192.0.2.1' },
        { name: 'b', address: '192.0.2.99' },
        { name: 'e', address: '192.0.2.5' },
      ],
    });
    expect(actions).toEqual([
      { type: 'memberLeft', name: 'c', reason: 'removed' },
      { type: 'memberLeft', name: 'd', reason: 'removed' },
      { type: 'memberUp', name: 'e' },
    ]);
    expect([...h.state.members.keys()].sort()).toEqual(['b', 'e']);
    expect(h.state.members.get('b')?.address).toBe('192.0.2.99');
    h.runTo(1000, responder(h, new Set()));
    expect(new Set(h.sends('ping').map((p) => p.to))).toEqual(new Set(['b', 'e']));
  });

  it('answers ping with ack, relays ping-req and forwards the ack with the requester sequence', () => {
    const h = new Harness();
    expect(h.receive('b', 'ping', { seq: 11 })).toMatchObject([
      { type: 'send', to: 'b', message: { type: 'ack', seq: 11 } },
    ]);
    const [relay] = h.receive('b', 'ping-req', { seq: 21, target: 'd' });
    expect(relay).toMatchObject({ type: 'send', to: 'd', message: { type: 'ping' } });
    const relaySeq = (relay as { message: Message }).message.seq;
    expect(h.receive('d', 'ack', { seq: relaySeq })).toMatchObject([
      { type: 'send', to: 'b', message: { type: 'ack', seq: 21 } },
    ]);
    // A second (duplicate or replayed) ack is not forwarded again.
    expect(h.receive('d', 'ack', { seq: relaySeq })).toEqual([]);
  });

  it('drops messages from unknown senders and stale incarnations (replay protection)', () => {
    const h = new Harness();
    h.receive('b', 'gossip', { incarnation: 5 });
    expect(h.state.members.get('b')?.incarnation).toBe(5);
    expect(h.receive('b', 'ping', { seq: 1, incarnation: 4 })).toEqual([]);
    expect(h.receive('stranger', 'ping', { seq: 1 })).toEqual([]);
  });

  it('tells a member it declared dead, so the member can refute', () => {
    const h = new Harness();
    h.receive('b', 'gossip', { updates: [{ kind: 'dead', name: 'c', incarnation: 0 }] });
    const actions = h.receive('c', 'ping', { seq: 3 });
    expect(actions).toMatchObject([
      {
        type: 'send',
        to: 'c',
        message: { type: 'gossip', updates: [{ kind: 'dead', name: 'c', incarnation: 0 }] },
      },
    ]);
    const back = h.receive('c', 'gossip', { incarnation: 1 });
    expect(back.filter((a) => a.type !== 'send')).toEqual([{ type: 'memberUp', name: 'c' }]);
  });

  it('tells a member that comes back with a new incarnation which members failed', () => {
    const h = new Harness();
    h.receive('b', 'gossip', { updates: [{ kind: 'dead', name: 'd', incarnation: 0 }] });
    const actions = h.receive('c', 'gossip', { incarnation: 1000 });
    expect(actions).toContainEqual(
      expect.objectContaining({
        type: 'send',
        to: 'c',
        message: expect.objectContaining({
          updates: expect.arrayContaining([{ kind: 'dead', name: 'd', incarnation: 0 }]),
        }),
      }),
    );
  });

  it('nextWakeup points at the next thing to do', () => {
    const h = new Harness();
    expect(nextWakeup(h.state)).toBe(h.state.nextProbeAt);
    h.now = h.state.nextProbeAt;
    h.apply({ type: 'tick' });
    expect(h.state.probe).toBeDefined();
    expect(nextWakeup(h.state)).toBe(h.state.probe!.startedAt + CONFIG.probeTimeoutMs);
    h.receive('b', 'gossip', { updates: [{ kind: 'suspect', name: 'd', incarnation: 0 }] });
    expect(h.state.suspicions.get('d')).toBe(h.now + CONFIG.suspicionTimeoutMs);
  });

  it('keeps probing after the wall clock jumps backwards', () => {
    const h = new Harness();
    h.now = 100_000;
    h.runTo(101_000, responder(h, new Set()));
    const before = h.sends('ping').length;
    h.now = 50_000;
    h.runTo(51_000, responder(h, new Set()));
    expect(h.sends('ping').length - before).toBeGreaterThanOrEqual(4);
  });

  it('a member alone drops news it cannot tell anyone (no busy wake-ups)', () => {
    const h = new Harness();
    h.apply({ type: 'peerSetChanged', peers: [] });
    h.receive('b', 'gossip');
    h.apply({ type: 'peerSetChanged', peers: [] });
    h.state = { ...h.state, queue: [{ update: { kind: 'alive', name: 'a', incarnation: 1 }, remaining: 3 }] };
    h.runTo(h.now + 100);
    expect(h.state.queue).toEqual([]);
    expect(nextWakeup(h.state)).toBe(h.state.nextProbeAt);
    expect(nextWakeup(h.state)).toBeGreaterThan(h.now);
  });

  it('piggybacks only what fits next to explicit updates, without spending the rest', () => {
    const h = new Harness('a', { ...CONFIG, maxUpdatesPerMessage: 1 });
    h.receive('b', 'gossip', {
      updates: [
        { kind: 'dead', name: 'c', incarnation: 0 },
        { kind: 'dead', name: 'd', incarnation: 0 },
      ],
    });
    const remaining = (n: string): number | undefined =>
      h.state.queue.find((q) => q.update.name === n)?.remaining;
    const [c, d] = [remaining('c'), remaining('d')];
    const actions = h.receive('c', 'ping', { seq: 1 });
    expect(actions).toMatchObject([
      {
        type: 'send',
        to: 'c',
        message: { type: 'gossip', updates: [{ kind: 'dead', name: 'c', incarnation: 0 }] },
      },
    ]);
    expect([remaining('c'), remaining('d')]).toEqual([c, d]);
  });
});
