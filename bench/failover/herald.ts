/**
 * bench:failover Herald target: a lab cluster (src/lab startCluster: `herald apiserver` + `herald
 * controller` in the control-plane namespace, one `herald speaker` per node with the profile's flags,
 * the `pods` scenario: a LoadBalancer Service whose host-network backends answer their node's name, the
 * VIP on every node's lo with arp_ignore=1/arp_announce=2 so only the elected speaker answers ARP).
 * A trial SIGKILLs the owner's speaker; restore restarts it and waits for /readyz. One cluster per
 * profile (prefix hbfoh), built in start() and removed in stop().
 */
import { existsSync, readFileSync } from 'node:fs';

import type { LabCluster } from '../../src/lab/cluster.js';
import type { TrialRecord } from './stats.js';
import { macOf, type Arena, type NodeInfo } from './topology.js';
import type { FailoverTarget } from './trial.js';

/** The `time` of the first pino JSON line with this msg and ip at or after sinceMs (pure). */
export function firstLogTime(log: string, msg: string, ip: string, sinceMs: number): number | undefined {
  for (const line of log.split('\n')) {
    if (!line.startsWith('{') || !line.includes(msg)) continue;
    let entry: { msg?: unknown; ip?: unknown; time?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.msg === msg && entry.ip === ip && typeof entry.time === 'number' && entry.time >= sinceMs) {
      return entry.time;
    }
  }
  return undefined;
}

/** Under the bench's prefix hbfo (its stale-namespace sweep covers it), distinct from the keepalived arena. */
const LAB_PREFIX = 'hbfoh';
const TRIAL_BOUND_MS = 10_000;

export class HeraldTarget implements FailoverTarget {
  readonly trialBoundMs = TRIAL_BOUND_MS;
  #cluster: LabCluster | undefined;
  #vip: string | undefined;

  constructor(
    readonly name: string,
    private readonly speakerFlags: readonly string[],
    private readonly progress: (line: string) => void = () => {},
  ) {}

  async start(): Promise<Arena> {
    // Loaded here so the keepalived reference runs even where the lab or the speaker are missing.
    const { startCluster } = await import('../../src/lab/cluster.js');
    const { BACKEND_PORT } = await import('../../src/lab/pods.js');
    const cluster = await startCluster({
      prefix: LAB_PREFIX,
      nodes: 3,
      ipv6: false,
      speakerArgs: this.speakerFlags,
      scenario: 'pods',
      log: this.progress,
    });
    this.#cluster = cluster;
    const vip = cluster.pods?.ips[0];
    if (vip === undefined) throw new Error('lab cluster: the pods scenario has no Service address');
    this.#vip = vip;
    const nodes: NodeInfo[] = [];
    for (const n of cluster.nodes) {
      const mac = await macOf(cluster.lab, n.ns, 'eth0');
      nodes.push({ name: n.name, ns: n.ns, ip: n.ipv4, ip6: n.ipv6 ?? '', mac, port: `n${n.index}` });
    }
    const { bridgeNs, clientNs } = cluster.topology;
    return { lab: cluster.lab, bridgeNs, clientNs, nodes, vip, httpPort: BACKEND_PORT };
  }

  killOwner(node: NodeInfo): void {
    const cluster = this.#requireCluster();
    // LabCluster.killSpeaker sends the signal synchronously, then waits for the exit.
    cluster.killSpeaker(node.name, 'SIGKILL').catch((error: unknown) => {
      this.progress(`killSpeaker ${node.name}: ${(error as Error).message}`);
    });
  }

  /**
   * announce_log_ms: from the kill to the new owner's "announcing" log line for the VIP (pino's `time`,
   * Date.now() in ms): detection and election; the rest of garp_ms is the announcer and the wire.
   */
  detail(record: TrialRecord, killWallMs: number): Record<string, number> {
    const cluster = this.#cluster;
    if (cluster === undefined || record.newOwner === undefined || this.#vip === undefined) return {};
    const path = cluster.logPath(`speaker-${record.newOwner}`);
    const at = firstLogTime(
      existsSync(path) ? readFileSync(path, 'utf8') : '',
      'announcing',
      this.#vip,
      killWallMs,
    );
    return at === undefined ? {} : { announce_log_ms: at - killWallMs };
  }

  async restore(node: NodeInfo): Promise<void> {
    await this.#requireCluster().restartSpeaker(node.name);
  }

  async stop(): Promise<void> {
    const cluster = this.#cluster;
    this.#cluster = undefined;
    await cluster?.stop();
  }

  #requireCluster(): LabCluster {
    if (this.#cluster === undefined) throw new Error(`${this.name}: not started`);
    return this.#cluster;
  }
}
