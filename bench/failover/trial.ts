/**
 * bench:failover trial loop, shared by every target: wait until the client is served steadily by one
 * owner and no other node has sent a gratuitous ARP for quietMs, wait a random fraction of a second
 * (phaseJitterMs), then SIGKILL the owner's daemon and
 * set its bridge port down at once (t0 = just before the SIGKILL, CLOCK_MONOTONIC), wait (bounded) for
 * the client to see a gratuitous ARP from and a successful request to another node, evaluate, then
 * restore the node (link up, daemon restarted) and wait until it serves again. Every wait is bounded.
 */
import { sleep, waitFor } from '../../test/helpers/netns.js';
import { evaluateTrial, type TrialRecord } from './stats.js';
import { linkDownNow, linkUp, nodeByName, type ClientAgent, type Arena, type NodeInfo } from './topology.js';

/** A failover implementation under test (keepalived, Herald). */
export interface FailoverTarget {
  readonly name: string;
  /** Bound on one failover (kill to first success); the trial records "missing" beyond it. */
  readonly trialBoundMs: number;
  /** Starts the daemons (and, for Herald, its own cluster); returns the arena the trials run in. */
  start(): Promise<Arena>;
  /** Sends SIGKILL to the node's daemon(s); synchronous, so t0 is exact. */
  killOwner(node: NodeInfo): void;
  /**
   * Optional breakdown of one trial from the target's own records (e.g. log lines), given the kill's
   * wall-clock time (Date.now(), the clock daemons log with) and the record so far.
   */
  detail?(record: TrialRecord, killWallMs: number): Record<string, number>;
  /** Restarts the node's daemon as a fresh node (its link is already up again). */
  restore(node: NodeInfo): Promise<void>;
  stop(): Promise<void>;
}

export interface TrialOptions {
  readonly trials: number;
  /** Consecutive successful requests from one node that make the service "steady". */
  readonly steadyRequests: number;
  /** No gratuitous ARP from a non-owner for this long before a kill. */
  readonly quietMs: number;
  readonly steadyTimeoutMs: number;
  /**
   * A uniform random delay in [0, phaseJitterMs) before each kill, so kills fall at random phases of the
   * daemons' periodic timers (VRRP adverts, membership probes) instead of at a fixed offset from the
   * restore: without it every keepalived-1s trial hit the same point of the advert period.
   */
  readonly phaseJitterMs: number;
  /** Random source in [0, 1) (injectable for reproducible runs). */
  readonly random: () => number;
  readonly onTrial: (record: TrialRecord) => void;
}

export const DEFAULT_TRIAL_OPTIONS: Omit<TrialOptions, 'trials' | 'onTrial'> = {
  steadyRequests: 10,
  quietMs: 1_500,
  steadyTimeoutMs: 60_000,
  phaseJitterMs: 1_000,
  random: Math.random,
};

const NS_PER_MS = 1_000_000n;
const AFTER_FIRST_SUCCESS_MS = 100;

/** Waits until the client is served by one node (optionally a given one) and non-owners are quiet. */
async function waitSteady(
  topo: Arena,
  agent: ClientAgent,
  options: Omit<TrialOptions, 'trials' | 'onTrial'>,
  expected?: string,
): Promise<NodeInfo> {
  return await waitFor(
    () => {
      const server = agent.stableServer(options.steadyRequests);
      if (server === undefined || (expected !== undefined && server !== expected)) return undefined;
      const node = nodeByName(topo, server);
      const lastForeign = agent.lastGarpNotFrom(node.mac);
      const quietSince = process.hrtime.bigint() - BigInt(options.quietMs) * NS_PER_MS;
      return lastForeign === undefined || lastForeign < quietSince ? node : undefined;
    },
    {
      timeoutMs: options.steadyTimeoutMs,
      intervalMs: 50,
      what: `a steady owner${expected === undefined ? '' : ` (${expected})`} for ${options.quietMs} ms`,
    },
  );
}

