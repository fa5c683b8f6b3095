/**
 * bgp-ts-lite against FRR 8.4 (zebra + bgpd + bfdd; namespaces hif-*, 192.0.2.64/26, 198.51.100.64/28,
 * 2001:db8:f1::/64). bgp-ts-lite runs in agent processes inside hif-ours (fixtures/bgp-agent.ts) over the
 * native TCP transport; every assertion reads FRR's own JSON (`show bgp neighbors X json`, `show bgp
 * ipv4|ipv6 unicast PREFIX json`, `show bfd peers json`) and, for our side, the agent's events.
 *
 * Covered: IPv4 and IPv6 sessions (and IPv6 over the IPv4 session) with 4-octet ASNs; a 2-octet
 * session (FRR `local-as 65003` + `dont-capability-negotiate`: an OLD speaker, which shows AS_TRANS);
 * communities, large communities, MED, LOCAL_PREF (iBGP); TCP MD5 outbound and on our listener, a wrong
 * key never Established; eBGP multihop (TTL 2 yes, TTL 1 never); GTSM (`ttl-security hops 1`); route
 * refresh both ways; shutdown communication both ways; graceful
 * restart with FRR as helper (stale flag, End-of-RIB, R and F bits); BFD alongside BGP; hold timer
 * expiry both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFrr, vtysh, type Frr } from '../../helpers/daemons.js';
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

const skip = interopSkip('FRR interop tests', ['frr']);

const BFD_MS = 300;

type Neighbor = Record<string, unknown> & {
  bgpState: string;
  messageStats: Record<string, number>;
  gracefulRestartInfo: Record<string, unknown>;
  neighborCapabilities: Record<string, unknown>;
};
interface PathView {
  aspath: { string: string };
  metric?: number;
  locPrf?: number;
  stale?: boolean;
  community?: { list: string[] };
  largeCommunity?: { list: string[] };
  nexthops: { ip: string }[];
}

function bgpdConfig(t: Topology): string {
  const p = (name: PairName) => t.pair(PAIR[name]).ours;
  const lines = [
    `router bgp ${PEER_AS}`,
    ` bgp router-id ${t.pair(0).peer}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ' no bgp network import-check',
  ];
  const neighbor = (address: string, remoteAs: number, ...extra: string[]) => {
    lines.push(` neighbor ${address} remote-as ${remoteAs}`, ` neighbor ${address} timers connect 1`);
    for (const e of extra) lines.push(` neighbor ${address} ${e}`);
  };
  neighbor(p('s4'), LOCAL_AS, 'password hif-md5-v4', 'passive', 'timers 1 3');
  neighbor(t.v6.ours, LOCAL_AS, 'password hif-md5-v6', `update-source ${t.v6.peer}`);
  neighbor(p('ib'), PEER_AS, 'passive');
  neighbor(
    p('as2'),
    LOCAL_AS,
    'local-as 65003 no-prepend replace-as',
    'dont-capability-negotiate',
    'passive',
  );
  neighbor(p('bad'), LOCAL_AS, 'password the-right-key', 'passive');
  neighbor(p('gt'), LOCAL_AS, 'ttl-security hops 1', 'passive');
  neighbor(p('gr'), LOCAL_AS, 'passive');
  neighbor(p('bf'), LOCAL_AS, 'bfd', 'passive');
  neighbor(p('sd'), LOCAL_AS, 'passive');
  neighbor(p('ht'), LOCAL_AS, 'passive', 'timers 1 3');
  neighbor(t.far.ours, LOCAL_AS, 'ebgp-multihop 2', 'passive');
  neighbor(t.far.ours2, LOCAL_AS, 'ebgp-multihop 2', 'passive');
  const names: PairName[] = ['s4', 'ib', 'as2', 'bad', 'gt', 'gr', 'bf', 'sd', 'ht'];
  const v4 = [...names.map(p), t.far.ours, t.far.ours2];
  lines.push(' address-family ipv4 unicast', '  network 203.0.113.240/28');
  for (const address of v4) lines.push(`  neighbor ${address} activate`);
  lines.push(' exit-address-family', ' address-family ipv6 unicast');
  for (const address of [t.v6.ours, p('s4')]) lines.push(`  neighbor ${address} activate`);
  lines.push(' exit-address-family');
  return lines.join('\n');
}

describe.skipIf(skip !== undefined)('bgp-ts-lite with FRR 8.4', () => {
  const lab = new Lab('hif-');
  const agents: BgpAgent[] = [];
  let t: Topology;
  let frr: Frr;
  let a: BgpAgent;
  let sessionsStartedAt = 0;
  const neighbor = async (address: string): Promise<Neighbor> => {
    const all = await vtysh<Record<string, Neighbor>>(frr.vtyDir, `show bgp neighbors ${address} json`);
    const found = all[address];
    if (found === undefined) throw new Error(`FRR has no neighbor ${address}: ${JSON.stringify(all)}`);
    return found;
  };
  const paths = async (prefix: string): Promise<PathView[]> => {
    const family = prefix.includes(':') ? 'ipv6' : 'ipv4';
    return (
      (await vtysh<{ paths?: PathView[] }>(frr.vtyDir, `show bgp ${family} unicast ${prefix} json`)).paths ??
      []
    );
  };
  const configure = (...commands: string[]) =>
    run([
      'vtysh',
      '--vty_socket',
      frr.vtyDir,
      '-c',
      'configure terminal',
      '-c',
      `router bgp ${PEER_AS}`,
      ...commands.flatMap((c) => ['-c', c]),
    ]);
  const frrEstablished = (address: string) =>
    waitFor(async () => (await neighbor(address)).bgpState === 'Established', {
      timeoutMs: UP_TIMEOUT_MS,
      what: `FRR neighbor ${address} Established`,
    });
  const startAgent = agentStarter(agents, () => t.ours);
  const session = (name: PairName, extra: Record<string, unknown> = {}) => sessionOn(t, name, extra);

  beforeAll(async () => {
    await lab.removeStale();
    t = await buildTopology(lab, { base: 64, v6Prefix: '2001:db8:f1::', pairs: 11 });
    // bgpd asks bfdd for the session of `neighbor X bfd` (FRR's default timers: 300 ms x 3).
    frr = await startFrr(lab, t.peer, { bgpd: bgpdConfig(t), bfdd: '' });
    a = await startAgent();
    await a.call({ op: 'listen', host: '::', port: 179 });
    await addStandardSessions(a, t, { md5: { v4: 'hif-md5-v4', v6: 'hif-md5-v6' }, ibgp: 'their-as' });
    await addSession(a, 'as2', session('as2', { peerAs: 65003 }), [{ prefix: '203.0.113.32/28' }]);
    await addSession(a, 'gt', session('gt', { ttlSecurityHops: 1 }), [{ prefix: '203.0.113.96/28' }]);
    await addSession(a, 'bf', session('bf'), [{ prefix: '203.0.113.144/28' }]);
    const bf = t.pair(PAIR.bf);
    const timers = { desiredMinTxUs: BFD_MS * 1000, requiredMinRxUs: BFD_MS * 1000, detectMult: 3 };
    await a.call({ op: 'bfd', id: 'b', options: { peerAddress: bf.peer, localAddress: bf.ours, ...timers } });
    await a.call({ op: 'bfd-start', id: 'b' });
    sessionsStartedAt = Date.now();
    for (const id of ['s4', 's6', 'ib', 'as2', 'mh', 'gt', 'bf', 'sd'])
      await a.waitEstablished(id, { timeoutMs: UP_TIMEOUT_MS });
  }, 90_000);

  afterAll(async () => {
    if (frr !== undefined) for (const proc of frr.processes) thawPid(proc.pid);
    for (const agent of agents) await agent.kill();
    await lab.cleanup();
  }, 30_000);

  it('IPv4 and IPv6 sessions with 4-octet ASNs are Established in FRR (MD5 outbound and on our listener)', async () => {
    const s4 = await neighbor(t.pair(0).ours);
    expect(s4).toMatchObject({
      bgpState: 'Established',
      remoteAs: LOCAL_AS,
      localAs: PEER_AS,
      bgpTimerHoldTimeMsecs: 3000,
    });
    expect(s4.neighborCapabilities).toMatchObject({
      '4byteAs': 'advertisedAndReceived',
      enhancedRouteRefresh: 'advertisedAndReceived',
      extendedMessage: 'advertisedAndReceived',
      multiprotocolExtensions: {
        ipv4Unicast: { advertisedAndReceived: true },
        ipv6Unicast: { advertisedAndReceived: true },
      },
    });
    expect(await neighbor(t.v6.ours)).toMatchObject({ bgpState: 'Established', remoteAs: LOCAL_AS });
    expect(a.events('s6', 'established')[0]).toMatchObject({
      peerAs: PEER_AS,
      fourOctetAs: true,
      families: ['2/1'],
    });
    expect((await a.call({ op: 'stats', id: 's4' })).connection).toMatchObject({ direction: 'outbound' });
    expect((await a.call({ op: 'stats', id: 's6' })).connection).toMatchObject({ direction: 'inbound' });
  });

  it('FRR shows our communities, large communities, MED, AS path and next hops; LOCAL_PREF over iBGP', async () => {
    const [v4] = await paths('203.0.113.0/28');
    expect(v4).toMatchObject({
      aspath: { string: '4200000001' },
      metric: 50,
      community: { list: ['65000:100', '65000:200'] },
      largeCommunity: { list: ['4200000001:1:2'] },
      nexthops: [{ ip: t.pair(0).ours }],
    });
    const [v6OverV4] = await paths('2001:db8:f1:4::/64');
    expect(v6OverV4?.nexthops[0]?.ip).toBe(t.v6.ours);
    const [v6] = await paths('2001:db8:f1:6::/64');
    expect(v6).toMatchObject({
      aspath: { string: '4200000001' },
      largeCommunity: { list: ['4200000001:1:2'] },
    });
    const [ibgp] = await paths('203.0.113.16/28');
    expect(ibgp).toMatchObject({
      aspath: { string: 'Local' },
      locPrf: 250,
      community: { list: ['65000:100', '65000:200'] },
    });
  });

  it('a 2-octet session with an OLD speaker (FRR dont-capability-negotiate, local-as 65003) carries AS_TRANS', async () => {
    expect(a.events('as2', 'established')[0]).toMatchObject({
      peerAs: 65003,
      fourOctetAs: false,
      families: ['1/1'],
    });
    expect((await neighbor(t.pair(PAIR.as2).ours)).neighborCapabilities).toMatchObject({
      '4byteAs': 'received',
    });
    // An OLD speaker does not merge AS4_PATH (RFC 6793 §4.2.1): it sees AS_TRANS where our 4-octet AS is.
    const [path] = await waitFor(
      async () => {
        const found = await paths('203.0.113.32/28');
        return found.length > 0 && found;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'the 2-octet route in FRR' },
    );
    expect(path?.aspath.string).toBe('23456');
  });

  it('eBGP multihop (TTL 2) and GTSM (ttl-security hops 1) come up; TTL 1 and a wrong MD5 key never do', async () => {
    expect(await neighbor(t.far.ours)).toMatchObject({
      bgpState: 'Established',
      externalBgpNbrMaxHopsAway: 2,
    });
    const [mh] = await paths('203.0.113.64/28');
    expect(mh?.nexthops[0]?.ip).toBe(t.far.ours);
    expect((await a.call({ op: 'stats', id: 'mh' })).connection).toMatchObject({ direction: 'outbound' });
    expect(await neighbor(t.pair(PAIR.gt).ours)).toMatchObject({ bgpState: 'Established' });
    await sleep(Math.max(0, sessionsStartedAt + NEVER_UP_MS - Date.now()));
    for (const [id, address] of [
      ['bad', t.pair(PAIR.bad).ours],
      ['mh1', t.far.ours2],
    ] as const) {
      expect(a.events(id, 'established')).toEqual([]);
      expect((await neighbor(address)).bgpState).not.toBe('Established');
    }
    expect(a.events('bad', 'warning').map((w) => w.message)).toContainEqual(
      expect.stringMatching(/timed out/),
    );
  });

  it('route refresh both ways: "clear bgp ... soft in" makes us re-send (with BoRR/EoRR); FRR answers our request', async () => {
    const sd = t.pair(PAIR.sd).ours;
    await a.waitEvent(
      'sd',
      'FRR route',
      (l) => l.event === 'update' && (l.prefixes as string[]).includes('203.0.113.240/28'),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
      },
    );
    let before = (await neighbor(sd)).messageStats;
    let from = a.lines.length;
    await run(['vtysh', '--vty_socket', frr.vtyDir, '-c', `clear bgp ipv4 unicast ${sd} soft in`]);
    await a.waitEvent('sd', 'ROUTE-REFRESH from FRR', (l) => l.event === 'routeRefresh' && l.subtype === 0, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    const resent = await a.waitEvent(
      'sd',
      're-sent routes',
      (l) => l.event === 'routesSent' && l.refresh === '1/1',
      { timeoutMs: CHANGE_TIMEOUT_MS, from },
    );
    expect(resent.announced).toBe(1);
    const after = await waitFor(
      async () => {
        const stats = (await neighbor(sd)).messageStats;
        return (stats.updatesRecv ?? 0) > (before.updatesRecv ?? 0) && stats;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'FRR to count the re-sent UPDATE' },
    );
    expect(after.routeRefreshSent).toBe((before.routeRefreshSent ?? 0) + 1);
    // Enhanced route refresh (RFC 7313): we framed the re-sent routes with BoRR and EoRR.
    expect(after.routeRefreshRecv).toBe((before.routeRefreshRecv ?? 0) + 2);

    before = after;
    from = a.lines.length;
    expect((await a.call({ op: 'refresh', id: 'sd', family: 'ipv4' })).sent).toBe(true);
    // FRR 8.4 answers with the routes but without BoRR/EoRR, although enhanced refresh was negotiated.
    await a.waitEvent(
      'sd',
      'FRR route re-sent',
      (l) => l.event === 'update' && (l.prefixes as string[]).includes('203.0.113.240/28'),
      { timeoutMs: CHANGE_TIMEOUT_MS, from },
    );
    expect((await neighbor(sd)).messageStats.routeRefreshRecv).toBe((before.routeRefreshRecv ?? 0) + 1);
  });

  it('NOTIFICATION with a shutdown communication, both ways', async () => {
    const sd = t.pair(PAIR.sd).ours;
    let from = a.lines.length;
    await configure(`neighbor ${sd} shutdown message frr says goodbye`);
    const received = await a.waitEvent('sd', 'Cease from FRR', isNotification('received', 6, 2), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    expect(received.communication).toBe('frr says goodbye');
    from = a.lines.length;
    await configure(`no neighbor ${sd} shutdown`);
    await a.waitEstablished('sd', { timeoutMs: UP_TIMEOUT_MS, from });

    await a.call({ op: 'stop', id: 'sd', shutdownCommunication: 'herald maintenance window' });
    const view = await waitFor(
      async () => {
        const n = await neighbor(sd);
        return n.lastShutdownDescription !== undefined && n;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'FRR to record our Cease' },
    );
    expect(view).toMatchObject({
      lastResetDueTo: 'BGP Notification received',
      lastNotificationReason: 'Cease/Administrative Shutdown',
      lastShutdownDescription: 'herald maintenance window',
    });
  });

  it('graceful restart: FRR keeps our routes stale while we restart; End-of-RIB removes the one we dropped', async () => {
    const g = await startAgent();
    const gr = session('gr', { gracefulRestart: { restartTimeS: 30, restarted: false } });
    await addSession(g, 'gr', gr, [{ prefix: '203.0.113.112/28' }, { prefix: '203.0.113.128/28' }]);
    await g.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => (await paths('203.0.113.128/28')).length > 0, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'both routes in FRR',
    });
    await g.kill();
    const [stale] = await waitFor(
      async () => {
        const found = await paths('203.0.113.128/28');
        return found[0]?.stale === true && found;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'FRR to mark our routes stale' },
    );
    expect(stale).toMatchObject({ stale: true, gracefulRestartSecondsRemaining: expect.any(Number) });
    const restarting = await neighbor(t.pair(PAIR.gr).ours);
    expect(restarting.gracefulRestartInfo).toMatchObject({ timers: { receivedRestartTimer: 30 } });

    const watcher = gapWatcher(async () => (await paths('203.0.113.112/28')).length > 0);
    const g2 = await startAgent();
    await addSession(g2, 'gr', { ...gr, gracefulRestart: { restartTimeS: 30, restarted: true } }, [
      { prefix: '203.0.113.112/28' },
    ]);
    await g2.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => (await paths('203.0.113.128/28')).length === 0, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'FRR to remove the stale route after our End-of-RIB',
    });
    expect(await watcher.stop()).toBe(0);
    const [kept] = await paths('203.0.113.112/28');
    expect(kept?.stale).toBeUndefined();
    expect((await neighbor(t.pair(PAIR.gr).ours)).gracefulRestartInfo).toMatchObject({
      rBit: true,
      remoteGrMode: 'Restart',
      endOfRibRecv: { ipv4Unicast: true },
      ipv4Unicast: { fBit: true },
    });
    await g2.kill();
  });

  it('BFD runs alongside BGP: Up in both views; our AdminDown makes FRR drop the BGP session at once; back Up', async () => {
    const bf = t.pair(PAIR.bf).ours;
    await a.waitEvent('b', 'BFD Up', (l) => l.event === 'bfd-state' && l.to === 'Up', {
      timeoutMs: UP_TIMEOUT_MS,
    });
    const peers = await vtysh<{ peer: string; status: string }[]>(frr.vtyDir, 'show bfd peers json');
    expect(peers.find((p) => p.peer === bf)?.status).toBe('up');
    expect((await neighbor(bf)).peerBfdInfo).toMatchObject({ status: 'Up', detectMultiplier: 3 });
    let from = a.lines.length;
    const downAt = Date.now();
    await a.call({ op: 'bfd-admin-down', id: 'b' });
    await a.waitEvent(
      'bf',
      'session dropped by FRR',
      (l) => l.event === 'state' && l.from === 'Established',
      { timeoutMs: CHANGE_TIMEOUT_MS, from },
    );
    expect(Date.now() - downAt).toBeLessThan(9_000); // inside the 9 s hold time: BFD, not the hold timer
    expect(await neighbor(bf)).toMatchObject({ lastNotificationReason: 'Cease/BFD Down' });
    expect(a.events('bf', 'notification').at(-1)).toMatchObject({
      direction: 'received',
      code: 6,
      subcode: 10,
    });
    from = a.lines.length;
    await a.call({ op: 'bfd-start', id: 'b' });
    await a.waitEvent('b', 'BFD Up again', (l) => l.event === 'bfd-state' && l.to === 'Up', {
      timeoutMs: UP_TIMEOUT_MS,
      from,
    });
    await a.waitEstablished('bf', { timeoutMs: UP_TIMEOUT_MS, from });
    await frrEstablished(bf);
  });

  it('hold timer: FRR drops a frozen bgp-ts-lite with Hold Timer Expired', async () => {
    const h = await startAgent();
    await addSession(h, 'ht', session('ht', { holdTimeS: 3 }), [{ prefix: '203.0.113.176/28' }]);
    await h.waitEstablished('ht', { timeoutMs: UP_TIMEOUT_MS });
    await frrEstablished(t.pair(PAIR.ht).ours);
    h.freeze();
    try {
      const view = await waitFor(
        async () => {
          const n = await neighbor(t.pair(PAIR.ht).ours);
          return n.lastNotificationReason !== undefined && n;
        },
        { timeoutMs: CHANGE_TIMEOUT_MS, what: 'FRR to expire its hold timer' },
      );
      expect(view).toMatchObject({
        lastResetDueTo: 'BGP Notification send',
        lastNotificationReason: 'Hold Timer Expired',
      });
    } finally {
      h.thaw();
    }
    await h.kill();
  });

  it('hold timer: a frozen bgpd is dropped with HoldTimer_Expires and NOTIFICATION code 4', async () => {
    const bgpd = frr.processes.find((proc) => proc.argv[0]?.endsWith('/bgpd'));
    if (bgpd === undefined) throw new Error('no bgpd process');
    await expectFrozenDaemonDropped(a, bgpd.pid);
  });
});
