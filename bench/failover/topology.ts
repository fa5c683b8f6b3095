/**
 * bench:failover arenas: where a target runs. An Arena is the speaker contract's lab shape (a bridge in
 * `<p>br`, nodes `<p>n1..n3` = node-1..node-3 with eth0 192.0.2.11-13/24, the client `<p>c` at
 * 192.0.2.100, a control-plane namespace `<p>cp` at 192.0.2.2, each on a veth whose bridge end is named
 * after the namespace: n1, n2, n3, c, cp), a VIP and the HTTP port of the per-node backends that answer
 * their node's name. buildTopology() builds one for the keepalived reference; the Herald target uses the
 * lab cluster's (src/lab), which has the same shape. Also here: the client agent (gratuitous ARPs + HTTP
 * poller, JSON lines from the client namespace) and link down/up of a node's bridge port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { killPid, run, waitFor, type Lab } from '../../test/helpers/netns.js';
import type { GarpObservation, HttpObservation } from './stats.js';

export const VIP = '192.0.2.200';
export const HTTP_PORT = 8080;
export const CLIENT_IP = '192.0.2.100';
export const CP_IP = '192.0.2.2';
export const POLL_INTERVAL_MS = 20;
/** Per-request bound of the poller (a SYN to a dead MAC is retransmitted only after 1 s). */
export const POLL_TIMEOUT_MS = 1_000;
const PREFIX_LEN = 24;
const START_TIMEOUT_MS = 30_000;

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Runs a TypeScript file in one Node process (tsx's loader; the tsx CLI would add a second process). */
export const NODE_TS: readonly string[] = [process.execPath, '--import', import.meta.resolve('tsx')];
const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface NodeInfo {
  /** Kubernetes node name, node-1..node-3. */
  readonly name: string;
  readonly ns: string;
  readonly ip: string;
  readonly ip6: string;
  readonly mac: string;
  /** The node's port on the bridge (in the bridge namespace). */
  readonly port: string;
}

/** What an arena needs from a namespace lab (test/helpers/netns.ts and src/lab/netns.ts both fit). */
export interface NsLab {
  exec(ns: string, argv: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  spawnInNs(ns: string, argv: readonly string[], options?: { logFile?: string }): NsProcess;
  tempDir(label: string): string;
  kill(proc: NsProcess): Promise<void>;
}

export interface NsProcess {
  readonly pid: number;
  exit(): unknown;
  log(): string;
}

export interface Arena {
  readonly lab: NsLab;
  readonly bridgeNs: string;
  readonly clientNs: string;
  readonly nodes: readonly NodeInfo[];
  readonly vip: string;
  readonly httpPort: number;
}

/** The arena of the keepalived reference, with the Lab that owns its namespaces. */
export interface Topology extends Arena {
  readonly lab: Lab;
  readonly cpNs: string;
}

export async function macOf(lab: NsLab, ns: string, ifname: string): Promise<string> {
  const { stdout } = await lab.exec(ns, ['ip', '-j', 'link', 'show', ifname]);
  const [link] = JSON.parse(stdout) as { address: string }[];
  if (link === undefined) throw new Error(`no ${ifname} in ${ns}`);
  return link.address.toLowerCase();
}

async function attach(lab: Lab, bridgeNs: string, ns: string, port: string, cidrs: string[]): Promise<void> {
  await lab.veth(ns, 'eth0', bridgeNs, port);
  await lab.exec(bridgeNs, ['ip', 'link', 'set', port, 'master', 'br0']);
  await lab.sysctl(ns, 'net.ipv6.conf.eth0.keep_addr_on_down', '1');
  for (const cidr of cidrs) await lab.addAddress(ns, 'eth0', cidr);
}

/** Builds the namespaces, veths and bridge (stale namespaces with the lab's prefix are removed first). */
export async function buildTopology(lab: Lab, nodeCount = 3): Promise<Topology> {
  await lab.removeStale();
  const bridgeNs = await lab.addNamespace('br');
  await lab.bridge(bridgeNs, 'br0');
  const cpNs = await lab.addNamespace('cp');
  await attach(lab, bridgeNs, cpNs, 'cp', [`${CP_IP}/${PREFIX_LEN}`, '2001:db8::2/64']);
  const clientNs = await lab.addNamespace('c');
  await attach(lab, bridgeNs, clientNs, 'c', [`${CLIENT_IP}/${PREFIX_LEN}`, '2001:db8::100/64']);
  const nodes: NodeInfo[] = [];
  for (let i = 1; i <= nodeCount; i++) {
    const ns = await lab.addNamespace(`n${i}`);
    const ip = `192.0.2.${10 + i}`;
    const ip6 = `2001:db8::${10 + i}`;
    await attach(lab, bridgeNs, ns, `n${i}`, [`${ip}/${PREFIX_LEN}`, `${ip6}/64`]);
    nodes.push({ name: `node-${i}`, ns, ip, ip6, mac: await macOf(lab, ns, 'eth0'), port: `n${i}` });
  }
  return { lab, bridgeNs, cpNs, clientNs, nodes, vip: VIP, httpPort: HTTP_PORT };
}

export function nodeByName(topo: Arena, name: string): NodeInfo {
  const node = topo.nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`unknown node '${name}'`);
  return node;
}

/**
 * Sets a node's bridge port down without waiting (the kill must not wait for `ip` to start): returns a
 * promise of the CLOCK_MONOTONIC time at which `ip` had exited successfully.
 */
export function linkDownNow(topo: Arena, node: NodeInfo): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['-n', topo.bridgeNs, 'link', 'set', node.port, 'down'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      const at = process.hrtime.bigint();
      if (code === 0) resolve(at);
      else reject(new Error(`ip link set ${node.port} down: exit ${code}`));
    });
  });
}

