/**
 * The two demonstrations `npm run lab` walks through on a running LabCluster: the client reaches each
 * VIP over IPv4 and IPv6 (printing which backend answered and which node's MAC the client's neighbour
 * table holds), then the owner node fails (speaker killed with SIGKILL and its link down) and the
 * measured failover is printed; finally the node is brought back. Pods first, then VMs. In the VM
 * scenario the lab also marks the failed node's VMs not ready (as the node lifecycle controller would,
 * later) right after the failure, concurrently with the measurement.
 */
import type { LabCluster } from './cluster.js';
import { measureFailover, type FailoverResult } from './failover.js';
import type { ServiceRef } from './pods.js';
import { unlessAborted, until } from './context.js';

const STATUS_WAIT_MS = 5_000;

export interface ScenarioReport {
  scenario: 'pods' | 'vms';
  before: {
    ip: string;
    answeredBy: string;
    node: string | undefined;
    resolvers: { mac: string; node?: string }[];
  }[];
  failedNode: string;
  failover: FailoverResult[];
}

function family(ip: string): string {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

function resolverText(resolvers: { mac: string; node?: string }[]): string {
  if (resolvers.length === 0) return 'nobody';
  const names = resolvers.map((r) => r.node ?? r.mac);
  return resolvers.length === 1 ? `${names[0]} only` : `${resolvers.length} MACs (${names.join(', ')})!`;
}

async function show(cluster: LabCluster, service: ServiceRef): Promise<ScenarioReport['before']> {
  const out: ScenarioReport['before'] = [];
  for (const ip of service.ips) {
    const answeredBy = await cluster.curl(ip);
    const neighbour = await cluster.neighbourOf(ip);
    const resolvers = await cluster.resolvers(ip);
    const status = await cluster.ownerOf(ip);
    cluster.log(
      `${family(ip)} ${ip}: curl from the client -> "${answeredBy}"; client neighbour entry ` +
        `${neighbour?.mac ?? '?'} = ${neighbour?.node ?? 'unknown'} eth0; ` +
        `${ip.includes(':') ? 'NDP' : 'ARP'} answered by ${resolverText(resolvers)}; ServiceL2Status: ${status ?? 'none yet'}`,
    );
    out.push({ ip, answeredBy, node: neighbour?.node, resolvers });
  }
  return out;
}

function describe(r: FailoverResult): string {
  if (r.ms === undefined) return `${family(r.ip)} ${r.ip}: NO answer within the limit`;
  return `${family(r.ip)} ${r.ip}: answered by "${r.answeredBy}" ${r.ms} ms after the failure (${r.failedRequests} failed requests meanwhile)`;
}

/** Shows the service, fails its owner node, measures, restores the node. */
export async function demonstrate(
  cluster: LabCluster,
  scenario: 'pods' | 'vms',
  service: ServiceRef,
  onFail?: (node: string) => Promise<void>,
): Promise<ScenarioReport> {
  const before = await show(cluster, service);
  const owner = before.find((b) => b.node !== undefined)?.node;
  if (owner === undefined)
    throw new Error(`no node owns ${service.ips.join(', ')} in the client's neighbour table`);
  cluster.log(
    `failing ${owner}: kill -9 of its speaker and its eth0 down; probing every 20 ms from the client`,
  );
  const failover = await measureFailover(
    cluster,
    service.ips,
    async () => {
      await cluster.killSpeaker(owner, 'SIGKILL');
      await cluster.linkDown(owner);
    },
    {},
    onFail && (() => onFail(owner)),
  );
  for (const r of failover) cluster.log(`failover ${describe(r)}`);
  for (const ip of service.ips) {
    const n = await cluster.neighbourOf(ip);
    const statuses = await until(
      cluster,
      async () => {
        const owners = await cluster.ownersOf(ip);
        return owners[0] !== undefined && owners[0] !== owner ? owners : undefined;
      },
      STATUS_WAIT_MS,
      `a ServiceL2Status for ${ip} from a node other than ${owner}`,
    ).catch(unlessAborted(() => cluster.ownersOf(ip)));
    const older = statuses.length > 1 ? ` (older: ${statuses.slice(1).join(', ')})` : '';
    cluster.log(
      `client neighbour ${ip} now lladdr ${n?.mac ?? '?'} (${n?.node ?? 'unknown'}); ` +
        `ServiceL2Status: ${statuses[0] ?? 'none'}${older}`,
    );
  }
  return { scenario, before, failedNode: owner, failover };
}

/** Brings a failed node back: link up, speaker restarted and ready. */
export async function restore(
  cluster: LabCluster,
  node: string,
  onRecover?: (node: string) => Promise<void>,
): Promise<void> {
  await cluster.linkUp(node);
  await cluster.restartSpeaker(node);
  if (onRecover) await onRecover(node);
  cluster.log(`${node} restored (link up, speaker restarted and ready)`);
}

export async function runScenarios(
  cluster: LabCluster,
  which: 'pods' | 'vms' | 'all',
): Promise<ScenarioReport[]> {
  const reports: ScenarioReport[] = [];
  if ((which === 'pods' || which === 'all') && cluster.pods) {
    cluster.log('--- scenario 1: Pods (one HTTP backend per node, VIP on lo) ---');
    const report = await demonstrate(cluster, 'pods', cluster.pods);
    reports.push(report);
    await restore(cluster, report.failedNode);
  }
  if ((which === 'vms' || which === 'all') && cluster.vms) {
    const vms = cluster.vms;
    cluster.log('--- scenario 2: virtual machines (endpoints from virt-launcher Pods sharing a label) ---');
    const report = await demonstrate(cluster, 'vms', vms.service, (node) => vms.failNode(node));
    reports.push(report);
    await restore(cluster, report.failedNode, (node) => vms.recoverNode(node));
  }
  return reports;
}
