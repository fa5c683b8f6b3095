/**
 * bgp-ts-lite against ExaBGP 4.2 (namespaces hie-*, 192.0.2.192/26, 198.51.100.192/28,
 * 2001:db8:e1::/64). bgp-ts-lite runs in agent processes inside hie-ours (fixtures/bgp-agent.ts) over the
 * native TCP transport. ExaBGP keeps no RIB to query: its view is what its API process receives (parsed
 * UPDATEs, session state changes with the reason, ROUTE-REFRESH messages), as JSON lines.
 *
 * Covered: IPv4 and IPv6 sessions (and IPv6 over the IPv4 session) with 4-octet ASNs; a 2-octet session
 * (ExaBGP `asn4 disable`) where our AS goes as AS_TRANS plus AS4_PATH; communities, large communities,
 * MED, LOCAL_PREF (iBGP); TCP MD5 outbound and on our listener, a wrong key never up; eBGP multihop (TTL
 * 2 yes, TTL 1 never); route refresh both ways; Cease / Administrative Shutdown both ways; hold-timer
 * expiry both ways. Not here: graceful restart (ExaBGP is no helper), BFD (none), GTSM (ExaBGP applies
 * its TTL settings only to connections it opens), a shutdown communication towards ExaBGP (4.2.21 fails
 * to decode one; docs/bgp-interop.md).
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exabgpCommand, startExaBgp, type ExaBgp } from '../../helpers/daemons.js';
import { Lab, sleep } from '../../helpers/netns.js';
import { BgpAgent } from './fixtures/agent.js';
import {
  addSession,
  addStandardSessions,
  agentStarter,
  CHANGE_TIMEOUT_MS,
  expectFrozenDaemonDropped,
  interopSkip,
  isNotification,
  LOCAL_AS,
  LOCAL_PREF,
  NEVER_UP_MS,
  PAIR,
  type PairName,
  PEER_AS,
  sessionOn,
  thawPid,
  UP_TIMEOUT_MS,
  waitFor,
} from './fixtures/interop.js';
import { buildTopology, type Topology } from './fixtures/topology.js';

const skip = interopSkip('ExaBGP interop tests', ['exabgp']);

/** One JSON message of ExaBGP's API (the fields the tests read). */
interface ExaMessage {
  type: string;
  neighbor: {
    address: { local: string; peer: string };
    asn: { local: number; peer: number };
    state?: string;
    reason?: string;
    message?: {
      update?: {
        attribute?: Record<string, unknown>;
        announce?: Record<string, Record<string, { nlri: string }[]>>;
      };
    };
    'route-refresh'?: { afi: string; safi: string; subtype: string };
  };
}

/**
 * ExaBGP 4.2.21 writes JSON that is not always JSON: ROUTE-REFRESH fields double-quoted (`""ipv4""`),
 * and a NOTIFICATION's raw data bytes (a shutdown communication's length octet) inside the `reason`
 * string. Both are repaired before parsing.
 */
const FIRST_PRINTABLE = 0x20;

function repairJson(line: string): string {
  const escaped = [...line]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < FIRST_PRINTABLE ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');
  return escaped.replace(/""([\w -]+)""/g, '"$1"');
}

/** ExaBGP's API messages so far (JSON lines written by its `received` process). */
function received(exa: ExaBgp): ExaMessage[] {
  return readFileSync(exa.receivedFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(repairJson(line)) as ExaMessage);
}

function neighborConfig(peer: string, local: string, lines: string[]): string {
  return [
    `neighbor ${peer} {`,
    `  local-address ${local};`,
    ...lines.map((l) => `  ${l}`),
    '  api { processes [ received ]; receive { parsed; update; refresh; } neighbor-changes; }',
    '  api { processes [ commands ]; }',
    '}',
  ].join('\n');
}

