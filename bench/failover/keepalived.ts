/**
 * bench:failover reference target: keepalived (Debian package, VRRPv3) on the bench topology. Each node
 * runs `keepalived -n -l -D -P -f CONF -p PID -r VRRP_PID` inside its namespace, started in its own
 * session and tracked by PID; the VIP is a keepalived virtual_ipaddress on the master's eth0 and the
 * node's HTTP backend (listening on 0.0.0.0) answers on it. Priorities 150/100/50, preemption on (the
 * default), one VRRP instance. The only non-default is `vrrp_garp_master_delay 0`: no second burst of
 * gratuitous ARPs 5 s after a takeover, which does not change when the first one is sent but keeps a
 * late burst from a previous takeover out of the next trial.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { killPid, pidAlive, waitFor } from '../../test/helpers/netns.js';
import type { Arena, NodeInfo, NsProcess } from './topology.js';
import type { FailoverTarget } from './trial.js';

export const KEEPALIVED = '/usr/sbin/keepalived';
const PRIORITIES = [150, 100, 50];
const VIRTUAL_ROUTER_ID = 51;
const START_TIMEOUT_MS = 15_000;

/** keepalived.conf for one node (pure). advertIntS: VRRP advert_int in seconds (VRRPv3 allows 0.01 steps). */
export function keepalivedConfig(
  node: { name: string },
  priority: number,
  advertIntS: number,
  vip: string,
): string {
  if (!(priority >= 1 && priority <= 254)) throw new RangeError(`priority ${priority} not in 1..254`);
  if (!(advertIntS >= 0.01 && advertIntS <= 40.95)) {
    throw new RangeError(`advert_int ${advertIntS} s not in 0.01..40.95 (VRRPv3)`);
  }
  return [
    'global_defs {',
    `  router_id ${node.name}`,
    '  vrrp_version 3',
    '  vrrp_garp_master_delay 0',
    '}',
    'vrrp_instance VI_1 {',
    '  state BACKUP',
    '  interface eth0',
    `  virtual_router_id ${VIRTUAL_ROUTER_ID}`,
    `  priority ${priority}`,
    `  advert_int ${advertIntS}`,
    '  virtual_ipaddress {',
    `    ${vip}/24 dev eth0`,
    '  }',
    '}',
    '',
  ].join('\n');
}

interface Instance {
  proc: NsProcess;
  dir: string;
}

export class KeepalivedTarget implements FailoverTarget {
  readonly name: string;
  readonly #instances = new Map<string, Instance>();

  constructor(
    private readonly topo: Arena,
    private readonly advertIntS: number,
  ) {
    this.name = `keepalived-${advertIntS}s`;
  }

  /** Upper bound of one failover for this target: master down interval is ~3.6 advert_int. */
  get trialBoundMs(): number {
    return Math.max(3_000, this.advertIntS * 10_000);
  }

  async start(): Promise<Arena> {
    for (const node of this.topo.nodes) await this.#startNode(node);
    return this.topo;
  }

  async #startNode(node: NodeInfo): Promise<void> {
    const index = this.topo.nodes.indexOf(node);
    const priority = PRIORITIES[index] ?? 10;
    const dir = this.topo.lab.tempDir(`ka-${node.name}`);
    const conf = join(dir, 'keepalived.conf');
    writeFileSync(conf, keepalivedConfig(node, priority, this.advertIntS, this.topo.vip));
    const argv = [KEEPALIVED, '-n', '-l', '-D', '-P', '-f', conf];
    const pidFiles = ['-p', join(dir, 'keepalived.pid'), '-r', join(dir, 'vrrp.pid')];
    const proc = this.topo.lab.spawnInNs(node.ns, [...argv, ...pidFiles], {
      logFile: join(dir, 'keepalived.log'),
    });
    this.#instances.set(node.name, { proc, dir });
    await waitFor(
      () => {
        if (proc.exit() !== undefined) throw new Error(`keepalived on ${node.name} exited:\n${proc.log()}`);
        return this.#vrrpPid(node) !== undefined && proc.log().includes('Entering');
      },
      { timeoutMs: START_TIMEOUT_MS, intervalMs: 50, what: `keepalived on ${node.name}` },
    );
  }

  #vrrpPid(node: NodeInfo): number | undefined {
    const dir = this.#instances.get(node.name)?.dir;
    if (dir === undefined) return undefined;
    const file = join(dir, 'vrrp.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 && pidAlive(pid) ? pid : undefined;
  }

  /**
   * kill -9 of keepalived: SIGSTOP the VRRP child and the parent, then SIGKILL both. Stopping first
   * matters: the child gets SIGTERM when its parent dies (PR_SET_PDEATHSIG) and, as master, answers it
   * with a priority-0 advert (a graceful handover, takeover after the skew time only). If the bench is
   * preempted between two kill() calls, a stopped child cannot run that handler.
   */
  killOwner(node: NodeInfo): void {
    const instance = this.#instances.get(node.name);
    if (instance === undefined) throw new Error(`no keepalived on ${node.name}`);
    const child = this.#vrrpPid(node);
    if (child === undefined) throw new Error(`keepalived on ${node.name}: no VRRP child PID`);
    for (const signal of ['SIGSTOP', 'SIGKILL'] as const) {
      process.kill(child, signal);
      process.kill(instance.proc.pid, signal);
    }
  }

  /** A fresh node: the stale VIP removed, keepalived started again (the caller brings the link up). */
  async restore(node: NodeInfo): Promise<void> {
    const instance = this.#instances.get(node.name);
    if (instance !== undefined) {
      await this.topo.lab.kill(instance.proc);
      this.#instances.delete(node.name);
    }
    await this.topo.lab
      .exec(node.ns, ['ip', 'addr', 'del', `${this.topo.vip}/24`, 'dev', 'eth0'])
      .catch(() => undefined);
    await this.#startNode(node);
  }

  async stop(): Promise<void> {
    for (const [name, instance] of this.#instances) {
      const node = this.topo.nodes.find((n) => n.name === name);
      const child = node === undefined ? undefined : this.#vrrpPid(node);
      await this.topo.lab.kill(instance.proc);
      if (child !== undefined) await killPid(child);
    }
    this.#instances.clear();
    for (const node of this.topo.nodes) {
      await this.topo.lab
        .exec(node.ns, ['ip', 'addr', 'del', `${this.topo.vip}/24`, 'dev', 'eth0'])
        .catch(() => undefined);
    }
  }

  /** The last lines of a node's keepalived log (for error reports). */
  logTail(node: NodeInfo, lines = 20): string {
    const log = this.#instances.get(node.name)?.proc.log() ?? '';
    return log.split('\n').slice(-lines).join('\n');
  }
}
