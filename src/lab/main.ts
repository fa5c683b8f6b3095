/**
 * `npm run lab` (src/bin/lab.ts): checks it runs as root with every tool it needs, builds the lab
 * cluster (cluster.ts), walks through the scenarios (scenario.ts) with `[lab]` progress lines, and
 * removes everything on exit, on error and on Ctrl-C/SIGTERM. `--keep` leaves the lab running until
 * Ctrl-C. Flag parsing and the preflight are pure and unit-tested.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, type Command, type CommandIo } from '../cli/command.js';
import { LabCluster, type ScenarioName } from './cluster.js';
import { LabAborted } from './context.js';
import { hasSpeakerCommand } from './programs.js';
import { runScenarios } from './scenario.js';

export const REQUIRED_TOOLS = ['ip', 'nft', 'curl', 'arping', 'ndisc6', 'kubectl'] as const;
/**
 * The "tuned" membership profile (docs/membership.md): a failure is declared within about probe interval +
 * probe timeout + indirect timeout + suspicion timeout after the last answered probe: about 200 ms here
 * against about 650 ms with the defaults, at about four times the probe traffic. Shared with
 * bench:failover.
 */
export const TUNED_SPEAKER_ARGS = [
  '--probe-interval',
  '50ms',
  '--probe-timeout',
  '20ms',
  '--indirect-timeout',
  '30ms',
  '--suspicion-timeout',
  '100ms',
];
const DEFAULT_PREFIX = 'herald-lab-';

export interface LabArgs {
  scenario: 'pods' | 'vms' | 'all';
  keep: boolean;
  tuned: boolean;
  prefix: string;
}

const USAGE = `Usage: npm run lab -- [--scenario pods|vms|all] [--keep] [--tuned] [--prefix P]

Builds a three-node cluster in network namespaces on this machine (needs root): herald apiserver,
herald controller and one herald speaker per node, a client, and HTTP backends. Shows the client reaching
a LoadBalancer VIP over IPv4 and IPv6, kills the owner node and prints the measured failover; then the
same with virtual-machine backends. Removes everything on exit and on Ctrl-C. See docs/lab.md.

Flags:
  --scenario S   pods (backends on the nodes), vms (KubeVirt-style VMs behind the nodes) or all (default)
  --keep         leave the lab running after the scenarios, until Ctrl-C (kubectl hints are printed)
  --tuned        faster membership failure detection (probe 50ms, timeouts 20ms/30ms, suspicion 100ms instead of 200ms, 50ms/100ms, 300ms)
  --prefix P     namespace-name prefix (default ${DEFAULT_PREFIX}: ${DEFAULT_PREFIX}br, ${DEFAULT_PREFIX}cp,
                 ${DEFAULT_PREFIX}n1..n3, ${DEFAULT_PREFIX}c); namespaces and /tmp entries with it are
                 removed at start (leftovers of an interrupted run)
`;

export function parseLabArgs(args: readonly string[]): LabArgs {
  const out: LabArgs = { scenario: 'all', keep: false, tuned: false, prefix: DEFAULT_PREFIX };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.includes('=') ? args[i]!.split('=', 2) : [args[i]!, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`flag ${flag} needs a value`);
      return v;
    };
    if (flag === '--keep') out.keep = true;
    else if (flag === '--tuned') out.tuned = true;
    else if (flag === '--scenario') {
      const v = value();
      if (v !== 'pods' && v !== 'vms' && v !== 'all')
        throw new UsageError(`--scenario must be pods, vms or all, got "${v}"`);
      out.scenario = v;
    } else if (flag === '--prefix') {
      const v = value();
      if (!/^[a-z][a-z0-9-]{1,10}$/.test(v))
        throw new UsageError(`--prefix must be 2-11 characters of a-z, 0-9 and -, got "${v}"`);
      out.prefix = v;
    } else
      throw new UsageError(flag?.startsWith('-') ? `unknown flag ${flag}` : `unexpected argument "${flag}"`);
  }
  return out;
}