export async function linkUp(topo: Arena, node: NodeInfo): Promise<void> {
  await run(['ip', '-n', topo.bridgeNs, 'link', 'set', node.port, 'up']);
}

/** Starts the per-node HTTP backends and waits until each answers from the client namespace. */
export async function startBackends(topo: Topology): Promise<void> {
  for (const node of topo.nodes) {
    const argv = [...NODE_TS, join(HERE, 'backend.ts'), node.name, String(topo.httpPort)];
    topo.lab.spawnInNs(node.ns, argv, { logFile: join(topo.lab.tempDir(`be-${node.name}`), 'backend.log') });
  }
  for (const node of topo.nodes) {
    await waitFor(
      async () => {
        const { stdout } = await topo.lab.exec(topo.clientNs, [
          'curl',
          '-s',
          '--max-time',
          '1',
          `http://${node.ip}:${topo.httpPort}/`,
        ]);
        return stdout.trim() === node.name;
      },
      { timeoutMs: START_TIMEOUT_MS, intervalMs: 200, what: `backend on ${node.name}` },
    );
  }
}

/** The client agent's stream, kept in memory (bounded by prune()). */
export class ClientAgent {
  readonly garps: GarpObservation[] = [];
  readonly http: HttpObservation[] = [];
  readonly errors: string[] = [];
  #child: ChildProcess | undefined;
  #ready = false;

  constructor(private readonly topo: Arena) {}

  /** Starts the agent in the client namespace and waits for its "ready" line. */
  async start(): Promise<void> {
    const argv = [
      ...NODE_TS,
      join(HERE, 'client-agent.ts'),
      'eth0',
      this.topo.vip,
      String(this.topo.httpPort),
    ];
    const child = spawn(
      'ip',
      ['netns', 'exec', this.topo.clientNs, ...argv, String(POLL_INTERVAL_MS), String(POLL_TIMEOUT_MS)],
      { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
    );
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    createInterface({ input: child.stdout! }).on('line', (line) => this.#onLine(line));
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`client agent exited: ${stderr}`);
        return this.#ready;
      },
      { timeoutMs: START_TIMEOUT_MS, intervalMs: 50, what: 'the client agent' },
    );
  }

  #onLine(line: string): void {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.errors.push(`bad agent line: ${line.slice(0, 200)}`);
      return;
    }
    if (event.type === 'ready') this.#ready = true;
    else if (event.type === 'garp') {
      this.garps.push({ atNs: BigInt(String(event.at)), senderMac: String(event.mac) });
    } else if (event.type === 'http') {
      this.http.push({
        startNs: BigInt(String(event.start)),
        endNs: BigInt(String(event.end)),
        ok: event.ok === true,
        body: String(event.body),
      });
    } else if (event.type === 'error') this.errors.push(String(event.message));
  }

  /** Drops observations older than `beforeNs` (memory bound over long runs). */
  prune(beforeNs: bigint): void {
    const keepG = this.garps.filter((g) => g.atNs >= beforeNs);
    const keepH = this.http.filter((h) => h.endNs >= beforeNs);
    this.garps.splice(0, this.garps.length, ...keepG);
    this.http.splice(0, this.http.length, ...keepH);
  }

  /** Answering node of the last `count` requests when all of them succeeded from the same node. */
  stableServer(count: number): string | undefined {
    const last = this.http.slice(-count);
    if (last.length < count || last.some((r) => !r.ok)) return undefined;
    const body = last[0]!.body;
    return last.every((r) => r.body === body) ? body : undefined;
  }

  /** Time of the last gratuitous ARP from any MAC other than `exceptMac`, or undefined. */
  lastGarpNotFrom(exceptMac: string): bigint | undefined {
    let last: bigint | undefined;
    for (const g of this.garps)
      if (g.senderMac !== exceptMac && (last === undefined || g.atNs > last)) last = g.atNs;
    return last;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child?.pid === undefined) return;
    child.stdin?.end();
    await killPid(child.pid).catch(() => undefined);
  }
}
