// PacketSocket.sendMany (packetSendMany, sendmmsg) between two network namespaces joined by a veth pair:
//
//   hsmany-a (a0) ---- (b0) hsmany-b        no IPv4 addresses: the ARP requests (198.51.100.1 asking for
//                                           198.51.100.2) are answered by no one
//
// A fixture (fixtures/send-many-peer.ts) in hsmany-b receives on an ARP socket; another in hsmany-a sends
// COUNT requests, each carrying its sequence number, in batches through sendMany. Every frame must arrive,
// once, in order. The sender also reports the addon's argument checks with a real open handle.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

const skip = requireRoot('sendMany namespace tests');
const FIXTURE = fileURLToPath(new URL('./fixtures/send-many-peer.ts', import.meta.url));
const NODE = [process.execPath, '--import', 'tsx', FIXTURE];
const COUNT = 5_000;
/** Not a multiple of the addon's 64-message sendmmsg chunk, so a partial last chunk is exercised too. */
const BATCH = 1_000;

type Event = Record<string, unknown> & { event: string };

const parse = (text: string): Event[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Event);

describe.skipIf(skip !== undefined)('PacketSocket.sendMany across namespaces', () => {
  const lab = new Lab('hsmany-');
  const nsA = lab.ns('a');
  const nsB = lab.ns('b');
  let receiver: LabProcess;
  let sender: Event[];

  beforeAll(async () => {
    await lab.removeStale();
    await lab.addNamespace('a');
    await lab.addNamespace('b');
    await lab.veth(nsA, 'a0', nsB, 'b0');
    for (const [ns, iface] of [
      [nsA, 'a0'],
      [nsB, 'b0'],
    ] as const)
      await lab.sysctl(ns, `net.ipv6.conf.${iface}.disable_ipv6`, '1');
    const logFile = join(lab.tempDir('recv'), 'recv.log');
    const life = ['--lifetime-ms', '30000'];
    receiver = lab.spawnInNs(nsB, [...NODE, 'recv', '--interface', 'b0', '--count', String(COUNT), ...life], {
      logFile,
    });
    await waitFor(() => parse(receiver.log()).some((e) => e.event === 'ready') || receiver.exit(), {
      timeoutMs: 15_000,
      what: 'the receiver to open its socket',
    });
    const argv = [...NODE, 'send', '--interface', 'a0', '--count', String(COUNT), '--batch', String(BATCH)];
    const { stdout } = await lab.exec(nsA, [...argv, ...life], { timeoutMs: 30_000 });
    sender = parse(stdout);
  }, 90_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  it('sends every frame of every batch', () => {
    const sent = sender.find((e) => e.event === 'sent');
    expect(sent).toMatchObject({ sent: COUNT });
    expect(Number(sent?.calls)).toBeGreaterThanOrEqual(COUNT / BATCH);
  });

  it('the other namespace receives every frame once, in order', async () => {
    const received = await waitFor(() => parse(receiver.log()).find((e) => e.event === 'received'), {
      timeoutMs: 20_000,
      what: 'the receiver to report',
    });
    const sequences = received.sequences as number[];
    expect(received.drops).toBe(0);
    expect(sequences).toHaveLength(COUNT);
    expect(sequences).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  });

  it('the addon checks the batch with an open handle and names the bad element', () => {
    const checks = sender.find((e) => e.event === 'validation');
    expect(checks).toMatchObject({
      badElement: 'TypeError: frames[3] must be a Buffer or Uint8Array',
      notArray: 'TypeError: frames must be an array of Buffer or Uint8Array',
      tooMany: 'RangeError: frames must hold at most 1024 frames, got 1025',
      empty: 'returned 0',
      wrapper: 'PacketSocketOptionError: frames[1] must be a Buffer or Uint8Array',
    });
  });

  it('refuses to send on a closed socket (EBADF)', () => {
    expect(sender.find((e) => e.event === 'closed')).toMatchObject({ sendManyAfterClose: 'EBADF' });
  });
});
