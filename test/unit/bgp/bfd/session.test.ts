import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../fakes/clock.js';
import {
  BfdDiagnostic,
  decodeControlPacket,
  type BfdControlPacket,
} from '../../../../src/bgp/bfd/codec/index.js';
import { BfdConfigError } from '../../../../src/bgp/bfd/fsm/index.js';
import {
  BfdLifecycleError,
  BfdSession,
  type BfdStateChangeEvent,
  type BfdTransport,
} from '../../../../src/bgp/bfd/session/index.js';

/** An in-memory link between two sessions with 1 ms latency that a test can cut. */
class Link {
  up = true;
  readonly log: Array<{ from: string; packet: BfdControlPacket }> = [];
  constructor(private readonly clock: FakeClock) {}

  transport(from: string, deliver: () => BfdSession | undefined): BfdTransport & { closed: boolean } {
    const deliverLater = (packet: BfdControlPacket): void => {
      this.log.push({ from, packet });
      if (this.up) this.clock.setTimeout(() => deliver()?.receive(packet), 1);
    };
    return {
      closed: false,
      send(bytes, callback) {
        if (this.closed) return callback(new Error('closed'));
        const decoded = decodeControlPacket(bytes);
        if (!decoded.ok) return callback(decoded.error);
        deliverLater(decoded.packet);
        callback(null);
      },
      async close() {
        this.closed = true;
      },
    };
  }
}

function pair(options: { passiveB?: boolean; seed?: number } = {}) {
  const clock = new FakeClock();
  const link = new Link(clock);
  let seed = options.seed ?? 1;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const peers: { a?: BfdSession; b?: BfdSession } = {};
  const ta = link.transport('a', () => peers.b);
  const tb = link.transport('b', () => peers.a);
  const params = { desiredMinTxUs: 100_000, requiredMinRxUs: 100_000, detectMult: 3 };
  const a = new BfdSession(
    { clock, random, transport: ta },
    {
      peerAddress: '192.0.2.2',
      mode: 'single-hop',
      config: { ...params, localDiscriminator: 0xa, passive: false },
    },
  );
  const b = new BfdSession(
    { clock, random, transport: tb },
    {
      peerAddress: '192.0.2.1',
      mode: 'single-hop',
      config: { ...params, localDiscriminator: 0xb, passive: options.passiveB === true },
    },
  );
  peers.a = a;
  peers.b = b;
  const events = { a: [] as BfdStateChangeEvent[], b: [] as BfdStateChangeEvent[] };
  a.on('state-change', (e) => events.a.push(e));
  b.on('state-change', (e) => events.b.push(e));
  return { clock, link, a, b, ta, tb, events };
}

const sessions: BfdSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});

