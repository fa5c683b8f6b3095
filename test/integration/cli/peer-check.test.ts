/**
 * `herald peer-check` against a real BIRD 2 router, each in its own network namespace:
 *
 *   hpc-node (n0) ---- veth ---- (r0) hpc-rtr: BIRD, AS 64512, 203.0.113.1 and 2001:db8:c::1
 *   node: 203.0.113.2 (plain), .3 (MD5), .4 and .5 (AS errors), .6 (BFD); 2001:db8:c::2 (IPv6 session)
 *
 * The CLI runs inside hpc-node (`ip netns exec hpc-node node --import tsx src/bin/herald.ts peer-check
 * ...`); BIRD has one passive neighbour per node address. Checked: a session that stays up with the
 * announced prefixes and their (large) communities visible in birdc; TCP MD5 with the right and a wrong
 * password; Bad Peer AS both ways; nothing listening; BFD Up, and BFD failing (BIRD's BFD port blocked
 * with nft inside hpc-rtr) tearing the session down. Under CI=true these tests must run (root needed).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { birdc, requireDaemons, startBird, type Bird } from '../../helpers/daemons.js';
import { Lab, requireRoot, waitFor } from '../../helpers/netns.js';

const skip = requireRoot('herald peer-check namespace tests') ?? requireDaemons(['bird']);

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const HERALD = [process.execPath, '--import', 'tsx', `${REPO}src/bin/herald.ts`];
const CLI_TIMEOUT_MS = 40_000;
const RTR = '203.0.113.1';
const RTR6 = '2001:db8:c::1';
const NODE6 = '2001:db8:c::2';
const NODE = {
  plain: '203.0.113.2',
  md5: '203.0.113.3',
  asn: '203.0.113.4',
  myAsn: '203.0.113.5',
  bfd: '203.0.113.6',
};
const PASSWORD = 'hpc-s3cret';

const BIRD_CONFIG = `
protocol static routes4 { ipv4; route 198.51.100.0/24 blackhole; route 198.51.100.128/25 blackhole; }
protocol static routes6 { ipv6; route 2001:db8:ff::/48 blackhole; }
protocol bfd { interface "*" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }
template bgp node from fast {
  local ${RTR} as 64512;
  passive on;
  hold time 9;
  ipv4 { import all; export all; };
}
protocol bgp pplain from node {
  neighbor ${NODE.plain} as 64513;
  ipv6 { import all; export all; next hop address ${RTR6}; };
}
protocol bgp pmd5 from node { neighbor ${NODE.md5} as 64513; password "${PASSWORD}"; }
protocol bgp pasn from node { neighbor ${NODE.asn} as 64513; }
protocol bgp pmyasn from node { neighbor ${NODE.myAsn} as 64513; }
protocol bgp pbfd from node { neighbor ${NODE.bfd} as 64513; bfd on; }
protocol bgp pv6 from fast {
  local ${RTR6} as 64512;
  neighbor ${NODE6} as 64513;
  passive on;
  ipv6 { import all; export all; };
}
`;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
  result: Record<string, unknown>;
}

describe.skipIf(skip !== undefined)('herald peer-check against BIRD', () => {
  const lab = new Lab('hpc-');
  const ns = { node: lab.ns('node'), rtr: lab.ns('rtr') };
  let bird: Bird;

  /** Runs the CLI inside hpc-node; `during` runs while it does (e.g. birdc queries). */
  function peerCheck(args: string[], during?: () => Promise<void>): Promise<CliRun> {
    const child = spawn('ip', ['netns', 'exec', ns.node, ...HERALD, 'peer-check', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    return (async () => {
      const duringResult = during?.().catch((error: unknown) => error);
      const code = await exited;
      const failure = await duringResult;
      if (failure instanceof Error)
        throw new Error(`${failure.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const result = lines.find((l) => l.event === 'result') ?? {};
      return { code, stdout, stderr, lines, result };
    })();
  }

  const base = (source: string, ...extra: string[]): string[] => [
    ...(extra.some((a) => a.startsWith('--timeout')) ? [] : ['--timeout', '10']),
    '--peer',
    RTR,
    '--peer-asn',
    '64512',
    '--my-asn',
    '64513',
    '--source',
    source,
    ...extra,
  ];

  beforeAll(async () => {
    await lab.removeStale();
    await lab.addNamespace('node');
    await lab.addNamespace('rtr');
    await lab.veth(ns.node, 'n0', ns.rtr, 'r0');
    await lab.addAddress(ns.rtr, 'r0', `${RTR}/24`);
    await lab.addAddress(ns.rtr, 'r0', `${RTR6}/64`);
    for (const address of Object.values(NODE)) await lab.addAddress(ns.node, 'n0', `${address}/24`);
    await lab.addAddress(ns.node, 'n0', `${NODE6}/64`);
    bird = await startBird(lab, ns.rtr, RTR, BIRD_CONFIG);
  }, 60_000);

  afterAll(async () => {
    await lab.cleanup();
  });

  it('establishes, announces prefixes with communities BIRD sees, counts BIRD routes, exits 0', async () => {
    const routeOf = async (prefix: string): Promise<string | false> => {
      const text = await birdc(bird.socket, `show route for ${prefix} all`);
      return text.includes('BGP.large_community') && text;
    };
    const seen: Record<string, string> = {};
    const run = await peerCheck(
      base(
        NODE.plain,
        '--announce',
        '203.0.113.10/32',
        '--announce',
        '2001:db8:c:10::/64',
        '--next-hop',
        NODE6,
        '--community',
        '64512:100',
        '--community',
        'large:4200000000:1:2',
        '--community',
        'no-export',
        '--hold',
        '30',
        '--duration',
        '4',
      ),
      async () => {
        for (const prefix of ['203.0.113.10/32', '2001:db8:c:10::/64']) {
          seen[prefix] = await waitFor(() => routeOf(prefix), {
            timeoutMs: 20_000,
            what: `${prefix} in BIRD`,
          });
        }
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const text of Object.values(seen)) {
      expect(text).toContain('BGP.community: (64512,100) (65535,65281)');
      expect(text).toContain('BGP.large_community: (4200000000, 1, 2)');
      expect(text).toContain('BGP.as_path: 64513');
    }
    expect(seen['2001:db8:c:10::/64']).toContain(`BGP.next_hop: ${NODE6}`);
    expect(run.result).toMatchObject({
      ok: true,
      exitCode: 0,
      established: true,
      open: {
        peer: { asn: 64512, routerId: RTR, holdTimeS: 9 },
        negotiated: { holdTimeS: 9, keepaliveS: 3, families: ['ipv4-unicast', 'ipv6-unicast'] },
      },
      received: {
        'ipv4-unicast': { prefixes: 2, endOfRib: true },
        'ipv6-unicast': { prefixes: 1, endOfRib: true },
      },
    });
    const events = run.lines.map((l) => l.event);
    expect(events.slice(0, 2)).toEqual(['start', 'state']);
    expect(events).toContain('open');
    expect(events).toContain('routes-sent');
    const caps = (run.result.open as { peer: { capabilities: { name: string }[] } }).peer.capabilities.map(
      (c) => c.name,
    );
    expect(caps).toEqual(
      expect.arrayContaining(['multiprotocol', 'route-refresh', 'four-octet-as', 'graceful-restart']),
    );
  });

  it('uses TCP MD5 with --password (native transport); a wrong password times out with a hint', async () => {
    const good = await peerCheck(base(NODE.md5, '--password', PASSWORD, '--duration', '1'));
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.lines[0]).toMatchObject({ event: 'start', transport: 'native', md5: true });
    expect(good.result).toMatchObject({ ok: true, established: true });

    const bad = await peerCheck(base(NODE.md5, '--password', 'wrong', '--duration', '1', '--timeout=3'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/timed out after 3000 ms/);
    expect(bad.stderr).toMatch(/with --password, a wrong or missing key on the router/);
  });

  it("exits 1 with Bad Peer AS when --peer-asn is wrong (our NOTIFICATION) or --my-asn is (BIRD's)", async () => {
    const ours = await peerCheck(base(NODE.asn, '--duration', '1').map((a) => (a === '64512' ? '64999' : a)));
    expect(ours.code).toBe(1);
    expect(ours.stderr).toContain('NOTIFICATION sent: OPEN Message Error / Bad Peer AS (2/2)');
    expect(ours.result).toMatchObject({ notifications: [{ direction: 'sent', subcodeName: 'Bad Peer AS' }] });

    const theirs = await peerCheck(
      base(NODE.myAsn, '--duration', '1').map((a) => (a === '64513' ? '64600' : a)),
    );
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toContain(
      'herald peer-check: NOTIFICATION received: OPEN Message Error / Bad Peer AS (2/2)',
    );
    expect(theirs.result).toMatchObject({
      established: false,
      notifications: [{ direction: 'received', codeName: 'OPEN Message Error', subcodeName: 'Bad Peer AS' }],
    });
  });

  it('runs an IPv6 session (router ID given) and counts only the family BIRD negotiates', async () => {
    const run = await peerCheck(
      [
        '--peer',
        RTR6,
        '--peer-asn',
        '64512',
        '--my-asn',
        '64513',
        '--router-id',
        NODE.plain,
        '--source',
        NODE6,
        '--announce',
        '2001:db8:c:20::/64',
        '--duration',
        '1',
      ],
      async () => {
        await waitFor(
          async () => (await birdc(bird.socket, 'show route for 2001:db8:c:20::/64')).includes('pv6'),
          {
            timeoutMs: 15_000,
            what: '2001:db8:c:20::/64 in BIRD',
          },
        );
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({
      routerId: NODE.plain,
      open: { negotiated: { families: ['ipv6-unicast'] } },
      received: { 'ipv6-unicast': { prefixes: 1, endOfRib: true } },
    });
    expect(run.result.received).not.toHaveProperty('ipv4-unicast');
  });

  it('exits 1 with the socket error when nothing listens', async () => {
    const run = await peerCheck(base(NODE.plain, '--port', '1790'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `herald peer-check: connect to ${RTR} port 1790 failed: connect ECONNREFUSED ${RTR}:1790\n`,
    );
    expect(run.result).toMatchObject({ ok: false, established: false });
  });

  it('brings BFD Up with --bfd, and fails with the BFD teardown when BIRD stops hearing it', async () => {
    const bfdArgs = ['--bfd', '--bfd-rx', '100', '--bfd-tx', '100'];
    const up = await peerCheck(base(NODE.bfd, ...bfdArgs, '--duration', '4'));
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.result).toMatchObject({ ok: true, bfd: { state: 'Up', reachedUp: true, teardowns: 0 } });
    expect(up.lines.filter((l) => l.event === 'bfd').map((l) => l.to)).toContain('Up');

    const table = 'hpc';
    const down = await peerCheck(base(NODE.bfd, ...bfdArgs, '--duration', '20'), async () => {
      await waitFor(async () => (await birdc(bird.socket, 'show bfd sessions')).includes(' Up '), {
        timeoutMs: 15_000,
        what: 'BFD Up in BIRD',
      });
      await waitFor(async () => (await birdc(bird.socket, 'show protocols pbfd')).includes('Established'), {
        timeoutMs: 15_000,
        what: 'pbfd Established in BIRD',
      });
      await lab.exec(ns.rtr, ['nft', 'add', 'table', 'inet', table]);
      await lab.exec(ns.rtr, ['nft', 'add chain inet hpc in { type filter hook input priority 0 ; }']);
      await lab.exec(ns.rtr, ['nft', 'add', 'rule', 'inet', table, 'in', 'udp', 'dport', '3784', 'drop']);
    });
    await lab.exec(ns.rtr, ['nft', 'delete', 'table', 'inet', table]);
    expect(down.code).toBe(1);
    // Our BFD hears BIRD's Down first (we stop the session), or BIRD's NOTIFICATION arrives first.
    expect(down.stderr).toMatch(
      /^herald peer-check: (BFD went Down \(.+\): the session was stopped with|NOTIFICATION received:) Cease \/ BFD Down \(6\/10\)\n$/,
    );
    expect(down.result).toMatchObject({ ok: false, established: true });
    const bfdLines = down.lines
      .filter((l) => l.event === 'bfd')
      .map((l) => `${String(l.from)}->${String(l.to)}`);
    expect(bfdLines).toContain('Up->Down');
  }, 60_000);
});
