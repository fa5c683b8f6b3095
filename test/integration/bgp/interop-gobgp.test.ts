/**
 * bgp-ts-lite against gobgpd 3.10 (namespaces hig-*, 192.0.2.128/26, 198.51.100.128/28,
 * 2001:db8:9b::/64). bgp-ts-lite runs in agent processes inside hig-ours (fixtures/bgp-agent.ts) over the
 * native TCP transport; every assertion reads gobgp's own view (`gobgp -j neighbor [X]`, `gobgp -j global
 * rib -a ipv4|ipv6`, gobgpd's log) and, for our side, the agent's events.
 *
 * Covered: IPv4 and IPv6 sessions (and IPv6 over the IPv4 session) with 4-octet ASNs; communities,
 * large communities, MED, LOCAL_PREF (iBGP); TCP MD5 outbound and on our listener, a wrong key never
 * Established; eBGP multihop (TTL 2 yes, TTL 1 never); GTSM (`ttl-security`); our ROUTE-REFRESH
 * answered (gobgp's CLI cannot send one: `softresetin` re-reads its own Adj-RIB-In); shutdown
 * communication both ways; graceful restart with gobgp as helper (stale flags, End-of-RIB); hold-timer
 * expiry both ways. gobgpd cannot turn off the 4-octet AS capability and has no BFD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gobgp, startGobgp, type Gobgp } from '../../helpers/daemons.js';
import { Lab, run, sleep } from '../../helpers/netns.js';
import { BgpAgent } from './fixtures/agent.js';
import {
  addSession,
  addStandardSessions,
  agentStarter,
  CHANGE_TIMEOUT_MS,
  expectFrozenDaemonDropped,
  gapWatcher,
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

const skip = interopSkip('gobgp interop tests', ['gobgp']);

/** gobgp's JSON for session_state (apipb.PeerState.SessionState). */
const ESTABLISHED = 6;
const community = (text: string): number => {
  const [high, low] = text.split(':').map(Number) as [number, number];
  return high * 65536 + low;
};

interface NeighborView {
  conf: { neighbor_address: string; peer_asn: number };
  state: {
    session_state?: number;
    messages: { received: Record<string, number>; sent: Record<string, number> };
    remote_cap?: { type_url: string }[];
  };
  timers: { state: { negotiated_hold_time?: number } };
}
type Attr = Record<string, unknown> & { type: number };
interface RibPath {
  attrs: Attr[];
  stale: boolean;
  'neighbor-ip'?: string;
}

interface NeighborOptions {
  /** Extra `[neighbors.config]` lines. */
  config?: string[];
  /** Hold time and keepalive, seconds (default 9 and 3). */
  hold?: [number, number];
  /** gobgp connects too (default: passive, we connect). */
  active?: boolean;
  /** Extra TOML sections of the neighbor. */
  sections?: string[];
  families?: string[];
  gracefulRestart?: boolean;
}

function neighborToml(address: string, peerAs: number, o: NeighborOptions = {}): string {
  const [hold, keepalive] = o.hold ?? [9, 3];
  const gr = o.gracefulRestart === true;
  const afis = (o.families ?? ['ipv4-unicast']).map(
    (f) =>
      `  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "${f}"` +
      (gr ? '\n    [neighbors.afi-safis.mp-graceful-restart.config]\n      enabled = true' : ''),
  );
  return [
    '[[neighbors]]',
    '  [neighbors.config]',
    `    neighbor-address = "${address}"`,
    `    peer-as = ${peerAs}`,
    ...(o.config ?? []).map((c) => `    ${c}`),
    '  [neighbors.timers.config]',
    // gobgp refuses a peer for idle-hold-time-after-reset (30 s) after a drop: shorten it.
    `    connect-retry = 1\n    idle-hold-time-after-reset = 1\n    hold-time = ${hold}\n    keepalive-interval = ${keepalive}`,
    '  [neighbors.transport.config]',
    `    passive-mode = ${o.active !== true}`,
    ...(gr ? ['  [neighbors.graceful-restart.config]\n    enabled = true\n    helper-only = true'] : []),
    ...(o.sections ?? []),
    ...afis,
  ].join('\n');
}

