/**
 * bgp-ts-lite BFD against FRR 8.4 bfdd and BIRD 2.0 in network namespaces: single-hop IPv4 and IPv6
 * and multihop IPv4 sessions come Up in both views (read from `vtysh ... show bfd peers json` and
 * `birdc show bfd sessions`); dropping our packets with nftables makes the daemon declare Down within
 * its detection time; our AdminDown shows in the daemon; killing the daemon by PID makes our sessions go
 * Down with diagnostic 1; everything comes back Up.
 *
 * Topology: namespace hbfd-ours (the agent, bridge br0 192.0.2.1 / 2001:db8:bfd::1) with a veth to
 * hbfd-frr (.2 / ::2) and one to hbfd-bird (.3 / ::3). Intervals 300 ms × 3 on every side.
 */
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Agent,
  DetachedProcess,
  exec,
  inNs,
  removeNamespaces,
  rootSkipReason,
  waitUntil,
} from './bfd-helpers.js';

const PREFIX = 'hbfd-';
const OURS = 'hbfd-ours';
const OUR4 = '192.0.2.1';
const OUR6 = '2001:db8:bfd::1';
const INTERVAL_MS = 300;
const MULT = 3;
const DETECTION_MS = INTERVAL_MS * MULT;
/** Scheduling and polling slack on a loaded 2-core machine; far below any non-BFD failure detection. */
const SLACK_MS = 600;
const UP_TIMEOUT_MS = 20_000;
const KEYS = ['v4', 'v6', 'mh'] as const;
type Key = (typeof KEYS)[number];

interface PeerView {
  readonly state: string;
  /** Daemon-reported time of the last state change (BIRD only), ms since the epoch. */
  readonly sinceMs?: number;
  readonly raw: Record<string, unknown>;
}

interface Peer {
  readonly name: 'frr' | 'bird';
  readonly ns: string;
  readonly v4: string;
  readonly v6: string;
  dir: string;
  process?: DetachedProcess;
  start(): Promise<void>;
  view(): Promise<Partial<Record<Key, PeerView>>>;
}

function daemonsMissing(): string | undefined {
  const missing = [
    '/usr/lib/frr/bfdd',
    '/usr/bin/vtysh',
    '/usr/sbin/bird',
    '/usr/sbin/birdc',
    '/usr/sbin/nft',
  ].filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  const reason = `missing ${missing.join(', ')} (run scripts/setup.sh)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true forbids skipping`);
  console.warn(`SKIPPED: BFD interop: ${reason}`);
  return reason;
}

const skipReason = rootSkipReason('the BFD interop test') ?? daemonsMissing();

const timers = (indent: string): string =>
  [`receive-interval ${INTERVAL_MS}`, `transmit-interval ${INTERVAL_MS}`, `detect-multiplier ${MULT}`]
    .map((l) => `${indent}${l}`)
    .join('\n');

const frr: Peer = {
  name: 'frr',
  ns: 'hbfd-frr',
  v4: '192.0.2.2',
  v6: '2001:db8:bfd::2',
  dir: '',
  async start() {
    const conf = join(this.dir, 'bfdd.conf');
    const peers = [
      `peer ${OUR4} local-address ${this.v4}`,
      `peer ${OUR6} local-address ${this.v6}`,
      `peer ${OUR4} multihop local-address ${this.v4}`,
    ];
    writeFileSync(conf, `bfd\n${peers.map((p) => ` ${p}\n${timers('  ')}\n exit\n`).join('')}exit\n`);
    chownSync(conf, frrUid(), frrGid());
    const d = this.dir;
    this.process = new DetachedProcess(
      this.ns,
      [
        '/usr/lib/frr/bfdd',
        '-u',
        'frr',
        '-g',
        'frr',
        '-f',
        conf,
        '--vty_socket',
        d,
        '-i',
        join(d, 'bfdd.pid'),
      ]
        .concat(['-P', '0', '-z', join(d, 'zserv.api'), '--bfdctl', join(d, 'bfdd.sock')])
        .concat(['--log', `file:${join(d, 'bfdd.log')}`]),
      join(d, 'bfdd.out'),
    );
    await waitUntil('FRR bfdd to answer vtysh', () => this.view().then((v) => (v.v4 ? true : undefined)), {
      timeoutMs: 15_000,
    });
    const log = readFileSync(join(d, 'bfdd.log'), 'utf8');
    expect(log).not.toMatch(/unknown command|no such command|error/i);
  },
  async view() {
    const out = await exec(['vtysh', '--vty_socket', this.dir, '-c', 'show bfd peers json']);
    const peers = JSON.parse(out) as Array<Record<string, unknown>>;
    const view: Partial<Record<Key, PeerView>> = {};
    for (const p of peers) {
      const key: Key = p.multihop === true ? 'mh' : String(p.peer).includes(':') ? 'v6' : 'v4';
      view[key] = { state: String(p.status), raw: p };
    }
    return view;
  },
};

