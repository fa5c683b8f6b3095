/**
 * bench:bgp section `announce`: how long BIRD takes to hold N IPv4 /32 prefixes (default 100,000;
 * --smoke 1,000) announced by a bgp-ts-lite session, and then the same set announced by gobgpd to the same
 * BIRD, in network namespaces (prefix hbb-; needs root, BIRD and gobgpd):
 *
 *   hbb-ours (bgp-ts-lite agent) 192.0.2.1 -- 192.0.2.2 hbb-bird (BIRD) 198.51.100.1 -- 198.51.100.2 hbb-gobgp
 *
 * Both sessions are Established and empty before a run starts. Each time runs from the moment the
 * announcement is handed over (our agent's setRoutes command; gobgp's `gobgp mrt inject global FILE`,
 * gobgp's bulk path: one gRPC AddPathStream of a TABLE_DUMP_V2 file written beforehand; see DELAY_EXIT) until
 * BIRD's protocol reports all N routes imported (`birdc show protocols all NAME`, polled every 50 ms).
 * Our routes are withdrawn (and that time reported) before gobgp announces, so BIRD's table holds one
 * copy of the set each time. Also reported: the RSS of the agent process holding the N-prefix session,
 * gobgpd's RSS with the same set, and the ratio ours/gobgp (target <= 1).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { birdc, requireDaemons, startBird, startGobgp } from '../test/helpers/daemons.js';
import { Lab, requireRoot, run, sleep, waitFor } from '../test/helpers/netns.js';
import { BgpAgent } from '../test/integration/bgp/fixtures/agent.js';
import type { BenchResult } from './bgp-codec.js';

const OUR_AS = 4_200_000_001;
const BIRD_AS = 4_200_000_002;
const GOBGP_AS = 4_200_000_003;
/** RFC 2544 benchmarking range 198.18.0.0/15: room for 131,072 /32s. */
const BASE = '198.18.0.0';
const POLL_MS = 50;
/** After `birdc disable`: longer than gobgpd's idle-hold-time-after-reset (1 s) and our idle hold. */
const REENABLE_AFTER_MS = 2_000;
const SESSION_TIMEOUT_MS = 60_000;
/**
 * gobgp 3.10's `mrt inject` returns without closing its gRPC stream (no CloseAndRecv), so the paths still
 * in flight when it exits are lost (measured: 1,513 of 100,000). strace delays its exit_group by 10 s
 * (seccomp-filtered: nothing else is traced), so gobgpd receives the whole stream; the time measured
 * ends when BIRD holds every route, not when the CLI exits.
 */
const STRACE = '/usr/bin/strace';
const DELAY_EXIT = [
  STRACE,
  '-f',
  '--seccomp-bpf',
  '-qq',
  '-o',
  '/dev/null',
  '-e',
  'trace=exit_group',
  '-e',
  'inject=exit_group:delay_enter=10000000',
];
const MRT_TABLE_DUMP_V2 = 13;
const MRT_PEER_INDEX_TABLE = 1;
const MRT_RIB_IPV4_UNICAST = 2;
const PEER_TYPE_AS4 = 0x02;
const ATTR_FLAG_TRANSITIVE = 0x40;

export interface AnnounceBenchOptions {
  readonly smoke: boolean;
}

function ipv4(text: string): number {
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** A TABLE_DUMP_V2 file (RFC 6396): one peer, `count` /32s from BASE, ORIGIN IGP, empty AS_PATH. */
function writeMrt(path: string, count: number, peer: string, nextHop: string): void {
  const record = (subtype: number, body: Buffer): Buffer => {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(MRT_TABLE_DUMP_V2, 4);
    header.writeUInt16BE(subtype, 6);
    header.writeUInt32BE(body.length, 8);
    return Buffer.concat([header, body]);
  };
  const index = Buffer.alloc(4 + 2 + 2 + 1 + 4 + 4 + 4);
  index.writeUInt32BE(ipv4(peer), 0); // collector BGP ID; view name length 0; peer count 1
  index.writeUInt16BE(1, 6);
  index.writeUInt8(PEER_TYPE_AS4, 8);
  index.writeUInt32BE(ipv4(peer), 9);
  index.writeUInt32BE(ipv4(peer), 13);
  index.writeUInt32BE(GOBGP_AS, 17);
  const attributes = Buffer.from([
    ...[ATTR_FLAG_TRANSITIVE, 1, 1, 0], // ORIGIN IGP
    ...[ATTR_FLAG_TRANSITIVE, 2, 0], // AS_PATH (empty: gobgpd prepends its AS towards BIRD)
    ...[ATTR_FLAG_TRANSITIVE, 3, 4, ...nextHop.split('.').map(Number)], // NEXT_HOP
  ]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, record(MRT_PEER_INDEX_TABLE, index));
    const start = ipv4(BASE);
    for (let i = 0; i < count; i++) {
      const body = Buffer.alloc(4 + 1 + 4 + 2 + 2 + 4 + 2 + attributes.length);
      body.writeUInt32BE(i, 0);
      body.writeUInt8(32, 4);
      body.writeUInt32BE(start + i, 5);
      body.writeUInt16BE(1, 9); // one RIB entry, peer index 0, originated time 0
      body.writeUInt16BE(attributes.length, 17);
      attributes.copy(body, 19);
      writeSync(fd, record(MRT_RIB_IPV4_UNICAST, body));
    }
  } finally {
    closeSync(fd);
  }
}

