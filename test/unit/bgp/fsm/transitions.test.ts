/**
 * Every FSM state × every event (RFC 4271 §8.2.2), as a table: the state the peer ends in, the
 * NOTIFICATION sent (code/subcode, RFC 4271 §6 and RFC 6608), and the messages sent. Each starting state is
 * reached through real events (helpers.ts SCENARIOS).
 */
import { describe, expect, it } from 'vitest';

import {
  CeaseSubcode,
  ErrorCode,
  FsmSubcode,
  HeaderSubcode,
  OpenSubcode,
  UpdateSubcode,
} from '../../../../src/bgp/constants.js';
import { step } from '../../../../src/bgp/fsm/reducer.js';
import type { BgpState, FsmEvent } from '../../../../src/bgp/fsm/types.js';
import { env, makePeerOpen, notificationsSent, ofType, SCENARIOS, sentTypes, stateOf } from './helpers.js';

const EMPTY = new Uint8Array(0);
const C = 1; // the connection every scenario runs on

const EVENTS: Record<string, FsmEvent> = {
  ManualStart: { type: 'ManualStart' },
  ManualStop: { type: 'ManualStop' },
  AutomaticStop: { type: 'AutomaticStop', subcode: CeaseSubcode.MAXIMUM_PREFIXES_REACHED },
  ConnectRetryTimer_Expires: { type: 'ConnectRetryTimer_Expires' },
  IdleHoldTimer_Expires: { type: 'IdleHoldTimer_Expires' },
  HoldTimer_Expires: { type: 'HoldTimer_Expires', conn: C },
  KeepaliveTimer_Expires: { type: 'KeepaliveTimer_Expires', conn: C },
  TcpConnection_Valid: { type: 'TcpConnection_Valid' },
  Tcp_CR_Acked: { type: 'Tcp_CR_Acked', conn: C },
  TcpConnectionConfirmed: { type: 'TcpConnectionConfirmed' },
  TcpConnectionFails: { type: 'TcpConnectionFails', conn: C },
  BGPOpen: { type: 'BGPOpen', conn: C, open: makePeerOpen() },
  BGPHeaderErr: {
    type: 'BGPHeaderErr',
    conn: C,
    error: {
      code: ErrorCode.MESSAGE_HEADER,
      subcode: HeaderSubcode.BAD_MESSAGE_LENGTH,
      data: Uint8Array.of(0, 5),
    },
  },
  BGPOpenMsgErr: {
    type: 'BGPOpenMsgErr',
    conn: C,
    error: { code: ErrorCode.OPEN_MESSAGE, subcode: OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, data: EMPTY },
  },
  OpenCollisionDump: { type: 'OpenCollisionDump', conn: C },
  NotifMsgVerErr: {
    type: 'NotifMsgVerErr',
    conn: C,
    notification: {
      type: 'notification',
      code: ErrorCode.OPEN_MESSAGE,
      subcode: OpenSubcode.UNSUPPORTED_VERSION_NUMBER,
      data: EMPTY,
    },
  },
  NotifMsg: {
    type: 'NotifMsg',
    conn: C,
    notification: {
      type: 'notification',
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.ADMINISTRATIVE_RESET,
      data: EMPTY,
    },
  },
  KeepAliveMsg: { type: 'KeepAliveMsg', conn: C },
  UpdateMsg: {
    type: 'UpdateMsg',
    conn: C,
    message: { type: 'update', withdrawn: [], attributes: [], nlri: [] },
  },
  UpdateMsgErr: {
    type: 'UpdateMsgErr',
    conn: C,
    error: { code: ErrorCode.UPDATE_MESSAGE, subcode: UpdateSubcode.MALFORMED_ATTRIBUTE_LIST, data: EMPTY },
  },
  RouteRefreshMsg: {
    type: 'RouteRefreshMsg',
    conn: C,
    message: { type: 'route-refresh', afi: 1, safi: 1, subtype: 0 },
  },
  UpdateSent: { type: 'UpdateSent', conn: C },
};

