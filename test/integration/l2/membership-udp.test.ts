/**
 * The membership adapter between network namespaces: three speakers, each a child process in its own
 * namespace (membership-node.ts), on one bridge, all on the same UDP port (peers listed without a port,
 * as in a cluster). Checks: they stay all-live; a partition (the bridge port of node-3 down) is seen on
 * both sides; it heals; SIGTERM makes a graceful leave (memberLeft 'leave', exit 0); SIGKILL is detected
 * (memberDown); a restart with a higher incarnation is up again. Prefix `hmud-`; needs root.
 *
 *   hmud-n1 eth0 192.0.2.11 ─┐
 *   hmud-n2 eth0 192.0.2.12 ─┼─ hmud-br br0 (ports v1 v2 v3)
 *   hmud-n3 eth0 192.0.2.13 ─┘
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

const skip = requireRoot('membership namespace tests');
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_SCRIPT = fileURLToPath(new URL('./membership-node.ts', import.meta.url));
const PORT = 17946;
const KEY = 'hmud-shared-secret';
const NODES = ['node-1', 'node-2', 'node-3'] as const;
const ADDRESSES = ['192.0.2.11', '192.0.2.12', '192.0.2.13'] as const;
const CONFIG = {
  probeIntervalMs: 100,
  probeTimeoutMs: 30,
  indirectTimeoutMs: 40,
  suspicionTimeoutMs: 150,
  gossipIntervalMs: 20,
  deadProbeIntervalMs: 300,
};
const PEERS = NODES.map((name, i) => ({ name, address: ADDRESSES[i]! }));
const STARTUP_MS = 20_000;
const DETECT_MS = 5_000;

interface Line {
  readonly event: string;
  readonly name?: string;
  readonly reason?: string;
  readonly live?: string[];
  readonly t: number;
}

function linesOf(proc: LabProcess, since = 0): Line[] {
  return proc
    .log()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.t >= since);
}

function has(proc: LabProcess, since: number, match: (l: Line) => boolean): boolean {
  return linesOf(proc, since).some(match);
}

function lastLive(proc: LabProcess): string[] | undefined {
  return linesOf(proc)
    .filter((l) => l.live !== undefined)
    .at(-1)?.live;
}

describe.skipIf(skip !== undefined)('membership over UDP between namespaces', () => {
  const lab = new Lab('hmud-');
  const procs: LabProcess[] = [];

  function startNode(i: number, incarnation: number): LabProcess {
    const init = {
      self: NODES[i],
      bind: { address: ADDRESSES[i], port: PORT },
      key: KEY,
      peers: PEERS,
      config: CONFIG,
      incarnation,
    };
    const logFile = join(lab.tempDir(`n${i + 1}`), 'agent.log');
    const argv = [process.execPath, '--import', 'tsx', NODE_SCRIPT, JSON.stringify(init)];
    return lab.spawnInNs(lab.ns(`n${i + 1}`), argv, { logFile, cwd: REPO_ROOT });
  }

  beforeAll(async () => {
    await lab.removeStale();
    const br = await lab.addNamespace('br');
    await lab.bridge(br, 'br0');
    for (const [i, address] of ADDRESSES.entries()) {
      const ns = await lab.addNamespace(`n${i + 1}`);
      await lab.veth(ns, 'eth0', br, `v${i + 1}`);
      await lab.exec(br, ['ip', 'link', 'set', `v${i + 1}`, 'master', 'br0']);
      await lab.addAddress(ns, 'eth0', `${address}/24`);
    }
    for (const i of [0, 1, 2]) procs.push(startNode(i, 100));
    await waitFor(() => procs.every((p) => has(p, 0, (l) => l.event === 'ready')), {
      timeoutMs: STARTUP_MS,
      what: 'three agents ready',
    });
  });

  afterAll(async () => {
    await lab.cleanup();
  });

  it('three speakers converge and stay all-live', async () => {
    // Agents start up to a second apart: a peer listed before its agent runs may be declared down, then
    // comes back up with its first message (optimistic admission, docs/membership.md).
    await waitFor(() => procs.every((p) => lastLive(p)?.length === 3), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: 'all three live',
    });
    const since = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const p of procs) {
      expect(has(p, since, (l) => l.event === 'memberDown')).toBe(false);
      expect(lastLive(p)).toEqual([...NODES]);
      expect(p.exit()).toBeUndefined();
    }
  });

  it('a partition is seen from both sides and heals', async () => {
    const [n1, n2, n3] = procs as [LabProcess, LabProcess, LabProcess];
    const cut = Date.now();
    await lab.exec(lab.ns('br'), ['ip', 'link', 'set', 'v3', 'down']);
    const down = (name: string) => (l: Line) => l.event === 'memberDown' && l.name === name;
    await waitFor(
      () =>
        has(n1, cut, down('node-3')) &&
        has(n2, cut, down('node-3')) &&
        has(n3, cut, down('node-1')) &&
        has(n3, cut, down('node-2')),
      { timeoutMs: DETECT_MS, intervalMs: 20, what: 'memberDown on both sides of the partition' },
    );
    expect(lastLive(n1)).toEqual(['node-1', 'node-2']);
    expect(lastLive(n3)).toEqual(['node-3']);
    await lab.exec(lab.ns('br'), ['ip', 'link', 'set', 'v3', 'up']);
    await waitFor(() => procs.every((p) => lastLive(p)?.length === 3), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: 'all three live again after healing',
    });
  });

  it('SIGTERM leaves gracefully: memberLeft(leave) at the others, exit 0', async () => {
    const [n1, n2, n3] = procs as [LabProcess, LabProcess, LabProcess];
    const sent = Date.now();
    expect(await lab.signal(n2, 'SIGTERM')).toBe(true);
    const status = await waitFor(() => n2.exit(), { timeoutMs: 2_000, intervalMs: 20, what: 'exit status' });
    expect(status).toEqual({ code: 0, signal: null });
    expect(has(n2, sent, (l) => l.event === 'exit')).toBe(true);
    const left = (l: Line): boolean =>
      l.event === 'memberLeft' && l.name === 'node-2' && l.reason === 'leave';
    const seenAt = await waitFor(
      () => {
        const hits = [n1, n3].map((p) => linesOf(p, sent).find(left));
        return hits.every((h) => h !== undefined) ? Math.max(...hits.map((h) => h!.t)) : undefined;
      },
      { timeoutMs: 2_000, intervalMs: 20, what: 'memberLeft node-2' },
    );
    expect(seenAt - sent).toBeLessThan(2_000);
    expect(has(n1, sent, (l) => l.event === 'memberDown')).toBe(false);
  });

  it('SIGKILL is detected, and a restart with a higher incarnation is up again', async () => {
    const [n1, , n3] = procs as [LabProcess, LabProcess, LabProcess];
    const killed = Date.now();
    expect(await lab.signal(n3, 'SIGKILL')).toBe(true);
    await waitFor(() => has(n1, killed, (l) => l.event === 'memberDown' && l.name === 'node-3'), {
      timeoutMs: DETECT_MS,
      intervalMs: 20,
      what: 'memberDown node-3 after SIGKILL',
    });
    const restarted = Date.now();
    const again = startNode(2, 200);
    await waitFor(() => has(n1, restarted, (l) => l.event === 'memberUp' && l.name === 'node-3'), {
      timeoutMs: STARTUP_MS,
      intervalMs: 50,
      what: 'memberUp node-3 after the restart',
    });
    // The newcomer learns at once that node-2 has left (the others send it what they believe failed).
    await waitFor(() => lastLive(again)?.join(',') === 'node-1,node-3', {
      timeoutMs: DETECT_MS,
      intervalMs: 50,
      what: 'the restarted node to see node-2 gone',
    });
    expect(lastLive(n1)).toEqual(['node-1', 'node-3']);
  });
});
