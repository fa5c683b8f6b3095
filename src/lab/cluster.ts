/**
 * The lab cluster harness, shared by `npm run lab`, the end-to-end tests and bench:failover: builds the
 * topology (topology.ts), starts `herald apiserver` and `herald controller` in the control-plane
 * namespace and one `herald speaker` per node namespace, creates what kubelets would (Nodes, speaker
 * Pods) and the MetalLB configuration, then the chosen scenario (pods.ts, vms.ts). The handle drives
 * failures (kill a speaker, link down) and observes them (curl from the client, ServiceL2Status, the
 * client's neighbour table). stop() kills by PID and removes every namespace; it is idempotent.
 */
import { join } from 'node:path';
import { LabApi, type Json } from './api.js';
import { LabFatal, serviceIps, until, type LabContext } from './context.js';
import { Lab, type ExecResult, type LabProcess } from './netns.js';
import { l2AdvertisementBody, METALLB_NS, nodeBody, paths, poolBody, speakerPod } from './objects.js';
import { clientCurl, createPod, setupPods, type ServiceRef } from './pods.js';
import { heraldArgv, programArgv, REPO_ROOT } from './programs.js';
import {
  buildTopology,
  CP_IPV4,
  POOL_RANGES,
  setLink,
  uplinkMac,
  type NodeNet,
  type Topology,
} from './topology.js';
import { setupVms, type VmScenario } from './vms.js';

export const API_PORT = 6443;
const METRICS_PORT = 7472;
const START_WAIT_MS = 60_000;
const KUBECTL_TIMEOUT_MS = 30_000;
const RESOLVE_TIMEOUT_MS = 5_000;

export type ScenarioName = 'pods' | 'vms' | 'both' | 'none';

export interface StartOptions {
  /** Namespace-name prefix, unique per user (test file, bench): e.g. 'hlab'. */
  prefix: string;
  nodes?: number;
  ipv6?: boolean;
  /** Start one speaker per node (default true). */
  speakers?: boolean;
  /** Extra `herald speaker` flags, e.g. the tuned membership profile. */
  speakerArgs?: readonly string[];
  scenario?: ScenarioName;
  signal?: AbortSignal;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Keep the temp dir (logs, kubeconfig) after stop(). */
  keepDirs?: boolean;
}

export class LabCluster implements LabContext {
  readonly lab: Lab;
  dir!: string;
  api!: LabApi;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  topology!: Topology;
  pods: ServiceRef | undefined;
  vms: VmScenario | undefined;
  private readonly speakerProcs = new Map<string, LabProcess>();
  private readonly macs = new Map<string, string>();

  constructor(readonly options: StartOptions) {
    this.lab = new Lab(options.prefix, { keepDirs: options.keepDirs ?? false });
    this.signal = options.signal ?? new AbortController().signal;
    this.log = options.log ?? (() => {});
  }

  get kubeconfig(): string {
    return join(this.dir, 'kubeconfig');
  }
  get clientNs(): string {
    return this.topology.clientNs;
  }
  get nodes(): readonly NodeNet[] {
    return this.topology.nodes;
  }
  logPath(component: 'apiserver' | 'controller' | string): string {
    return join(this.dir, `${component}.log`);
  }

  node(name: string): NodeNet {
    const node = this.topology.nodes.find((n) => n.name === name);
    if (node === undefined) throw new RangeError(`lab: no node "${name}"`);
    return node;
  }
  nodeNs(name: string): string {
    return this.node(name).ns;
  }

