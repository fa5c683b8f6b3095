// Proves the namespace/daemon harness (test/helpers): each BGP daemon starts in its own namespace, two
// pairs peer over veth links and exchange routes, the query helpers read them, and cleanup leaves no
// namespace or process behind.
//
//   hhar-bird (b0 192.0.2.1) ---- (g0 192.0.2.2) hhar-gobgp     BIRD AS 65001 <-> gobgpd AS 65002
//   hhar-frr  (br0[f0] 192.0.2.5) -- (e0 192.0.2.6) hhar-exa     FRR AS 65003 (+bfdd) <-> ExaBGP AS 65004
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  birdc,
  exabgpCommand,
  exabgpReceived,
  gobgp,
  requireDaemons,
  startBird,
  startExaBgp,
  startFrr,
  startGobgp,
  vtysh,
  waitFor,
  type Bird,
  type ExaBgp,
  type Frr,
  type Gobgp,
} from '../../helpers/daemons.js';
import { Lab, listNamespaces, namespacePids, pidAlive, requireRoot } from '../../helpers/netns.js';

const skip = requireRoot('daemon harness tests') ?? requireDaemons(['bird', 'frr', 'gobgp', 'exabgp']);
const SESSION_TIMEOUT_MS = 30_000;

const BIRD_BODY = `
protocol static announce4 { ipv4; route 198.51.100.0/24 blackhole; }
protocol bgp gobgp from fast {
  local 192.0.2.1 as 65001;
  neighbor 192.0.2.2 as 65002;
  ipv4 { import all; export where proto = "announce4"; };
}`;

const GOBGP_TOML = `
[global.config]
  as = 65002
  router-id = "192.0.2.2"
  local-address-list = ["192.0.2.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "192.0.2.1"
    peer-as = 65001
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
`;

const FRR_BGPD = `
router bgp 65003
 bgp router-id 192.0.2.5
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 192.0.2.6 remote-as 65004
 neighbor 192.0.2.6 timers connect 1
 address-family ipv4 unicast
  network 198.51.100.0/24
 exit-address-family
`;

const EXA_NEIGHBORS = `
neighbor 192.0.2.5 {
  router-id 192.0.2.6;
  local-address 192.0.2.6;
  local-as 65004;
  peer-as 65003;
  family { ipv4 unicast; }
  static { route 203.0.113.0/25 next-hop 192.0.2.6; }
  api { processes [ received ]; receive { parsed; update; } neighbor-changes; }
  api { processes [ commands ]; }
}`;

interface FrrRoutes {
  routes: Record<string, { path: string; nexthops: { ip: string }[] }[]>;
}