/**
 * After a restore the restored node should own the VIP again (keepalived: highest priority, preempts;
 * Herald: the election ranks the same node first). If it does not within half the steady bound, any
 * steady owner will do (the trial still measures a failover), and a warning goes to stderr.
 */
async function waitSteadyPreferring(
  topo: Arena,
  agent: ClientAgent,
  options: Omit<TrialOptions, 'trials' | 'onTrial'>,
  expected: string | undefined,
): Promise<NodeInfo> {
  if (expected === undefined) return await waitSteady(topo, agent, options);
  const half = { ...options, steadyTimeoutMs: options.steadyTimeoutMs / 2 };
  try {
    return await waitSteady(topo, agent, half, expected);
  } catch (error) {
    console.error(`failover: ${(error as Error).message}; continuing with any steady owner`);
    return await waitSteady(topo, agent, half);
  }
}

const JITTER_ATTEMPTS = 5;

/** A steady owner that is still the same (and still steady) after the random pre-kill delay. */
async function steadyAfterJitter(
  topo: Arena,
  agent: ClientAgent,
  options: Omit<TrialOptions, 'trials' | 'onTrial'>,
  expected: string | undefined,
): Promise<NodeInfo> {
  let prefer = expected;
  for (let attempt = 1; attempt <= JITTER_ATTEMPTS; attempt++) {
    const steady = await waitSteadyPreferring(topo, agent, options, prefer);
    await sleep(options.random() * options.phaseJitterMs);
    if (agent.stableServer(options.steadyRequests) === steady.name) return steady;
    console.error(
      `failover: ${steady.name} stopped serving steadily during the pre-kill delay; waiting again`,
    );
    prefer = undefined;
  }
  throw new Error(`no owner stayed steady through the pre-kill delay (${JITTER_ATTEMPTS} attempts)`);
}

/** Kills the owner and its link together; returns t0 and when the link-down command had finished. */
async function killTogether(
  topo: Arena,
  target: FailoverTarget,
  node: NodeInfo,
): Promise<{ killNs: bigint; killWallMs: number; linkDownNs: bigint }> {
  const killWallMs = Date.now();
  const killNs = process.hrtime.bigint();
  target.killOwner(node);
  const linkDownNs = await linkDownNow(topo, node);
  return { killNs, killWallMs, linkDownNs };
}

/** Runs options.trials failovers against a started target; returns the records. */
export async function runTrials(
  topo: Arena,
  agent: ClientAgent,
  target: FailoverTarget,
  options: TrialOptions,
): Promise<TrialRecord[]> {
  const records: TrialRecord[] = [];
  const macs = Object.fromEntries(topo.nodes.map((n) => [n.name, n.mac]));
  let expected: string | undefined;
  for (let trial = 1; trial <= options.trials; trial++) {
    const owner = await steadyAfterJitter(topo, agent, options, expected);
    agent.prune(process.hrtime.bigint() - 10_000n * NS_PER_MS);
    const { killNs, killWallMs, linkDownNs } = await killTogether(topo, target, owner);
    const boundNs = killNs + BigInt(target.trialBoundMs) * NS_PER_MS;
    const seen = (): boolean => {
      const r = evaluateTrial({
        target: target.name,
        trial,
        oldOwner: owner.name,
        macs,
        killNs,
        linkDownNs,
        untilNs: process.hrtime.bigint(),
        garps: agent.garps,
        http: agent.http,
      });
      return r.httpMs !== undefined && r.garpMs !== undefined;
    };
    while (!seen() && process.hrtime.bigint() < boundNs) await sleep(10);
    await sleep(AFTER_FIRST_SUCCESS_MS);
    const measured = evaluateTrial({
      target: target.name,
      trial,
      oldOwner: owner.name,
      macs,
      killNs,
      linkDownNs,
      untilNs: boundNs,
      garps: agent.garps,
      http: agent.http,
    });
    const detail = target.detail?.(measured, killWallMs);
    const record = detail === undefined ? measured : { ...measured, detail };
    records.push(record);
    options.onTrial(record);
    await linkUp(topo, owner);
    await target.restore(owner);
    expected = owner.name;
  }
  return records;
}
