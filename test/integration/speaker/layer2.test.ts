// Layer 2 end to end (issue #4 §6): a three-node lab cluster in network namespaces (src/lab), real
// `herald apiserver`, `herald controller` and one `herald speaker` per node, HTTP backends on every node
// answering their node name, the dual-stack Service lab/web. From the client namespace, iputils arping
// and ndisc6 must see exactly one MAC per VIP, the owner's eth0, and the owner must be the node MetalLB's
// ranking picks. Then three failovers of the owner: kill -9 of its speaker, its link down, and a graceful
// SIGTERM (leave, withdraw, ServiceL2Status deleted). Namespace prefix hel2.
import { isIPv4, isIPv6 } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LabCluster } from '../../../src/lab/cluster.js';
import {
  announcersFromLogs,
  arping,
  diagnostics,
  l2Statuses,
  logMark,
  logSince,
  metricSum,
  metricsText,
  ndisc,
  nodeMacs,
  ranking,
  serviceEvents,
  skipReason,
  statusNodes,
  steadyArpingOwner,
  waitOrExplain,
  type Json,
} from './helpers.js';

const skip = skipReason('the Layer 2 end-to-end tests');
const SVC_NS = 'lab';
const SVC = 'web';
const CONVERGE_MS = 30_000;
const FAILOVER_MS = 15_000;