function gobgpdConfig(t: Topology): string {
  const p = (name: PairName) => t.pair(PAIR[name]).ours;
  const multihop = '  [neighbors.ebgp-multihop.config]\n    enabled = true\n    multihop-ttl = 2';
  return [
    '[global.config]',
    `  as = ${PEER_AS}`,
    `  router-id = "${t.pair(0).peer}"`,
    neighborToml(p('s4'), LOCAL_AS, {
      config: ['auth-password = "hig-md5-v4"'],
      hold: [3, 1],
      families: ['ipv4-unicast', 'ipv6-unicast'],
    }),
    neighborToml(t.v6.ours, LOCAL_AS, {
      config: ['auth-password = "hig-md5-v6"'],
      active: true,
      families: ['ipv6-unicast'],
    }),
    neighborToml(p('ib'), PEER_AS),
    neighborToml(p('bad'), LOCAL_AS, { config: ['auth-password = "the-right-key"'] }),
    neighborToml(p('gt'), LOCAL_AS, {
      sections: ['  [neighbors.ttl-security.config]\n    enabled = true\n    ttl-min = 255'],
    }),
    neighborToml(p('gr'), LOCAL_AS, { gracefulRestart: true }),
    neighborToml(p('sd'), LOCAL_AS),
    neighborToml(p('ht'), LOCAL_AS, { hold: [3, 1] }),
    neighborToml(t.far.ours, LOCAL_AS, { sections: [multihop] }),
    neighborToml(t.far.ours2, LOCAL_AS, { sections: [multihop] }),
    '',
  ].join('\n');
}