type N = [number, number];
/** [resulting state, NOTIFICATION sent (undefined: none), messages sent]. */
type Expect = [BgpState, N | undefined, string[]?];

const CEASE_ADMIN: N = [ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN];
const CEASE_MAXPFX: N = [ErrorCode.CEASE, CeaseSubcode.MAXIMUM_PREFIXES_REACHED];
const COLLISION: N = [ErrorCode.CEASE, CeaseSubcode.CONNECTION_COLLISION_RESOLUTION];
const HOLD: N = [ErrorCode.HOLD_TIMER_EXPIRED, 0];
const FSM_UNSPEC: N = [ErrorCode.FSM, FsmSubcode.UNSPECIFIED];
const IN_OPENSENT: N = [ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENSENT];
const IN_OPENCONFIRM: N = [ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_OPENCONFIRM];
const IN_ESTABLISHED: N = [ErrorCode.FSM, FsmSubcode.UNEXPECTED_MESSAGE_IN_ESTABLISHED];
const HEADER: N = [ErrorCode.MESSAGE_HEADER, HeaderSubcode.BAD_MESSAGE_LENGTH];
const OPEN_ERR: N = [ErrorCode.OPEN_MESSAGE, OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER];
const UPDATE_ERR: N = [ErrorCode.UPDATE_MESSAGE, UpdateSubcode.MALFORMED_ATTRIBUTE_LIST];
const REJECTED: N = [ErrorCode.CEASE, CeaseSubcode.CONNECTION_REJECTED];

/** Events not listed for a state leave it unchanged and send nothing. */
const TABLE: Record<string, Record<string, Expect>> = {
  'Idle (stopped)': {
    ManualStart: ['Connect', undefined],
    TcpConnectionConfirmed: ['Idle', REJECTED],
  },
  'Idle (holding off)': {
    ManualStop: ['Idle', undefined],
    IdleHoldTimer_Expires: ['Connect', undefined],
    TcpConnectionConfirmed: ['Idle', REJECTED],
  },
  Connect: {
    ManualStop: ['Idle', undefined],
    AutomaticStop: ['Idle', undefined],
    ConnectRetryTimer_Expires: ['Connect', undefined],
    Tcp_CR_Acked: ['OpenSent', undefined, ['open']],
    TcpConnectionConfirmed: ['OpenSent', undefined, ['open']],
    TcpConnectionFails: ['Idle', undefined],
  },
  Active: {
    ManualStop: ['Idle', undefined],
    AutomaticStop: ['Idle', undefined],
    ConnectRetryTimer_Expires: ['Connect', undefined],
    TcpConnectionConfirmed: ['OpenSent', undefined, ['open']],
  },
  OpenSent: {
    ManualStop: ['Idle', CEASE_ADMIN],
    AutomaticStop: ['Idle', CEASE_MAXPFX],
    ConnectRetryTimer_Expires: ['Idle', FSM_UNSPEC],
    HoldTimer_Expires: ['Idle', HOLD],
    KeepaliveTimer_Expires: ['Idle', FSM_UNSPEC],
    TcpConnectionConfirmed: ['OpenSent', undefined, ['open']],
    TcpConnectionFails: ['Active', undefined],
    BGPOpen: ['OpenConfirm', undefined, ['keepalive']],
    BGPHeaderErr: ['Idle', HEADER],
    BGPOpenMsgErr: ['Idle', OPEN_ERR],
    OpenCollisionDump: ['Idle', COLLISION],
    NotifMsgVerErr: ['Idle', undefined],
    NotifMsg: ['Idle', undefined],
    KeepAliveMsg: ['Idle', IN_OPENSENT],
    UpdateMsg: ['Idle', IN_OPENSENT],
    UpdateMsgErr: ['Idle', IN_OPENSENT],
    RouteRefreshMsg: ['Idle', IN_OPENSENT],
  },
  OpenConfirm: {
    ManualStop: ['Idle', CEASE_ADMIN],
    AutomaticStop: ['Idle', CEASE_MAXPFX],
    ConnectRetryTimer_Expires: ['Idle', FSM_UNSPEC],
    HoldTimer_Expires: ['Idle', HOLD],
    KeepaliveTimer_Expires: ['OpenConfirm', undefined, ['keepalive']],
    TcpConnectionConfirmed: ['OpenConfirm', undefined, ['open']],
    TcpConnectionFails: ['Idle', undefined],
    BGPOpen: ['Idle', IN_OPENCONFIRM],
    BGPHeaderErr: ['Idle', HEADER],
    BGPOpenMsgErr: ['Idle', OPEN_ERR],
    OpenCollisionDump: ['Idle', COLLISION],
    NotifMsgVerErr: ['Idle', undefined],
    NotifMsg: ['Idle', undefined],
    KeepAliveMsg: ['Established', undefined],
    UpdateMsg: ['Idle', IN_OPENCONFIRM],
    UpdateMsgErr: ['Idle', IN_OPENCONFIRM],
    RouteRefreshMsg: ['Idle', IN_OPENCONFIRM],
  },
  Established: {
    ManualStop: ['Idle', CEASE_ADMIN],
    AutomaticStop: ['Idle', CEASE_MAXPFX],
    ConnectRetryTimer_Expires: ['Idle', FSM_UNSPEC],
    HoldTimer_Expires: ['Idle', HOLD],
    KeepaliveTimer_Expires: ['Established', undefined, ['keepalive']],
    TcpConnectionConfirmed: ['Established', undefined, ['open']],
    TcpConnectionFails: ['Idle', undefined],
    BGPOpen: ['Idle', IN_ESTABLISHED],
    BGPHeaderErr: ['Idle', HEADER],
    BGPOpenMsgErr: ['Idle', IN_ESTABLISHED],
    OpenCollisionDump: ['Idle', COLLISION],
    NotifMsgVerErr: ['Idle', undefined],
    NotifMsg: ['Idle', undefined],
    UpdateMsgErr: ['Idle', UPDATE_ERR],
  },
};

