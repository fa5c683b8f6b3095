/**
 * A `herald peer-check` run against a scripted BGP peer on loopback (ports 17965-17969) with a fake clock:
 * the JSON lines, the result and the exit status for success, a NOTIFICATION from the router, a refused
 * connection, an expired hold timer, the --timeout, routes the router did not negotiate, --passive (a
 * bgp-ts-lite session plays the router), and Ctrl-C before and after Established.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Afi, CeaseSubcode, ErrorCode, OpenSubcode, Safi } from '../../../src/bgp/constants.js';
import { parsePrefix } from '../../../src/bgp/nlri/prefix.js';
import { BgpSession } from '../../../src/bgp/session/session.js';
import { nodeTcpTransport } from '../../../src/bgp/session/transport.js';
import { parsePeerCheckArgs } from '../../../src/cli/peer-check/args.js';
import { runPeerCheck, SHUTDOWN_COMMUNICATION } from '../../../src/cli/peer-check/runner.js';
import { FakeClock } from '../../fakes/clock.js';
import { peerOpen, RawPeer, until } from '../bgp/session/raw-peer.js';

type Line = Record<string, unknown> & { event: string };

const peers: RawPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
});

async function listening(port: number): Promise<RawPeer> {
  const peer = new RawPeer(port);
  await peer.listen();
  peers.push(peer);
  return peer;
}

function start(port: number, flags: string[], signal = new AbortController().signal, peer = '127.0.0.1') {
  const clock = new FakeClock();
  const lines: Line[] = [];
  const errors: string[] = [];
  const args = parsePeerCheckArgs([
    `--peer=${peer}`,
    `--port=${port}`,
    '--peer-asn=65002',
    '--my-asn=65001',
    ...flags,
  ]);
  const done = runPeerCheck(
    args,
    {
      transport: nodeTcpTransport,
      transportName: 'node:net',
      clock,
      wallClock: () => new Date(Date.UTC(2025, 0, 1)),
      localAddressTowards: async () => '127.0.0.9',
    },
    { line: (text) => lines.push(JSON.parse(text) as Line), error: (text) => errors.push(text) },
    signal,
  );
  const result = (): Line | undefined => lines.find((l) => l.event === 'result');
  return { clock, lines, errors, done, result };
}

const of = (lines: Line[], event: string): Line[] => lines.filter((l) => l.event === event);

describe('herald peer-check against a scripted peer', () => {
  it('reports the session, the OPEN, routes both ways, and exits 0 after --duration', async () => {
    const peer = await listening(17965);
    const run = start(17965, [
      '--duration=5',
      '--announce=203.0.113.10/32',
      '--community=65000:100',
      '--community=large:4200000000:1:2',
    ]);
    await peer.handshake();
    await until('established', () => of(run.lines, 'established').length > 0);
    const attrs = [
      { kind: 'origin', value: 0 },
      { kind: 'as-path', segments: [{ type: 2, asns: [65002] }] },
      { kind: 'next-hop', address: Uint8Array.of(127, 0, 0, 1) },
    ] as const;
    const nlri = ['198.51.100.0/24', '198.51.100.128/25'].map((p) => ({ prefix: parsePrefix(p) }));
    peer.send({ type: 'update', withdrawn: [], attributes: attrs, nlri });
    peer.send({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
    await until('End-of-RIB', () => of(run.lines, 'end-of-rib').length > 0);
    await run.clock.advanceAsync(5_000);
    expect(await run.done).toBe(0);
    expect(run.errors).toEqual([]);

    expect(run.lines[0]).toMatchObject({
      time: '2025-01-01T00:00:00.000Z',
      elapsedS: 0,
      event: 'start',
      routerId: '127.0.0.9',
      transport: 'node:net',
      communities: ['65000:100', 'large:4200000000:1:2'],
    });
    expect(of(run.lines, 'state').map((l) => `${String(l.from)}->${String(l.to)}`)).toEqual([
      'Idle->Connect',
      'Connect->OpenSent',
      'OpenSent->OpenConfirm',
      'OpenConfirm->Established',
      'Established->Idle',
    ]);
    expect(of(run.lines, 'open')[0]).toMatchObject({
      peer: { asn: 65002, routerId: '10.0.0.2', holdTimeS: 90 },
      negotiated: { holdTimeS: 90, keepaliveS: 30, families: ['ipv4-unicast', 'ipv6-unicast'] },
    });
    expect(of(run.lines, 'routes-sent')[0]).toMatchObject({
      announced: 1,
      endOfRib: ['ipv4-unicast', 'ipv6-unicast'],
    });
    expect(run.result()).toMatchObject({
      ok: true,
      exitCode: 0,
      message: 'session Established with 127.0.0.1 for 5 s',
      established: true,
      upForS: 5,
      announced: { prefixes: ['203.0.113.10/32'], updatesSent: 3, skipped: [] },
      received: {
        'ipv4-unicast': { prefixes: 2, endOfRib: true },
        'ipv6-unicast': { prefixes: 0, endOfRib: false },
      },
      notifications: [{ direction: 'sent', code: 6, subcode: 2, communication: SHUTDOWN_COMMUNICATION }],
    });

    const [announced] = peer.of('update');
    expect(announced?.attributes.find((a) => a.kind === 'communities')).toEqual({
      kind: 'communities',
      values: [65000 * 65536 + 100],
    });
    expect(announced?.attributes.find((a) => a.kind === 'large-communities')).toEqual({
      kind: 'large-communities',
      values: [{ globalAdmin: 4200000000, localData1: 1, localData2: 2 }],
    });
    await until('the Cease', () => peer.of('notification').length > 0);
    expect(peer.of('notification')[0]).toMatchObject({
      code: ErrorCode.CEASE,
      subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN,
    });
  });

  it('exits 1 printing the NOTIFICATION the router sends', async () => {
    const peer = await listening(17966);
    const run = start(17966, []);
    await until('our OPEN', () => peer.of('open').length > 0);
    peer.send({
      type: 'notification',
      code: ErrorCode.OPEN_MESSAGE,
      subcode: OpenSubcode.BAD_PEER_AS,
      data: Uint8Array.of(0xfd, 0xe9),
    });
    expect(await run.done).toBe(1);
    expect(run.errors).toEqual([
      'herald peer-check: NOTIFICATION received: OPEN Message Error / Bad Peer AS (2/2)',
    ]);
    expect(run.result()).toMatchObject({
      ok: false,
      established: false,
      notifications: [
        { direction: 'received', codeName: 'OPEN Message Error', subcodeName: 'Bad Peer AS', data: 'fde9' },
      ],
    });
  });

  it('exits 1 with a Bad Peer AS of its own when the router is not --peer-asn', async () => {
    const peer = await listening(17966);
    const run = start(17966, []);
    await peer.handshake(peerOpen({ myAs: 65099, capabilities: [{ kind: 'four-octet-as', asn: 65099 }] }));
    expect(await run.done).toBe(1);
    expect(run.errors[0]).toBe(
      "herald peer-check: NOTIFICATION sent: OPEN Message Error / Bad Peer AS (2/2) (the router's OPEN does not carry AS 65002, given with --peer-asn)",
    );
  });

  it('exits 1 with the socket error when nothing listens', async () => {
    const run = start(17967, []);
    expect(await run.done).toBe(1);
    expect(run.errors).toEqual([
      'herald peer-check: connect to 127.0.0.1 port 17967 failed: connect ECONNREFUSED 127.0.0.1:17967',
    ]);
    expect(of(run.lines, 'warning')).toHaveLength(1);
  });

  it('exits 1 when the hold timer expires', async () => {
    const peer = await listening(17968);
    const run = start(17968, ['--hold=3']);
    await peer.handshake(peerOpen({ holdTime: 3 }));
    await until('established', () => of(run.lines, 'established').length > 0);
    await run.clock.advanceAsync(3_500);
    expect(await run.done).toBe(1);
    expect(run.errors).toEqual([
      'herald peer-check: hold timer expired: no KEEPALIVE or UPDATE from the peer within the hold time',
    ]);
    expect(run.result()).toMatchObject({
      notifications: [{ direction: 'sent', codeName: 'Hold Timer Expired' }],
    });
    expect(run.result()).toMatchObject({ established: true, upForS: 3 });
  });

  it('exits 1 after --timeout without a session', async () => {
    const peer = await listening(17965);
    const run = start(17965, ['--timeout=2']);
    await until('our OPEN', () => peer.of('open').length > 0);
    await run.clock.advanceAsync(3_000);
    expect(await run.done).toBe(1);
    expect(run.errors).toEqual(['herald peer-check: no session within 2 s (state OpenSent)']);
  });

  it('exits 1 when an announced prefix cannot be sent', async () => {
    const peer = await listening(17965);
    const run = start(17965, ['--announce=2001:db8:c::/64', '--announce=203.0.113.0/24']);
    await peer.handshake(
      peerOpen({ capabilities: [{ kind: 'multiprotocol', afi: Afi.IPV4, safi: Safi.UNICAST }] }),
    );
    expect(await run.done).toBe(1);
    expect(run.errors[0]).toMatch(
      /^herald peer-check: could not announce 2001:db8:c::\/64 \(family-not-negotiated\)/,
    );
    expect(run.result()).toMatchObject({
      announced: {
        skipped: [{ prefix: '2001:db8:c::/64', family: 'ipv6-unicast', reason: 'family-not-negotiated' }],
      },
    });
  });

  it('waits for the router to connect with --passive', async () => {
    const run = start(17969, ['--passive', '--source=127.0.0.2', '--duration=1'], undefined, '127.0.0.1');
    await until('listening', () => of(run.lines, 'state').length > 0);
    const router = new BgpSession({
      peerAddress: '127.0.0.2',
      peerPort: 17969,
      localAddress: '127.0.0.1',
      peerAs: 65001,
      localAs: 65002,
      routerId: '10.0.0.2',
      closeLingerMs: 100,
    });
    router.start();
    try {
      await until('established', () => of(run.lines, 'established').length > 0);
      await run.clock.advanceAsync(1_000);
      expect(await run.done).toBe(0);
    } finally {
      await router.stop({ signal: AbortSignal.timeout(1_000) });
    }
    expect(run.lines[0]).toMatchObject({ mode: 'passive', routerId: '127.0.0.2' });
    expect(of(run.lines, 'state')[0]).toMatchObject({ from: 'Idle', to: 'Active' });
    expect(of(run.lines, 'established')[0]).toMatchObject({
      direction: 'inbound',
      local: '127.0.0.2 port 17969',
    });
  });

  it('stops on the AbortSignal: exit 0 once Established, 1 before', async () => {
    const peer = await listening(17966);
    const established = new AbortController();
    const run = start(17966, ['--duration=600'], established.signal);
    await peer.handshake();
    await until('established', () => of(run.lines, 'established').length > 0);
    established.abort(new Error('received SIGINT'));
    expect(await run.done).toBe(0);
    expect(run.result()).toMatchObject({
      ok: true,
      interrupted: true,
      message: expect.stringContaining('received SIGINT') as unknown,
    });
    await peer.close();

    const early = new AbortController();
    const peer2 = await listening(17966);
    const run2 = start(17966, [], early.signal);
    await until('our OPEN', () => peer2.of('open').length > 0);
    early.abort(new Error('received SIGTERM'));
    expect(await run2.done).toBe(1);
    expect(run2.errors).toEqual([
      'herald peer-check: stopped (received SIGTERM) before the session was Established',
    ]);
  });
});
