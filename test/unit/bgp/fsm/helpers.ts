/**
 * Fixtures for the FSM tests: a configuration for AS 65001 / 10.0.0.1 peering with AS 65002 / 10.0.0.2,
 * the peer's OPEN, and helpers that run event sequences through `step` and pick actions out.
 */
import { Afi, Safi } from '../../../../src/bgp/constants.js';
import { buildLocalOpen } from '../../../../src/bgp/fsm/open.js';
import { initialState, peerState, step } from '../../../../src/bgp/fsm/reducer.js';
import { DEFAULT_IDLE_HOLD_POLICY } from '../../../../src/bgp/fsm/timers.js';
import type {
  BgpState,
  FsmAction,
  FsmConfig,
  FsmEnv,
  FsmEvent,
  FsmState,
} from '../../../../src/bgp/fsm/types.js';
import type { Capability, OpenMessage } from '../../../../src/bgp/types.js';

export const LOCAL_AS = 65001;
export const PEER_AS = 65002;
export const LOCAL_ID = 0x0a000001;
export const PEER_ID = 0x0a000002;
export const FAMILIES = [
  { afi: Afi.IPV4, safi: Safi.UNICAST },
  { afi: Afi.IPV6, safi: Safi.UNICAST },
];

export function makeConfig(
  overrides: Partial<FsmConfig> = {},
  gracefulRestart?: { restarted: boolean },
): FsmConfig {
  const localAs = overrides.localAs ?? LOCAL_AS;
  const bgpId = overrides.bgpId ?? LOCAL_ID;
  const holdTimeS = overrides.holdTimeS ?? 90;
  return {
    localAs,
    peerAs: PEER_AS,
    bgpId,
    holdTimeS,
    connectRetryTimeMs: 120_000,
    idleHold: DEFAULT_IDLE_HOLD_POLICY,
    families: FAMILIES,
    open: buildLocalOpen({
      localAs,
      bgpId,
      holdTimeS,
      families: FAMILIES,
      ...(gracefulRestart
        ? { gracefulRestart: { restartTimeS: 120, restarted: gracefulRestart.restarted } }
        : {}),
    }),
    ...overrides,
  };
}

export function makePeerOpen(
  overrides: Partial<OpenMessage> = {},
  extraCaps: Capability[] = [],
): OpenMessage {
  return {
    type: 'open',
    version: 4,
    myAs: PEER_AS,
    holdTime: 90,
    bgpId: PEER_ID,
    capabilities: [
      { kind: 'multiprotocol', afi: Afi.IPV4, safi: Safi.UNICAST },
      { kind: 'multiprotocol', afi: Afi.IPV6, safi: Safi.UNICAST },
      { kind: 'route-refresh' },
      { kind: 'four-octet-as', asn: PEER_AS },
      ...extraCaps,
    ],
    ...overrides,
  };
}

/** Random source returning 1 - ε: jitter factors at their top (durations ≈ nominal). */
export const TOP = (): number => 0.999999;

export function env(now = 0, random: () => number = TOP): FsmEnv {
  return { now, random };
}

export interface Run {
  readonly state: FsmState;
  readonly actions: FsmAction[];
}

export function run(state: FsmState, events: readonly FsmEvent[], e: FsmEnv = env()): Run {
  const actions: FsmAction[] = [];
  let s = state;
  for (const event of events) {
    const r = step(s, event, e);
    s = r.state;
    actions.push(...r.actions);
  }
  return { state: s, actions };
}

/** Named starting points, each reached through real events (connection 1 is the outbound one). */
export const SCENARIOS: Record<string, () => FsmState> = {
  'Idle (stopped)': () => initialState(makeConfig()),
  'Idle (holding off)': () =>
    run(initialState(makeConfig()), [{ type: 'ManualStart' }, { type: 'TcpConnectionFails', conn: 1 }]).state,
  Connect: () => run(initialState(makeConfig()), [{ type: 'ManualStart' }]).state,
  Active: () =>
    run(initialState(makeConfig()), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
      { type: 'TcpConnectionFails', conn: 1 },
    ]).state,
  OpenSent: () =>
    run(initialState(makeConfig()), [{ type: 'ManualStart' }, { type: 'Tcp_CR_Acked', conn: 1 }]).state,
  OpenConfirm: () =>
    run(initialState(makeConfig()), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
      { type: 'BGPOpen', conn: 1, open: makePeerOpen() },
    ]).state,
  Established: () =>
    run(initialState(makeConfig()), [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked', conn: 1 },
      { type: 'BGPOpen', conn: 1, open: makePeerOpen() },
      { type: 'KeepAliveMsg', conn: 1 },
    ]).state,
};

export function stateOf(s: FsmState): BgpState {
  return peerState(s);
}

export function ofType<T extends FsmAction['type']>(
  actions: readonly FsmAction[],
  type: T,
): Extract<FsmAction, { type: T }>[] {
  return actions.filter((a): a is Extract<FsmAction, { type: T }> => a.type === type);
}

/** [code, subcode] of every NOTIFICATION the actions send (close and reject). */
export function notificationsSent(actions: readonly FsmAction[]): [number, number][] {
  const out: [number, number][] = [];
  for (const a of actions) {
    if ((a.type === 'close' || a.type === 'reject') && a.notification !== undefined) {
      out.push([a.notification.code, a.notification.subcode]);
    }
  }
  return out;
}

export function sentTypes(actions: readonly FsmAction[]): string[] {
  return ofType(actions, 'send').map((a) => a.message.type);
}
