// TCP MD5 (RFC 2385), TTL and GTSM (RFC 5082) through the native addon, between network namespaces:
//
//   hmd5-b (b0) ---- (a0) hmd5-a (a1) ---- (r0) hmd5-r (r1) ---- (c0) hmd5-c
//   link ab 192.0.2.0/26,  2001:db8:5::1:0/112     (b is one hop from a)
//   link ar 192.0.2.64/26, 2001:db8:5::2:0/112
//   link rc 192.0.2.128/26, 2001:db8:5::3:0/112    (c is two hops from a, through router r)
//
// Servers and clients are Node processes (fixtures/tcp-peer.ts) started with `ip netns exec`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Lab, requireRoot, waitFor, type LabProcess } from '../../helpers/netns.js';

const skip = requireRoot('TCP MD5 namespace tests');
const FIXTURE = fileURLToPath(new URL('./fixtures/tcp-peer.ts', import.meta.url));
const NODE = [process.execPath, '--import', 'tsx', FIXTURE];
const KEY = 'herald-md5-key';
const FAIL_TIMEOUT_MS = 1_500;

const A4 = '192.0.2.1';
const A6 = '2001:db8:5::1:1';
const B4 = '192.0.2.2';
const B6 = '2001:db8:5::1:2';
const C4 = '192.0.2.130';
const C6 = '2001:db8:5::3:2';
const A4_FAR = '192.0.2.65'; // a's address on the router link, reached from c
const A6_FAR = '2001:db8:5::2:1';

const PORT = { md5: 17_901, gtsm: 17_902, plain: 17_903, ttl255: 17_904 } as const;

interface ClientResult {
  ok: boolean;
  echo?: string;
  code?: string;
  message?: string;
}