function birdConfig(): string {
  return `
protocol bgp ours from fast {
  local 192.0.2.2 as ${BIRD_AS}; neighbor 192.0.2.1 as ${OUR_AS}; connect delay time 0;
  ipv4 { import all; export none; };
}
protocol bgp gobgp from fast {
  local 198.51.100.1 as ${BIRD_AS}; neighbor 198.51.100.2 as ${GOBGP_AS}; connect delay time 0;
  ipv4 { import all; export none; };
}`;
}

function gobgpConfig(): string {
  return `
[global.config]
  as = ${GOBGP_AS}
  router-id = "198.51.100.2"
  local-address-list = ["198.51.100.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "198.51.100.1"
    peer-as = ${BIRD_AS}
  [neighbors.timers.config]
    connect-retry = 1
    idle-hold-time-after-reset = 1
  [neighbors.transport.config]
    passive-mode = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
`;
}

/** Routes BIRD reports imported for one protocol (`Routes: N imported`), or -1 while it is not up. */
async function imported(socket: string, protocol: string): Promise<number> {
  const text = await birdc(socket, `show protocols all ${protocol}`);
  if (!/BGP state:\s+Established/.test(text)) return -1;
  return Number(/Routes:\s+(\d+) imported/.exec(text)?.[1] ?? 0);
}

/** Milliseconds from now until BIRD's protocol holds exactly `count` routes (bounded). */
async function untilImported(
  socket: string,
  protocol: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const start = performance.now();
  await waitFor(async () => (await imported(socket, protocol)) === count, {
    timeoutMs,
    intervalMs: POLL_MS,
    what: `BIRD protocol ${protocol} to hold ${count} routes`,
  });
  return performance.now() - start;
}

const mib = (bytes: unknown): number => Number(bytes) / 1024 / 1024;

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN);
}

async function buildLab(lab: Lab): Promise<{ ours: string; bird: string; gobgp: string }> {
  const [ours, bird, gobgp] = [
    await lab.addNamespace('ours'),
    await lab.addNamespace('bird'),
    await lab.addNamespace('gobgp'),
  ];
  await lab.veth(ours, 'o0', bird, 'b0');
  await lab.veth(bird, 'b1', gobgp, 'g0');
  await lab.addAddress(ours, 'o0', '192.0.2.1/30');
  await lab.addAddress(bird, 'b0', '192.0.2.2/30');
  await lab.addAddress(bird, 'b1', '198.51.100.1/30');
  await lab.addAddress(gobgp, 'g0', '198.51.100.2/30');
  return { ours, bird, gobgp };
}

interface Bird {
  socket: string;
}

/**
 * `birdc disable`, then (once both speakers take connections again) `enable`: ms from the moment BIRD
 * reports the session Established until it holds `count` routes (the full-table transfer alone, without
 * either side's reconnect timers).
 */
async function tableTransfer(
  bird: Bird,
  protocol: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  await birdc(bird.socket, `disable ${protocol}`);
  await sleep(REENABLE_AFTER_MS);
  await birdc(bird.socket, `enable ${protocol}`);
  await waitFor(async () => (await imported(bird.socket, protocol)) >= 0, {
    timeoutMs: SESSION_TIMEOUT_MS,
    intervalMs: POLL_MS / 5,
    what: `BIRD protocol ${protocol} Established again`,
  });
  return untilImported(bird.socket, protocol, count, timeoutMs);
}

