/**
 * Helpers for the speaker end-to-end tests (test/integration/speaker/*.test.ts), on top of the lab
 * cluster harness (src/lab/cluster.ts): the CI-aware preflight (root and the client tools), what the
 * client sees on the wire (iputils arping, ndisc6: which MACs answer for a VIP), the API objects the
 * speakers write (ServiceL2Status, Events), a speaker's /metrics and logs, MetalLB's ranking computed
 * independently with node:crypto, and bounded waits whose timeout message carries the tail of every
 * speaker log so that a CI failure can be diagnosed from the report alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabCluster } from '../../../src/lab/cluster.js';
import { METALLB_NS, paths } from '../../../src/lab/objects.js';
import { uplinkMac } from '../../../src/lab/topology.js';
import { requireRoot, waitFor } from '../../helpers/netns.js';

export const CLIENT_IF = 'eth0';
const METRICS_URL = 'http://127.0.0.1:7472/metrics';
const TOOLS = ['arping', 'ndisc6', 'nft', 'curl', 'kubectl'] as const;
const BIN_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin'];

/** Why these tests cannot run here (visible skip), or undefined; throws under CI=true instead of skipping. */
export function skipReason(what: string): string | undefined {
  const root = requireRoot(what);
  if (root !== undefined) return root;
  const missing = TOOLS.filter((tool) => !BIN_DIRS.some((dir) => existsSync(join(dir, tool))));
  if (missing.length === 0) return undefined;
  const reason = `${what} need ${missing.join(', ')} (iputils-arping, ndisc6, nftables, curl, kubectl)`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping them`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

export interface Json {
  [key: string]: unknown;
}

// ---------------------------------------------------------------- diagnostics

/** The last `lines` lines of a node's speaker log. */
export function speakerLogTail(cluster: LabCluster, node: string, lines = 25): string {
  const file = cluster.logPath(`speaker-${node}`);
  if (!existsSync(file)) return `(no log ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Every speaker's log tail, labelled, for assertion messages. */
export function diagnostics(cluster: LabCluster, lines = 25): string {
  return cluster.nodes
    .map((n) => `--- speaker ${n.name} (last ${lines} lines) ---\n${speakerLogTail(cluster, n.name, lines)}`)
    .join('\n');
}

/** waitFor, with every speaker's log tail appended to the timeout error. */
export async function waitOrExplain<T>(
  cluster: LabCluster,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 200,
): Promise<T> {
  try {
    return await waitFor(fn, { timeoutMs, intervalMs, what });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${diagnostics(cluster)}`, { cause: err });
  }
}

// ---------------------------------------------------------------- logs

/** A position in a node's speaker log (its length now): logSince() reads what came after. */
export function logMark(cluster: LabCluster, node: string): number {
  const file = cluster.logPath(`speaker-${node}`);
  return existsSync(file) ? readFileSync(file, 'utf8').length : 0;
}

/** The JSON log entries a node's speaker wrote after `mark` (default: all). */
export function logSince(cluster: LabCluster, node: string, mark = 0): Json[] {
  const file = cluster.logPath(`speaker-${node}`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .slice(mark)
    .split('\n')
    .flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Json];
      } catch {
        return [];
      }
    });
}

/** The nodes whose speaker log says they announce ip now (last `announcing`/`withdrawn` for it). */
export function announcersFromLogs(cluster: LabCluster, ip: string): string[] {
  return cluster.nodes
    .filter((n) => {
      const last = logSince(cluster, n.name)
        .filter((e) => e.ip === ip && (e.msg === 'announcing' || e.msg === 'withdrawn'))
        .at(-1);
      return last?.msg === 'announcing';
    })
    .map((n) => n.name);
}

// ---------------------------------------------------------------- the wire, from the client

/** MAC (lower case) -> node name, from each node's eth0. */
export async function nodeMacs(cluster: LabCluster): Promise<Map<string, string>> {
  const macs = new Map<string, string>();
  for (const n of cluster.nodes) macs.set((await uplinkMac(cluster.lab, n.ns)).toLowerCase(), n.name);
  return macs;
}

export interface WireAnswer {
  /** Distinct MACs that answered, lower case. */
  macs: string[];
  replies: number;
  output: string;
}

function distinct(matches: IterableIterator<RegExpMatchArray>): { macs: string[]; replies: number } {
  const all = [...matches].map((m) => m[1]!.toLowerCase());
  return { macs: [...new Set(all)].sort(), replies: all.length };
}

/** Output of a command that may exit non-zero when nothing answers (arping, ndisc6). */
async function clientOutput(cluster: LabCluster, argv: string[], timeoutMs: number): Promise<string> {
  try {
    return (await cluster.clientExec(argv, timeoutMs)).stdout;
  } catch (err) {
    const e = err as { stdout?: string; message: string };
    if (typeof e.stdout === 'string') return `${e.stdout}\n(${e.message.split('\n')[0] ?? ''})`;
    throw err;
  }
}

/** iputils `arping -c count` from the client: which MACs answered. */
export async function arping(cluster: LabCluster, ip: string, count = 3): Promise<WireAnswer> {
  const argv = ['arping', '-c', String(count), '-w', String(count + 2), '-I', CLIENT_IF, ip];
  const output = await clientOutput(cluster, argv, (count + 6) * 1000);
  return { ...distinct(output.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/gu)), output };
}

/** `ndisc6 -m` (every answer) from the client: which MACs answered the Neighbor Solicitation. */
export async function ndisc(cluster: LabCluster, ip: string, tries = 3): Promise<WireAnswer> {
  const argv = ['ndisc6', '-n', '-m', '-r', String(tries), '-w', '1000', ip, CLIENT_IF];
  const output = await clientOutput(cluster, argv, (tries + 5) * 1000);
  return { ...distinct(output.matchAll(/Target link-layer address: ([0-9A-Fa-f:]{17})/gu)), output };
}

/** Polls arping until exactly one MAC answers `rounds` rounds in a row; that node's name. */
export async function steadyArpingOwner(
  cluster: LabCluster,
  ip: string,
  options: { rounds: number; maxRounds: number; expect?: string },
): Promise<string> {
  const macs = await nodeMacs(cluster);
  let streak = 0;
  let last = '';
  const seen: string[] = [];
  for (let i = 0; i < options.maxRounds; i++) {
    const answer = await arping(cluster, ip, 2);
    const node = answer.macs.length === 1 ? (macs.get(answer.macs[0]!) ?? answer.macs[0]!) : undefined;
    seen.push(answer.macs.map((m) => macs.get(m) ?? m).join('+') || 'none');
    const ok = node !== undefined && (options.expect === undefined || node === options.expect);
    streak = ok && node === last ? streak + 1 : ok ? 1 : 0;
    last = node ?? '';
    if (streak >= options.rounds) return last;
  }
  throw new Error(
    `arping ${ip}: no ${options.rounds} consecutive rounds with one MAC${options.expect ? ` (${options.expect})` : ''} ` +
      `in ${options.maxRounds} rounds; answers per round: ${seen.join(', ')}\n${diagnostics(cluster)}`,
  );
}

// ---------------------------------------------------------------- API objects

/** The ServiceL2Status objects for a Service (by the metallb.io/service-name and -namespace labels). */
export async function l2Statuses(cluster: LabCluster, namespace: string, name: string): Promise<Json[]> {
  const all = (await cluster.api.list(paths.metallb('servicel2statuses'))) as Json[];
  return all.filter((o) => {
    const labels = ((o.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>;
    return labels['metallb.io/service-name'] === name && labels['metallb.io/service-namespace'] === namespace;
  });
}

/** The nodes in the Service's ServiceL2Status objects (status.node), sorted. */
export async function statusNodes(cluster: LabCluster, namespace: string, name: string): Promise<string[]> {
  return (await l2Statuses(cluster, namespace, name))
    .map((o) => String((o.status as Json | undefined)?.node ?? '?'))
    .sort();
}

/** Events with this reason whose involvedObject is the Service. */
export async function serviceEvents(
  cluster: LabCluster,
  namespace: string,
  name: string,
  reason: string,
): Promise<Json[]> {
  const events = (await cluster.api.list(`/api/v1/namespaces/${namespace}/events`)) as Json[];
  return events.filter((e) => {
    const obj = (e.involvedObject ?? {}) as Json;
    return obj.kind === 'Service' && obj.name === name && e.reason === reason;
  });
}

export async function createObject(cluster: LabCluster, collection: string, body: object): Promise<Json> {
  return (await cluster.api.create(collection, body)) as Json;
}

export const metallbPath = paths.metallb;
export { METALLB_NS, paths };

// ---------------------------------------------------------------- metrics

export async function metricsText(cluster: LabCluster, node: string): Promise<string> {
  const r = await cluster.lab.exec(cluster.nodeNs(node), ['curl', '-sS', '--max-time', '3', METRICS_URL]);
  return r.stdout;
}

/** The sum of a metric's samples whose label set contains every given label (exact values). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/u.exec(line);
    if (m === null || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

// ---------------------------------------------------------------- MetalLB ranking, independently

/** Node names by ascending sha256(node + "#" + ip), MetalLB's Layer 2 ranking: the first one owns ip. */
export function ranking(nodes: readonly string[], ip: string): string[] {
  const hash = (n: string): Buffer => createHash('sha256').update(`${n}#${ip}`).digest();
  return [...nodes].sort((a, b) => Buffer.compare(hash(a), hash(b)));
}
