/**
 * OPEN handling: the OPEN we send (capabilities, AS_TRANS, graceful restart R bit), errors in a received
 * OPEN with their exact RFC 4271 §6.2 subcodes (sent as NOTIFICATION, session to Idle), and what a valid
 * OPEN negotiates.
 */
import { describe, expect, it } from 'vitest';

import { Afi, AS_TRANS, ErrorCode, OpenSubcode, Safi } from '../../../../src/bgp/constants.js';
import {
  buildLocalOpen,
  negotiate,
  peerFamilies,
  withoutRestartState,
} from '../../../../src/bgp/fsm/open.js';
import { initialState } from '../../../../src/bgp/fsm/reducer.js';
import type { FsmState } from '../../../../src/bgp/fsm/types.js';
import type { Capability, OpenMessage } from '../../../../src/bgp/types.js';
import {
  FAMILIES,
  LOCAL_AS,
  LOCAL_ID,
  makeConfig,
  makePeerOpen,
  notificationsSent,
  ofType,
  PEER_AS,
  run,
  SCENARIOS,
  sentTypes,
  stateOf,
} from './helpers.js';

function receive(open: OpenMessage, state: FsmState = SCENARIOS.OpenSent?.() as FsmState) {
  return run(state, [{ type: 'BGPOpen', conn: 1, open }]);
}