describe.skipIf(skip !== undefined)('namespace and BGP daemon harness', () => {
  const lab = new Lab('hhar-');
  let bird: Bird;
  let gobgpd: Gobgp;
  let frr: Frr;
  let exa: ExaBgp;
  const pids: number[] = [];

  beforeAll(async () => {
    await lab.removeStale();
    for (const name of ['bird', 'gobgp', 'frr', 'exa', 'bad']) await lab.addNamespace(name);
    await lab.veth(lab.ns('bird'), 'b0', lab.ns('gobgp'), 'g0');
    await lab.veth(lab.ns('frr'), 'f0', lab.ns('exa'), 'e0');
    await lab.addAddress(lab.ns('bird'), 'b0', '192.0.2.1/30');
    await lab.addAddress(lab.ns('gobgp'), 'g0', '192.0.2.2/30');
    await lab.bridge(lab.ns('frr'), 'br0', ['f0']); // FRR's side sits on a bridge, to exercise Lab.bridge
    await lab.addAddress(lab.ns('frr'), 'br0', '192.0.2.5/30');
    await lab.addAddress(lab.ns('exa'), 'e0', '192.0.2.6/30');
    bird = await startBird(lab, lab.ns('bird'), '192.0.2.1', BIRD_BODY);
    gobgpd = await startGobgp(lab, lab.ns('gobgp'), GOBGP_TOML);
    frr = await startFrr(lab, lab.ns('frr'), { bgpd: FRR_BGPD, bfdd: '' });
    exa = await startExaBgp(lab, lab.ns('exa'), { bind: '192.0.2.6', neighbors: EXA_NEIGHBORS });
    for (const d of [bird, gobgpd, frr, exa]) pids.push(...d.processes.map((proc) => proc.pid));
  }, 90_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  it('BIRD and gobgpd establish a session and see each other routes', async () => {
    await gobgp(gobgpd.socket, ['global', 'rib', 'add', '203.0.113.0/24', '-a', 'ipv4']);
    const rib = await waitFor(
      async () => {
        const table = await gobgp<Record<string, { nlri: { prefix: string } }[]>>(gobgpd.socket, [
          'global',
          'rib',
          '-a',
          'ipv4',
        ]);
        return table?.['198.51.100.0/24'];
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: 'gobgpd to learn 198.51.100.0/24 from BIRD' },
    );
    expect(rib[0]?.nlri.prefix).toBe('198.51.100.0/24');
    const route = await waitFor(
      async () => {
        const text = await birdc(bird.socket, 'show route for 203.0.113.0/24 all');
        return text.includes('BGP.as_path: 65002') && text;
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: 'BIRD to learn 203.0.113.0/24 from gobgpd' },
    );
    expect(route).toMatch(/203\.0\.113\.0\/24\s+unicast \[gobgp /);
    expect(await birdc(bird.socket, 'show protocols gobgp')).toMatch(/Established/);
  });

  it('FRR and ExaBGP establish a session; static and API-announced routes reach FRR', async () => {
    await waitFor(() => exabgpReceived(exa).some((msg) => JSON.stringify(msg).includes('"up"')), {
      timeoutMs: SESSION_TIMEOUT_MS,
      what: 'ExaBGP to report the session up',
    });
    exabgpCommand(exa, 'announce route 203.0.113.128/25 next-hop 192.0.2.6');
    const routes = await waitFor(
      async () => {
        const table = await vtysh<FrrRoutes>(frr.vtyDir, 'show bgp ipv4 unicast json');
        return table.routes['203.0.113.0/25'] !== undefined && table.routes['203.0.113.128/25'] !== undefined
          ? table.routes
          : undefined;
      },
      { timeoutMs: SESSION_TIMEOUT_MS, what: 'FRR to learn both ExaBGP routes' },
    );
    expect(routes['203.0.113.0/25']?.[0]).toMatchObject({ path: '65004', nexthops: [{ ip: '192.0.2.6' }] });
    expect(routes['203.0.113.128/25']?.[0]?.path).toBe('65004');
  });

  it('ExaBGP receives the route FRR announces', async () => {
    const update = await waitFor(
      () => exabgpReceived(exa).find((msg) => JSON.stringify(msg).includes('198.51.100.0/24')),
      { timeoutMs: SESSION_TIMEOUT_MS, what: 'ExaBGP to receive 198.51.100.0/24 from FRR' },
    );
    expect(update).toMatchObject({
      type: 'update',
      neighbor: {
        address: { peer: '192.0.2.5' },
        message: {
          update: {
            attribute: { 'as-path': [65003] },
            announce: { 'ipv4 unicast': { '192.0.2.5': [{ nlri: '198.51.100.0/24' }] } },
          },
        },
      },
    });
  });

  it('FRR bfdd runs and answers through vtysh', async () => {
    expect(await vtysh<unknown[]>(frr.vtyDir, 'show bfd peers json')).toEqual([]);
    expect(frr.processes.map((proc) => proc.argv[0])).toEqual([
      '/usr/lib/frr/zebra',
      '/usr/lib/frr/bgpd',
      '/usr/lib/frr/bfdd',
    ]);
  });

  it('each daemon refuses a broken configuration with its own message and leaves no process', async () => {
    const bad = lab.ns('bad');
    await expect(startBird(lab, bad, '192.0.2.9', 'protocol bogus x { }')).rejects.toThrow(
      /BIRD rejects its config .*bird\.conf/,
    );
    await expect(startFrr(lab, bad, { bgpd: 'router bgp 65009\n bgp no-such-knob' })).rejects.toThrow(
      /FRR in hhar-bad rejected configuration lines:\n.*No such command on config line \d+:\s+bgp no-such-knob/,
    );
    await expect(startGobgp(lab, bad, '[global.config]\n  as = "not a number"\n')).rejects.toThrow(
      /gobgpd rejects its config/,
    );
    await expect(
      startExaBgp(lab, bad, { bind: '127.0.0.1', neighbors: 'neighbor nonsense {' }),
    ).rejects.toThrow(/ExaBGP rejects its config/);
    expect(await namespacePids(bad)).toEqual([]);
  });

  it('removeStale deletes leftover namespaces of its prefix with their processes, and nothing else', async () => {
    const crashed = new Lab('hhar-st-');
    const ns = await crashed.addNamespace('old');
    const leftover = crashed.spawnInNs(ns, ['sleep', '60']);
    await new Lab('hhar-st-').removeStale(); // a new run of the same file
    expect(pidAlive(leftover.pid)).toBe(false);
    const names = await listNamespaces();
    expect(names).not.toContain(ns);
    expect(names).toContain(lab.ns('bird'));
    await expect(crashed.cleanup()).resolves.toBeUndefined();
  });

  it('cleanup kills every daemon by PID and deletes every namespace, and can run again', async () => {
    expect(pids.length).toBeGreaterThanOrEqual(6);
    await lab.cleanup();
    expect(pids.filter(pidAlive)).toEqual([]);
    expect((await listNamespaces()).filter((name) => name.startsWith('hhar-'))).toEqual([]);
    await expect(lab.cleanup()).resolves.toBeUndefined();
  });
});
