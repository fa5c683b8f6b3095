/**
 * bench:failover (issue #4 §7) — layer-2 failover time, Herald against keepalived, in network namespaces
 * (prefix hbfo; needs root, keepalived, the native addon). Topology: bridge + node-1..3 + client, VIP
 * 192.0.2.200 — keepalived on the bench's own namespaces (bench/failover/topology.ts), each Herald
 * profile on a lab cluster of the same shape (src/lab, prefix hbfoh). Per trial: kill -9 the owner's
 * daemon and set its link down together (t0), then measure in the client namespace (1) the first
 * gratuitous ARP for the VIP from the new owner and (2) the first successful HTTP request (a new one every
 * 20 ms) answered by another node. Targets, in one run: keepalived VRRPv3 advert_int 1 s and 0.1 s,
 * Herald with the default and the tuned membership profile. Prints one JSON line per trial, p50/p99/max
 * per target and measure, and Herald / keepalived ratios. With 20 trials p99 (nearest rank) is the max.
 * Results and method: docs/benchmarks.md, "bench:failover".
 *
 * Flags: --smoke (2 trials per target), --trials N (default 20), --targets a,b (default all:
 * keepalived-1s,keepalived-0.1s,herald-default,herald-tuned), --tuned-flags "--probe-interval 50ms ..."
 * (default: the lab's TUNED_SPEAKER_ARGS).
 */
import { existsSync } from 'node:fs';

import { Lab, requireRoot } from '../test/helpers/netns.js';
import { KEEPALIVED, KeepalivedTarget } from './failover/keepalived.js';
import { HERALD_DEFAULT_FLAGS, parseOptions, type Options, type TargetName } from './failover/options.js';
import { HeraldTarget } from './failover/herald.js';
import { benchLine, ratioLines, summaryLines, trialLine, type TrialRecord } from './failover/stats.js';
import { ClientAgent, buildTopology, startBackends, type Arena, type Topology } from './failover/topology.js';
import { DEFAULT_TRIAL_OPTIONS, runTrials, type FailoverTarget } from './failover/trial.js';

/** Shared state of one run: the keepalived arena (built on first use) and the client agents. */
interface RunState {
  lab: Lab;
  topology?: Topology;
  agents: Map<string, ClientAgent>;
  /** The target being measured (stopped on SIGINT too: a Herald cluster has its own namespaces). */
  active?: FailoverTarget;
}

async function keepalivedArena(state: RunState): Promise<Topology> {
  if (state.topology === undefined) {
    state.topology = await buildTopology(state.lab);
    await startBackends(state.topology);
  }
  return state.topology;
}

async function makeTarget(name: TargetName, state: RunState, options: Options): Promise<FailoverTarget> {
  const progress = (line: string): void => console.error(`[${name}] ${line}`);
  switch (name) {
    case 'keepalived-1s':
      return new KeepalivedTarget(await keepalivedArena(state), 1);
    case 'keepalived-0.1s':
      return new KeepalivedTarget(await keepalivedArena(state), 0.1);
    case 'herald-default':
      return new HeraldTarget('herald-default', HERALD_DEFAULT_FLAGS, progress);
    case 'herald-tuned':
      return new HeraldTarget('herald-tuned', options.tunedFlags, progress);
  }
}

async function agentFor(state: RunState, arena: Arena): Promise<ClientAgent> {
  const existing = state.agents.get(arena.clientNs);
  if (existing !== undefined) return existing;
  const agent = new ClientAgent(arena);
  state.agents.set(arena.clientNs, agent);
  await agent.start();
  return agent;
}

async function stopAgents(state: RunState, except?: string): Promise<void> {
  for (const [ns, agent] of state.agents) {
    if (ns === except) continue;
    await agent.stop();
    state.agents.delete(ns);
  }
}

/** Which Herald target is compared with which keepalived configuration. */
const COMPARISONS: [TargetName, TargetName][] = [
  ['herald-default', 'keepalived-1s'],
  ['herald-default', 'keepalived-0.1s'],
  ['herald-tuned', 'keepalived-1s'],
  ['herald-tuned', 'keepalived-0.1s'],
];

async function runTarget(name: TargetName, state: RunState, options: Options): Promise<TrialRecord[]> {
  const target = await makeTarget(name, state, options);
  state.active = target;
  try {
    const arena = await target.start();
    const agent = await agentFor(state, arena);
    return await runTrials(arena, agent, target, {
      ...DEFAULT_TRIAL_OPTIONS,
      trials: options.trials,
      onTrial: (record) => console.log(trialLine(record)),
    });
  } finally {
    // A Herald cluster's namespaces go away with it: stop its agent first.
    await stopAgents(state, state.topology?.clientNs);
    state.active = undefined;
    await target.stop();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const skip = requireRoot('bench:failover');
  if (skip !== undefined) return 0;
  if (options.targets.some((t) => t.startsWith('keepalived')) && !existsSync(KEEPALIVED)) {
    console.error(`bench:failover: ${KEEPALIVED} missing (apt-get install keepalived)`);
    return 1;
  }
  const state: RunState = { lab: new Lab('hbfo'), agents: new Map() };
  const cleanup = async (): Promise<void> => {
    await stopAgents(state);
    await state.active?.stop();
    await state.lab.cleanup();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`bench:failover: ${signal}, cleaning up`);
    void cleanup().then(
      () => process.exit(130),
      (error: unknown) => {
        console.error(error);
        process.exit(130);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = performance.now();
  const results = new Map<TargetName, TrialRecord[]>();
  try {
    for (const name of options.targets) {
      const records = await runTarget(name, state, options);
      results.set(name, records);
      for (const measure of ['garp', 'http'] as const) {
        for (const line of summaryLines(name, measure, records)) console.log(line);
      }
    }
    for (const [herald, reference] of COMPARISONS) {
      const h = results.get(herald);
      const r = results.get(reference);
      if (h === undefined || r === undefined) continue;
      for (const measure of ['garp', 'http'] as const) {
        const lines = ratioLines({ target: herald, trials: h }, { target: reference, trials: r }, measure);
        for (const line of lines) console.log(line);
      }
    }
    console.log(benchLine('wall_time', (performance.now() - started) / 1000, 's', { smoke: options.smoke }));
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
