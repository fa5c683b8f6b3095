/**
 * The lab harness end to end (prefix hlab): namespaces, `herald apiserver`, `herald controller`, three
 * `herald speaker`s, the objects the lab creates, backends on node addresses, the VM scenario's DNAT,
 * the client reaching the VIPs over IPv4 and IPv6, ServiceL2Status agreeing with the client's neighbour
 * table, failover after a speaker is killed and its link taken down (pods and VMs), and stop() removing
 * every namespace and process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LabCluster } from '../../../src/lab/cluster.js';
import { demonstrate, restore } from '../../../src/lab/scenario.js';
import { TUNED_SPEAKER_ARGS } from '../../../src/lab/main.js';
import { listNamespaces, namespacePids, pidAlive, requireRoot } from '../../helpers/netns.js';
import { existsSync } from 'node:fs';

const PREFIX = 'hlab';
const skip = requireRoot('lab tests');
const TOOLS = ['/usr/sbin/nft', '/usr/bin/curl', '/usr/bin/kubectl'];
const missing = TOOLS.filter((t) => !existsSync(t));
if (skip === undefined && missing.length > 0) {
  if (process.env.CI === 'true')
    throw new Error(`lab tests need ${missing.join(', ')}, and CI=true forbids skipping`);
  console.warn(`SKIPPED: lab tests need ${missing.join(', ')}`);
}

describe.skipIf(skip !== undefined || missing.length > 0)('lab cluster harness', () => {
  let c: LabCluster;
  const lines: string[] = [];

  beforeAll(async () => {
    c = await startCluster({
      prefix: PREFIX,
      scenario: 'both',
      speakerArgs: TUNED_SPEAKER_ARGS,
      log: (l) => lines.push(l),
    });
  }, 240_000);

  afterAll(async () => {
    await c?.stop();
  }, 60_000);

  it('builds the namespaces and creates the objects a kubelet and endpoint controller would', async () => {
    const names = (await listNamespaces()).filter((n) => n.startsWith(PREFIX));
    expect(names.sort()).toEqual([
      'hlabbr',
      'hlabc',
      'hlabcp',
      'hlabn1',
      'hlabn2',
      'hlabn3',
      'hlabv1',
      'hlabv2',
    ]);
    const nodes = JSON.parse(await c.kubectl(['get', 'nodes', '-o', 'json'])) as {
      items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
    };
    expect(nodes.items.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(
      nodes.items.every((n) => n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'True')),
    ).toBe(true);
    const pods = await c.kubectl([
      'get',
      'pods',
      '-n',
      'metallb-system',
      '-l',
      'app=metallb,component=speaker',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.status.podIP}{"\\n"}{end}',
    ]);
    expect(pods.trim().split('\n')).toEqual([
      'speaker-node-1 node-1 Running 192.0.2.11',
      'speaker-node-2 node-2 Running 192.0.2.12',
      'speaker-node-3 node-3 Running 192.0.2.13',
    ]);
    const slices = await c.kubectl([
      'get',
      'endpointslices',
      '-n',
      'lab',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.endpoints[*].addresses[0]}{"\\n"}{end}',
    ]);
    expect(slices.trim().split('\n').sort()).toEqual([
      'vm-web-ipv4=198.51.100.1 198.51.100.2',
      'vm-web-ipv6=2001:db8:100::1 2001:db8:100::2',
      'web-ipv4=192.0.2.11 192.0.2.12 192.0.2.13',
      'web-ipv6=2001:db8::11 2001:db8::12 2001:db8::13',
    ]);
  });

  it('applies YAML and reads it back with kubectl inside the control-plane namespace', async () => {
    const yaml =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hlab-probe, namespace: lab}\ndata: {k: v}\n';
    expect(await c.applyYaml(yaml)).toMatch(/configmap\/hlab-probe created/);
    expect(await c.kubectl(['get', 'configmap', '-n', 'lab', 'hlab-probe', '-o', 'jsonpath={.data.k}'])).toBe(
      'v',
    );
  });

  it('gets dual-stack VIPs from the controller and the backends answer on node addresses', async () => {
    expect(await c.serviceIps('lab', 'web')).toEqual(['192.0.2.200', '2001:db8::200']);
    expect(await c.serviceIps('lab', 'vm-web')).toEqual(['192.0.2.201', '2001:db8::201']);
    for (const node of c.nodes) {
      expect(await c.curl(node.ipv4)).toBe(node.name);
      expect(await c.curl(node.ipv6!)).toBe(node.name);
    }
  });

  it('reaches the VIPs from the client over IPv4 and IPv6; status and neighbour table name the same node', async () => {
    for (const ip of c.pods!.ips) {
      const answeredBy = await c.curl(ip);
      const neighbour = await c.neighbourOf(ip);
      expect(neighbour?.node).toBe(answeredBy);
      expect(await c.ownerOf(ip)).toBe(answeredBy);
      // Only the elected speaker answers ARP/NDP for the VIP: the kernels keep quiet (VIP on lo, arp_ignore).
      expect(await c.resolvers(ip)).toEqual([{ mac: neighbour!.mac, node: answeredBy }]);
    }
    for (const ip of c.vms!.service.ips) expect(['vm-1', 'vm-2']).toContain(await c.curl(ip));
  });

  it('fails over the pods VIPs when the owner speaker is killed and its link goes down', async () => {
    const report = await demonstrate(c, 'pods', c.pods!);
    for (const r of report.failover) {
      expect(r.ms, `failover of ${r.ip}`).toBeDefined();
      expect(r.answeredBy).not.toBe(report.failedNode);
      expect((await c.neighbourOf(r.ip))?.node).toBe(r.answeredBy);
    }
    expect(lines.some((l) => l.startsWith('failover IPv6 2001:db8::200: answered by'))).toBe(true);
    await restore(c, report.failedNode);
    for (const ip of c.pods!.ips) expect(c.nodes.map((n) => n.name)).toContain(await c.curl(ip));
  }, 120_000);

  it('fails over the VM VIPs to a VM that is still up', async () => {
    const vms = c.vms!;
    const report = await demonstrate(c, 'vms', vms.service, (node) => vms.failNode(node));
    const survivors = vms.vms.filter((v) => v.host.name !== report.failedNode).map((v) => v.name);
    for (const r of report.failover) {
      expect(r.ms, `failover of ${r.ip}`).toBeDefined();
      expect(survivors).toContain(r.answeredBy);
    }
    await restore(c, report.failedNode, (node) => vms.recoverNode(node));
    // Both VMs serve again through whichever node owns the VIP (DNAT picks one at random per connection).
    for (const ip of vms.service.ips) {
      const answers = new Set<string>();
      for (let i = 0; i < 12; i++) answers.add(await c.curl(ip));
      expect([...answers].sort()).toEqual(['vm-1', 'vm-2']);
    }
  }, 120_000);

  it('stop() kills every process and removes every namespace, and can repeat', async () => {
    const pids = (await Promise.all(c.nodes.map((n) => namespacePids(n.ns)))).flat();
    expect(pids.length).toBeGreaterThanOrEqual(c.nodes.length * 2); // a speaker and a backend per node
    await c.stop();
    await c.stop();
    expect((await listNamespaces()).filter((n) => n.startsWith(PREFIX))).toEqual([]);
    expect(existsSync(c.dir)).toBe(false);
    expect(pids.filter((pid) => pidAlive(pid))).toEqual([]);
  }, 60_000);
});
