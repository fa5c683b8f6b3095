/**
 * Two (and three) bgp-ts-lite BFD services talking over loopback UDP with real sockets and the real
 * clock: single-hop IPv4 and IPv6, multihop, demultiplexing two sessions on one socket, Poll/Final,
 * AdminDown, and detection after the peer process is killed. Ports 3790–3799, addresses 127.0.0.0/8
 * and ::1 only.
 */
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BfdDiagnostic,
  BfdService,
  type BfdServiceInit,
  type BfdSession,
  type BfdSessionEvents,
  type MinTtlPort,
} from '../../../src/bgp/bfd/index.js';
import { Agent, waitUntil } from './bfd-helpers.js';

const FAST = { desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, detectMult: 3 };
const UP_TIMEOUT_MS = 10_000;

const services: BfdService[] = [];
const agents: Agent[] = [];

async function service(init: BfdServiceInit, minTtl?: MinTtlPort): Promise<BfdService> {
  const s = new BfdService(minTtl === undefined ? {} : { minTtl }, init);
  services.push(s);
  await s.start();
  return s;
}

function next<K extends keyof BfdSessionEvents>(
  session: BfdSession,
  type: K,
  timeoutMs: number,
): Promise<BfdSessionEvents[K] & { at: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(type)} from ${session.peerAddress} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = session.on(type, (event) => {
      clearTimeout(timer);
      off();
      resolve({ ...event, at: performance.now() });
    });
  });
}

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(agents.splice(0).map((a) => a.kill()));
});