  async kubectl(args: readonly string[], input?: string): Promise<string> {
    const argv = ['kubectl', '--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, 'kube-cache')];
    const options = { timeoutMs: KUBECTL_TIMEOUT_MS, ...(input !== undefined && { input }) };
    return (await this.lab.exec(this.topology.cpNs, [...argv, ...args], options)).stdout;
  }
  applyYaml(text: string): Promise<string> {
    return this.kubectl(['apply', '-f', '-'], text);
  }

  serviceIps(namespace: string, name: string): Promise<string[]> {
    return serviceIps(this.api, namespace, name);
  }

  /**
   * The nodes whose ServiceL2Status says they announce ip's Service, newest first (a speaker killed with
   * SIGKILL cannot delete its own, so a dead owner's status may linger after a takeover).
   */
  async ownersOf(ip: string): Promise<string[]> {
    const services = await this.api.list('/api/v1/services');
    const svc = services.find((s) =>
      JSON.stringify((s.status as Json | undefined) ?? {}).includes(`"${ip}"`),
    );
    if (svc === undefined) return [];
    const meta = svc.metadata as { name: string; namespace: string };
    const statuses = await this.api.list(paths.metallb('servicel2statuses'));
    return statuses
      .filter((st) => {
        const s = st.status as { serviceName?: string; serviceNamespace?: string } | undefined;
        return s?.serviceName === meta.name && s.serviceNamespace === meta.namespace;
      })
      .map((st) => ({
        node: (st.status as { node?: string }).node ?? '',
        created: String((st.metadata as { creationTimestamp?: string }).creationTimestamp ?? ''),
      }))
      .sort((a, b) => b.created.localeCompare(a.created))
      .map((o) => o.node);
  }

  /** The newest ServiceL2Status owner of ip, or undefined. */
  async ownerOf(ip: string): Promise<string | undefined> {
    return (await this.ownersOf(ip))[0];
  }

  /**
   * Who answers address resolution for ip on the client's LAN: every distinct MAC in the replies to
   * `arping` (IPv4, 2 probes) or `ndisc6 -m` (IPv6, all advertisements within 500 ms), with its node.
   * Exactly one entry means only the elected speaker answers (the kernels stay silent for VIPs on lo).
   */
  async resolvers(ip: string): Promise<{ mac: string; node?: string }[]> {
    const v6 = ip.includes(':');
    const argv = v6
      ? ['ndisc6', '-m', '-n', '-r', '1', '-w', '500', ip, 'eth0']
      : ['arping', '-c', '2', '-w', '2', '-I', 'eth0', ip];
    const out = await this.clientExec(argv, RESOLVE_TIMEOUT_MS).then(
      (r) => r.stdout,
      (err: { stdout?: string }) => err.stdout ?? '',
    );
    const pattern = v6 ? /Target link-layer address: ([0-9A-F:]{17})/gi : /\[([0-9A-F:]{17})\]/gi;
    const macs = [...new Set([...out.matchAll(pattern)].map((m) => m[1]!.toLowerCase()))];
    await this.loadMacs();
    return macs.map((mac) => ({ mac, ...(this.macs.has(mac) && { node: this.macs.get(mac)! }) }));
  }

  private async loadMacs(): Promise<void> {
    if (this.macs.size > 0) return;
    for (const n of this.topology.nodes) this.macs.set(await uplinkMac(this.lab, n.ns), n.name);
  }

  /** The client's neighbour entry for ip: its MAC and the node owning that MAC. */
  async neighbourOf(ip: string): Promise<{ mac: string; state: string; node?: string } | undefined> {
    const family = ip.includes(':') ? '-6' : '-4';
    const { stdout } = await this.clientExec(['ip', family, '-j', 'neigh', 'show', ip]);
    const [entry] = JSON.parse(stdout || '[]') as { lladdr?: string; state?: string[] }[];
    if (entry?.lladdr === undefined) return undefined;
    await this.loadMacs();
    const node = this.macs.get(entry.lladdr);
    return { mac: entry.lladdr, state: (entry.state ?? []).join(','), ...(node && { node }) };
  }

  clientExec(argv: readonly string[], timeoutMs?: number): Promise<ExecResult> {
    return this.lab.exec(this.topology.clientNs, argv, timeoutMs ? { timeoutMs } : {});
  }
  /** GET http://ip/ from the client: the name of the backend that answered. */
  curl(ip: string, timeoutMs = 2_000): Promise<string> {
    return clientCurl(this, ip, timeoutMs);
  }

  startSpeaker(name: string): LabProcess {
    const node = this.node(name);
    const args = ['speaker', '--kubeconfig', this.kubeconfig, '--node', node.name, '--namespace', METALLB_NS];
    args.push('--memberlist-bind', node.ipv4, ...(this.options.speakerArgs ?? []));
    const proc = this.lab.spawnInNs(node.ns, heraldArgv(args), {
      logFile: this.logPath(`speaker-${name}`),
      cwd: REPO_ROOT,
    });
    this.speakerProcs.set(name, proc);
    return proc;
  }
  /** Sends signal (default SIGKILL: a crash) to the node's speaker and waits for it to exit. */
  async killSpeaker(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.speakerProcs.get(name);
    if (proc !== undefined) await this.lab.signal(proc, signal);
  }
  async restartSpeaker(name: string): Promise<void> {
    const old = this.speakerProcs.get(name);
    if (old !== undefined) await this.lab.kill(old);
    this.startSpeaker(name);
    await this.waitSpeakerReady(name);
  }
  async speakerReady(name: string): Promise<boolean> {
    const url = `http://127.0.0.1:${METRICS_PORT}/readyz`;
    const r = await this.lab.exec(this.nodeNs(name), [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      url,
    ]);
    return r.stdout.trim() === '200';
  }
  waitSpeakerReady(name: string): Promise<boolean> {
    const proc = this.speakerProcs.get(name);
    return until(
      this,
      async () => {
        if (proc?.exit() !== undefined)
          throw new LabFatal(`speaker on ${name} exited:\n${proc.log().slice(-2_000)}`);
        return this.speakerReady(name).catch(() => false);
      },
      START_WAIT_MS,
      `the speaker on ${name} to be ready`,
      250,
    );
  }

  linkDown(name: string): Promise<void> {
    return setLink(this.lab, this.node(name), false);
  }
  /** Link up; in the VM scenario also the node's routes to VMs behind other nodes, which link down removed. */
  async linkUp(name: string): Promise<void> {
    await setLink(this.lab, this.node(name), true);
    await this.vms?.restoreRoutes(name);
  }

  /** Kills every process by PID and removes the namespaces. Idempotent. */
  async stop(): Promise<void> {
    await this.lab.cleanup();
  }

  /** Builds everything (startCluster calls this; on failure call stop()). */
  async start(): Promise<void> {
    const o = this.options;
    await this.lab.removeStale();
    this.dir = this.lab.tempDir('run');
    this.api = new LabApi(join(this.dir, 'api.sock'), o.signal);
    this.topology = await buildTopology(this.lab, o.nodes ?? 3, o.ipv6 ?? true);
    this.log(
      `network: bridge ${this.topology.bridgeNs}, control plane ${this.topology.cpNs} (${CP_IPV4}), ` +
        `${this.topology.nodes.length} nodes, client ${this.topology.clientNs}`,
    );
    await this.startControlPlane();
    await this.createBaseObjects();
    await this.startController();
    if (o.speakers ?? true) {
      for (const n of this.topology.nodes) this.startSpeaker(n.name);
      for (const n of this.topology.nodes) await this.waitSpeakerReady(n.name);
      this.log(`speakers ready on ${this.topology.nodes.map((n) => n.name).join(', ')}`);
    }
    const scenario = o.scenario ?? 'pods';
    if (scenario === 'pods' || scenario === 'both') this.pods = await setupPods(this);
    if (scenario === 'vms' || scenario === 'both') this.vms = await setupVms(this);
  }

  private async startControlPlane(): Promise<void> {
    const cp = this.topology.cpNs;
    const args = ['apiserver', '--listen', `${CP_IPV4}:${API_PORT}`, '--kubeconfig-out', this.kubeconfig];
    const server = this.lab.spawnInNs(cp, heraldArgv(args), {
      logFile: this.logPath('apiserver'),
      cwd: REPO_ROOT,
    });
    const forward = { socketPath: this.api.socketPath, host: CP_IPV4, port: API_PORT };
    this.lab.spawnInNs(cp, programArgv('forward', forward), {
      logFile: this.logPath('forward'),
      cwd: REPO_ROOT,
    });
    await until(
      this,
      async () => {
        if (server.exit() !== undefined) throw new LabFatal(`herald apiserver exited:\n${server.log()}`);
        return (await this.api.request('GET', '/readyz').then(
          () => true,
          () => false,
        )) as boolean;
      },
      START_WAIT_MS,
      'herald apiserver to answer',
      200,
    );
    this.log(`herald apiserver listening on ${CP_IPV4}:${API_PORT} (kubeconfig ${this.kubeconfig})`);
  }

  private async createBaseObjects(): Promise<void> {
    for (const node of this.topology.nodes) {
      await this.api.create(paths.nodes, nodeBody(node));
      await createPod(this, speakerPod(node), true);
    }
    const ranges = this.topology.ipv6 ? [...POOL_RANGES] : [POOL_RANGES[0]];
    await this.api.create(paths.metallb('ipaddresspools'), poolBody(ranges));
    await this.api.create(paths.metallb('l2advertisements'), l2AdvertisementBody(['eth0']));
    this.log(
      `created Nodes, speaker Pods, IPAddressPool lab-pool (${ranges.join(', ')}), L2Advertisement lab-l2`,
    );
  }

  private async startController(): Promise<void> {
    const args = [
      'controller',
      '--kubeconfig',
      this.kubeconfig,
      '--metrics-listen',
      `${CP_IPV4}:${METRICS_PORT}`,
    ];
    args.push('--identity', 'lab-controller', '--lease-duration', '3s', '--renew-deadline', '2s');
    args.push('--retry-period', '500ms');
    const proc = this.lab.spawnInNs(this.topology.cpNs, heraldArgv(args), {
      logFile: this.logPath('controller'),
      cwd: REPO_ROOT,
    });
    await until(
      this,
      async () => {
        if (proc.exit() !== undefined) throw new LabFatal(`herald controller exited:\n${proc.log()}`);
        return this.api.find(`${paths.secrets(METALLB_NS)}/memberlist`);
      },
      START_WAIT_MS,
      'herald controller to lead and create the memberlist Secret',
      200,
    );
    this.log('herald controller leading (memberlist Secret created)');
  }
}

/** Builds and starts a lab cluster; on any failure it cleans up before rethrowing. */
export async function startCluster(options: StartOptions): Promise<LabCluster> {
  const cluster = new LabCluster(options);
  try {
    await cluster.start();
    return cluster;
  } catch (err) {
    await cluster.stop().catch(() => {});
    throw err;
  }
}
