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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, exec, inNs, removeNamespaces, rootSkipReason, waitUntil } from './bfd-helpers.js';
import {
  KEYS,
  birdPeer,
  chownToFrr,
  daemonsMissing,
  frrPeer,
  type Key,
  type Peer,
  type PeerView,
} from './bfd-daemons.js';

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

const skipReason = rootSkipReason('the BFD interop test') ?? daemonsMissing();
const common = { our4: OUR4, our6: OUR6, intervalMs: INTERVAL_MS, mult: MULT };
const frr = frrPeer({ ns: 'hbfd-frr', v4: '192.0.2.2', v6: '2001:db8:bfd::2', ...common });
const bird = birdPeer({ ns: 'hbfd-bird', v4: '192.0.2.3', v6: '2001:db8:bfd::3', ...common });

async function buildTopology(): Promise<void> {
  for (const ns of [OURS, frr.topology.ns, bird.topology.ns]) {
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
      peer.topology.ns,
    ]);
    await exec(['ip', '-n', OURS, 'link', 'set', port, 'master', 'br0', 'up']);
    await exec(['ip', '-n', peer.topology.ns, 'addr', 'add', `${peer.topology.v4}/24`, 'dev', 'eth0']);
    await exec([
      'ip',
      '-n',
      peer.topology.ns,
      'addr',
      'add',
      `${peer.topology.v6}/64`,
      'dev',
      'eth0',
      'nodad',
    ]);
    await exec(['ip', '-n', peer.topology.ns, 'link', 'set', 'eth0', 'up']);
  }
  await exec(['ip', '-n', OURS, 'addr', 'add', `${OUR4}/24`, 'dev', 'br0']);
  await exec(['ip', '-n', OURS, 'addr', 'add', `${OUR6}/64`, 'dev', 'br0', 'nodad']);
  await exec(['ip', '-n', OURS, 'link', 'set', 'br0', 'up']);
  for (const peer of [frr, bird]) {
    await waitUntil(
      `ping ${peer.topology.v6}`,
      () => inNs(OURS, ['ping', '-6', '-c1', '-W1', peer.topology.v6]).then(() => true),
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
    v4: { peerAddress: peer.topology.v4, localAddress: OUR4 },
    v6: { peerAddress: peer.topology.v6, localAddress: OUR6 },
    mh: { peerAddress: peer.topology.v4, localAddress: OUR4, multihop: true },
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
      if (peer.name === 'frr') chownToFrr(peer.dir);
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
      await inNs(peer.topology.ns, ['nft', '-f', '-'], { input: `${rules}\n` });
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
        await inNs(peer.topology.ns, ['nft', 'delete', 'table', 'inet', 'hbfd']);
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