describe('BFD over loopback (two bgp-ts-lite services)', () => {
  it('IPv4 single-hop sessions come Up, negotiate, and AdminDown takes the peer Down with diagnostic 3', async () => {
    const a = await service({ singleHopPort: 3790, bindAddress: { ipv4: '127.0.0.1' } });
    const b = await service({ singleHopPort: 3791, bindAddress: { ipv4: '127.0.0.2' } });
    const sa = await a.addSession({
      peerAddress: '127.0.0.2',
      localAddress: '127.0.0.1',
      peerPort: 3791,
      ...FAST,
    });
    const sb = await b.addSession({
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.2',
      peerPort: 3790,
      ...FAST,
    });
    const ups = Promise.all([next(sa, 'up', UP_TIMEOUT_MS), next(sb, 'up', UP_TIMEOUT_MS)]);
    sa.start();
    sb.start();
    await ups;
    await waitUntil(
      'both Poll Sequences to complete',
      () => (!sa.snapshot().pollActive && sb.snapshot().detectionTimeUs === 150_000) || undefined,
      { timeoutMs: 3_000, intervalMs: 20 },
    );
    expect(sa.snapshot()).toMatchObject({
      state: 'Up',
      remoteDiscriminator: sb.localDiscriminator,
      txIntervalUs: 50_000,
    });
    expect(sb.snapshot()).toMatchObject({
      state: 'Up',
      remoteDiscriminator: sa.localDiscriminator,
      detectionTimeUs: 150_000,
    });

    const polled = next(sb, 'poll-complete', 2_000);
    sb.setParameters({ desiredMinTxUs: 80_000 });
    expect((await polled).inUse).toEqual({ desiredMinTxUs: 80_000, requiredMinRxUs: 50_000 });
    await waitUntil(
      'the new interval at the peer',
      () => sa.snapshot().detectionTimeUs === 240_000 || undefined,
      {
        timeoutMs: 2_000,
        intervalMs: 20,
      },
    );

    const down = next(sb, 'down', 2_000);
    await sa.stop();
    expect(await down).toMatchObject({
      from: 'Up',
      to: 'Down',
      diagnostic: BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN,
      remoteState: 'AdminDown',
    });
    expect(a.sessions).toEqual([]);
  });

  it('IPv6 single-hop sessions come Up over ::1', async () => {
    const a = await service({ singleHopPort: 3792, bindAddress: { ipv6: '::1' } });
    const b = await service({ singleHopPort: 3793, bindAddress: { ipv6: '::1' } });
    const sa = await a.addSession({ peerAddress: '0:0:0:0:0:0:0:1', peerPort: 3793, ...FAST });
    const sb = await b.addSession({ peerAddress: '::1', peerPort: 3792, ...FAST });
    expect(sa.peerAddress).toBe('::1');
    const ups = Promise.all([next(sa, 'up', UP_TIMEOUT_MS), next(sb, 'up', UP_TIMEOUT_MS)]);
    sa.start();
    sb.start();
    await ups;
    expect([sa.state, sb.state]).toEqual(['Up', 'Up']);
  });

  it('multihop sessions come Up, and the multihop minimum TTL goes to the GTSM port', async () => {
    const calls: Array<[number, string, number]> = [];
    const recorder: MinTtlPort = { setMinTtl: (fd, family, ttl) => calls.push([fd, family, ttl]) };
    const init = { multihopMinTtl: 254, bindAddress: { ipv4: '127.0.0.1' } };
    const a = await service({ ...init, multihopPort: 3794 }, recorder);
    const b = await service({ ...init, multihopPort: 3795 });
    expect([a.receiveTtlEnforced, b.receiveTtlEnforced]).toEqual([true, false]);
    const sa = await a.addSession({ peerAddress: '127.0.0.1', multihop: true, peerPort: 3795, ...FAST });
    const sb = await b.addSession({ peerAddress: '127.0.0.1', multihop: true, peerPort: 3794, ...FAST });
    const ups = Promise.all([next(sa, 'up', UP_TIMEOUT_MS), next(sb, 'up', UP_TIMEOUT_MS)]);
    sa.start();
    sb.start();
    await ups;
    expect(sa.mode).toBe('multihop');
    expect(calls).toEqual([[expect.any(Number), 'IPv4', 254]]);
    expect(calls[0]![0]).toBeGreaterThan(2);
  });

  it('demultiplexes two sessions on one socket, and the single-hop socket gets min TTL 255', async () => {
    const calls: Array<[number, string, number]> = [];
    const recorder: MinTtlPort = { setMinTtl: (fd, family, ttl) => calls.push([fd, family, ttl]) };
    const hub = await service({ singleHopPort: 3796, bindAddress: { ipv4: '127.0.0.1' } }, recorder);
    const b = await service({ singleHopPort: 3797, bindAddress: { ipv4: '127.0.0.2' } });
    const c = await service({ singleHopPort: 3797, bindAddress: { ipv4: '127.0.0.3' } });
    const toB = await hub.addSession({
      peerAddress: '127.0.0.2',
      localAddress: '127.0.0.1',
      peerPort: 3797,
      ...FAST,
    });
    const toC = await hub.addSession({
      peerAddress: '127.0.0.3',
      localAddress: '127.0.0.1',
      peerPort: 3797,
      ...FAST,
    });
    const fromB = await b.addSession({
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.2',
      peerPort: 3796,
      ...FAST,
    });
    const fromC = await c.addSession({
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.3',
      peerPort: 3796,
      ...FAST,
    });
    const all = [toB, toC, fromB, fromC];
    const ups = Promise.all(all.map((s) => next(s, 'up', UP_TIMEOUT_MS)));
    all.forEach((s) => s.start());
    await ups;
    expect(toB.remoteDiscriminator).toBe(fromB.localDiscriminator);
    expect(toC.remoteDiscriminator).toBe(fromC.localDiscriminator);
    expect(calls).toEqual([[expect.any(Number), 'IPv4', 255]]);

    const discards: string[] = [];
    hub.on('discard', (e) => discards.push(`${e.reason} from ${e.source}`));
    const stray = createSocket('udp4');
    await new Promise<void>((resolve) => stray.bind({ address: '127.0.0.4', port: 0 }, resolve));
    const send = (bytes: Uint8Array): Promise<void> =>
      new Promise((resolve) => stray.send(bytes, 3796, '127.0.0.1', () => resolve()));
    await send(new Uint8Array([0x40, 0x40, 3, 24, ...new Array<number>(20).fill(1)]));
    await send(
      Uint8Array.from(Buffer.from('2040031800000005000000000000000100000001000000' /* 23 octets */, 'hex')),
    );
    await send(Uint8Array.from(Buffer.from('204003180000000500000000000f4240000f424000000000', 'hex')));
    stray.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(discards).toEqual([
      'bad-version from 127.0.0.4',
      'truncated from 127.0.0.4',
      'no-session from 127.0.0.4',
    ]);
  });

  it('a killed peer process is detected: Down with diagnostic 1 within the detection time', async () => {
    const agent = new Agent({ init: { singleHopPort: 3798, bindAddress: { ipv4: '127.0.0.1' } } });
    agents.push(agent);
    await agent.waitFor('agent ready', (l) => l.type === 'ready', { timeoutMs: 20_000 });
    const local = await service({ singleHopPort: 3799, bindAddress: { ipv4: '127.0.0.1' } });
    const session = await local.addSession({ peerAddress: '127.0.0.1', peerPort: 3798, ...FAST });
    await agent.call({ op: 'add', id: 'p', peerAddress: '127.0.0.1', peerPort: 3799, ...FAST });
    const up = next(session, 'up', UP_TIMEOUT_MS);
    session.start();
    await agent.call({ op: 'start', id: 'p' });
    await up;
    await new Promise((r) => setTimeout(r, 300));

    const down = next(session, 'down', 3_000);
    const killedAt = performance.now();
    await agent.kill('SIGKILL');
    const event = await down;
    expect(event).toMatchObject({ to: 'Down', diagnostic: BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED });
    // Detection time 3 × 50 ms after the last packet; the bound leaves room for a loaded machine but
    // still rules out anything but BFD detection (nothing else would notice a silent peer).
    expect(event.at - killedAt).toBeLessThan(1_000);
  });
});