interface OursResult {
  announceMs: number;
  transferMs: number;
  withdrawMs: number;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** bgp-ts-lite: setRoutes(N) on an Established session, a full-table transfer, then setRoutes([]). */
async function measureOurs(ns: string, bird: Bird, count: number, timeoutMs: number): Promise<OursResult> {
  const agent = await BgpAgent.start(ns);
  try {
    await agent.call({ op: 'listen', host: '192.0.2.1', port: 179 });
    const init = {
      peerAddress: '192.0.2.2',
      localAs: OUR_AS,
      peerAs: BIRD_AS,
      routerId: '192.0.2.1',
      families: ['ipv4'],
      passive: true,
      idleHold: { minMs: 200, maxMs: 200 },
    };
    await agent.call({ op: 'session', id: 'bench', init });
    await agent.call({ op: 'start', id: 'bench' });
    await agent.waitEstablished('bench', { timeoutMs: SESSION_TIMEOUT_MS });
    await untilImported(bird.socket, 'ours', 0, SESSION_TIMEOUT_MS);
    const before = await agent.call({ op: 'memory' });
    let start = performance.now();
    await agent.call({ op: 'generate', id: 'bench', base: BASE, count });
    await untilImported(bird.socket, 'ours', count, timeoutMs);
    const announceMs = performance.now() - start;
    const after = await agent.call({ op: 'memory' });
    const transferMs = await tableTransfer(bird, 'ours', count, timeoutMs);
    start = performance.now();
    await agent.call({ op: 'routes', id: 'bench', routes: [] });
    await untilImported(bird.socket, 'ours', 0, timeoutMs);
    return { announceMs, transferMs, withdrawMs: performance.now() - start, before, after };
  } finally {
    await agent.kill();
  }
}

/** gobgpd: `gobgp mrt inject global` of the same N routes, then a full-table transfer. */
async function measureGobgp(
  gobgpd: { socket: string; processes: { pid: number }[] },
  bird: Bird,
  mrt: string,
  count: number,
  timeoutMs: number,
): Promise<{ announceMs: number; transferMs: number; rssKiB: number }> {
  await untilImported(bird.socket, 'gobgp', 0, SESSION_TIMEOUT_MS);
  const start = performance.now();
  const argv = [
    ...DELAY_EXIT,
    'gobgp',
    '--target',
    `unix://${gobgpd.socket}`,
    'mrt',
    'inject',
    'global',
    mrt,
  ];
  const inject = run(argv, { timeoutMs });
  await untilImported(bird.socket, 'gobgp', count, timeoutMs);
  const announceMs = performance.now() - start;
  await inject;
  const transferMs = await tableTransfer(bird, 'gobgp', count, timeoutMs);
  return { announceMs, transferMs, rssKiB: rssKiB(gobgpd.processes[0]?.pid ?? 0) };
}

/** Runs the comparison; returns the JSON lines' objects. Needs root (under CI=true it must run). */
export async function announceBenchmarks(opts: AnnounceBenchOptions): Promise<BenchResult[]> {
  const skip = requireRoot('bench:bgp announce') ?? requireDaemons(['bird', 'gobgp']);
  if (skip !== undefined) return [];
  if (!existsSync(STRACE))
    throw new Error(`bench:bgp announce needs ${STRACE} (apt-get install strace): see DELAY_EXIT`);
  const count = opts.smoke ? 1_000 : 100_000;
  const timeoutMs = opts.smoke ? 30_000 : 180_000;
  const lab = new Lab('hbb-');
  await lab.removeStale();
  try {
    const ns = await buildLab(lab);
    const bird = await startBird(lab, ns.bird, '192.0.2.2', birdConfig());
    const gobgpd = await startGobgp(lab, ns.gobgp, gobgpConfig());
    const mrt = join(lab.tempDir('mrt'), 'routes.mrt');
    writeMrt(mrt, count, '198.51.100.2', '198.51.100.2');
    const ours = await measureOurs(ns.ours, bird, count, timeoutMs);
    const gobgp = await measureGobgp(gobgpd, bird, mrt, count, timeoutMs);
    const result = (metric: string, value: number, unit: string): BenchResult => ({
      bench: 'bgp',
      metric,
      value: Math.round(value * 100) / 100,
      unit,
      prefixes: count,
      daemon: 'BIRD 2.0.12',
      peer: 'gobgpd 3.10.0',
    });
    return [
      result('announce_to_bird_ours', ours.announceMs, 'ms'),
      result('announce_to_bird_ours_rate', (count / ours.announceMs) * 1000, 'prefixes/s'),
      result('announce_to_bird_gobgp', gobgp.announceMs, 'ms'),
      result('announce_to_bird_ratio_ours_over_gobgp', ours.announceMs / gobgp.announceMs, 'ratio'),
      result('table_transfer_to_bird_ours', ours.transferMs, 'ms'),
      result('table_transfer_to_bird_gobgp', gobgp.transferMs, 'ms'),
      result('table_transfer_ratio_ours_over_gobgp', ours.transferMs / gobgp.transferMs, 'ratio'),
      result('withdraw_from_bird_ours', ours.withdrawMs, 'ms'),
      result('agent_rss_with_prefixes', mib(ours.after.rss), 'MiB'),
      result('agent_rss_growth', mib(ours.after.rss) - mib(ours.before.rss), 'MiB'),
      result('agent_heap_used_growth', mib(ours.after.heapUsed) - mib(ours.before.heapUsed), 'MiB'),
      result('gobgpd_rss_with_prefixes', gobgp.rssKiB / 1024, 'MiB'),
    ];
  } finally {
    await lab.cleanup();
  }
}
