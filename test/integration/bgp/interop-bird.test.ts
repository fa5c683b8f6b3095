/**
 * bgp-ts-lite against BIRD 2.0 (namespaces hib-*, 192.0.2.0/26, 198.51.100.0/28, 2001:db8:b1::/64).
 * bgp-ts-lite runs in agent processes inside hib-ours (fixtures/bgp-agent.ts) over the native TCP
 * transport; BIRD runs in hib-peer, one BIRD protocol per session on its own address pair. Every
 * assertion reads BIRD's own view (`birdc show protocols all`, `show route ... all`, `show bfd
 * sessions`, its log) and, where the behaviour is ours, the agent's events.
 *
 * Covered: IPv4 and IPv6 sessions (and IPv6 routes over the IPv4 session) with 4-octet ASNs; a
 * 2-octet session (BIRD `enable as4 off`); communities, large communities, MED, LOCAL_PREF (iBGP);
 * TCP MD5 outbound and on our listener, a wrong key never Established; eBGP multihop through a router
 * (TTL 2 yes, TTL 1 never); GTSM with `ttl security on` (and without it on our side, never); route
 * refresh both ways (enhanced: BoRR/EoRR); NOTIFICATION with a shutdown communication both ways;
 * graceful restart with BIRD as helper; BFD up/down alongside BGP; hold-timer expiry both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { birdc, startBird, type Bird } from '../../helpers/daemons.js';
import { Lab, sleep } from '../../helpers/netns.js';
import { BgpAgent } from './fixtures/agent.js';
import {
  addSession,
  addStandardSessions,
  agentStarter,
  CHANGE_TIMEOUT_MS,
  freezePid,
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

const skip = interopSkip('BIRD interop tests', ['bird']);

/** Address pair per session on the direct link (see fixtures/topology.ts). */
const BFD_MS = 300;
/** How long sessions that must never come up are watched: several connect timeouts and hold times. */

function birdConfig(t: Topology): string {
  const p = (name: PairName) => t.pair(PAIR[name]);
  const ebgp = (name: PairName, extra: string) =>
    `protocol bgp ${name} from fast {
  local ${p(name).peer} as ${PEER_AS}; neighbor ${p(name).ours} as ${LOCAL_AS}; passive on; hold time 9;
  ${extra}
  ipv4 { import all; export none; };
}`;
  return `
protocol static farnet { ipv4; route ${t.far.net} via ${t.far.routerPeerSide}; }
protocol static toours { ipv4; route 203.0.113.240/28 blackhole; }
protocol bfd { interface "p0" { min rx interval ${BFD_MS} ms; min tx interval ${BFD_MS} ms; multiplier 3; }; }
protocol bgp s4 from fast {
  local ${p('s4').peer} as ${PEER_AS}; neighbor ${p('s4').ours} as ${LOCAL_AS};
  passive on; hold time 3; password "hib-md5-v4";
  ipv4 { import all; export none; }; ipv6 { import all; export none; };
}
protocol bgp s6 from fast {
  local ${t.v6.peer} as ${PEER_AS}; neighbor ${t.v6.ours} as ${LOCAL_AS}; password "hib-md5-v6";
  ipv6 { import all; export none; };
}
protocol bgp ib from fast {
  local ${p('ib').peer} as ${LOCAL_AS}; neighbor ${p('ib').ours} as ${LOCAL_AS}; passive on; direct;
  ipv4 { import all; export none; gateway direct; };
}
protocol bgp as2 from fast {
  local ${p('as2').peer} as 65002; neighbor ${p('as2').ours} as 65001; passive on; enable as4 off;
  ipv4 { import all; export none; };
}
${ebgp('bad', 'password "the-right-key";')}
${ebgp('gt', 'ttl security on;')}
${ebgp('gt2', 'ttl security on;')}
${ebgp('gr', 'graceful restart on;')}
${ebgp('bf', 'bfd on;')}
${ebgp('ht', 'hold time 3;').replace('hold time 9;', '')}
protocol bgp sd from fast {
  local ${p('sd').peer} as ${PEER_AS}; neighbor ${p('sd').ours} as ${LOCAL_AS}; passive on;
  ipv4 { import all; export where proto = "toours"; };
}
protocol bgp mh from fast {
  local ${t.far.peer} as ${PEER_AS}; neighbor ${t.far.ours} as ${LOCAL_AS}; multihop 2; passive on;
  ipv4 { import all; export none; };
}
protocol bgp mh1 from fast {
  local ${t.far.peer2} as ${PEER_AS}; neighbor ${t.far.ours2} as ${LOCAL_AS}; multihop 2; passive on;
  ipv4 { import all; export none; };
}`;
}

