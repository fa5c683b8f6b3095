/**
 * The virtual-machine scenario (OpenShift Virtualization, KubeVirt, vSphere VM Service): VMs are extra
 * namespaces behind nodes (a veth plays the VM's tap; VM k is 198.51.100.k and 2001:db8:100::k, routed via
 * its node), represented by virt-launcher-like Pods that share the label app.kubernetes.io/part-of=vm-web.
 * The Service lab/vm-web selects that label; the lab is the endpoint controller (EndpointSlices from the
 * launcher Pods) and kube-proxy: every node DNATs VIP:80 to a ready VM endpoint with nftables and
 * masquerades, so replies return through the node that owns the VIP. See docs/lab.md.
 */
import { serviceIps, until, type LabContext } from './context.js';
import { endpointSlices, namespaceBody, paths, podStatus, type LabPod } from './objects.js';
import {
  BACKEND_PORT,
  createIfMissing,
  createPod,
  createService,
  LAB_NS,
  startBackend,
  type ServiceRef,
} from './pods.js';
import type { NodeNet } from './topology.js';

export const VM_SELECTOR = { 'app.kubernetes.io/part-of': 'vm-web' } as const;
const VM_SERVICE = 'vm-web';
const NFT_TABLE = 'herald_lab';
const VM_WAIT_MS = 20_000;

export interface VmNet {
  name: string;
  index: number;
  ns: string;
  host: NodeNet;
  ipv4: string;
  ipv6: string | undefined;
  pod: LabPod;
}

export interface VmScenario {
  service: ServiceRef;
  vms: VmNet[];
  /** The lab as node lifecycle controller: VMs on this node become not ready; every node resyncs. */
  failNode(node: string): Promise<void>;
  /** Ready again (after linkUp, which also restores the node's routes to remote VMs). */
  recoverNode(node: string): Promise<void>;
  /** Re-installs the node's routes to the VMs behind other nodes (lost when its link went down). */
  restoreRoutes(node: string): Promise<void>;
}

