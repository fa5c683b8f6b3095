/**
 * What `herald peer-check` prints (pure): NOTIFICATION and capability names, the peer's OPEN and the
 * negotiated values, state-change reasons, the route attributes built from the flags, and routes received
 * counted per family under announcements, withdrawals and End-of-RIB.
 */
import { describe, expect, it } from 'vitest';

import {
  Afi,
  AS_TRANS,
  CapabilityCode,
  CeaseSubcode,
  ErrorCode,
  OpenSubcode,
  Safi,
} from '../../../src/bgp/constants.js';
import type { Negotiated } from '../../../src/bgp/fsm/types.js';
import { parsePrefix } from '../../../src/bgp/nlri/prefix.js';
import { DEFAULT_CODEC_CONTEXT, type UpdateMessage } from '../../../src/bgp/types.js';
import { parsePeerCheckArgs } from '../../../src/cli/peer-check/args.js';
import { capabilityName, errorSubcodeName, familyName } from '../../../src/cli/peer-check/names.js';
import {
  capabilityJson,
  formatBgpId,
  notificationJson,
  notificationText,
  openJson,
  ReceivedByFamily,
  reasonJson,
  reasonText,
} from '../../../src/cli/peer-check/report.js';
import { listenerInit, routeAttributes, sessionInit } from '../../../src/cli/peer-check/session-config.js';

const V4 = { afi: Afi.IPV4, safi: Safi.UNICAST };
const V6 = { afi: Afi.IPV6, safi: Safi.UNICAST };

describe('names', () => {
  it.each([
    [ErrorCode.OPEN_MESSAGE, OpenSubcode.BAD_PEER_AS, 'OPEN Message Error / Bad Peer AS (2/2)'],
    [
      ErrorCode.OPEN_MESSAGE,
      OpenSubcode.UNACCEPTABLE_HOLD_TIME,
      'OPEN Message Error / Unacceptable Hold Time (2/6)',
    ],
    [ErrorCode.HOLD_TIMER_EXPIRED, 0, 'Hold Timer Expired (4/0)'],
    [ErrorCode.CEASE, CeaseSubcode.BFD_DOWN, 'Cease / BFD Down (6/10)'],
    [ErrorCode.CEASE, CeaseSubcode.HARD_RESET, 'Cease / Hard Reset (6/9)'],
    [ErrorCode.FSM, 2, 'Finite State Machine Error / Receive Unexpected Message in OpenConfirm State (5/2)'],
    [ErrorCode.MESSAGE_HEADER, 0, 'Message Header Error / Unspecific (1/0)'],
    [ErrorCode.UPDATE_MESSAGE, 11, 'UPDATE Message Error / Malformed AS_PATH (3/11)'],
    [ErrorCode.ROUTE_REFRESH_MESSAGE, 1, 'ROUTE-REFRESH Message Error / Invalid Message Length (7/1)'],
    [9, 1, 'Unknown Error Code 9 / Unknown Subcode 1 (9/1)'],
  ])('notification %i/%i is %s', (code, subcode, text) => {
    expect(notificationText(code, subcode)).toBe(text);
  });

  it('names capabilities and families', () => {
    expect(capabilityName(CapabilityCode.GRACEFUL_RESTART)).toBe('graceful-restart');
    expect(capabilityName(CapabilityCode.FOUR_OCTET_AS)).toBe('four-octet-as');
    expect(capabilityName(71)).toBe('long-lived-graceful-restart');
    expect(capabilityName(128)).toBe('route-refresh-old');
    expect(capabilityName(200)).toBe('capability-200');
    expect(familyName(Afi.IPV6, Safi.UNICAST)).toBe('ipv6-unicast');
    expect(familyName(Afi.IPV4, 128)).toBe('ipv4/safi-128');
    expect(familyName(25, 70)).toBe('afi-25/safi-70');
    expect(errorSubcodeName(ErrorCode.CEASE, 77)).toBe('Unknown Subcode 77');
    expect(formatBgpId(0xcb007102)).toBe('203.0.113.2');
  });
});

