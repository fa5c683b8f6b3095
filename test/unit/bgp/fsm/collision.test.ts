/**
 * Connection collisions (RFC 4271 §6.8, RFC 6286 §2.3): the pure decision, the reducer's handling of two
 * connections to one peer, and two simulated speakers that connect to each other at the same moment.
 */
import { describe, expect, it } from 'vitest';

import { CeaseSubcode, ErrorCode } from '../../../../src/bgp/constants.js';
import { collisionSurvivor } from '../../../../src/bgp/fsm/collision.js';
import { initialState } from '../../../../src/bgp/fsm/reducer.js';
import type { FsmState } from '../../../../src/bgp/fsm/types.js';
import {
  env,
  LOCAL_AS,
  LOCAL_ID,
  makeConfig,
  makePeerOpen,
  notificationsSent,
  ofType,
  PEER_AS,
  PEER_ID,
  run,
  SCENARIOS,
  stateOf,
} from './helpers.js';
import { Sim } from './sim.js';

const COLLISION: [number, number] = [ErrorCode.CEASE, CeaseSubcode.CONNECTION_COLLISION_RESOLUTION];

describe('collisionSurvivor', () => {
  it.each([
    { name: 'higher local id keeps ours', local: 2, remote: 1, localAs: 1, remoteAs: 1, want: 'outbound' },
    { name: 'lower local id keeps theirs', local: 1, remote: 2, localAs: 1, remoteAs: 1, want: 'inbound' },
    { name: 'ids compare unsigned', local: 0x80000000, remote: 1, localAs: 1, remoteAs: 1, want: 'outbound' },
    {
      name: 'equal ids: larger local AS keeps ours',
      local: 7,
      remote: 7,
      localAs: 65002,
      remoteAs: 65001,
      want: 'outbound',
    },
    {
      name: 'equal ids: smaller local AS keeps theirs',
      local: 7,
      remote: 7,
      localAs: 65001,
      remoteAs: 65002,
      want: 'inbound',
    },
  ] as const)('$name', ({ local, remote, localAs, remoteAs, want }) => {
    expect(collisionSurvivor({ localBgpId: local, remoteBgpId: remote, localAs, remoteAs })).toBe(want);
  });

  it('both speakers agree on the same physical connection', () => {
    for (const [x, y] of [
      [1, 2],
      [2, 1],
      [0xffffffff, 3],
    ] as const) {
      const a = collisionSurvivor({ localBgpId: x, remoteBgpId: y, localAs: 1, remoteAs: 2 });
      const b = collisionSurvivor({ localBgpId: y, remoteBgpId: x, localAs: 2, remoteAs: 1 });
      expect(a).not.toBe(b); // A's outbound is B's inbound
    }
  });
});

/** OpenSent on outbound connection 1 plus an accepted inbound connection 2. */
function twoConnections(localId: number): FsmState {
  return run(initialState(makeConfig({ bgpId: localId })), [
    { type: 'ManualStart' },
    { type: 'Tcp_CR_Acked', conn: 1 },
    { type: 'TcpConnectionConfirmed' },
  ]).state;
}

