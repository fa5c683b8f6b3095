// The Layer 2 Announcer with real AF_PACKET sockets, between two network namespaces joined by a veth pair:
//
//   hann-a (a0) ---- (b0) hann-b        192.0.2.1/24  <->  192.0.2.2/24
//
// In hann-a a Node process (fixtures/announcer-peer.ts) runs the Announcer for 192.0.2.50, an address on
// no interface, so only the announcer can answer for it. From hann-b, iputils arping must see exactly one
// MAC for it: ours.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

function requireArping(): string | undefined {
  if (['/usr/bin', '/usr/sbin', '/bin'].some((d) => existsSync(join(d, 'arping')))) return undefined;
  const reason = 'the announcer namespace test needs arping (apt-get install iputils-arping)';
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping it`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

const skip = requireRoot('the announcer namespace test') ?? requireArping();
const FIXTURE = fileURLToPath(new URL('./fixtures/announcer-peer.ts', import.meta.url));
const VIP = '192.0.2.50';

type Event = Record<string, unknown> & { event: string };

describe.skipIf(skip !== undefined)('Announcer across namespaces', () => {
  const lab = new Lab('hann-');
  const nsA = lab.ns('a');
  const nsB = lab.ns('b');
  let peer: LabProcess;

  const events = (): Event[] =>
    peer
      .log()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Event);

  beforeAll(async () => {
    await lab.removeStale();
    await lab.addNamespace('a');
    await lab.addNamespace('b');
    await lab.veth(nsA, 'a0', nsB, 'b0');
    await lab.addAddress(nsA, 'a0', '192.0.2.1/24');
    await lab.addAddress(nsB, 'b0', '192.0.2.2/24');
    const logFile = join(lab.tempDir('announcer'), 'peer.log');
    const argv = [process.execPath, '--import', 'tsx', FIXTURE, '--interface', 'a0', '--vip', VIP];
    peer = lab.spawnInNs(nsA, [...argv, '--lifetime-ms', '60000'], { logFile });
    await waitFor(
      () => {
        if (peer.exit() !== undefined) throw new Error(`fixture exited: ${peer.log()}`);
        return events().some((e) => e.event === 'ready');
      },
      { timeoutMs: 15_000, what: 'the announcer fixture to start' },
    );
  }, 60_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  it('answers arping for the VIP with exactly one MAC, its own, and counts it', async () => {
    const ownMac = String(events().find((e) => e.event === 'ready')?.mac);
    const { stdout } = await lab.exec(nsB, ['arping', '-c', '3', '-w', '10', '-I', 'b0', VIP], {
      timeoutMs: 15_000,
    });
    const macs = new Set(
      [...stdout.matchAll(/reply from \S+ \[([0-9A-Fa-f:]+)\]/gu)].map((m) => m[1]!.toLowerCase()),
    );
    expect([...macs]).toEqual([ownMac]);
    expect(stdout).toMatch(/Received 3 response/u);
    process.kill(peer.pid, 'SIGUSR1');
    const stats = await waitFor(() => events().find((e) => e.event === 'stats'), {
      timeoutMs: 5_000,
      what: 'stats',
    });
    expect(stats[VIP]).toMatchObject({ requestsReceived: 3, responsesSent: 3 });
    expect(events().filter((e) => e.event === 'conflict' || e.event === 'linkError')).toEqual([]);
  }, 30_000);
});