/** Why the lab cannot run here (not root, missing tools, no speaker), or undefined. */
export function preflight(
  uid: number | undefined,
  path: string | undefined,
  exists = existsSync,
): string | undefined {
  if (uid !== 0) return 'the lab needs root (it creates network namespaces): run it with sudo';
  const dirs = (path ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter((d) => d !== '');
  const missing = REQUIRED_TOOLS.filter((tool) => !dirs.some((d) => exists(join(d, tool))));
  if (missing.length > 0) {
    return (
      `missing tool(s): ${missing.join(', ')} ` +
      '(Debian: apt-get install iproute2 nftables curl iputils-arping ndisc6; kubectl from the Kubernetes packages)'
    );
  }
  if (!hasSpeakerCommand()) return 'this build has no `herald speaker` (src/cli/speaker.ts)';
  return undefined;
}

function scenarioFor(which: LabArgs['scenario']): ScenarioName {
  return which === 'all' ? 'both' : which;
}

const KEEPALIVE_MS = 60_000;

/** Resolves on abort; a timer keeps the event loop alive meanwhile (the lab's children are unref'd). */
function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setInterval(() => {}, KEEPALIVE_MS);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function printKeepHints(cluster: LabCluster, say: (line: string) => void): void {
  const { cpNs } = cluster.topology;
  const vip = cluster.pods?.ips[0] ?? cluster.vms?.service.ips[0];
  say(`kept running; try: ip netns exec ${cpNs} kubectl --kubeconfig ${cluster.kubeconfig} get svc -A`);
  say(`               ip netns exec ${cluster.clientNs} curl http://${vip}/`);
  say('press Ctrl-C to remove the lab');
}

/** Builds the lab, runs the scenarios, and with --keep waits for Ctrl-C. Throws on failure. */
async function demo(
  cluster: LabCluster,
  a: LabArgs,
  io: CommandIo,
  say: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  say(`building the lab (namespaces ${a.prefix}*); Ctrl-C at any time removes everything`);
  await cluster.start();
  say(`lab ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${cluster.dir}`);
  await runScenarios(cluster, a.scenario);
  if (a.keep) {
    printKeepHints(cluster, say);
    await waitForAbort(io.signal);
  }
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const a = parseLabArgs(args);
  const say = (line: string): void => void io.stdout.write(`[lab] ${line}\n`);
  const refusal = preflight(process.getuid?.(), io.env.PATH);
  if (refusal !== undefined) {
    io.stderr.write(`herald lab: refusing to start: ${refusal}\n`);
    return 1;
  }
  // keepDirs: the logs survive a failure (the next run's stale sweep removes them); removed on success.
  const cluster = new LabCluster({
    prefix: a.prefix,
    scenario: scenarioFor(a.scenario),
    speakerArgs: a.tuned ? TUNED_SPEAKER_ARGS : [],
    signal: io.signal,
    log: say,
    keepDirs: true,
  });
  let code = 0;
  try {
    await demo(cluster, a, io, say);
  } catch (err) {
    code = err instanceof LabAborted || io.signal.aborted ? 130 : 1;
    if (code === 130) say('interrupted');
    else io.stderr.write(`herald lab: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  say('cleaning up: killing the lab processes by PID and deleting the namespaces');
  await cluster.stop().catch((err: unknown) => io.stderr.write(`herald lab: cleanup: ${String(err)}\n`));
  if (code === 1 && cluster.dir) say(`component logs kept in ${cluster.dir} (the next run removes them)`);
  else if (cluster.dir) rmSync(cluster.dir, { recursive: true, force: true });
  say('done');
  return code;
}

export const labCommand: Command = {
  name: 'lab',
  summary: 'build a three-node Herald cluster in network namespaces and demonstrate failover (root)',
  usage: USAGE,
  run,
};