const STARTING_STATE: Record<string, BgpState> = {
  'Idle (stopped)': 'Idle',
  'Idle (holding off)': 'Idle',
  Connect: 'Connect',
  Active: 'Active',
  OpenSent: 'OpenSent',
  OpenConfirm: 'OpenConfirm',
  Established: 'Established',
};

const rows = Object.keys(SCENARIOS).flatMap((scenario) =>
  Object.keys(EVENTS).map((event) => {
    const [to, notification, sends] = TABLE[scenario]?.[event] ?? [
      STARTING_STATE[scenario] as BgpState,
      undefined,
      [],
    ];
    return { scenario, event, to, notification, sends: sends ?? [] };
  }),
);

describe('FSM transition table (RFC 4271 §8.2.2)', () => {
  it.each(rows)('$scenario + $event -> $to', ({ scenario, event, to, notification, sends }) => {
    const from = (SCENARIOS[scenario] as () => ReturnType<(typeof SCENARIOS)['Connect']>)();
    expect(stateOf(from)).toBe(STARTING_STATE[scenario]);
    const result = step(from, EVENTS[event] as FsmEvent, env(1000));
    expect(stateOf(result.state)).toBe(to);
    expect(notificationsSent(result.actions)).toEqual(notification === undefined ? [] : [notification]);
    expect(sentTypes(result.actions)).toEqual(sends);
    const changes = ofType(result.actions, 'stateChange');
    if (to === stateOf(from)) expect(changes).toEqual([]);
    else expect(changes).toEqual([expect.objectContaining({ from: stateOf(from), to })]);
  });

  it('covers every state and every event', () => {
    expect(rows).toHaveLength(Object.keys(SCENARIOS).length * Object.keys(EVENTS).length);
    for (const scenario of Object.keys(TABLE)) expect(Object.keys(SCENARIOS)).toContain(scenario);
  });
});