const bird: Peer = {
  name: 'bird',
  ns: 'hbfd-bird',
  v4: '192.0.2.3',
  v6: '2001:db8:bfd::3',
  dir: '',
  async start() {
    const conf = join(this.dir, 'bird.conf');
    const t = `min rx interval ${INTERVAL_MS} ms; min tx interval ${INTERVAL_MS} ms; multiplier ${MULT};`;
    writeFileSync(
      conf,
      [
        `router id ${this.v4};`,
        'protocol device { scan time 1; }',
        'protocol bfd hbfd {',
        `  interface "*" { ${t} };`,
        `  multihop { ${t} };`,
        `  neighbor ${OUR4};`,
        `  neighbor ${OUR6};`,
        `  neighbor ${OUR4} local ${this.v4} multihop on;`,
        '}',
        '',
      ].join('\n'),
    );
    const d = this.dir;
    this.process = new DetachedProcess(
      this.ns,
      ['/usr/sbin/bird', '-f', '-c', conf, '-s', join(d, 'bird.ctl'), '-P', join(d, 'bird.pid')],
      join(d, 'bird.out'),
    );
    await waitUntil('BIRD to answer birdc', () => this.view().then((v) => (v.v4 ? true : undefined)), {
      timeoutMs: 15_000,
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

/** BIRD prints the local time of day; turn it into epoch ms on the day closest to now. */
function timeOfDay(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  const d = new Date();
  d.setHours(h, m, Math.floor(s), Math.round((s % 1) * 1000));
  const day = 86_400_000;
  const delta = d.getTime() - Date.now();
  return d.getTime() - Math.round(delta / day) * day;
}

function frrUid(): number {
  return Number(/^frr:[^:]*:(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[1] ?? -1);
}
function frrGid(): number {
  return Number(/^frr:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1] ?? -1);
}

async function buildTopology(): Promise<void> {
  for (const ns of [OURS, frr.ns, bird.ns]) {
    await exec(['ip', 'netns', 'add', ns]);
    await exec(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }
  await exec(['ip', '-n', OURS, 'link', 'add', 'br0', 'type', 'bridge']);
  for (const peer of [frr, bird]) {
    const port = `vp-${peer.name}`;
    await exec([
      'ip',
      '-n',
      OURS,
      'link',
      'add',
      port,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      peer.ns,
    ]);
    await exec(['ip', '-n', OURS, 'link', 'set', port, 'master', 'br0', 'up']);
    await exec(['ip', '-n', peer.ns, 'addr', 'add', `${peer.v4}/24`, 'dev', 'eth0']);
    await exec(['ip', '-n', peer.ns, 'addr', 'add', `${peer.v6}/64`, 'dev', 'eth0', 'nodad']);
    await exec(['ip', '-n', peer.ns, 'link', 'set', 'eth0', 'up']);
  }
  await exec(['ip', '-n', OURS, 'addr', 'add', `${OUR4}/24`, 'dev', 'br0']);
  await exec(['ip', '-n', OURS, 'addr', 'add', `${OUR6}/64`, 'dev', 'br0', 'nodad']);
  await exec(['ip', '-n', OURS, 'link', 'set', 'br0', 'up']);
  for (const peer of [frr, bird]) {
    await waitUntil(
      `ping ${peer.v6}`,
      () => inNs(OURS, ['ping', '-6', '-c1', '-W1', peer.v6]).then(() => true),
      {
        timeoutMs: 10_000,
      },
    );
  }
}

/** Measured detection times, printed after the run (docs/bfd.md quotes them). */
const measured: string[] = [];

const ids = (peer: Peer): string[] => KEYS.map((k) => `${peer.name}-${k}`);
const discriminators = new Map<string, number>();
let agent: Agent | undefined;

async function addSessions(peer: Peer): Promise<void> {
  const common = {
    desiredMinTxUs: INTERVAL_MS * 1000,
    requiredMinRxUs: INTERVAL_MS * 1000,
    detectMult: MULT,
  };
  const options: Record<Key, object> = {
    v4: { peerAddress: peer.v4, localAddress: OUR4 },
    v6: { peerAddress: peer.v6, localAddress: OUR6 },
    mh: { peerAddress: peer.v4, localAddress: OUR4, multihop: true },
  };
  for (const key of KEYS) {
    const id = `${peer.name}-${key}`;
    const added = await agent!.call({ op: 'add', id, ...common, ...options[key] });
    discriminators.set(id, Number(added.localDiscriminator));
    await agent!.call({ op: 'start', id });
  }
}

async function ourStates(peer: Peer): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids(peer)) out.push(String((await agent!.call({ op: 'snapshot', id })).state));
  return out;
}

async function allUp(peer: Peer): Promise<Partial<Record<Key, PeerView>>> {
  return waitUntil(
    `${peer.name}: every session Up in both views`,
    async () => {
      const view = await peer.view();
      const theirs = KEYS.every((k) => view[k]?.state === 'up');
      const ours = (await ourStates(peer)).every((s) => s === 'Up');
      return theirs && ours ? view : undefined;
    },
    { timeoutMs: UP_TIMEOUT_MS, intervalMs: 200 },
  );
}

async function allDownAtPeer(peer: Peer, timeoutMs: number): Promise<Partial<Record<Key, PeerView>>> {
  return waitUntil(
    `${peer.name}: every session Down in its view`,
    async () => {
      const view = await peer.view();
      return KEYS.every((k) => view[k]?.state === 'down') ? view : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
}

describe.skipIf(skipReason !== undefined)('BFD interop with FRR bfdd and BIRD (network namespaces)', () => {
  beforeAll(async () => {
    await removeNamespaces(PREFIX);
    await buildTopology();
    for (const peer of [frr, bird]) {
      peer.dir = mkdtempSync(join(tmpdir(), `hbfd-${peer.name}-`));
      if (peer.name === 'frr') chownSync(peer.dir, frrUid(), frrGid());
      await peer.start();
    }
    agent = new Agent({ ns: OURS });
    await agent.waitFor('agent ready', (l) => l.type === 'ready', { timeoutMs: 20_000 });
    for (const peer of [frr, bird]) await addSessions(peer);
  }, 90_000);

  afterAll(async () => {
    console.log(`BFD interop detection times (detection time ${DETECTION_MS} ms):\n${measured.join('\n')}`);
    await agent?.kill();
    for (const peer of [frr, bird]) await peer.process?.kill();
    await removeNamespaces(PREFIX);
    for (const peer of [frr, bird]) if (peer.dir !== '') rmSync(peer.dir, { recursive: true, force: true });
  }, 30_000);

  describe.each([frr, bird])('$name', (peer) => {
    it('single-hop IPv4, IPv6 and multihop sessions come Up in both views with our parameters', async () => {
      const view = await allUp(peer);
      for (const key of KEYS) {
        if (peer.name === 'frr') {
          expect(view[key]!.raw).toMatchObject({
            'remote-id': discriminators.get(`frr-${key}`),
            'remote-receive-interval': INTERVAL_MS,
            'remote-transmit-interval': INTERVAL_MS,
            'remote-detect-multiplier': MULT,
            diagnostic: 'ok',
          });
        } else {
          expect(view[key]!.raw).toMatchObject({ interval: '0.300', timeout: '0.900' });
        }
      }
    }, 60_000);

    it('declares Down within its detection time when nftables drops our packets, then comes back Up', async () => {
      await allUp(peer);
      const from = agent!.lines.length;
      const rules = [
        `table inet hbfd {`,
        ` chain input {`,
        `  type filter hook input priority 0; policy accept;`,
        `  ip saddr ${OUR4} udp dport { 3784, 4784 } drop`,
        `  ip6 saddr ${OUR6} udp dport { 3784, 4784 } drop`,
        ` }`,
        `}`,
      ].join('\n');
      const before = Date.now();
      await inNs(peer.ns, ['nft', '-f', '-'], { input: `${rules}\n` });
      const installed = Date.now();
      try {
        const view = await allDownAtPeer(peer, DETECTION_MS + 5_000);
        const seen = Date.now();
        for (const key of KEYS) {
          const v = view[key]!;
          if (v.sinceMs !== undefined) {
            expect(v.sinceMs).toBeGreaterThanOrEqual(before + DETECTION_MS - INTERVAL_MS - 50);
            expect(v.sinceMs).toBeLessThanOrEqual(installed + DETECTION_MS + 50);
          } else {
            expect(v.raw.diagnostic).toBe('control detection time expired');
          }
        }
        expect(seen - installed).toBeLessThan(DETECTION_MS + SLACK_MS);
        const since = KEYS.map((k) => view[k]!.sinceMs).filter((t): t is number => t !== undefined);
        measured.push(
          `${peer.name} saw our silence after ${since.length > 0 ? since.map((t) => t - installed).join('/') + ' ms (own clock)' : `<= ${seen - installed} ms (polled)`}`,
        );
        // The daemon tells us it is Down: we follow with diagnostic 3 (Neighbor Signaled Session Down).
        for (const id of ids(peer)) {
          await agent!.waitFor(
            `${id} Down with diagnostic 3`,
            (l) => l.type === 'state-change' && l.id === id && l.to === 'Down' && l.diagnostic === 3,
            { timeoutMs: 5_000, from },
          );
        }
      } finally {
        await inNs(peer.ns, ['nft', 'delete', 'table', 'inet', 'hbfd']);
      }
      await allUp(peer);
    }, 60_000);

    it('sees our AdminDown at once, and Up again after start()', async () => {
      await allUp(peer);
      for (const id of ids(peer)) await agent!.call({ op: 'admin-down', id });
      const view = await allDownAtPeer(peer, 3_000);
      if (peer.name === 'frr') {
        for (const key of KEYS) expect(view[key]!.raw['remote-diagnostic']).toBe('administratively down');
      }
      expect(await ourStates(peer)).toEqual(['AdminDown', 'AdminDown', 'AdminDown']);
      for (const id of ids(peer)) await agent!.call({ op: 'start', id });
      await allUp(peer);
    }, 60_000);

    it('killed by PID: our sessions go Down with diagnostic 1 within the detection time; restarted: Up', async () => {
      await allUp(peer);
      const from = agent!.lines.length;
      const killedAt = Date.now();
      await peer.process!.kill('SIGKILL');
      for (const id of ids(peer)) {
        const line = await agent!.waitFor(
          `${id} Down`,
          (l) => l.type === 'state-change' && l.id === id && l.from === 'Up',
          { timeoutMs: DETECTION_MS + 5_000, from },
        );
        expect(line).toMatchObject({
          to: 'Down',
          diagnostic: 1,
          diagnosticName: 'Control Detection Time Expired',
        });
        expect(line.receivedAt - killedAt).toBeLessThan(DETECTION_MS + SLACK_MS);
        measured.push(`${id}: down ${line.receivedAt - killedAt} ms after kill -9 of ${peer.name}`);
      }
      await peer.start();
      await allUp(peer);
    }, 60_000);
  });
});