function exabgpConfig(t: Topology): string {
  const p = (name: PairName) => t.pair(PAIR[name]);
  const ebgp = [
    `router-id ${t.pair(0).peer};`,
    `local-as ${PEER_AS};`,
    `peer-as ${LOCAL_AS};`,
    'hold-time 9;',
  ];
  const passive = [...ebgp, 'passive;', 'family { ipv4 unicast; }'];
  return [
    neighborConfig(p('s4').ours, p('s4').peer, [
      ...ebgp.slice(0, 3),
      'hold-time 3;',
      'passive;',
      'md5-password hie-md5-v4;',
      'family { ipv4 unicast; ipv6 unicast; }',
    ]),
    // ExaBGP connects to our listener here (not passive).
    neighborConfig(t.v6.ours, t.v6.peer, [...ebgp, 'md5-password hie-md5-v6;', 'family { ipv6 unicast; }']),
    neighborConfig(p('ib').ours, p('ib').peer, [
      `router-id ${t.pair(0).peer};`,
      `local-as ${LOCAL_AS};`,
      `peer-as ${LOCAL_AS};`,
      'passive;',
      'family { ipv4 unicast; }',
    ]),
    // An OLD speaker: 2-octet AS 65003, and it sees our 4-octet AS as AS_TRANS (RFC 6793).
    neighborConfig(p('as2').ours, p('as2').peer, [
      `router-id ${t.pair(0).peer};`,
      'local-as 65003;',
      'peer-as 23456;',
      'passive;',
      'family { ipv4 unicast; }',
      'capability { asn4 disable; }',
    ]),
    neighborConfig(p('bad').ours, p('bad').peer, [...passive, 'md5-password the-right-key;']),
    neighborConfig(p('rr').ours, p('rr').peer, [...passive, 'capability { route-refresh; }']),
    neighborConfig(p('sd').ours, p('sd').peer, passive),
    neighborConfig(p('ht').ours, p('ht').peer, [
      ...passive.filter((l) => !l.startsWith('hold-time')),
      'hold-time 3;',
    ]),
    neighborConfig(t.far.ours, t.far.peer, passive),
    neighborConfig(t.far.ours2, t.far.peer2, passive),
  ].join('\n');
}

