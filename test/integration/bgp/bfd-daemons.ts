/**
 * FRR bfdd and BIRD as BFD peers for the interop test: each runs in its own namespace and temp dir
 * (config, control socket, pid file, log), is started detached (own session) and killed by PID, and
 * reports its view of the sessions from its own CLI (`vtysh ... show bfd peers json`, `birdc show bfd
 * sessions`), keyed single-hop IPv4 (`v4`), single-hop IPv6 (`v6`) and multihop IPv4 (`mh`).
 */
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DetachedProcess, exec, waitUntil } from './bfd-helpers.js';

export const KEYS = ['v4', 'v6', 'mh'] as const;
export type Key = (typeof KEYS)[number];

export interface PeerView {
  /** Lower case: up, down, init, admindown. */
  readonly state: string;
  /** Daemon-reported time of the last state change (BIRD only), ms since the epoch. */
  readonly sinceMs?: number;
  readonly raw: Record<string, unknown>;
}

export interface Topology {
  /** The daemon's namespace and addresses. */
  readonly ns: string;
  readonly v4: string;
  readonly v6: string;
  /** Our (bgp-ts-lite's) addresses. */
  readonly our4: string;
  readonly our6: string;
  readonly intervalMs: number;
  readonly mult: number;
}

export interface Peer {
  readonly name: 'frr' | 'bird';
  readonly topology: Topology;
  /** Temp dir for config, sockets, pid file and log; set before `start()`. */
  dir: string;
  process?: DetachedProcess;
  start(): Promise<void>;
  view(): Promise<Partial<Record<Key, PeerView>>>;
}

const BINARIES = [
  '/usr/lib/frr/bfdd',
  '/usr/bin/vtysh',
  '/usr/sbin/bird',
  '/usr/sbin/birdc',
  '/usr/sbin/nft',
];
const READY_TIMEOUT_MS = 15_000;

/** A visible skip reason when a daemon is not installed, or an error under CI=true. */
export function daemonsMissing(): string | undefined {
  const missing = BINARIES.filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  const reason = `missing ${missing.join(', ')} (run scripts/setup.sh)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true forbids skipping`);
  console.warn(`SKIPPED: BFD interop: ${reason}`);
  return reason;
}

function idOf(file: string): number {
  const id = /^frr:[^:]*:(\d+):/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (id === undefined) throw new Error(`no frr entry in ${file}`);
  return Number(id);
}

/** Makes `path` owned by user and group frr (FRR daemons drop root and must write there). */
export function chownToFrr(path: string): void {
  chownSync(path, idOf('/etc/passwd'), idOf('/etc/group'));
}

export function frrPeer(topology: Topology): Peer {
  const t = topology;
  const timers = [
    `receive-interval ${t.intervalMs}`,
    `transmit-interval ${t.intervalMs}`,
    `detect-multiplier ${t.mult}`,
  ];
  const peers = [
    `peer ${t.our4} local-address ${t.v4}`,
    `peer ${t.our6} local-address ${t.v6}`,
    `peer ${t.our4} multihop local-address ${t.v4}`,
  ];
  const config = `bfd\n${peers.map((p) => ` ${p}\n${timers.map((l) => `  ${l}\n`).join('')} exit\n`).join('')}exit\n`;
  return {
    name: 'frr',
    topology,
    dir: '',
    async start() {
      const d = this.dir;
      const conf = join(d, 'bfdd.conf');
      writeFileSync(conf, config);
      chownToFrr(conf);
      const argv = ['/usr/lib/frr/bfdd', '-u', 'frr', '-g', 'frr', '-f', conf, '--vty_socket', d];
      argv.push(
        '-i',
        join(d, 'bfdd.pid'),
        '-P',
        '0',
        '-z',
        join(d, 'zserv.api'),
        '--bfdctl',
        join(d, 'bfdd.sock'),
      );
      argv.push('--log', `file:${join(d, 'bfdd.log')}`);
      this.process = new DetachedProcess(t.ns, argv, join(d, 'bfdd.out'));
      await waitUntil('FRR bfdd to answer vtysh', () => this.view().then((v) => (v.v4 ? true : undefined)), {
        timeoutMs: READY_TIMEOUT_MS,
      });
      const log = readFileSync(join(d, 'bfdd.log'), 'utf8');
      if (/unknown command|no such command|error/i.test(log)) throw new Error(`bfdd config error:\n${log}`);
    },
    async view() {
      const out = await exec(['vtysh', '--vty_socket', this.dir, '-c', 'show bfd peers json']);
      const view: Partial<Record<Key, PeerView>> = {};
      for (const p of JSON.parse(out) as Array<Record<string, unknown>>) {
        const key: Key = p.multihop === true ? 'mh' : String(p.peer).includes(':') ? 'v6' : 'v4';
        view[key] = { state: String(p.status), raw: p };
      }
      return view;
    },
  };
}

export function birdPeer(topology: Topology): Peer {
  const t = topology;
  const timers = `min rx interval ${t.intervalMs} ms; min tx interval ${t.intervalMs} ms; multiplier ${t.mult};`;
  const config = [
    `router id ${t.v4};`,
    'protocol device { scan time 1; }',
    'protocol bfd hbfd {',
    `  interface "*" { ${timers} };`,
    `  multihop { ${timers} };`,
    `  neighbor ${t.our4};`,
    `  neighbor ${t.our6};`,
    `  neighbor ${t.our4} local ${t.v4} multihop on;`,
    '}',
    '',
  ].join('\n');
  return {
    name: 'bird',
    topology,
    dir: '',
    async start() {
      const d = this.dir;
      const conf = join(d, 'bird.conf');
      writeFileSync(conf, config);
      const argv = ['/usr/sbin/bird', '-f', '-c', conf, '-s', join(d, 'bird.ctl'), '-P', join(d, 'bird.pid')];
      this.process = new DetachedProcess(t.ns, argv, join(d, 'bird.out'));
      await waitUntil('BIRD to answer birdc', () => this.view().then((v) => (v.v4 ? true : undefined)), {
        timeoutMs: READY_TIMEOUT_MS,
      });
    },
    async view() {
      const out = await exec(['birdc', '-s', join(this.dir, 'bird.ctl'), 'show', 'bfd', 'sessions']);
      const view: Partial<Record<Key, PeerView>> = {};
      for (const line of out.split('\n')) {
        const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\d\d:\d\d:\d\d\.\d{3})\s+(\S+)\s+(\S+)\s*$/.exec(line);
        if (m === null) continue;
        const [, address, iface, state, since, interval, timeout] = m;
        const key: Key = iface === '---' ? 'mh' : address!.includes(':') ? 'v6' : 'v4';
        view[key] = {
          state: state!.toLowerCase(),
          sinceMs: timeOfDay(since!),
          raw: { address, iface, interval, timeout },
        };
      }
      return view;
    },
  };
}

/** BIRD prints the local time of day (HH:MM:SS.mmm); turn it into epoch ms on the day closest to now. */
function timeOfDay(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  const d = new Date();
  d.setHours(h, m, Math.floor(s), Math.round((s % 1) * 1000));
  const day = 86_400_000;
  return d.getTime() - Math.round((d.getTime() - Date.now()) / day) * day;
}
