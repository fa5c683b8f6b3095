/**
 * The lab's network: one bridge in its own namespace (<prefix>br) and, on it, the control plane
 * (<prefix>cp, 192.0.2.2), the nodes (<prefix>n1.., node-N at 192.0.2.1N and 2001:db8::1N) and the client
 * (<prefix>c, 192.0.2.100 and 2001:db8::100), each with eth0 on a veth to the bridge. Node namespaces get
 * the sysctls a LoadBalancer VIP on `lo` needs (arp_ignore=1, arp_announce=2), keep their IPv6 addresses
 * across a link down, and forward (for the VM scenario). Links go down and up per node.
 */
import type { Lab } from './netns.js';
import type { LabNode } from './objects.js';

export const CP_IPV4 = '192.0.2.2';
export const CP_IPV6 = '2001:db8::2';
export const CLIENT_IPV4 = '192.0.2.100';
export const CLIENT_IPV6 = '2001:db8::100';
export const IPV4_PREFIX_LEN = 24;
export const IPV6_PREFIX_LEN = 64;
export const POOL_RANGES = ['192.0.2.200-192.0.2.220', '2001:db8::200-2001:db8::220'] as const;
const BRIDGE = 'br0';
export const UPLINK = 'eth0';

export interface NodeNet extends LabNode {
  index: number;
  ns: string;
}

export interface Topology {
  bridgeNs: string;
  cpNs: string;
  clientNs: string;
  nodes: NodeNet[];
  ipv6: boolean;
}

export function nodeAddresses(index: number, ipv6: boolean): LabNode {
  return {
    name: `node-${index}`,
    ipv4: `192.0.2.${10 + index}`,
    ...(ipv6 && { ipv6: `2001:db8::${10 + index}` }),
  };
}

async function member(lab: Lab, bridgeNs: string, short: string, v4: string, v6: string | undefined) {
  const ns = await lab.addNamespace(short);
  for (const scope of ['all', 'default'])
    await lab.sysctl(ns, `net.ipv6.conf.${scope}.keep_addr_on_down`, '1');
  await lab.veth(ns, UPLINK, bridgeNs, short);
  await lab.sysctl(ns, `net.ipv6.conf.${UPLINK}.keep_addr_on_down`, '1');
  await lab.sysctl(ns, `net.ipv6.conf.${UPLINK}.accept_dad`, '0');
  await lab.addAddress(ns, UPLINK, `${v4}/${IPV4_PREFIX_LEN}`);
  if (v6 !== undefined) await lab.addAddress(ns, UPLINK, `${v6}/${IPV6_PREFIX_LEN}`);
  return ns;
}

/** Sysctls of a node: only the speaker answers ARP/NDP for VIPs on lo; forwarding for the VM scenario. */
async function nodeSysctls(lab: Lab, ns: string): Promise<void> {
  const settings: [string, string][] = [
    ['net.ipv4.conf.all.arp_ignore', '1'],
    ['net.ipv4.conf.all.arp_announce', '2'],
    ['net.ipv4.conf.all.rp_filter', '0'],
    ['net.ipv4.conf.default.rp_filter', '0'],
    ['net.ipv4.ip_forward', '1'],
    ['net.ipv6.conf.all.forwarding', '1'],
  ];
  for (const [key, value] of settings) await lab.sysctl(ns, key, value);
}

export async function buildTopology(lab: Lab, nodeCount: number, ipv6: boolean): Promise<Topology> {
  const bridgeNs = await lab.addNamespace('br');
  const cpNs = await member(lab, bridgeNs, 'cp', CP_IPV4, ipv6 ? CP_IPV6 : undefined);
  const nodes: NodeNet[] = [];
  for (let index = 1; index <= nodeCount; index++) {
    const addresses = nodeAddresses(index, ipv6);
    const ns = await member(lab, bridgeNs, `n${index}`, addresses.ipv4, addresses.ipv6);
    await nodeSysctls(lab, ns);
    nodes.push({ ...addresses, index, ns });
  }
  const clientNs = await member(lab, bridgeNs, 'c', CLIENT_IPV4, ipv6 ? CLIENT_IPV6 : undefined);
  const ports = ['cp', ...nodes.map((n) => `n${n.index}`), 'c'];
  await lab.bridge(bridgeNs, BRIDGE, ports);
  await lab.exec(bridgeNs, ['ip', 'link', 'set', BRIDGE, 'type', 'bridge', 'mcast_snooping', '0']);
  return { bridgeNs, cpNs, clientNs, nodes, ipv6 };
}

export async function setLink(lab: Lab, node: NodeNet, up: boolean): Promise<void> {
  await lab.exec(node.ns, ['ip', 'link', 'set', UPLINK, up ? 'up' : 'down']);
}

/** Puts (or removes) a LoadBalancer address on lo as /32 or /128, as kube-proxy's IPVS mode would. */
export async function setVipOnLo(lab: Lab, node: NodeNet, ip: string, present: boolean): Promise<void> {
  const cidr = ip.includes(':') ? `${ip}/128` : `${ip}/32`;
  const argv = ['ip', 'addr', present ? 'replace' : 'del', cidr, 'dev', 'lo'];
  await lab.exec(node.ns, argv);
}

/** The MAC address of a namespace's eth0. */
export async function uplinkMac(lab: Lab, ns: string): Promise<string> {
  const { stdout } = await lab.exec(ns, ['ip', '-j', 'link', 'show', UPLINK]);
  const [link] = JSON.parse(stdout) as { address?: string }[];
  return link?.address ?? '';
}
