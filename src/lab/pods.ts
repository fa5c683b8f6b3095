/**
 * The default scenario: a Service `lab/web` whose backends are host-network Pods, one per node, each an
 * HTTP server answering its node name. The lab plays kubelet (Pod status) and the endpoint controller
 * (EndpointSlices), waits for the controller to assign the dual-stack VIPs and puts them on `lo` of every
 * node, so whichever node the speakers elect receives and answers the traffic.
 */
import { ApiError } from './api.js';
import { serviceIps, until, type LabContext } from './context.js';
import {
  endpointSlices,
  namespaceBody,
  paths,
  podBody,
  podStatus,
  serviceBody,
  type LabPod,
} from './objects.js';
import { programArgv, REPO_ROOT } from './programs.js';
import { setVipOnLo } from './topology.js';
import { join } from 'node:path';

export const LAB_NS = 'lab';
export const BACKEND_PORT = 80;
const VIP_WAIT_MS = 30_000;
const BACKEND_WAIT_MS = 20_000;

export interface ServiceRef {
  namespace: string;
  name: string;
  /** The assigned LoadBalancer IPs, IPv4 first. */
  ips: string[];
}

export async function createIfMissing(ctx: LabContext, collection: string, body: object): Promise<void> {
  try {
    await ctx.api.create(collection, body);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
  }
}

/** Creates a Pod, then sets its status through the status subresource (as kubelet does). */
export async function createPod(ctx: LabContext, pod: LabPod, hostNetwork: boolean): Promise<void> {
  await ctx.api.create(paths.pods(pod.namespace), podBody(pod, hostNetwork));
  await ctx.api.patch(`${paths.pods(pod.namespace)}/${pod.name}/status`, podStatus(pod));
}

/** Creates a LoadBalancer Service with its EndpointSlices and waits until it has one IP per family. */
export async function createService(
  ctx: LabContext,
  name: string,
  selector: Record<string, string>,
  pods: readonly LabPod[],
): Promise<ServiceRef> {
  const families: ('IPv4' | 'IPv6')[] = ctx.topology.ipv6 ? ['IPv4', 'IPv6'] : ['IPv4'];
  await ctx.api.create(paths.services(LAB_NS), serviceBody(LAB_NS, name, selector, ctx.topology.ipv6));
  for (const slice of endpointSlices(LAB_NS, name, selector, pods, families)) {
    await ctx.api.create(paths.endpointSlices(LAB_NS), slice);
  }
  const ips = await until(
    ctx,
    async () => {
      const got = await serviceIps(ctx.api, LAB_NS, name);
      return got.length === families.length ? got : undefined;
    },
    VIP_WAIT_MS,
    `the controller to assign ${families.join(' and ')} addresses to ${LAB_NS}/${name}`,
  );
  ctx.log(`Service ${LAB_NS}/${name} got ${ips.join(' and ')} from the controller`);
  return { namespace: LAB_NS, name, ips };
}

/** Starts the HTTP backend `name` inside namespace ns. */
export function startBackend(ctx: LabContext, ns: string, name: string): void {
  const argv = programArgv('backend', { name, port: BACKEND_PORT });
  ctx.lab.spawnInNs(ns, argv, { logFile: join(ctx.dir, `backend-${name}.log`), cwd: REPO_ROOT });
}

/** curl from the client namespace; the answering backend's name, or throws. */
export async function clientCurl(ctx: LabContext, ip: string, timeoutMs = 2_000): Promise<string> {
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const seconds = (timeoutMs / 1000).toFixed(3);
  const argv = ['curl', '-sS', '-g', '--max-time', seconds, `http://${host}:${BACKEND_PORT}/`];
  const { stdout } = await ctx.lab.exec(ctx.topology.clientNs, argv, { timeoutMs: timeoutMs + 2_000 });
  return stdout.trim();
}

/** Waits until the backend answers on the address with the expected name. */
export async function waitBackend(ctx: LabContext, ip: string, name: string): Promise<void> {
  await until(
    ctx,
    async () => (await clientCurl(ctx, ip, 1_000)) === name,
    BACKEND_WAIT_MS,
    `backend ${name} to answer on ${ip}`,
    200,
  );
}

export async function setupPods(ctx: LabContext): Promise<ServiceRef> {
  await createIfMissing(ctx, paths.namespaces, namespaceBody(LAB_NS));
  const selector = { app: 'web' };
  const pods: LabPod[] = ctx.topology.nodes.map((node) => ({
    namespace: LAB_NS,
    name: `web-${node.name}`,
    nodeName: node.name,
    labels: { ...selector },
    ips: [node.ipv4, ...(node.ipv6 ? [node.ipv6] : [])],
    ready: true,
  }));
  for (const pod of pods) await createPod(ctx, pod, true);
  for (const node of ctx.topology.nodes) startBackend(ctx, node.ns, node.name);
  for (const node of ctx.topology.nodes) {
    await waitBackend(ctx, node.ipv4, node.name);
    if (node.ipv6) await waitBackend(ctx, node.ipv6, node.name);
  }
  ctx.log(`backends answer on every node's own addresses (${ctx.topology.nodes.length} nodes)`);
  const service = await createService(ctx, 'web', selector, pods);
  for (const node of ctx.topology.nodes) {
    for (const ip of service.ips) await setVipOnLo(ctx.lab, node, ip, true);
  }
  ctx.log(`VIPs on lo of every node (arp_ignore=1, arp_announce=2: only Herald answers ARP/NDP for them)`);
  return service;
}