describe.skipIf(skip !== undefined)('bgp-ts-lite with gobgpd 3', () => {
  const lab = new Lab('hig-');
  const agents: BgpAgent[] = [];
  let t: Topology;
  let daemon: Gobgp;
  let a: BgpAgent;
  let sessionsStartedAt = 0;
  const neighbor = async (address: string): Promise<NeighborView> => {
    const view = await gobgp<NeighborView>(daemon.socket, ['neighbor', address]);
    if (view === undefined) throw new Error(`gobgp has no neighbor ${address}`);
    return view;
  };
  const rib = async (family: 'ipv4' | 'ipv6'): Promise<Record<string, RibPath[]>> =>
    (await gobgp<Record<string, RibPath[]>>(daemon.socket, ['global', 'rib', '-a', family])) ?? {};
  const attr = (path: RibPath | undefined, type: number): Attr | undefined =>
    path?.attrs.find((x) => x.type === type);
  const cli = (...args: string[]) => run(['gobgp', '--target', `unix://${daemon.socket}`, ...args]);
  const startAgent = agentStarter(agents, () => t.ours);
  const session = (name: PairName, extra: Record<string, unknown> = {}) => sessionOn(t, name, extra);

  beforeAll(async () => {
    await lab.removeStale();
    t = await buildTopology(lab, { base: 128, v6Prefix: '2001:db8:9b::', pairs: 11 });
    daemon = await startGobgp(lab, t.peer, gobgpdConfig(t));
    await gobgp(daemon.socket, ['global', 'rib', 'add', '203.0.113.240/28', '-a', 'ipv4']);
    a = await startAgent();
    await a.call({ op: 'listen', host: '::', port: 179 });
    await addStandardSessions(a, t, { md5: { v4: 'hig-md5-v4', v6: 'hig-md5-v6' }, ibgp: 'their-as' });
    await addSession(a, 'gt', session('gt', { ttlSecurityHops: 1 }), [{ prefix: '203.0.113.96/28' }]);
    sessionsStartedAt = Date.now();
    for (const id of ['s4', 's6', 'ib', 'mh', 'gt', 'sd'])
      await a.waitEstablished(id, { timeoutMs: UP_TIMEOUT_MS });
  }, 90_000);

  afterAll(async () => {
    if (daemon !== undefined) for (const proc of daemon.processes) thawPid(proc.pid);
    for (const agent of agents) await agent.kill();
    await lab.cleanup();
  }, 30_000);

  it('IPv4 and IPv6 sessions with 4-octet ASNs are Established in gobgp (MD5 outbound and on our listener)', async () => {
    const s4 = await neighbor(t.pair(0).ours);
    expect(s4.state.session_state).toBe(ESTABLISHED);
    expect(s4.conf.peer_asn).toBe(LOCAL_AS);
    expect(s4.timers.state.negotiated_hold_time).toBe(3);
    expect(s4.state.remote_cap?.map((c) => c.type_url.split('.').at(-1))).toEqual(
      expect.arrayContaining(['FourOctetASNCapability', 'RouteRefreshCapability', 'MultiProtocolCapability']),
    );
    expect((await neighbor(t.v6.ours)).state.session_state).toBe(ESTABLISHED);
    expect(a.events('s6', 'established')[0]).toMatchObject({
      peerAs: PEER_AS,
      fourOctetAs: true,
      families: ['2/1'],
    });
    expect((await a.call({ op: 'stats', id: 's4' })).connection).toMatchObject({ direction: 'outbound' });
    expect((await a.call({ op: 'stats', id: 's6' })).connection).toMatchObject({ direction: 'inbound' });
  });

  it('gobgp shows our communities, large communities, MED, AS path and next hops; LOCAL_PREF over iBGP', async () => {
    const v4 = await rib('ipv4');
    const [path] = v4['203.0.113.0/28'] ?? [];
    expect(attr(path, 2)).toMatchObject({ as_paths: [{ asns: [LOCAL_AS] }] });
    expect(attr(path, 3)).toMatchObject({ nexthop: t.pair(0).ours });
    expect(attr(path, 4)).toMatchObject({ metric: 50 });
    expect(attr(path, 8)).toMatchObject({ communities: [community('65000:100'), community('65000:200')] });
    expect(attr(path, 32)).toMatchObject({ value: [{ ASN: LOCAL_AS, LocalData1: 1, LocalData2: 2 }] });
    const [ibgp] = v4['203.0.113.16/28'] ?? [];
    expect(attr(ibgp, 5)).toMatchObject({ value: LOCAL_PREF });
    expect(attr(ibgp, 2)).toMatchObject({ as_paths: [] });
    const v6 = await rib('ipv6');
    expect(attr(v6['2001:db8:9b:4::/64']?.[0], 14)).toMatchObject({ nexthop: t.v6.ours });
    const [overV6] = v6['2001:db8:9b:6::/64'] ?? [];
    expect(overV6?.['neighbor-ip']).toBe(t.v6.ours);
    expect(attr(overV6, 32)).toMatchObject({ value: [{ ASN: LOCAL_AS, LocalData1: 1, LocalData2: 2 }] });
  });

  it('eBGP multihop (TTL 2) and GTSM (ttl-security) come up; TTL 1 and a wrong MD5 key never do', async () => {
    expect((await neighbor(t.far.ours)).state.session_state).toBe(ESTABLISHED);
    expect(attr((await rib('ipv4'))['203.0.113.64/28']?.[0], 3)).toMatchObject({ nexthop: t.far.ours });
    expect((await a.call({ op: 'stats', id: 'mh' })).connection).toMatchObject({ direction: 'outbound' });
    expect((await neighbor(t.pair(PAIR.gt).ours)).state.session_state).toBe(ESTABLISHED);
    await sleep(Math.max(0, sessionsStartedAt + NEVER_UP_MS - Date.now()));
    for (const [id, address] of [
      ['bad', t.pair(PAIR.bad).ours],
      ['mh1', t.far.ours2],
    ] as const) {
      expect(a.events(id, 'established')).toEqual([]);
      expect((await neighbor(address)).state.session_state).not.toBe(ESTABLISHED);
    }
    expect(a.events('bad', 'warning').map((w) => w.message)).toContainEqual(
      expect.stringMatching(/timed out/),
    );
  });

  it('route refresh: gobgp answers our ROUTE-REFRESH with its routes (no enhanced refresh)', async () => {
    const sd = t.pair(PAIR.sd).ours;
    expect(a.events('sd', 'established')[0]).toMatchObject({
      peerRouteRefresh: true,
      enhancedRouteRefresh: false,
    });
    await a.waitEvent(
      'sd',
      'gobgp route',
      (l) => l.event === 'update' && (l.prefixes as string[]).includes('203.0.113.240/28'),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
      },
    );
    const before = (await neighbor(sd)).state.messages;
    const from = a.lines.length;
    expect((await a.call({ op: 'refresh', id: 'sd', family: 'ipv4' })).sent).toBe(true);
    await a.waitEvent(
      'sd',
      'routes again',
      (l) => l.event === 'update' && (l.prefixes as string[]).includes('203.0.113.240/28'),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
        from,
      },
    );
    const after = (await neighbor(sd)).state.messages;
    expect(after.received.refresh ?? 0).toBe((before.received.refresh ?? 0) + 1);
    expect(after.sent.update ?? 0).toBeGreaterThan(before.sent.update ?? 0);
  });

  it('NOTIFICATION with a shutdown communication, both ways', async () => {
    const sd = t.pair(PAIR.sd).ours;
    let from = a.lines.length;
    await cli('neighbor', sd, 'shutdown', '--reason', 'gobgp says goodbye');
    const received = await a.waitEvent('sd', 'Cease from gobgp', isNotification('received', 6, 2), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    expect(received.communication).toBe('gobgp says goodbye');
    from = a.lines.length;
    await cli('neighbor', sd, 'enable');
    await a.waitEstablished('sd', { timeoutMs: UP_TIMEOUT_MS, from });

    const notificationsBefore = (await neighbor(sd)).state.messages.received.notification ?? 0;
    await a.call({ op: 'stop', id: 'sd', shutdownCommunication: 'herald maintenance window' });
    await waitFor(
      () =>
        /received notification.*Communicated-Reason="herald maintenance window".*Subcode=2/.test(
          daemon.log(),
        ),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: 'gobgpd to log our shutdown communication',
      },
    );
    const view = await neighbor(sd);
    expect(view.state.session_state).not.toBe(ESTABLISHED);
    expect(view.state.messages.received.notification).toBe(notificationsBefore + 1);
  });

  it('graceful restart: gobgp keeps our routes stale while we restart; End-of-RIB removes the one we dropped', async () => {
    const g = await startAgent();
    const gr = session('gr', { gracefulRestart: { restartTimeS: 30, restarted: false } });
    await addSession(g, 'gr', gr, [{ prefix: '203.0.113.112/28' }, { prefix: '203.0.113.128/28' }]);
    await g.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => (await rib('ipv4'))['203.0.113.128/28'] !== undefined, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'both routes in gobgp',
    });
    await g.kill();
    const stale = await waitFor(
      async () => {
        const table = await rib('ipv4');
        const both = [table['203.0.113.112/28']?.[0], table['203.0.113.128/28']?.[0]];
        return both.every((p) => p?.stale === true) && both;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'gobgp to mark our routes stale' },
    );
    expect(stale).toHaveLength(2);
    expect(daemon.log()).toMatch(
      new RegExp(`peer graceful restart.*Key=${t.pair(PAIR.gr).ours.replace(/\./g, '\\.')}`),
    );

    const watcher = gapWatcher(async () => (await rib('ipv4'))['203.0.113.112/28'] !== undefined);
    const g2 = await startAgent();
    await addSession(g2, 'gr', { ...gr, gracefulRestart: { restartTimeS: 30, restarted: true } }, [
      { prefix: '203.0.113.112/28' },
    ]);
    await g2.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => (await rib('ipv4'))['203.0.113.128/28'] === undefined, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'gobgp to remove the stale route after our End-of-RIB',
    });
    expect(await watcher.stop()).toBe(0);
    expect((await rib('ipv4'))['203.0.113.112/28']?.[0]?.stale).toBe(false);
    await g2.kill();
  });

  it('hold timer: gobgp drops a frozen bgp-ts-lite with Hold Timer Expired', async () => {
    const h = await startAgent();
    await addSession(h, 'ht', session('ht', { holdTimeS: 3 }), [{ prefix: '203.0.113.176/28' }]);
    await h.waitEstablished('ht', { timeoutMs: UP_TIMEOUT_MS });
    const address = t.pair(PAIR.ht).ours.replace(/\./g, '\\.');
    h.freeze();
    try {
      await waitFor(
        () => new RegExp(`Peer Down.*Key=${address} Reason=hold-timer-expired`).test(daemon.log()),
        {
          timeoutMs: CHANGE_TIMEOUT_MS,
          what: 'gobgpd to log the hold timer expiry',
        },
      );
      expect((await neighbor(t.pair(PAIR.ht).ours)).state.session_state).not.toBe(ESTABLISHED);
    } finally {
      h.thaw();
    }
    await h.kill();
  });

  it('hold timer: a frozen gobgpd is dropped with HoldTimer_Expires and NOTIFICATION code 4', async () => {
    const proc = daemon.processes[0];
    if (proc === undefined) throw new Error('no gobgpd process');
    await expectFrozenDaemonDropped(a, proc.pid);
  });
});