describe('OPEN errors (RFC 4271 §6.2)', () => {
  const fourOctet = (asn: number): Capability => ({ kind: 'four-octet-as', asn });
  it.each([
    {
      name: 'version 3',
      open: makePeerOpen({ version: 3 }),
      subcode: OpenSubcode.UNSUPPORTED_VERSION_NUMBER,
    },
    {
      name: 'wrong peer AS',
      open: makePeerOpen({ myAs: 65099, capabilities: [fourOctet(65099)] }),
      subcode: OpenSubcode.BAD_PEER_AS,
    },
    {
      name: 'wrong 4-octet AS behind AS_TRANS',
      open: makePeerOpen({ myAs: AS_TRANS, capabilities: [fourOctet(4_200_000_000)] }),
      subcode: OpenSubcode.BAD_PEER_AS,
    },
    {
      name: 'peer AS 0',
      open: makePeerOpen({ myAs: 0, capabilities: [] }),
      subcode: OpenSubcode.BAD_PEER_AS,
    },
    { name: 'hold time 1', open: makePeerOpen({ holdTime: 1 }), subcode: OpenSubcode.UNACCEPTABLE_HOLD_TIME },
    { name: 'hold time 2', open: makePeerOpen({ holdTime: 2 }), subcode: OpenSubcode.UNACCEPTABLE_HOLD_TIME },
    { name: 'BGP Identifier 0', open: makePeerOpen({ bgpId: 0 }), subcode: OpenSubcode.BAD_BGP_IDENTIFIER },
  ])('$name -> NOTIFICATION OPEN Message Error / $subcode', ({ open, subcode }) => {
    const r = receive(open);
    expect(notificationsSent(r.actions)).toEqual([[ErrorCode.OPEN_MESSAGE, subcode]]);
    expect(stateOf(r.state)).toBe('Idle');
    expect(ofType(r.actions, 'stateChange')[0]?.reason).toEqual(
      expect.objectContaining({ kind: 'notification-sent', code: ErrorCode.OPEN_MESSAGE, subcode }),
    );
  });

  it('sends the version we support in the Unsupported Version data', () => {
    const close = ofType(receive(makePeerOpen({ version: 5 })).actions, 'close')[0];
    expect(Array.from(close?.notification?.data ?? [])).toEqual([0, 4]);
  });

  it('rejects an internal peer that uses our BGP Identifier', () => {
    const config = { ...makeConfig(), peerAs: LOCAL_AS };
    const s = run(initialState(config), [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked', conn: 1 }]).state;
    const open = makePeerOpen({ myAs: LOCAL_AS, bgpId: LOCAL_ID, capabilities: [fourOctet(LOCAL_AS)] });
    expect(notificationsSent(receive(open, s).actions)).toEqual([
      [ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_BGP_IDENTIFIER],
    ]);
  });

  it('accepts an external peer with our BGP Identifier (RFC 6286)', () => {
    expect(stateOf(receive(makePeerOpen({ bgpId: LOCAL_ID })).state)).toBe('OpenConfirm');
  });

  it('enforces a local minimum hold time', () => {
    const s = run(initialState(makeConfig({ minHoldTimeS: 10 })), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
    ]).state;
    expect(notificationsSent(receive(makePeerOpen({ holdTime: 9 }), s).actions)).toEqual([
      [ErrorCode.OPEN_MESSAGE, OpenSubcode.UNACCEPTABLE_HOLD_TIME],
    ]);
    expect(stateOf(receive(makePeerOpen({ holdTime: 0 }), s).state)).toBe('OpenConfirm');
  });

  it('accepts a valid OPEN: KEEPALIVE sent, OpenConfirm, openReceived reported', () => {
    const r = receive(makePeerOpen());
    expect(sentTypes(r.actions)).toEqual(['keepalive']);
    expect(ofType(r.actions, 'openReceived')).toHaveLength(1);
  });
});

describe('negotiation', () => {
  const config = makeConfig();

  it('reads the 4-octet AS from the capability and enables 4-octet AS_PATHs', () => {
    const n = negotiate(config, makePeerOpen({ myAs: AS_TRANS }, []));
    expect(n.peerAs).toBe(PEER_AS);
    expect(n.fourOctetAs).toBe(true);
    expect(n.codec.fourOctetAs).toBe(true);
  });

  it('without the capability: 2-octet AS_PATHs', () => {
    const n = negotiate(config, makePeerOpen({ capabilities: [] }));
    expect(n.fourOctetAs).toBe(false);
    expect(n.peerAs).toBe(PEER_AS);
  });

  it('assumes IPv4 unicast when the peer sends no multiprotocol capability (RFC 4760 §8)', () => {
    const open = makePeerOpen({ capabilities: [] });
    expect(peerFamilies(open)).toEqual([{ afi: Afi.IPV4, safi: Safi.UNICAST }]);
    expect(negotiate(config, open).families).toEqual([{ afi: Afi.IPV4, safi: Safi.UNICAST }]);
  });

  it('keeps only families both sides support', () => {
    const open = makePeerOpen({
      capabilities: [{ kind: 'multiprotocol', afi: Afi.IPV6, safi: Safi.UNICAST }],
    });
    expect(negotiate(config, open).families).toEqual([{ afi: Afi.IPV6, safi: Safi.UNICAST }]);
  });

  it('needs both sides for extended messages and enhanced route refresh', () => {
    const both = makePeerOpen({}, [{ kind: 'extended-message' }, { kind: 'enhanced-route-refresh' }]);
    const n = negotiate(config, both);
    expect([n.extendedMessage, n.enhancedRouteRefresh, n.codec.extendedMessage, n.peerRouteRefresh]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const ours = makeConfig();
    const noExt = {
      ...ours,
      open: buildLocalOpen({
        localAs: LOCAL_AS,
        bgpId: LOCAL_ID,
        holdTimeS: 90,
        families: FAMILIES,
        extendedMessage: false,
        enhancedRouteRefresh: false,
      }),
    };
    const m = negotiate(noExt, both);
    expect([m.extendedMessage, m.enhancedRouteRefresh]).toEqual([false, false]);
    expect(negotiate(config, makePeerOpen()).extendedMessage).toBe(false);
  });

  it('records the peer graceful restart capability', () => {
    const gr: Capability = {
      kind: 'graceful-restart',
      restartState: false,
      notification: false,
      restartTime: 90,
      families: [],
    };
    expect(negotiate(config, makePeerOpen({}, [gr])).peerGracefulRestart).toEqual(gr);
    expect(negotiate(config, makePeerOpen()).peerGracefulRestart).toBeUndefined();
  });
});

describe('the OPEN we send', () => {
  it('carries multiprotocol, route refresh, enhanced route refresh, extended message and 4-octet AS', () => {
    const open = buildLocalOpen({ localAs: LOCAL_AS, bgpId: LOCAL_ID, holdTimeS: 90, families: FAMILIES });
    expect(open).toMatchObject({ version: 4, myAs: LOCAL_AS, holdTime: 90, bgpId: LOCAL_ID });
    expect(open.capabilities.map((c) => c.kind)).toEqual([
      'multiprotocol',
      'multiprotocol',
      'route-refresh',
      'enhanced-route-refresh',
      'extended-message',
      'four-octet-as',
    ]);
  });

  it('puts AS_TRANS in My AS for a 4-octet AS (RFC 6793)', () => {
    const open = buildLocalOpen({
      localAs: 4_200_000_001,
      bgpId: LOCAL_ID,
      holdTimeS: 90,
      families: FAMILIES,
    });
    expect(open.myAs).toBe(AS_TRANS);
    expect(open.capabilities).toContainEqual({ kind: 'four-octet-as', asn: 4_200_000_001 });
  });

  it('advertises graceful restart with the R and F bits', () => {
    const open = buildLocalOpen({
      localAs: LOCAL_AS,
      bgpId: LOCAL_ID,
      holdTimeS: 90,
      families: FAMILIES,
      gracefulRestart: { restartTimeS: 120, restarted: true },
    });
    expect(open.capabilities).toContainEqual({
      kind: 'graceful-restart',
      restartState: true,
      notification: false,
      restartTime: 120,
      families: FAMILIES.map((f) => ({ ...f, forwardingState: true })),
    });
    const cleared = withoutRestartState(open).capabilities.find((c) => c.kind === 'graceful-restart');
    expect(cleared).toMatchObject({ restartState: false, restartTime: 120 });
  });

  it('rejects a restart time that does not fit in 12 bits', () => {
    expect(() =>
      buildLocalOpen({
        localAs: 1,
        bgpId: 1,
        holdTimeS: 90,
        families: FAMILIES,
        gracefulRestart: { restartTimeS: 4096, restarted: false },
      }),
    ).toThrow(/gracefulRestart.restartTimeS/);
  });

  it('sets the R bit only on the first session after a restart', () => {
    let s = run(initialState(makeConfig({}, { restarted: true })), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
    ]);
    const firstOpen = ofType(s.actions, 'send')[0]?.message;
    expect(firstOpen).toMatchObject({
      capabilities: expect.arrayContaining([
        expect.objectContaining({ kind: 'graceful-restart', restartState: true }),
      ]),
    });
    s = run(s.state, [
      { type: 'BGPOpen', conn: 1, open: makePeerOpen() },
      { type: 'KeepAliveMsg', conn: 1 },
      { type: 'TcpConnectionFails', conn: 1 },
      { type: 'IdleHoldTimer_Expires' },
      { type: 'Tcp_CR_Acked', conn: 2 },
    ]);
    const opens = ofType(s.actions, 'send').filter((a) => a.message.type === 'open');
    expect(opens.at(-1)?.message).toMatchObject({
      capabilities: expect.arrayContaining([
        expect.objectContaining({ kind: 'graceful-restart', restartState: false }),
      ]),
    });
  });

  it('keeps the R bit until a session actually reaches Established', () => {
    const s = run(initialState(makeConfig({}, { restarted: true })), [
      { type: 'ManualStart' },
      { type: 'TcpConnectionFails', conn: 1 },
      { type: 'IdleHoldTimer_Expires' },
      { type: 'Tcp_CR_Acked', conn: 2 },
    ]);
    const open = ofType(s.actions, 'send')[0]?.message;
    expect(open).toMatchObject({
      capabilities: expect.arrayContaining([expect.objectContaining({ restartState: true })]),
    });
  });
});