describe('JSON of notifications, capabilities and the OPEN', () => {
  it('decodes a NOTIFICATION with its shutdown communication', () => {
    const message = {
      type: 'notification',
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN,
      data: Uint8Array.of(2, 0x68, 0x69),
    } as const;
    expect(notificationJson('received', message, 'hi')).toEqual({
      direction: 'received',
      code: 6,
      codeName: 'Cease',
      subcode: 2,
      subcodeName: 'Administrative Shutdown',
      data: '026869',
      communication: 'hi',
    });
  });

  it('names every capability kind, decoding FRR hostnames', () => {
    const host = [...new TextEncoder().encode('leaf1')];
    const domain = [...new TextEncoder().encode('lab')];
    expect(
      [
        { kind: 'multiprotocol', ...V6 },
        { kind: 'route-refresh' },
        { kind: 'enhanced-route-refresh' },
        { kind: 'extended-message' },
        { kind: 'four-octet-as', asn: 4200000000 },
        {
          kind: 'graceful-restart',
          restartState: true,
          notification: false,
          restartTime: 120,
          families: [{ ...V4, forwardingState: true }],
        },
        { kind: 'add-path', families: [{ ...V6, direction: 'both' }] },
        { kind: 'extended-next-hop', entries: [{ ...V4, nextHopAfi: Afi.IPV6 }] },
        {
          kind: 'unknown',
          code: 73,
          data: Uint8Array.from([host.length, ...host, domain.length, ...domain]),
        },
        { kind: 'unknown', code: 73, data: Uint8Array.of(9, 1) },
        { kind: 'unknown', code: 9, data: Uint8Array.of(3) },
      ].map((c) => capabilityJson(c as Parameters<typeof capabilityJson>[0])),
    ).toEqual([
      { name: 'multiprotocol', family: 'ipv6-unicast' },
      { name: 'route-refresh' },
      { name: 'enhanced-route-refresh' },
      { name: 'extended-message' },
      { name: 'four-octet-as', asn: 4200000000 },
      {
        name: 'graceful-restart',
        restartTimeS: 120,
        restartState: true,
        notification: false,
        families: [{ family: 'ipv4-unicast', forwardingState: true }],
      },
      { name: 'add-path', families: [{ family: 'ipv6-unicast', direction: 'both' }] },
      { name: 'extended-next-hop', entries: [{ family: 'ipv4-unicast', nextHopAfi: 'ipv6' }] },
      { name: 'fqdn', code: 73, data: '056c65616631036c6162', hostname: 'leaf1', domain: 'lab' },
      { name: 'fqdn', code: 73, data: '0901' },
      { name: 'bgp-role', code: 9, data: '03' },
    ]);
  });

  it('shows the 4-octet ASN behind AS_TRANS and the negotiated timers and families', () => {
    const negotiated: Negotiated = {
      peerOpen: {
        type: 'open',
        version: 4,
        myAs: AS_TRANS,
        holdTime: 9,
        bgpId: 0xcb007102,
        capabilities: [{ kind: 'four-octet-as', asn: 4200000002 }],
      },
      peerAs: 4200000002,
      peerBgpId: 0xcb007102,
      holdTimeS: 9,
      keepaliveMs: 3000,
      fourOctetAs: true,
      extendedMessage: false,
      peerRouteRefresh: false,
      enhancedRouteRefresh: false,
      families: [V4],
      codec: DEFAULT_CODEC_CONTEXT,
    };
    expect(openJson(negotiated)).toEqual({
      peer: {
        asn: 4200000002,
        myAsField: AS_TRANS,
        asTrans: true,
        routerId: '203.0.113.2',
        holdTimeS: 9,
        version: 4,
        capabilities: [{ name: 'four-octet-as', asn: 4200000002 }],
      },
      negotiated: {
        holdTimeS: 9,
        keepaliveS: 3,
        families: ['ipv4-unicast'],
        fourOctetAs: true,
        extendedMessage: false,
        routeRefresh: false,
        enhancedRouteRefresh: false,
        peerGracefulRestart: false,
      },
    });
  });

  it('explains state-change reasons', () => {
    const bad = {
      kind: 'notification-received',
      code: 2,
      subcode: 2,
      data: Uint8Array.of(0xfd, 0xe8),
    } as const;
    expect(reasonJson(bad)).toEqual({
      kind: 'notification-received',
      code: 2,
      subcode: 2,
      name: 'OPEN Message Error / Bad Peer AS (2/2)',
      data: 'fde8',
    });
    expect(reasonText(bad)).toBe('NOTIFICATION received: OPEN Message Error / Bad Peer AS (2/2)');
    expect(reasonText({ ...bad, kind: 'notification-sent' })).toBe(
      'NOTIFICATION sent: OPEN Message Error / Bad Peer AS (2/2)',
    );
    const bfd = { kind: 'automatic-stop', subcode: CeaseSubcode.BFD_DOWN } as const;
    expect(reasonJson(bfd)).toEqual({ kind: 'automatic-stop', subcode: 10, name: 'Cease / BFD Down (6/10)' });
    expect(reasonText(bfd)).toBe('stopped with Cease / BFD Down (6/10)');
    expect(reasonText({ kind: 'hold-timer-expired' })).toMatch(/^hold timer expired/);
    expect(reasonText({ kind: 'tcp-failed', direction: 'inbound' })).toMatch(/inbound TCP connection failed/);
    expect(reasonText({ kind: 'collision-resolved', dumped: 'outbound' })).toMatch(
      /outbound connection was dropped/,
    );
    expect(reasonJson({ kind: 'manual-start', passive: true })).toEqual({
      kind: 'manual-start',
      passive: true,
    });
  });
});