/** One "Route change stats" row of `show protocols all`: received, rejected, filtered, ignored, accepted. */
function stats(text: string, row: 'Import updates' | 'Export updates'): number[] {
  const match = new RegExp(`${row}:\\s+(.*)$`, 'm').exec(text);
  if (match?.[1] === undefined) throw new Error(`no '${row}' row in:\n${text}`);
  return match[1]
    .trim()
    .split(/\s+/)
    .map((v) => (v === '---' ? 0 : Number(v)));
}

describe.skipIf(skip !== undefined)('bgp-ts-lite with BIRD 2', () => {
  const lab = new Lab('hib-');
  const agents: BgpAgent[] = [];
  let t: Topology;
  let bird: Bird;
  let a: BgpAgent;
  let sessionsStartedAt = 0;
  const show = (command: string): Promise<string> => birdc(bird.socket, command);
  const protocol = (name: string): Promise<string> => show(`show protocols all ${name}`);
  const birdEstablished = (name: string) =>
    waitFor(async () => /BGP state:\s+Established/.test(await protocol(name)), {
      timeoutMs: UP_TIMEOUT_MS,
      what: `BIRD protocol ${name} Established`,
    });
  const startAgent = agentStarter(agents, () => t.ours);
  const session = (name: PairName, extra: Record<string, unknown> = {}) => sessionOn(t, name, extra);

  beforeAll(async () => {
    await lab.removeStale();
    t = await buildTopology(lab, { base: 0, v6Prefix: '2001:db8:b1::', pairs: 11 });
    bird = await startBird(lab, t.peer, t.pair(0).peer, birdConfig(t));
    a = await startAgent();
    await a.call({ op: 'listen', host: '::', port: 179 });
    await addStandardSessions(a, t, { md5: { v4: 'hib-md5-v4', v6: 'hib-md5-v6' }, ibgp: 'our-as' });
    await addSession(a, 'as2', session('as2', { localAs: 65001, peerAs: 65002 }), [
      { prefix: '203.0.113.32/28' },
    ]);
    await addSession(a, 'gt', session('gt', { ttlSecurityHops: 1 }), [{ prefix: '203.0.113.96/28' }]);
    await addSession(a, 'gt2', session('gt2'), [{ prefix: '203.0.113.208/28' }]);
    await addSession(a, 'bf', session('bf'), [{ prefix: '203.0.113.144/28' }]);
    await a.call({
      op: 'bfd',
      id: 'b',
      options: {
        peerAddress: t.pair(PAIR.bf).peer,
        localAddress: t.pair(PAIR.bf).ours,
        desiredMinTxUs: BFD_MS * 1000,
        requiredMinRxUs: BFD_MS * 1000,
        detectMult: 3,
      },
    });
    await a.call({ op: 'bfd-start', id: 'b' });
    sessionsStartedAt = Date.now();
    for (const id of ['s4', 's6', 'ib', 'as2', 'mh', 'gt', 'bf', 'sd']) {
      await a.waitEstablished(id, { timeoutMs: UP_TIMEOUT_MS });
    }
  }, 90_000);

  afterAll(async () => {
    if (bird !== undefined) for (const proc of bird.processes) thawPid(proc.pid);
    for (const agent of agents) await agent.kill();
    await lab.cleanup();
  }, 30_000);

  it('IPv4 and IPv6 sessions with 4-octet ASNs are Established in BIRD (MD5 outbound and on our listener)', async () => {
    const s4 = await protocol('s4');
    expect(s4).toMatch(/BGP state:\s+Established/);
    expect(s4).toMatch(/Neighbor AS:\s+4200000001/);
    expect(s4).toMatch(/Session:\s+external AS4/);
    expect(s4).toMatch(/Channel ipv6\n\s+State:\s+UP/);
    const s6 = await protocol('s6');
    expect(s6).toMatch(/BGP state:\s+Established/);
    expect(s6).toMatch(/Neighbor address: 2001:db8:b1::1/);
    expect(a.events('s4', 'established')[0]).toMatchObject({
      peerAs: PEER_AS,
      fourOctetAs: true,
      families: ['1/1', '2/1'],
    });
    expect((await a.call({ op: 'stats', id: 's4' })).connection).toMatchObject({ direction: 'outbound' });
    // BIRD connected to our listener: the MD5 key for 2001:db8:b1::2 was set on the listening socket.
    expect((await a.call({ op: 'stats', id: 's6' })).connection).toMatchObject({ direction: 'inbound' });
  });

  it('BIRD shows our communities, large communities, MED, AS path and next hops; LOCAL_PREF over iBGP', async () => {
    const v4 = await show('show route for 203.0.113.0/28 all');
    expect(v4).toMatch(/203\.0\.113\.0\/28\s+unicast \[s4 /);
    expect(v4).toContain('BGP.as_path: 4200000001');
    expect(v4).toContain(`BGP.next_hop: ${t.pair(0).ours}`);
    expect(v4).toContain('BGP.med: 50');
    expect(v4).toContain('BGP.community: (65000,100) (65000,200)');
    expect(v4).toContain('BGP.large_community: (4200000001, 1, 2)');
    const v6OverV4 = await show('show route for 2001:db8:b1:4::/64 all');
    expect(v6OverV4).toContain(`BGP.next_hop: ${t.v6.ours}`);
    expect(v6OverV4).toContain('BGP.large_community: (4200000001, 1, 2)');
    const v6 = await show('show route for 2001:db8:b1:6::/64 all');
    expect(v6).toMatch(/unicast \[s6 /);
    expect(v6).toContain('BGP.community: (65000,100) (65000,200)');
    const ibgp = await show('show route for 203.0.113.16/28 all');
    expect(ibgp).toContain('BGP.local_pref: 250');
    expect(ibgp).toMatch(/BGP\.as_path: *\n/);
    expect(v4).toContain('BGP.local_pref: 100'); // eBGP: BIRD's default, we send none
  });

  it('a 2-octet session (BIRD: enable as4 off) is Established and carries our AS in 2 octets', async () => {
    await a.waitEstablished('as2', { timeoutMs: UP_TIMEOUT_MS });
    expect(a.events('as2', 'established')[0]).toMatchObject({ peerAs: 65002, fourOctetAs: false });
    expect(await protocol('as2')).toMatch(/Session:\s+external\s*\n/);
    expect(await show('show route for 203.0.113.32/28 all')).toContain('BGP.as_path: 65001');
  });

  it('eBGP multihop through a router (TTL 2) and GTSM (ttl security on) come up; TTL 1, no GTSM and a wrong MD5 key never do', async () => {
    expect(await protocol('mh')).toMatch(/Session:\s+external multihop AS4/);
    expect(await show('show route for 203.0.113.64/28 all')).toContain(`BGP.next_hop: ${t.far.ours}`);
    expect((await a.call({ op: 'stats', id: 'mh' })).connection).toMatchObject({ direction: 'outbound' });
    expect(await protocol('gt')).toMatch(/BGP state:\s+Established/);
    // The failing sessions have been trying since beforeAll: give them NEVER_UP_MS (several attempts).
    await sleep(Math.max(0, sessionsStartedAt + NEVER_UP_MS - Date.now()));
    for (const id of ['bad', 'mh1']) {
      expect(a.events(id, 'established')).toEqual([]);
      expect(await protocol(id)).not.toMatch(/BGP state:\s+Established/);
    }
    // gt2: BIRD enforces GTSM and we send TTL 1. BIRD applies IP_MINTTL to its outgoing connection only
    // after starting connect() (bgp_connect), so on a loaded machine our OPEN can slip in first and our
    // side may see a short-lived Established (seen once in CI). BIRD itself never gets there, and our
    // route never reaches it.
    expect(await protocol('gt2')).not.toMatch(/BGP state:\s+Established/);
    const routes = await show('show route');
    expect(routes).toContain('203.0.113.96/28'); // gt's route: the listing does show ours
    expect(routes).not.toContain('203.0.113.208/28');
    expect(a.events('bad', 'warning').map((w) => w.message)).toContainEqual(
      expect.stringMatching(/timed out/),
    );
  });

  it('route refresh both ways: BIRD "reload in" makes us re-send; our request gets BoRR, the routes, EoRR', async () => {
    await a.waitEvent(
      'sd',
      'BIRD route',
      (l) => l.event === 'update' && (l.prefixes as string[]).includes('203.0.113.240/28'),
      {
        timeoutMs: CHANGE_TIMEOUT_MS,
      },
    );
    const importBefore = stats(await protocol('sd'), 'Import updates')[0] ?? 0;
    let from = a.lines.length;
    await show('reload in sd');
    await a.waitEvent('sd', 'ROUTE-REFRESH from BIRD', (l) => l.event === 'routeRefresh' && l.subtype === 0, {
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
    await waitFor(async () => (stats(await protocol('sd'), 'Import updates')[0] ?? 0) > importBefore, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'BIRD to count the re-sent UPDATE',
    });

    const exportBefore = stats(await protocol('sd'), 'Export updates')[4] ?? 0;
    from = a.lines.length;
    expect((await a.call({ op: 'refresh', id: 'sd', family: 'ipv4' })).sent).toBe(true);
    const eorr = await a.waitEvent('sd', 'EoRR', (l) => l.event === 'routeRefresh' && l.subtype === 2, {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    const after = a.lines
      .slice(from)
      .filter((l) => l.id === 'sd' && (l.event === 'routeRefresh' || l.event === 'update'));
    expect(
      after.map((l) => (l.event === 'update' ? (l.prefixes as string[]).join() : `RR${String(l.subtype)}`)),
    ).toEqual(['RR1', '203.0.113.240/28', 'RR2']);
    expect(eorr).toBeDefined();
    expect(stats(await protocol('sd'), 'Export updates')[4]).toBeGreaterThan(exportBefore);
  });

  it('NOTIFICATION with an RFC 8203/9003 shutdown communication, both ways', async () => {
    let from = a.lines.length;
    await show('disable sd "bird says goodbye"');
    const received = await a.waitEvent('sd', 'Cease from BIRD', isNotification('received', 6, 2), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    expect(received.communication).toBe('bird says goodbye');
    from = a.lines.length;
    await show('enable sd');
    await a.waitEstablished('sd', { timeoutMs: UP_TIMEOUT_MS, from });

    await a.call({ op: 'stop', id: 'sd', shutdownCommunication: 'herald maintenance window' });
    expect(a.events('sd', 'notification').at(-1)).toMatchObject({
      direction: 'sent',
      code: 6,
      subcode: 2,
      communication: 'herald maintenance window',
    });
    const view = await waitFor(
      async () => {
        const text = await protocol('sd');
        return text.includes('Received: Administrative shutdown') && text;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'BIRD to show our Cease' },
    );
    expect(view).toMatch(/Message:\s+herald maintenance window/);
  });

  it('graceful restart: BIRD keeps our routes while we restart, then drops the one we no longer announce after End-of-RIB', async () => {
    const g = await startAgent();
    const gr = session('gr', { gracefulRestart: { restartTimeS: 30, restarted: false } });
    await addSession(g, 'gr', gr, [{ prefix: '203.0.113.112/28' }, { prefix: '203.0.113.128/28' }]);
    await g.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => (await show('show route protocol gr')).includes('203.0.113.128/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'both routes in BIRD',
    });
    await g.kill();
    const restarting = await waitFor(
      async () => {
        const text = await protocol('gr');
        return text.includes('Neighbor graceful restart active') && text;
      },
      { timeoutMs: CHANGE_TIMEOUT_MS, what: 'BIRD to start the graceful restart' },
    );
    expect(restarting).toMatch(/Restart timer:\s+[\d.]+/);
    expect(await show('show route protocol gr')).toMatch(
      /203\.0\.113\.112\/28[\s\S]*203\.0\.113\.128\/28|203\.0\.113\.128\/28[\s\S]*203\.0\.113\.112\/28/,
    );

    const watcher = gapWatcher(async () =>
      (await show('show route for 203.0.113.112/28')).includes('203.0.113.112/28'),
    );
    const g2 = await startAgent();
    await addSession(g2, 'gr', { ...gr, gracefulRestart: { restartTimeS: 30, restarted: true } }, [
      { prefix: '203.0.113.112/28' },
    ]);
    await g2.waitEstablished('gr', { timeoutMs: UP_TIMEOUT_MS });
    await waitFor(async () => !(await show('show route protocol gr')).includes('203.0.113.128/28'), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      what: 'BIRD to flush the stale route after our End-of-RIB',
    });
    expect(await watcher.stop()).toBe(0);
    const recovered = await protocol('gr');
    expect(recovered).not.toContain('Neighbor graceful restart active');
    expect(recovered).toMatch(/Restart time: 30\s+Restart recovery/);
    expect(await show('show route protocol gr')).toContain('203.0.113.112/28');
    await g2.kill();
  });

  it('BFD runs alongside BGP: Up in both views; our AdminDown makes BIRD drop the BGP session at once; back Up', async () => {
    await a.waitEvent('b', 'BFD Up', (l) => l.event === 'bfd-state' && l.to === 'Up', {
      timeoutMs: UP_TIMEOUT_MS,
    });
    expect(await show('show bfd sessions')).toMatch(
      new RegExp(`${t.pair(PAIR.bf).ours.replace(/\./g, '\\.')}\\s+p0\\s+Up`),
    );
    let from = a.lines.length;
    const downAt = Date.now();
    await a.call({ op: 'bfd-admin-down', id: 'b' });
    await a.waitEvent('bf', 'Cease from BIRD', isNotification('received', 6), {
      timeoutMs: CHANGE_TIMEOUT_MS,
      from,
    });
    expect(Date.now() - downAt).toBeLessThan(9_000); // well inside the 9 s hold time: BFD, not the hold timer
    expect(await protocol('bf')).toContain('BFD session down');
    from = a.lines.length;
    await a.call({ op: 'bfd-start', id: 'b' });
    await a.waitEvent('b', 'BFD Up again', (l) => l.event === 'bfd-state' && l.to === 'Up', {
      timeoutMs: UP_TIMEOUT_MS,
      from,
    });
    await a.waitEstablished('bf', { timeoutMs: UP_TIMEOUT_MS, from });
    await birdEstablished('bf');
  });

  it('hold timer: BIRD drops a frozen bgp-ts-lite with Hold Timer Expired', async () => {
    const h = await startAgent();
    await addSession(h, 'ht', session('ht', { holdTimeS: 3 }), [{ prefix: '203.0.113.176/28' }]);
    await h.waitEstablished('ht', { timeoutMs: UP_TIMEOUT_MS });
    await birdEstablished('ht');
    h.freeze();
    try {
      await waitFor(() => /ht: Error: Hold timer expired/.test(bird.log()), {
        timeoutMs: CHANGE_TIMEOUT_MS,
        what: 'BIRD to log the hold timer expiry',
      });
      expect(await protocol('ht')).not.toMatch(/BGP state:\s+Established/);
    } finally {
      h.thaw();
    }
    await h.kill();
  });

  it('hold timer: a frozen BIRD is dropped with HoldTimer_Expires and NOTIFICATION code 4; BFD notices first', async () => {
    const from = a.lines.length;
    const daemon = bird.processes[0];
    if (daemon === undefined) throw new Error('no BIRD process');
    freezePid(daemon.pid);
    try {
      const bfdDown = await a.waitEvent('b', 'BFD Down', (l) => l.event === 'bfd-state' && l.to === 'Down', {
        timeoutMs: CHANGE_TIMEOUT_MS,
        from,
      });
      expect(bfdDown.diagnostic).toBe('Control Detection Time Expired');
      const dropped = await a.waitEvent(
        's4',
        'hold timer expiry',
        (l) => l.event === 'state' && l.from === 'Established',
        { timeoutMs: CHANGE_TIMEOUT_MS, from },
      );
      expect(dropped.reason).toBe('hold-timer-expired');
      const sent = await a.waitEvent('s4', 'NOTIFICATION sent', isNotification('sent', 4, 0), {
        timeoutMs: CHANGE_TIMEOUT_MS,
        from,
      });
      expect(sent.at - dropped.at).toBeLessThan(1_000);
      expect(bfdDown.at).toBeLessThanOrEqual(dropped.at);
    } finally {
      thawPid(daemon.pid);
    }
  });
});