describe('BfdSession over an in-memory link with a fake clock', () => {
  it('two sessions come Up through Down → Init → Up and finish the Poll Sequence', () => {
    const { clock, a, b, events } = pair();
    sessions.push(a, b);
    const ups: string[] = [];
    a.on('up', () => ups.push('a'));
    b.on('up', () => ups.push('b'));
    a.start();
    b.start();
    clock.advance(3_000);
    expect([a.state, b.state]).toEqual(['Up', 'Up']);
    expect(ups.sort()).toEqual(['a', 'b']);
    expect(events.a.map((e) => e.to)).toEqual(['Down', 'Init', 'Up']);
    expect(a.snapshot()).toMatchObject({
      remoteDiscriminator: 0xb,
      pollActive: false,
      txIntervalUs: 100_000,
      detectionTimeUs: 300_000,
      inUse: { desiredMinTxUs: 100_000, requiredMinRxUs: 100_000 },
    });
  });

  it('sends at the negotiated rate once Up, jittered between 75 and 100 %', () => {
    const { clock, link, a, b } = pair();
    sessions.push(a, b);
    a.start();
    b.start();
    clock.advance(3_000);
    const from = link.log.length;
    clock.advance(10_000);
    const sentByA = link.log.slice(from).filter((e) => e.from === 'a').length;
    expect(sentByA).toBeGreaterThanOrEqual(100);
    expect(sentByA).toBeLessThanOrEqual(134);
  });

  it('reports Down with diagnostic 1 within the detection time after the link is cut', () => {
    const { clock, link, a, b } = pair();
    sessions.push(a, b);
    a.start();
    b.start();
    clock.advance(3_000);
    const downs: Array<BfdStateChangeEvent & { at: number }> = [];
    a.on('down', (e) => downs.push({ ...e, at: clock.now() }));
    link.up = false;
    const cutAt = clock.now();
    clock.advance(1_000);
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatchObject({
      from: 'Up',
      to: 'Down',
      diagnostic: BfdDiagnostic.CONTROL_DETECTION_TIME_EXPIRED,
      diagnosticName: 'Control Detection Time Expired',
    });
    expect(downs[0]!.at - cutAt).toBeLessThanOrEqual(300);
    expect(downs[0]!.at - cutAt).toBeGreaterThan(200);
  });

  it('comes back Up when the link heals', () => {
    const { clock, link, a, b } = pair();
    sessions.push(a, b);
    a.start();
    b.start();
    clock.advance(3_000);
    link.up = false;
    clock.advance(2_000);
    expect([a.state, b.state]).toEqual(['Down', 'Down']);
    link.up = true;
    clock.advance(4_000);
    expect([a.state, b.state]).toEqual(['Up', 'Up']);
  });

  it('stop() sends AdminDown: the peer goes Down with diagnostic 3 and remote state AdminDown', async () => {
    const { clock, a, b, ta } = pair();
    sessions.push(b);
    a.start();
    b.start();
    clock.advance(3_000);
    const bDown: BfdStateChangeEvent[] = [];
    b.on('down', (e) => bDown.push(e));
    await a.stop();
    expect(ta.closed).toBe(true);
    clock.advance(10);
    expect(bDown).toEqual([
      expect.objectContaining({
        to: 'Down',
        diagnostic: BfdDiagnostic.NEIGHBOR_SIGNALED_SESSION_DOWN,
        remoteState: 'AdminDown',
      }),
    ]);
    expect(a.state).toBe('AdminDown');
    const sentAfterStop = a.snapshot().packetsSent;
    clock.advance(5_000);
    expect(a.snapshot().packetsSent).toBe(sentAfterStop);
    expect(() => a.start()).toThrow(BfdLifecycleError);
    await a.stop();
  });

  it('a listener may stop the session from its own down event; the AdminDown still goes out', async () => {
    const { clock, link, a, b } = pair();
    sessions.push(b);
    a.start();
    b.start();
    clock.advance(3_000);
    let stopped: Promise<void> | undefined;
    a.on('down', () => {
      stopped = a.stop();
    });
    link.up = false;
    clock.advance(1_000);
    expect(stopped).toBeDefined();
    await stopped;
    const last = link.log.filter((e) => e.from === 'a').at(-1)!.packet;
    expect(last).toMatchObject({ state: 'AdminDown', diagnostic: BfdDiagnostic.ADMINISTRATIVELY_DOWN });
    const sentBefore = a.snapshot().packetsSent;
    clock.advance(5_000);
    expect(a.snapshot().packetsSent).toBe(sentBefore);
  });

  it('a passive session stays silent until its peer speaks', () => {
    const { clock, link, a, b } = pair({ passiveB: true });
    sessions.push(a, b);
    b.start();
    clock.advance(5_000);
    expect(link.log.filter((e) => e.from === 'b')).toEqual([]);
    a.start();
    clock.advance(3_000);
    expect([a.state, b.state]).toEqual(['Up', 'Up']);
  });

  it('setParameters while Up runs a Poll Sequence and reports poll-complete', () => {
    const { clock, link, a, b } = pair();
    sessions.push(a, b);
    a.start();
    b.start();
    clock.advance(3_000);
    const completions: unknown[] = [];
    a.on('poll-complete', (e) => completions.push(e.inUse));
    const from = link.log.length;
    a.setParameters({ desiredMinTxUs: 200_000 });
    clock.advance(1_000);
    expect(link.log.slice(from).some((e) => e.from === 'a' && e.packet.poll)).toBe(true);
    expect(link.log.slice(from).some((e) => e.from === 'b' && e.packet.final)).toBe(true);
    expect(completions).toEqual([{ desiredMinTxUs: 200_000, requiredMinRxUs: 100_000 }]);
    expect(a.snapshot().txIntervalUs).toBe(200_000);
    expect(b.snapshot().detectionTimeUs).toBe(600_000);
    expect(() => a.setParameters({ detectMult: 300 })).toThrow(BfdConfigError);
  });

  it('reports transmit failures as send-error events', () => {
    const clock = new FakeClock();
    const errors: Error[] = [];
    const session = new BfdSession(
      {
        clock,
        random: () => 0.5,
        transport: { send: (_bytes, callback) => callback(new Error('EHOSTUNREACH')), close: async () => {} },
      },
      {
        peerAddress: '192.0.2.9',
        mode: 'multihop',
        config: {
          localDiscriminator: 7,
          desiredMinTxUs: 100_000,
          requiredMinRxUs: 100_000,
          detectMult: 3,
          passive: false,
        },
      },
    );
    sessions.push(session);
    session.on('send-error', (e) => errors.push(e.error));
    session.start();
    clock.advance(2_000);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]!.message).toBe('EHOSTUNREACH');
  });

  it('discards packets with authentication and says why', () => {
    const { a } = pair();
    sessions.push(a);
    const reasons: string[] = [];
    a.on('discard', (e) => reasons.push(e.reason));
    a.start();
    a.receive({
      diagnostic: 0,
      state: 'Down',
      poll: false,
      final: false,
      controlPlaneIndependent: false,
      demand: false,
      detectMult: 3,
      myDiscriminator: 9,
      yourDiscriminator: 0,
      desiredMinTxUs: 1_000_000,
      requiredMinRxUs: 1_000_000,
      requiredMinEchoRxUs: 0,
      auth: { type: 1, data: new Uint8Array([1, 0x41]) },
    });
    expect(reasons).toEqual(['authentication-not-configured']);
    expect(a.state).toBe('Down');
  });
});