describe('ReceivedByFamily', () => {
  const nlri = (...p: string[]) => p.map((x) => ({ prefix: parsePrefix(x) }));
  const update = (u: Partial<UpdateMessage>): UpdateMessage => ({
    type: 'update',
    withdrawn: [],
    attributes: [],
    nlri: [],
    ...u,
  });

  it('counts prefixes the router currently announces, per family, and End-of-RIB', () => {
    const r = new ReceivedByFamily();
    r.apply(update({ nlri: nlri('198.51.100.0/24', '203.0.113.0/24', '198.51.100.0/24') }));
    r.apply(
      update({
        attributes: [
          {
            kind: 'mp-reach-nlri',
            ...V6,
            nextHops: [new Uint8Array(16)],
            nlri: nlri('2001:db8::/32', '2001:db8:1::/48'),
          },
        ],
      }),
    );
    r.apply(update({ withdrawn: nlri('203.0.113.0/24', '192.0.2.0/24') }));
    r.apply(update({ attributes: [{ kind: 'mp-unreach-nlri', ...V6, withdrawn: nlri('2001:db8::/32') }] }));
    r.apply(update({ nlri: [{ prefix: parsePrefix('198.51.100.0/24'), pathId: 2 }] }));
    r.endOfRib(Afi.IPV4, Safi.UNICAST);
    expect(r.total).toBe(3);
    expect(r.summary(['ipv4-unicast', 'ipv6-unicast'])).toEqual({
      'ipv4-unicast': { prefixes: 2, endOfRib: true },
      'ipv6-unicast': { prefixes: 1, endOfRib: false },
    });
    const v6only = new ReceivedByFamily();
    v6only.apply(update({ attributes: [{ kind: 'mp-unreach-nlri', ...V6, withdrawn: [] }] }));
    v6only.endOfRib(Afi.IPV6, Safi.UNICAST);
    expect(v6only.summary()).toEqual({ 'ipv6-unicast': { prefixes: 0, endOfRib: true } });
    expect(new ReceivedByFamily().summary(['ipv6-unicast'])).toEqual({
      'ipv6-unicast': { prefixes: 0, endOfRib: false },
    });
  });
});

describe('session options from the flags', () => {
  const args = (...extra: string[]) =>
    parsePeerCheckArgs(['--peer', '203.0.113.2', '--peer-asn', '64512', '--my-asn', '64512', ...extra]);

  it('maps communities (standard, large, well-known) and LOCAL_PREF onto every route', () => {
    expect(
      routeAttributes(
        args(
          '--announce=203.0.113.10/32',
          '--community=64512:7',
          '--community=large:1:2:3',
          '--community=blackhole',
          '--local-pref=300',
        ),
      ),
    ).toEqual({
      communities: [64512 * 65536 + 7, 0xffff029a],
      largeCommunities: [{ globalAdmin: 1, localData1: 2, localData2: 3 }],
      localPref: 300,
    });
    expect(routeAttributes(args('--announce=203.0.113.10/32'))).toBeUndefined();
  });

  it('builds the session and listener options', () => {
    const a = args(
      '--password=k',
      '--multihop=3',
      '--source=203.0.113.1',
      '--hold=9',
      '--keepalive=2',
      '--timeout=4',
      '--port=1179',
      '--next-hop=2001:db8:c::1',
    );
    expect(sessionInit(a, '203.0.113.1')).toEqual({
      peerAddress: '203.0.113.2',
      peerPort: 1179,
      peerAs: 64512,
      localAs: 64512,
      routerId: '203.0.113.1',
      holdTimeS: 9,
      keepaliveTimeS: 2,
      connectTimeoutMs: 4000,
      closeLingerMs: 1000,
      passive: false,
      localAddress: '203.0.113.1',
      md5Password: 'k',
      ebgpMultihop: 3,
      nextHopIpv6: '2001:db8:c::1',
    });
    expect(listenerInit(a)).toEqual({ host: '203.0.113.1', port: 1179, ttl: 3 });
    expect(listenerInit(args('--ttl-security=2'))).toEqual({
      host: '0.0.0.0',
      port: 179,
      ttl: 255,
      minTtl: 254,
    });
    expect(sessionInit(args('--ttl-security=2'), '192.0.2.1')).toMatchObject({ ttlSecurityHops: 2 });
  });
});