describe.skipIf(skip !== undefined)('TCP MD5, TTL and GTSM across namespaces', () => {
  const lab = new Lab('hmd5-');
  const ns = { a: lab.ns('a'), b: lab.ns('b'), r: lab.ns('r'), c: lab.ns('c') };

  async function link(
    nsX: string,
    ifX: string,
    x: [string, string],
    nsY: string,
    ifY: string,
    y: [string, string],
  ) {
    await lab.veth(nsX, ifX, nsY, ifY);
    await lab.addAddress(nsX, ifX, `${x[0]}/26`);
    await lab.addAddress(nsX, ifX, `${x[1]}/112`);
    await lab.addAddress(nsY, ifY, `${y[0]}/26`);
    await lab.addAddress(nsY, ifY, `${y[1]}/112`);
  }

  async function startServer(name: string, args: string[]): Promise<LabProcess> {
    const logFile = join(lab.tempDir(name), 'server.log');
    const proc = lab.spawnInNs(
      ns.a,
      [...NODE, 'server', '--listen', '::', '--lifetime-ms', '120000', ...args],
      {
        logFile,
      },
    );
    await waitFor(() => proc.log().includes('"listening"') || (proc.exit() !== undefined && fail(proc)), {
      timeoutMs: 15_000,
      what: `server ${name} to listen`,
    });
    return proc;
  }

  function fail(proc: LabProcess): never {
    throw new Error(`${proc.argv.join(' ')} exited: ${proc.log()}`);
  }

  async function client(
    from: string,
    host: string,
    port: number,
    options: string[] = [],
  ): Promise<ClientResult> {
    const family = host.includes(':') ? '6' : '4';
    const args = ['client', '--host', host, '--port', String(port), '--family', family];
    const timeout = ['--timeout-ms', String(FAIL_TIMEOUT_MS)];
    const { stdout } = await lab.exec(from, [...NODE, ...args, ...timeout, ...options], {
      timeoutMs: 20_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ClientResult;
  }

  const connected = { ok: true, echo: 'ping' };
  const timedOut = { ok: false, code: 'ETIMEDOUT' };

  beforeAll(async () => {
    await lab.removeStale();
    for (const name of Object.values(ns)) await lab.addNamespace(name.slice(lab.prefix.length));
    await link(ns.a, 'a0', [A4, A6], ns.b, 'b0', [B4, B6]);
    await link(ns.a, 'a1', [A4_FAR, A6_FAR], ns.r, 'r0', ['192.0.2.66', '2001:db8:5::2:2']);
    await link(ns.r, 'r1', ['192.0.2.129', '2001:db8:5::3:1'], ns.c, 'c0', [C4, C6]);
    await lab.sysctl(ns.r, 'net.ipv4.ip_forward', '1');
    await lab.sysctl(ns.r, 'net.ipv6.conf.all.forwarding', '1');
    await lab.addRoute(ns.a, '192.0.2.128/26', 'via', '192.0.2.66');
    await lab.addRoute(ns.a, '2001:db8:5::3:0/112', 'via', '2001:db8:5::2:2');
    await lab.addRoute(ns.c, 'default', 'via', '192.0.2.129');
    await lab.addRoute(ns.c, 'default', 'via', '2001:db8:5::3:1');
    // One dual-stack listener per scenario; the IPv4 MD5 peer is given plainly (the addon maps it).
    await startServer('md5', ['--port', String(PORT.md5), '--md5', `${B4}=${KEY}`, '--md5', `${B6}=${KEY}`]);
    await startServer('gtsm', ['--port', String(PORT.gtsm), '--min-ttl', '255']);
    await startServer('plain', ['--port', String(PORT.plain)]);
    await startServer('ttl255', ['--port', String(PORT.ttl255), '--ttl', '255']);
  }, 90_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 60_000);

  describe('MD5', () => {
    it.each([
      ['IPv4', A4],
      ['IPv6', A6],
    ])('%s: a client with the same key connects and exchanges data', async (_family, host) => {
      expect(await client(ns.b, host, PORT.md5, ['--md5', KEY])).toMatchObject(connected);
    });

    it.each([
      ['IPv4 without a key', A4, []],
      ['IPv4 with a wrong key', A4, ['--md5', 'not-the-key']],
      ['IPv6 without a key', A6, []],
      ['IPv6 with a wrong key', A6, ['--md5', 'not-the-key']],
    ])('%s: the connection times out', async (_case, host, options) => {
      expect(await client(ns.b, host, PORT.md5, options)).toMatchObject(timedOut);
    });

    it('a client with a key cannot reach a listener that has none', async () => {
      expect(await client(ns.b, A4, PORT.plain, ['--md5', KEY])).toMatchObject(timedOut);
    });

    it('tcpdump -M KEY verifies the signature on the wire', async () => {
      const logFile = join(lab.tempDir('tcpdump'), 'tcpdump.log');
      const filter = `tcp port ${PORT.md5} and tcp[tcpflags] & tcp-syn != 0`;
      const dump = lab.spawnInNs(ns.a, ['tcpdump', '-l', '-n', '-i', 'a0', '-c', '2', '-M', KEY, filter], {
        logFile,
      });
      await waitFor(() => dump.log().includes('listening on'), {
        timeoutMs: 10_000,
        what: 'tcpdump to start',
      });
      expect(await client(ns.b, A4, PORT.md5, ['--md5', KEY])).toMatchObject(connected);
      await waitFor(() => dump.exit() !== undefined, {
        timeoutMs: 10_000,
        what: 'tcpdump to see SYN and SYN-ACK',
      });
      expect(dump.log().match(/md5 valid/g)).toHaveLength(2);
    });
  });

  describe('TTL (eBGP multihop)', () => {
    it.each([
      ['IPv4', A4_FAR],
      ['IPv6', A6_FAR],
    ])('%s: ttl 1 does not cross the router, ttl 2 does', async (_family, host) => {
      expect(await client(ns.c, host, PORT.plain, ['--ttl', '1'])).toMatchObject({ ok: false });
      expect(await client(ns.c, host, PORT.plain, ['--ttl', '2'])).toMatchObject(connected);
    });
  });

  describe('GTSM (minimum TTL)', () => {
    it.each([
      ['IPv4', A4],
      ['IPv6', A6],
    ])(
      '%s listener: a directly connected peer sending TTL 255 connects, TTL 64 is dropped',
      async (_f, host) => {
        expect(await client(ns.b, host, PORT.gtsm, ['--ttl', '255'])).toMatchObject(connected);
        expect(await client(ns.b, host, PORT.gtsm, ['--ttl', '64'])).toMatchObject(timedOut);
      },
    );

    it.each([
      ['IPv4', A4_FAR],
      ['IPv6', A6_FAR],
    ])('%s listener: a peer two hops away is dropped even when it sends TTL 255', async (_family, host) => {
      expect(await client(ns.c, host, PORT.gtsm, ['--ttl', '255'])).toMatchObject(timedOut);
    });

    it.each([
      ['IPv4', A4, A4_FAR],
      ['IPv6', A6, A6_FAR],
    ])('%s client: minTtl 255 accepts a SYN-ACK from one hop away only', async (_family, near, far) => {
      expect(await client(ns.b, near, PORT.ttl255, ['--min-ttl', '255'])).toMatchObject(connected);
      expect(await client(ns.b, near, PORT.plain, ['--min-ttl', '255'])).toMatchObject(timedOut);
      expect(await client(ns.c, far, PORT.ttl255, ['--min-ttl', '255'])).toMatchObject(timedOut);
    });
  });
});