describe.skipIf(skip !== undefined)('herald speaker, Layer 2, end to end (dual stack)', () => {
  let cluster: LabCluster | undefined;
  let ips: string[] = [];
  let v4 = '';
  let v6 = '';
  let nodes: string[] = [];
  /** MetalLB's ranking for the Service (by its first IP): [owner, next, ...]. */
  let ranked: string[] = [];
  let macOf = new Map<string, string>();
  const c = (): LabCluster => {
    if (cluster === undefined) throw new Error('the lab cluster did not start');
    return cluster;
  };
  const explain = (): string => diagnostics(c());

  /** Until the client reaches both VIPs through `node` (arping MAC, curl body) and only it has a status. */
  async function waitOwner(node: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    await waitOrExplain(
      c(),
      async () => {
        for (const ip of ips) if ((await c().curl(ip, 1_000)) !== node) return false;
        return (await statusNodes(c(), SVC_NS, SVC)).join() === node;
      },
      timeoutMs,
      `${node} to serve ${ips.join(' and ')} and be the only ServiceL2Status`,
      100,
    );
    return Date.now() - started;
  }

  beforeAll(async () => {
    cluster = await startCluster({ prefix: 'hel2', nodes: 3, ipv6: true, scenario: 'pods' });
    ips = c().pods?.ips ?? [];
    v4 = ips.find((ip) => isIPv4(ip)) ?? '';
    v6 = ips.find((ip) => isIPv6(ip)) ?? '';
    nodes = c().nodes.map((n) => n.name);
    ranked = ranking(nodes, ips[0] ?? '');
    macOf = new Map([...(await nodeMacs(c()))].map(([mac, node]) => [node, mac]));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('gives the Service an IPv4 and an IPv6 address, announced by the node MetalLB ranks first', async () => {
    expect(ips).toHaveLength(2);
    expect(v4).toMatch(/^192\.0\.2\.2\d\d$/u);
    expect(v6).toMatch(/^2001:db8::2[0-9a-f]{2}$/u);
    const owner = ranked[0]!;
    await waitOrExplain(
      c(),
      async () => (await statusNodes(c(), SVC_NS, SVC)).join() === owner,
      CONVERGE_MS,
      `exactly one ServiceL2Status, on ${owner}`,
    );
    // The speaker logs agree: the owner's last word on each VIP is "announcing", nobody else's is.
    await waitOrExplain(
      c(),
      () => ips.every((ip) => announcersFromLogs(c(), ip).join() === owner),
      5_000,
      `only ${owner} to log "announcing" for ${ips.join(', ')}`,
    );
  });

  it('answers ARP and NDP for the VIPs with exactly one MAC: the owner eth0', async () => {
    const ownerMac = macOf.get(ranked[0]!)!;
    const arp = await arping(c(), v4, 3);
    expect(arp.macs, `arping ${v4}:\n${arp.output}\n${explain()}`).toEqual([ownerMac]);
    expect(arp.replies, arp.output).toBe(3);
    const nd = await ndisc(c(), v6);
    expect(nd.macs, `ndisc6 ${v6}:\n${nd.output}\n${explain()}`).toEqual([ownerMac]);
  });

  it('carries traffic: ping and curl reach both VIPs, and the owner backend answers', async () => {
    for (const ip of ips) {
      const ping = await c().clientExec(['ping', '-n', '-c', '2', '-W', '2', ip], 10_000);
      expect(ping.stdout).toMatch(/2 received/u);
      expect(await c().curl(ip), explain()).toBe(ranked[0]);
    }
  });

  it('writes one ServiceL2Status for the Service, as MetalLB does, plus the MAC annotation', async () => {
    const owner = ranked[0]!;
    const statuses = await l2Statuses(c(), SVC_NS, SVC);
    expect(statuses, JSON.stringify(statuses, null, 1)).toHaveLength(1);
    const st = statuses[0]!;
    const meta = st.metadata as { name: string; namespace: string; labels: Json; annotations: Json };
    expect(meta.name).toMatch(/^l2-/u);
    expect(meta.namespace).toBe('metallb-system');
    expect(meta.labels).toMatchObject({
      'metallb.io/node': owner,
      'metallb.io/service-name': SVC,
      'metallb.io/service-namespace': SVC_NS,
    });
    expect(meta.annotations['herald.io/announcing-macs']).toBe(`eth0=${macOf.get(owner)}`);
    expect(st.status).toEqual({
      node: owner,
      serviceName: SVC,
      serviceNamespace: SVC_NS,
      interfaces: [{ name: 'eth0' }],
    });
  });

  it('records a nodeAssigned event on the Service', async () => {
    const message = `announcing from node "${ranked[0]}" with protocol "layer2"`;
    const events = await waitOrExplain(
      c(),
      async () => {
        const list = await serviceEvents(c(), SVC_NS, SVC, 'nodeAssigned');
        return list.some((e) => e.message === message) ? list : undefined;
      },
      10_000,
      `a nodeAssigned event "${message}"`,
    );
    expect(events.find((e) => e.message === message)?.type).toBe('Normal');
  });

  it('exports metallb_speaker_announced and metallb_layer2_responses_sent on the owner only', async () => {
    const [owner, other] = ranked as [string, string];
    const text = await metricsText(c(), owner);
    for (const ip of ips) {
      expect(metricSum(text, 'metallb_speaker_announced', { ip, node: owner, protocol: 'layer2' })).toBe(1);
    }
    expect(metricSum(text, 'metallb_layer2_responses_sent', { ip: v4 })).toBeGreaterThan(0);
    expect(metricSum(text, 'metallb_layer2_responses_sent', { ip: v6 })).toBeGreaterThan(0);
    const otherText = await metricsText(c(), other);
    expect(metricSum(otherText, 'metallb_speaker_announced', { ip: v4 })).toBe(0);
    expect(metricSum(otherText, 'metallb_layer2_responses_sent', { ip: v4 })).toBe(0);
  });

  it('fails over when the owner speaker is killed (kill -9): the next-ranked node takes over', async () => {
    const [owner, next] = ranked as [string, string];
    await c().killSpeaker(owner, 'SIGKILL');
    const t0 = Date.now();
    await waitOrExplain(
      c(),
      async () => {
        for (const ip of ips) if ((await c().curl(ip, 500)) !== next) return false;
        const arp = await arping(c(), v4, 1);
        return arp.macs.join() === macOf.get(next) && (await statusNodes(c(), SVC_NS, SVC)).includes(next);
      },
      FAILOVER_MS,
      `${next} to answer for ${ips.join(' and ')} after kill -9 of the speaker on ${owner}`,
      50,
    );
    console.info(
      `[hel2] kill -9 of ${owner}: ${next} serves the VIPs after ${Date.now() - t0} ms; ` +
        `ServiceL2Status nodes now: ${(await statusNodes(c(), SVC_NS, SVC)).join(', ')}`,
    );
    const nd = await ndisc(c(), v6, 2);
    expect(nd.macs, nd.output).toEqual([macOf.get(next)]);
    expect(announcersFromLogs(c(), v4)).toContain(next);
  });

  it('moves back to the first-ranked node when its speaker restarts, then fails over on link down', async () => {
    const [owner, next] = ranked as [string, string];
    const restartAt = Date.now();
    await c().restartSpeaker(owner);
    console.info(`[hel2] speaker on ${owner} restarted and ready in ${Date.now() - restartAt} ms`);
    const back = await waitOwner(owner, CONVERGE_MS);
    console.info(`[hel2] ${owner} owns the VIPs again ${back} ms after its speaker was ready`);
    await steadyArpingOwner(c(), v4, { rounds: 2, maxRounds: 6, expect: owner });

    await c().linkDown(owner);
    const t0 = Date.now();
    await waitOrExplain(
      c(),
      async () => {
        for (const ip of ips) if ((await c().curl(ip, 500)) !== next) return false;
        return (await arping(c(), v4, 1)).macs.join() === macOf.get(next);
      },
      FAILOVER_MS,
      `${next} to answer for ${ips.join(' and ')} after ${owner} eth0 went down`,
      50,
    );
    console.info(`[hel2] link down on ${owner}: ${next} serves the VIPs after ${Date.now() - t0} ms`);

    await c().linkUp(owner);
    const again = await waitOwner(owner, CONVERGE_MS);
    console.info(`[hel2] link up on ${owner}: it owns the VIPs again after ${again} ms`);
  }, 180_000);

  it('hands over on SIGTERM: leave, withdraw, ServiceL2Status deleted, next node serves', async () => {
    const [owner, next] = ranked as [string, string];
    const mark = logMark(c(), owner);
    await c().killSpeaker(owner, 'SIGTERM');
    await waitOrExplain(
      c(),
      async () => {
        for (const ip of ips) if ((await c().curl(ip, 500)) !== next) return false;
        return (await statusNodes(c(), SVC_NS, SVC)).join() === next;
      },
      FAILOVER_MS,
      `${next} to take over from the stopped speaker on ${owner} and ${owner}'s ServiceL2Status to go`,
      100,
    );
    const entries = logSince(c(), owner, mark);
    const msgs = entries.map((e) => String(e.msg));
    const tail = `log of ${owner} since SIGTERM:\n${msgs.join('\n')}\n${explain()}`;
    expect(msgs, tail).toContain('stopping: handing over');
    expect(msgs, tail).toContain('membership leave sent');
    // Leaving drops this node from its own live set, so the withdrawal may be logged with the reason
    // "owner is <next>" rather than "shutdown"; either way each VIP is withdrawn after the stop began.
    for (const ip of ips)
      expect(
        entries.some((e) => e.msg === 'withdrawn' && e.ip === ip),
        tail,
      ).toBe(true);
    const arp = await arping(c(), v4, 2);
    expect(arp.macs, arp.output).toEqual([macOf.get(next)]);
  });
});