describe('collision handling in the reducer', () => {
  it('accepts a second, inbound connection while OpenSent and sends OPEN on it', () => {
    const s = twoConnections(LOCAL_ID);
    expect(s.connections.map((c) => [c.id, c.direction, c.state])).toEqual([
      [1, 'outbound', 'OpenSent'],
      [2, 'inbound', 'OpenSent'],
    ]);
  });

  it('keeps the inbound connection when the peer has the higher BGP Identifier', () => {
    const r = run(twoConnections(LOCAL_ID), [{ type: 'BGPOpen', conn: 2, open: makePeerOpen() }]);
    expect(ofType(r.actions, 'close')).toEqual([
      { type: 'close', conn: 1, notification: expect.objectContaining({ code: 6, subcode: 7 }) },
    ]);
    expect(r.state.connections.map((c) => [c.id, c.state])).toEqual([[2, 'OpenConfirm']]);
    expect(stateOf(r.state)).toBe('OpenConfirm');
  });

  it('dumps the connection that received the OPEN when ours survives', () => {
    const higher = PEER_ID + 1;
    const r = run(twoConnections(higher), [{ type: 'BGPOpen', conn: 2, open: makePeerOpen() }]);
    expect(notificationsSent(r.actions)).toEqual([COLLISION]);
    expect(ofType(r.actions, 'close').map((c) => c.conn)).toEqual([2]);
    expect(r.state.connections.map((c) => [c.id, c.state])).toEqual([[1, 'OpenSent']]);
    // The surviving connection then completes normally.
    const done = run(r.state, [
      { type: 'BGPOpen', conn: 1, open: makePeerOpen() },
      { type: 'KeepAliveMsg', conn: 1 },
    ]);
    expect(stateOf(done.state)).toBe('Established');
  });

  it('resolves against a connection in OpenConfirm too', () => {
    const s = run(twoConnections(LOCAL_ID), [{ type: 'BGPOpen', conn: 1, open: makePeerOpen() }]).state;
    // conn 1 won nothing yet: its OPEN was valid and conn 2 (inbound, OpenSent) survives the peer's higher id.
    expect(s.connections.map((c) => [c.id, c.state])).toEqual([[2, 'OpenSent']]);
  });

  it('dumps a new connection that collides with an Established session', () => {
    const established = SCENARIOS.Established?.() as FsmState;
    const r = run(established, [
      { type: 'TcpConnectionConfirmed' },
      { type: 'BGPOpen', conn: 2, open: makePeerOpen() },
    ]);
    expect(notificationsSent(r.actions)).toEqual([COLLISION]);
    expect(stateOf(r.state)).toBe('Established');
    expect(r.state.connections.map((c) => c.id)).toEqual([1]);
  });

  it('treats a new inbound connection with graceful restart as a restarted peer (RFC 4724 §4.2)', () => {
    const established = SCENARIOS.Established?.() as FsmState;
    const grOpen = makePeerOpen({}, [
      { kind: 'graceful-restart', restartState: true, notification: false, restartTime: 120, families: [] },
    ]);
    const r = run(established, [
      { type: 'TcpConnectionConfirmed' },
      { type: 'BGPOpen', conn: 2, open: grOpen },
    ]);
    expect(ofType(r.actions, 'close')).toEqual([{ type: 'close', conn: 1 }]);
    expect(ofType(r.actions, 'stateChange')).toEqual([
      { type: 'stateChange', from: 'Established', to: 'OpenConfirm', reason: { kind: 'peer-restarted' } },
    ]);
    expect(stateOf(run(r.state, [{ type: 'KeepAliveMsg', conn: 2 }]).state)).toBe('Established');
  });

  it('replaces an earlier inbound connection that is not Established', () => {
    const r = run(twoConnections(LOCAL_ID), [{ type: 'TcpConnectionConfirmed' }]);
    expect(ofType(r.actions, 'close').map((c) => c.conn)).toEqual([2]);
    expect(r.state.connections.map((c) => [c.id, c.direction])).toEqual([
      [1, 'outbound'],
      [3, 'inbound'],
    ]);
  });

  it('abandons an outbound attempt still in Connect once an inbound connection wins', () => {
    const r = run(initialState(makeConfig()), [
      { type: 'ManualStart' },
      { type: 'TcpConnectionConfirmed' },
      { type: 'BGPOpen', conn: 2, open: makePeerOpen() },
    ]);
    expect(ofType(r.actions, 'close')).toEqual([{ type: 'close', conn: 1 }]);
    expect(r.state.connections.map((c) => c.id)).toEqual([2]);
  });

  it('keeps an outbound attempt in Connect when it would win, and drops it on Established', () => {
    const r = run(initialState(makeConfig({ bgpId: PEER_ID + 5 })), [
      { type: 'ManualStart' },
      { type: 'TcpConnectionConfirmed' },
      { type: 'BGPOpen', conn: 2, open: makePeerOpen() },
    ]);
    expect(r.state.connections.map((c) => [c.id, c.state])).toEqual([
      [1, 'Connect'],
      [2, 'OpenConfirm'],
    ]);
    const est = run(r.state, [{ type: 'KeepAliveMsg', conn: 2 }]);
    expect(ofType(est.actions, 'close')).toEqual([{ type: 'close', conn: 1 }]);
    expect(stateOf(est.state)).toBe('Established');
  });
});

describe('two speakers connecting to each other at the same time', () => {
  it.each([
    { name: 'A has the higher identifier', idA: PEER_ID, idB: LOCAL_ID },
    { name: 'B has the higher identifier', idA: LOCAL_ID, idB: PEER_ID },
  ])('$name: one connection survives, both Established on it', ({ idA, idB }) => {
    const a = initialState({ ...makeConfig({ bgpId: idA }), peerAs: PEER_AS });
    const b = initialState({ ...makeConfig({ localAs: PEER_AS, bgpId: idB }), peerAs: LOCAL_AS });
    const sim = new Sim(a, b);
    sim.inject('A', { type: 'ManualStart' });
    sim.inject('B', { type: 'ManualStart' });
    sim.runFor(1000);
    expect(sim.state('A')).toBe('Established');
    expect(sim.state('B')).toBe('Established');
    expect(sim.openLinks()).toBe(1);
    const winner = idA > idB ? 'A' : 'B';
    const loser = winner === 'A' ? 'B' : 'A';
    // The winner's outbound connection carries the session on both sides.
    expect(sim.peers[winner].state.connections[0]?.direction).toBe('outbound');
    expect(sim.peers[loser].state.connections[0]?.direction).toBe('inbound');
    expect(notificationsSent(sim.actions('A')).concat(notificationsSent(sim.actions('B')))).toContainEqual(
      COLLISION,
    );
    sim.runFor(10 * 60_000);
    expect(sim.state('A')).toBe('Established');
    expect(sim.state('B')).toBe('Established');
  });

  it('reports a typed reason for every state change on the way', () => {
    const sim = new Sim(
      initialState(makeConfig()),
      initialState({ ...makeConfig({ localAs: PEER_AS, bgpId: PEER_ID }), peerAs: LOCAL_AS }),
    );
    sim.inject('A', { type: 'ManualStart' });
    sim.inject('B', { type: 'ManualStart' });
    sim.runFor(1000);
    const kinds = ofType(sim.actions('A'), 'stateChange').map((c) => `${c.from}->${c.to}:${c.reason.kind}`);
    expect(kinds[0]).toBe('Idle->Connect:manual-start');
    expect(kinds.at(-1)).toBe('OpenConfirm->Established:keepalive-received');
  });
});

it('uses the env clock only through timers (no hidden time reads)', () => {
  const a = run(initialState(makeConfig()), [{ type: 'ManualStart' }], env(5));
  const b = run(initialState(makeConfig()), [{ type: 'ManualStart' }], env(5_000_000));
  expect(a.actions).toEqual(b.actions);
});
