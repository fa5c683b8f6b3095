// AF_PACKET sockets through the native addon, between two network namespaces joined by a veth pair:
//
//   hpkt-a (a0) ---- (b0) hpkt-b        192.0.2.1/24, 2001:db8:11::1/64  <->  192.0.2.2/24, 2001:db8:11::2/64
//
// In hpkt-a a Node process (fixtures/packet-peer.ts) owns the sockets and prints JSON lines; from hpkt-b
// the system tools arping, ndisc6 and ping send the traffic. The VIPs 192.0.2.10 and 2001:db8:11::10 are on
// no interface, so only the fixture can answer for them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

const TOOLS = ['arping', 'ndisc6', 'ping'];
function requireTools(): string | undefined {
  const missing = TOOLS.filter(
    (tool) => !['/usr/bin', '/usr/sbin', '/bin'].some((d) => existsSync(join(d, tool))),
  );
  if (missing.length === 0) return undefined;
  const reason = `AF_PACKET namespace tests need ${missing.join(', ')} (apt-get install iputils-arping ndisc6)`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping them`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

const skip = requireRoot('AF_PACKET namespace tests') ?? requireTools();
const FIXTURE = fileURLToPath(new URL('./fixtures/packet-peer.ts', import.meta.url));
const NODE = [process.execPath, '--import', 'tsx', FIXTURE];
const VIP = '192.0.2.10';
const VIP6 = '2001:db8:11::10';
const VIP6_GROUP_MAC = '33:33:ff:00:00:10'; // solicited-node ff02::1:ff00:10 (RFC 4291 §2.7.1, RFC 2464 §7)
const ICMPV6_ECHO_REQUEST = 128;
const ICMPV6_ECHO_REPLY = 129;
const ICMPV6_NS = 135;

type Event = Record<string, unknown> & { event: string };

describe.skipIf(skip !== undefined)('AF_PACKET sockets across namespaces', () => {
  const lab = new Lab('hpkt-');
  const nsA = lab.ns('a');
  const nsB = lab.ns('b');

  function events(proc: LabProcess): Event[] {
    return proc
      .log()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Event);
  }

  async function start(name: string, args: string[]): Promise<LabProcess> {
    const logFile = join(lab.tempDir(name), 'peer.log');
    const proc = lab.spawnInNs(nsA, [...NODE, ...args, '--interface', 'a0', '--lifetime-ms', '90000'], {
      logFile,
    });
    await waitFor(
      () => events(proc).some((e) => e.event === 'ready') || (proc.exit() !== undefined && fail(proc)),
      {
        timeoutMs: 15_000,
        what: `fixture ${name} to open its sockets`,
      },
    );
    return proc;
  }

  function fail(proc: LabProcess): never {
    throw new Error(`${proc.argv.join(' ')} exited: ${proc.log()}`);
  }

  /** Sends SIGUSR1 and waits for the n-th stats line. */
  async function stats(proc: LabProcess): Promise<Event> {
    const before = events(proc).filter((e) => e.event === 'stats').length;
    process.kill(proc.pid, 'SIGUSR1');
    return waitFor(() => events(proc).filter((e) => e.event === 'stats')[before], {
      timeoutMs: 5_000,
      what: 'stats',
    });
  }

  const arping = (args: string[] = []) =>
    lab.exec(nsB, ['arping', '-c', '1', '-w', '5', ...args, '-I', 'b0', VIP], { timeoutMs: 10_000 });

  beforeAll(async () => {
    await lab.removeStale();
    await lab.addNamespace('a');
    await lab.addNamespace('b');
    // The link-down test must not flush a0's IPv6 address (the NDP tests ping it afterwards).
    for (const scope of ['all', 'default'])
      await lab.sysctl(nsA, `net.ipv6.conf.${scope}.keep_addr_on_down`, '1');
    await lab.veth(nsA, 'a0', nsB, 'b0');
    await lab.addAddress(nsA, 'a0', '192.0.2.1/24');
    await lab.addAddress(nsA, 'a0', '2001:db8:11::1/64');
    await lab.addAddress(nsB, 'b0', '192.0.2.2/24');
    await lab.addAddress(nsB, 'b0', '2001:db8:11::2/64');
  }, 60_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  describe('ARP (ETH_P_ARP with ARP_FILTER)', () => {
    let peer: LabProcess;
    let ownMac: string;
    beforeAll(async () => {
      peer = await start('arp', ['arp']);
      ownMac = String(events(peer).find((e) => e.event === 'ready')?.mac);
    }, 30_000);

    it('receives an arping request and arping accepts the crafted reply', async () => {
      const { stdout } = await arping();
      expect(stdout).toContain(`reply from ${VIP} [${ownMac.toUpperCase()}]`);
      expect(stdout).toMatch(/Received 1 response/u);
      const request = events(peer).find((e) => e.event === 'frame' && e.op === 1 && e.target === VIP);
      expect(request).toMatchObject({ type: 'broadcast' });
      expect(events(peer)).toContainEqual({ event: 'replied', sent: true });
    });

    it('does not deliver its own outgoing replies', async () => {
      await arping();
      const frames = events(peer).filter((e) => e.event === 'frame');
      expect(events(peer).filter((e) => e.event === 'replied').length).toBeGreaterThanOrEqual(2);
      expect(frames.filter((e) => e.src === ownMac)).toEqual([]);
      expect(frames.every((e) => e.op === 1)).toBe(true);
      const counted = await stats(peer);
      expect(counted).toMatchObject({ arp: { packets: frames.length, drops: 0 } });
    });

    it('reports ENETDOWN when the link goes down and keeps receiving after it is up again', async () => {
      const replies = events(peer).filter((e) => e.event === 'replied').length;
      await lab.exec(nsA, ['ip', 'link', 'set', 'a0', 'down']);
      await waitFor(() => events(peer).find((e) => e.event === 'error'), {
        timeoutMs: 5_000,
        what: 'the error',
      });
      expect(events(peer).find((e) => e.event === 'error')).toMatchObject({ code: 'ENETDOWN', fatal: false });
      await lab.exec(nsA, ['ip', 'link', 'set', 'a0', 'up']);
      await waitFor(
        async () => (await arping().catch(() => undefined))?.stdout.includes('Received 1 response'),
        {
          timeoutMs: 20_000,
          what: 'an ARP reply after link up',
        },
      );
      expect(events(peer).filter((e) => e.event === 'replied').length).toBeGreaterThan(replies);
      expect(peer.exit()).toBeUndefined();
    }, 40_000);

    it('closes twice without error and keeps the final totals readable', async () => {
      process.kill(peer.pid, 'SIGTERM');
      const closed = await waitFor(() => events(peer).find((e) => e.event === 'closed'), {
        timeoutMs: 5_000,
        what: 'the fixture to close its socket',
      });
      const frames = events(peer).filter((e) => e.event === 'frame').length;
      expect(closed).toMatchObject({ arp: { packets: frames, drops: 0 } });
      await waitFor(() => peer.exit(), { timeoutMs: 5_000, what: 'the fixture to exit' });
      expect(peer.exit()).toEqual({ code: 0, signal: null });
    });
  });

  describe('NDP (ETH_P_IPV6)', () => {
    let peer: LabProcess;
    const maddr = async () => (await lab.exec(nsA, ['ip', 'maddr', 'show', 'dev', 'a0'])).stdout;
    beforeAll(async () => {
      peer = await start('ndp', ['ndp', '--group', VIP6_GROUP_MAC]);
    }, 30_000);

    it('joins the solicited-node MAC group and receives a Neighbor Solicitation for the VIP', async () => {
      expect(await maddr()).toContain(`link  ${VIP6_GROUP_MAC}`);
      // No one answers for the VIP: ndisc6 times out, the fixture must still have seen the NS.
      await lab
        .exec(nsB, ['ndisc6', '-1', '-r', '2', '-w', '300', VIP6, 'b0'], { timeoutMs: 10_000 })
        .catch(() => {});
      const ns = await waitFor(
        () =>
          events(peer).find(
            (e) =>
              e.event === 'frame' &&
              e.socket === 'nd' &&
              e.icmp6Type === ICMPV6_NS &&
              e.dst === VIP6_GROUP_MAC,
          ),
        { timeoutMs: 5_000, what: 'the NS on the filtered socket' },
      );
      expect(ns).toMatchObject({ type: 'multicast' });
    });

    it('the ND filter drops echo requests that the unfiltered socket sees, and stats count only accepted frames', async () => {
      await lab.exec(nsB, ['ping', '-6', '-c', '3', '-i', '0.2', '-W', '2', '2001:db8:11::1'], {
        timeoutMs: 10_000,
      });
      const frames = events(peer).filter((e) => e.event === 'frame');
      const nd = frames.filter((e) => e.socket === 'nd');
      const all = frames.filter((e) => e.socket === 'all');
      expect(all.filter((e) => e.icmp6Type === ICMPV6_ECHO_REQUEST).length).toBe(3);
      expect(nd.every((e) => e.icmp6Type === ICMPV6_NS || e.icmp6Type === 136)).toBe(true);
      // The kernel's own echo replies leave a0 as PACKET_OUTGOING. The kernel shows outgoing frames only
      // to ETH_P_ALL sockets ("any"): the addon must drop them there (and "all" never gets them).
      const any = frames.filter((e) => e.socket === 'any');
      expect(any.filter((e) => e.icmp6Type === ICMPV6_ECHO_REQUEST).length).toBe(3);
      expect(any.filter((e) => e.icmp6Type === ICMPV6_ECHO_REPLY)).toEqual([]);
      expect(all.filter((e) => e.icmp6Type === ICMPV6_ECHO_REPLY)).toEqual([]);
      const counted = await stats(peer);
      expect(counted).toMatchObject({
        nd: { packets: nd.length, drops: 0 },
        all: { packets: all.length, drops: 0 },
      });
      expect(nd.length).toBeLessThan(all.length);
    });

    it('drops the membership again', async () => {
      process.kill(peer.pid, 'SIGUSR2');
      await waitFor(() => events(peer).some((e) => e.event === 'dropped'), {
        timeoutMs: 5_000,
        what: 'dropped',
      });
      expect(await maddr()).not.toContain(VIP6_GROUP_MAC);
    });
  });
});