async function buildVm(ctx: LabContext, index: number, host: NodeNet): Promise<VmNet> {
  const { lab, topology } = ctx;
  const ns = await lab.addNamespace(`v${index}`);
  const tap = `vm${index}`;
  await lab.veth(host.ns, tap, ns, 'eth0');
  const vm = { ipv4: `198.51.100.${index}`, gw4: `198.51.100.${100 + index}` };
  const v6 = topology.ipv6 ? { ip: `2001:db8:100::${index}`, gw: `2001:db8:100::${100 + index}` } : undefined;
  await lab.addAddress(ns, 'eth0', `${vm.ipv4}/32`);
  await lab.addAddress(host.ns, tap, `${vm.gw4}/32`);
  await lab.addRoute(ns, vm.gw4, 'dev', 'eth0');
  await lab.addRoute(ns, 'default', 'via', vm.gw4, 'dev', 'eth0');
  await lab.addRoute(host.ns, `${vm.ipv4}/32`, 'dev', tap);
  if (v6) {
    await lab.addAddress(ns, 'eth0', `${v6.ip}/128`);
    await lab.addAddress(host.ns, tap, `${v6.gw}/128`);
    await lab.addRoute(ns, v6.gw, 'dev', 'eth0');
    await lab.addRoute(ns, 'default', 'via', v6.gw, 'dev', 'eth0');
    await lab.addRoute(host.ns, `${v6.ip}/128`, 'dev', tap);
  }
  const name = `vm-${index}`;
  const pod: LabPod = {
    namespace: LAB_NS,
    name: `virt-launcher-${name}`,
    nodeName: host.name,
    labels: { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': name, ...VM_SELECTOR },
    ips: [vm.ipv4, ...(v6 ? [v6.ip] : [])],
    ready: true,
  };
  return { name, index, ns, host, ipv4: vm.ipv4, ipv6: v6?.ip, pod };
}

/**
 * Routes from a node to the VMs behind the other nodes (via those nodes' eth0). `replace`, because a
 * link down removes them and linkUp puts them back.
 */
export async function routeToRemoteVms(ctx: LabContext, vms: readonly VmNet[], node: NodeNet): Promise<void> {
  for (const vm of vms.filter((v) => v.host !== node)) {
    await ctx.lab.exec(node.ns, ['ip', 'route', 'replace', `${vm.ipv4}/32`, 'via', vm.host.ipv4]);
    if (vm.ipv6 && vm.host.ipv6) {
      await ctx.lab.exec(node.ns, ['ip', '-6', 'route', 'replace', `${vm.ipv6}/128`, 'via', vm.host.ipv6]);
    }
  }
}

interface ReadyEndpoints {
  IPv4: string[];
  IPv6: string[];
}

/** kube-proxy's view: the ready endpoint addresses of the Service's EndpointSlices, per family. */
async function readyEndpoints(ctx: LabContext): Promise<ReadyEndpoints> {
  const selector = encodeURIComponent(`kubernetes.io/service-name=${VM_SERVICE}`);
  const slices = await ctx.api.list(`${paths.endpointSlices(LAB_NS)}?labelSelector=${selector}`);
  const out: ReadyEndpoints = { IPv4: [], IPv6: [] };
  for (const slice of slices) {
    const family = slice.addressType as 'IPv4' | 'IPv6';
    const endpoints = (slice.endpoints ?? []) as { addresses: string[]; conditions?: { ready?: boolean } }[];
    for (const ep of endpoints) if (ep.conditions?.ready !== false) out[family]?.push(...ep.addresses);
  }
  return out;
}

function dnatRule(vip: string, targets: readonly string[]): string {
  const fam = vip.includes(':') ? 'ip6' : 'ip';
  const match = `${fam} daddr ${vip} tcp dport ${BACKEND_PORT}`;
  if (targets.length === 0) return `${match} reject`;
  if (targets.length === 1) return `${match} dnat ${fam} to ${targets[0]}`;
  const map = targets.map((t, i) => `${i} : ${t}`).join(', ');
  return `${match} dnat ${fam} to numgen random mod ${targets.length} map { ${map} }`;
}

/** The nftables ruleset of one node: DNAT each VIP to its family's ready endpoints, masquerade DNATed flows. */
export function proxyRuleset(vips: readonly string[], ready: ReadyEndpoints): string {
  const rules = vips.map((vip) => `    ${dnatRule(vip, vip.includes(':') ? ready.IPv6 : ready.IPv4)}`);
  return [
    `table inet ${NFT_TABLE} {}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...rules,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    '    ct status dnat masquerade',
    '  }',
    '}',
    '',
  ].join('\n');
}

async function syncProxy(ctx: LabContext, vips: readonly string[]): Promise<void> {
  const ruleset = proxyRuleset(vips, await readyEndpoints(ctx));
  for (const node of ctx.topology.nodes) await ctx.lab.exec(node.ns, ['nft', '-f', '-'], { input: ruleset });
}

async function setReady(ctx: LabContext, vms: readonly VmNet[], ready: boolean): Promise<void> {
  for (const vm of vms) {
    vm.pod.ready = ready;
    await ctx.api.patch(`${paths.pods(LAB_NS)}/${vm.pod.name}/status`, podStatus(vm.pod));
  }
}

async function updateSlices(ctx: LabContext, all: readonly VmNet[]): Promise<void> {
  const families: ('IPv4' | 'IPv6')[] = ctx.topology.ipv6 ? ['IPv4', 'IPv6'] : ['IPv4'];
  const slices = endpointSlices(
    LAB_NS,
    VM_SERVICE,
    VM_SELECTOR,
    all.map((v) => v.pod),
    families,
  );
  for (const slice of slices as { metadata: { name: string }; endpoints: unknown }[]) {
    await ctx.api.patch(`${paths.endpointSlices(LAB_NS)}/${slice.metadata.name}`, {
      endpoints: slice.endpoints,
    });
  }
}

export async function setupVms(ctx: LabContext): Promise<VmScenario> {
  const nodes = ctx.topology.nodes;
  const vms: VmNet[] = [];
  for (let index = 1; index <= 2; index++)
    vms.push(await buildVm(ctx, index, nodes[(index - 1) % nodes.length]!));
  for (const node of nodes) await routeToRemoteVms(ctx, vms, node);
  for (const vm of vms) startBackend(ctx, vm.ns, vm.name);
  for (const vm of vms) {
    for (const ip of [vm.ipv4, ...(vm.ipv6 ? [vm.ipv6] : [])]) {
      const host = ip.includes(':') ? `[${ip}]` : ip;
      const argv = ['curl', '-sS', '-g', '--max-time', '1', `http://${host}:${BACKEND_PORT}/`];
      await until(
        ctx,
        async () => (await ctx.lab.exec(vm.host.ns, argv)).stdout.trim() === vm.name,
        VM_WAIT_MS,
        `${vm.name} to answer on ${ip}`,
        200,
      );
    }
  }
  ctx.log(`VMs ${vms.map((v) => `${v.name} (${v.ipv4} behind ${v.host.name})`).join(', ')} answer`);
  await createIfMissing(ctx, paths.namespaces, namespaceBody(LAB_NS));
  for (const vm of vms) await createPod(ctx, vm.pod, false);
  const service = await createService(
    ctx,
    VM_SERVICE,
    { ...VM_SELECTOR },
    vms.map((v) => v.pod),
  );
  await syncProxy(ctx, service.ips);
  ctx.log(
    `every node DNATs ${service.ips.join(' and ')} port ${BACKEND_PORT} to the ready VMs (nftables, kube-proxy style)`,
  );
  const onNode = (node: string) => vms.filter((v) => v.host.name === node);
  return {
    service,
    vms,
    async failNode(node) {
      await setReady(ctx, onNode(node), false);
      await updateSlices(ctx, vms);
      await syncProxy(ctx, service.ips);
    },
    async restoreRoutes(node) {
      const net = nodes.find((n) => n.name === node);
      if (net) await routeToRemoteVms(ctx, vms, net);
    },
    async recoverNode(node) {
      await setReady(ctx, onNode(node), true);
      await updateSlices(ctx, vms);
      await syncProxy(ctx, await serviceIps(ctx.api, LAB_NS, VM_SERVICE));
    },
  };
}