describe.skipIf(skip !== undefined)('bgp-ts-lite with ExaBGP 4.2', () => {
  const lab = new Lab('hie-');
  const agents: BgpAgent[] = [];
  let t: Topology;
  let exa: ExaBgp;
  let a: BgpAgent;
  let sessionsStartedAt = 0;
  const from = (peer: string) => received(exa).filter((m) => m.neighbor.address.peer === peer);
  const states = (peer: string) => from(peer).filter((m) => m.type === 'state');
  const announced = (peer: string, family: string, nlri: string): ExaMessage | undefined =>
    from(peer).find((m) =>
      Object.values(m.neighbor.message?.update?.announce?.[family] ?? {}).some((list) =>
        list.some((n) => n.nlri === nlri),
      ),
    );
  const startAgent = agentStarter(agents, () => t.ours);
  const session = (name: PairName, extra: Record<string, unknown> = {}) => sessionOn(t, name, extra);

  beforeAll(async () => {
    await lab.removeStale();
    t = await buildTopology(lab, { base: 192, v6Prefix: '2001:db8:e1::', pairs: 11 });
    exa = await startExaBgp(lab, t.peer, { bind: '0.0.0.0 ::', neighbors: exabgpConfig(t) });
    a = await startAgent();
    await a.call({ op: 'listen', host: '::', port: 179 });
    await addStandardSessions(a, t, { md5: { v4: 'hie-md5-v4', v6: 'hie-md5-v6' }, ibgp: 'our-as' });
    await addSession(a, 'as2', session('as2', { peerAs: 65003 }), [{ prefix: '203.0.113.32/28' }]);
    await addSession(a, 'rr', session('rr'), [{ prefix: '203.0.113.96/28' }]);
    sessionsStartedAt = Date.now();
    for (const id of ['s4', 's6', 'ib', 'as2', 'mh', 'rr', 'sd'])
      await a.waitEstablished(id, { timeoutMs: UP_TIMEOUT_MS });
  }, 90_000);

  afterAll(async () => {
    if (exa !== undefined) for (const proc of exa.processes) thawPid(proc.pid);
    for (const agent of agents) await agent.kill();
    await lab.cleanup();
  }, 30_000);

  it('IPv4 and IPv6 sessions with 4-octet ASNs come up in ExaBGP (MD5 outbound and on our listener)', async () => {
    for (const peer of [t.pair(0).ours, t.v6.ours]) {
      await waitFor(() => states(peer).some((m) => m.neighbor.state === 'up'), {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: `ExaBGP: ${peer} up`,
      });
      expect(states(peer).at(-1)?.neighbor.asn).toEqual({ local: PEER_AS, peer: LOCAL_AS });
    }
    expect(a.events('s4', 'established')[0]).toMatchObject({
      peerAs: PEER_AS,
      fourOctetAs: true,
      families: ['1/1', '2/1'],
    });
    expect((await a.call({ op: 'stats', id: 's4' })).connection).toMatchObject({ direction: 'outbound' });
    expect((await a.call({ op: 'stats', id: 's6' })).connection).toMatchObject({ direction: 'inbound' });
  });

  it('ExaBGP receives our communities, large communities, MED, AS path and next hops; LOCAL_PREF over iBGP', async () => {
    const v4 = await waitFor(() => announced(t.pair(0).ours, 'ipv4 unicast', '203.0.113.0/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'the IPv4 route',
    });
    expect(v4.neighbor.message?.update?.attribute).toMatchObject({
      origin: 'igp',
      'as-path': [LOCAL_AS],
      med: 50,
      community: [
        [65000, 100],
        [65000, 200],
      ],
      'large-community': [[LOCAL_AS, 1, 2]],
    });
    expect(Object.keys(v4.neighbor.message?.update?.announce?.['ipv4 unicast'] ?? {})).toEqual([
      t.pair(0).ours,
    ]);
    const v6OverV4 = announced(t.pair(0).ours, 'ipv6 unicast', '2001:db8:e1:4::/64');
    expect(Object.keys(v6OverV4?.neighbor.message?.update?.announce?.['ipv6 unicast'] ?? {})).toEqual([
      t.v6.ours,
    ]);
    const v6 = await waitFor(() => announced(t.v6.ours, 'ipv6 unicast', '2001:db8:e1:6::/64'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'the IPv6 route',
    });
    expect(v6.neighbor.message?.update?.attribute).toMatchObject({ 'large-community': [[LOCAL_AS, 1, 2]] });
    const ibgp = await waitFor(() => announced(t.pair(PAIR.ib).ours, 'ipv4 unicast', '203.0.113.16/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'the iBGP route',
    });
    expect(ibgp.neighbor.message?.update?.attribute).toMatchObject({
      'local-preference': LOCAL_PREF,
      med: 50,
    });
    expect(ibgp.neighbor.message?.update?.attribute?.['as-path']).toBeUndefined();
  });

  it('a 2-octet session (asn4 disable): our AS as AS_TRANS in OPEN and AS_PATH, the real path in AS4_PATH', async () => {
    expect(a.events('as2', 'established')[0]).toMatchObject({ peerAs: 65003, fourOctetAs: false });
    const update = await waitFor(() => announced(t.pair(PAIR.as2).ours, 'ipv4 unicast', '203.0.113.32/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'the 2-octet route',
    });
    // ExaBGP accepted OPEN's My AS 23456 (its configured peer-as) and merged AS_PATH [23456] with AS4_PATH.
    expect(update.neighbor.asn).toEqual({ local: 65003, peer: 23456 });
    expect(update.neighbor.message?.update?.attribute?.['as-path']).toEqual([LOCAL_AS]);
  });

  it('eBGP multihop (TTL 2) comes up; TTL 1 and a wrong MD5 key never do', async () => {
    await waitFor(() => states(t.far.ours).some((m) => m.neighbor.state === 'up'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'multihop up',
    });
    const mh = await waitFor(() => announced(t.far.ours, 'ipv4 unicast', '203.0.113.64/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'the multihop route',
    });
    expect(Object.keys(mh.neighbor.message?.update?.announce?.['ipv4 unicast'] ?? {})).toEqual([t.far.ours]);
    expect((await a.call({ op: 'stats', id: 'mh' })).connection).toMatchObject({ direction: 'outbound' });
    await sleep(Math.max(0, sessionsStartedAt + NEVER_UP_MS - Date.now()));
    for (const [id, peer] of [
      ['bad', t.pair(PAIR.bad).ours],
      ['mh1', t.far.ours2],
    ] as const) {
      expect(a.events(id, 'established')).toEqual([]);
      expect(states(peer).filter((m) => m.neighbor.state === 'up')).toEqual([]);
    }
    expect(a.events('bad', 'warning').map((w) => w.message)).toContainEqual(
      expect.stringMatching(/timed out/),
    );
  });

  it('route refresh both ways: ExaBGP asks and gets BoRR, our routes, EoRR; our request reaches ExaBGP', async () => {
    const peer = t.pair(PAIR.rr).ours;
    const mark = received(exa).length;
    let start = a.lines.length;
    exabgpCommand(exa, `neighbor ${peer} announce route-refresh ipv4 unicast`);
    await a.waitEvent(
      'rr',
      'ROUTE-REFRESH from ExaBGP',
      (l) => l.event === 'routeRefresh' && l.subtype === 0,
      { timeoutMs: CHANGE_TIMEOUT_MS, from: start },
    );
    const resent = await a.waitEvent(
      'rr',
      're-sent routes',
      (l) => l.event === 'routesSent' && l.refresh === '1/1',
      { timeoutMs: CHANGE_TIMEOUT_MS, from: start },
    );
    expect(resent.announced).toBe(1);
    const seen = await waitFor(
      () => {
        const later = received(exa)
          .slice(mark)
          .filter((m) => m.neighbor.address.peer === peer && m.type !== 'state');
        return later.length >= 3 && later;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'ExaBGP to receive the refreshed routes' },
    );
    expect(
      seen.map(
        (m) =>
          m.neighbor['route-refresh']?.subtype ??
          Object.keys(m.neighbor.message?.update?.announce ?? {}).join(),
      ),
    ).toEqual(['begin', 'ipv4 unicast', 'end']);

    start = a.lines.length;
    expect((await a.call({ op: 'refresh', id: 'rr', family: 'ipv4' })).sent).toBe(true);
    const query = await waitFor(
      () => from(peer).find((m) => m.neighbor['route-refresh']?.subtype === 'query'),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: 'ExaBGP to receive our ROUTE-REFRESH',
      },
    );
    expect(query.neighbor['route-refresh']).toEqual({ afi: 'ipv4', safi: 'unicast', subtype: 'query' });
    await sleep(500);
    expect(a.lines.slice(start).filter((l) => l.id === 'rr' && l.event === 'state')).toEqual([]);
  });

  it('Cease / Administrative Shutdown both ways (ExaBGP teardown; our stop)', async () => {
    const peer = t.pair(PAIR.sd).ours;
    let start = a.lines.length;
    exabgpCommand(exa, `neighbor ${peer} teardown 2`);
    const cease = await a.waitEvent('sd', 'Cease from ExaBGP', isNotification('received', 6, 2), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from: start,
    });
    expect(cease.communication).toBe('Administrative Shutdown');
    start = a.lines.length;
    await a.waitEstablished('sd', { timeoutMs: UP_TIMEOUT_MS, from: start });

    await a.call({ op: 'stop', id: 'sd' });
    const down = await waitFor(
      () => states(peer).find((m) => /notification received \(6,2\)/.test(m.neighbor.reason ?? '')),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: 'ExaBGP to report our Cease',
      },
    );
    expect(down.neighbor).toMatchObject({
      state: 'down',
      reason: expect.stringContaining('Cease / Administrative Shutdown'),
    });
  });

  it('hold timer: ExaBGP drops a frozen bgp-ts-lite with Hold Timer Expired', async () => {
    const h = await startAgent();
    const peer = t.pair(PAIR.ht).ours;
    await addSession(h, 'ht', session('ht', { holdTimeS: 3 }), [{ prefix: '203.0.113.176/28' }]);
    await h.waitEstablished('ht', { timeoutMs: UP_TIMEOUT_MS });
    h.freeze();
    try {
      const down = await waitFor(() => states(peer).find((m) => m.neighbor.state === 'down'), {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: 'ExaBGP hold timer',
      });
      expect(down.neighbor.reason).toMatch(/notification sent \(4,0\).*Hold timer expired/);
    } finally {
      h.thaw();
    }
    await h.kill();
  });

  it('hold timer: a frozen ExaBGP is dropped with HoldTimer_Expires and NOTIFICATION code 4', async () => {
    const proc = exa.processes[0];
    if (proc === undefined) throw new Error('no ExaBGP process');
    await expectFrozenDaemonDropped(a, proc.pid);
  });
});
