import { describe, expect, it } from 'vitest';
import {
  Announcer,
  AnnouncerError,
  type AnnouncerConflict,
  type AnnouncerLinkError,
  type LinkConn,
  type LinkErrorHandler,
  type LinkFrameHandler,
  type LinkOpenOptions,
  type PacketLink,
} from '../../../src/l2/announcer.js';
import { formatIpBytes, formatMac, parseIpBytes, parseMac } from '../../../src/l2/wire/addresses.js';
import { buildArpFrame, buildGratuitousArp } from '../../../src/l2/wire/builders.js';
import { ArpOp, BROADCAST_MAC } from '../../../src/l2/wire/constants.js';
import { classifyFrame } from '../../../src/l2/wire/frame.js';
import { FakeClock } from '../../fakes/clock.js';
import { HOST_B_MAC, OTHER_MAC, buildNs } from './frames.js';

const MAC0 = '02:00:00:00:00:a0';
const MAC1 = '02:00:00:00:00:a1';
const IFACES = [
  { name: 'eth0', mac: MAC0, ifindex: 2 },
  { name: 'eth1', mac: MAC1, ifindex: 3 },
];
const ARP_FILTER = [{ code: 6, jt: 0, jf: 0, k: 0xffff_ffff }];

interface FakeConn extends LinkConn {
  readonly options: LinkOpenOptions;
  readonly sent: { at: number; frame: Uint8Array }[];
  readonly joins: string[];
  readonly leaves: string[];
  closed: boolean;
  deliver(frame: Uint8Array): void;
  fail(fatal: boolean): void;
}

class FakeLink implements PacketLink {
  readonly conns: FakeConn[] = [];
  failOpen = false;
  constructor(private readonly clock: FakeClock) {}

  open(options: LinkOpenOptions, onFrame: LinkFrameHandler, onError: LinkErrorHandler): LinkConn {
    if (this.failOpen) throw new Error(`ENODEV ${options.interface}`);
    const clock = this.clock;
    const conn: FakeConn = {
      options,
      sent: [],
      joins: [],
      leaves: [],
      closed: false,
      send(frame) {
        if (this.closed) throw new Error('send on closed conn');
        this.sent.push({ at: clock.now(), frame });
        return true;
      },
      addMembership(mac) {
        this.joins.push(mac);
      },
      dropMembership(mac) {
        this.leaves.push(mac);
      },
      close() {
        this.closed = true;
      },
      deliver: (frame) => onFrame(frame),
      fail: (fatal) => onError(new Error('ENETDOWN'), fatal),
    };
    this.conns.push(conn);
    return conn;
  }

  open1(iface: string, protocol: 'arp' | 'ipv6'): FakeConn {
    const found = this.conns.filter(
      (c) => !c.closed && c.options.interface === iface && c.options.protocol === protocol,
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  live(): FakeConn[] {
    return this.conns.filter((c) => !c.closed);
  }
}

function setup(options: { refreshIntervalMs?: number } = {}) {
  const clock = new FakeClock();
  const link = new FakeLink(clock);
  const announcer = new Announcer({ link, clock, filters: { arp: ARP_FILTER }, ...options });
  const conflicts: AnnouncerConflict[] = [];
  const errors: AnnouncerLinkError[] = [];
  announcer.on('conflict', (c) => conflicts.push(c));
  announcer.on('linkError', (e) => errors.push(e));
  return { clock, link, announcer, conflicts, errors };
}

function arpRequest(target: string, ethDst: Uint8Array = BROADCAST_MAC): Uint8Array {
  return buildArpFrame(
    { destination: ethDst, source: HOST_B_MAC },
    {
      op: ArpOp.REQUEST,
      senderMac: HOST_B_MAC,
      senderIp: parseIpBytes('192.0.2.9'),
      targetMac: new Uint8Array(6),
      targetIp: parseIpBytes(target),
    },
  );
}

function arpOf(frame: Uint8Array) {
  const c = classifyFrame(frame);
  if (c.kind !== 'arp') throw new Error(`expected ARP, got ${c.kind}`);
  return c.arp;
}

describe('Announcer', () => {
  it('does no I/O in the constructor and none before start()', () => {
    const { link, clock, announcer } = setup();
    announcer.setInterfaces(IFACES);
    announcer.announce('192.0.2.1');
    expect(link.conns).toHaveLength(0);
    expect(clock.pending()).toHaveLength(0);
    announcer.start();
    expect(link.live()).toHaveLength(2);
  });

  it('answers ARP only for owned addresses on the selected interfaces, with the filter passed', () => {
    const { link, announcer } = setup();
    announcer.setInterfaces(IFACES);
    announcer.start();
    announcer.announce('192.0.2.1', ['eth0']);
    expect(link.live()).toHaveLength(1);
    const eth0 = link.open1('eth0', 'arp');
    expect(eth0.options.filter).toBe(ARP_FILTER);
    eth0.sent.length = 0;
    eth0.deliver(arpRequest('192.0.2.1'));
    expect(eth0.sent).toHaveLength(1);
    const reply = arpOf(eth0.sent[0]!.frame);
    expect(reply.op).toBe(ArpOp.REPLY);
    expect(formatIpBytes(reply.senderIp)).toBe('192.0.2.1');
    expect(formatMac(reply.senderMac)).toBe(MAC0);
    expect(formatMac(reply.targetMac)).toBe(formatMac(HOST_B_MAC));
    eth0.deliver(arpRequest('192.0.2.2'));
    expect(eth0.sent).toHaveLength(1);

    announcer.announce('192.0.2.2', ['eth1']);
    const eth1 = link.open1('eth1', 'arp');
    eth1.sent.length = 0;
    eth1.deliver(arpRequest('192.0.2.1'));
    expect(eth1.sent).toHaveLength(0);
    eth1.deliver(arpRequest('192.0.2.2'));
    expect(formatMac(arpOf(eth1.sent[0]!.frame).senderMac)).toBe(MAC1);
  });

  it('sends the takeover burst at exactly 0, 100, 300 and 1100 ms, then refreshes every 30 s', () => {
    const { link, clock, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    clock.advance(500);
    announcer.announce('192.0.2.1');
    const conn = link.open1('eth0', 'arp');
    clock.advance(1100 + 60_000);
    const times = conn.sent.map((s) => s.at - 500);
    expect(times).toEqual([0, 0, 100, 100, 300, 300, 1100, 1100, 31_100, 31_100, 61_100, 61_100]);
    const ops = conn.sent.map((s) => arpOf(s.frame).op);
    expect(ops.slice(0, 2)).toEqual([ArpOp.REQUEST, ArpOp.REPLY]);
    for (const s of conn.sent) {
      const arp = arpOf(s.frame);
      expect(formatIpBytes(arp.senderIp)).toBe('192.0.2.1');
      expect(formatIpBytes(arp.targetIp)).toBe('192.0.2.1');
    }
    expect(announcer.stats()['192.0.2.1']?.gratuitousSent).toBe(12);
  });

  it('uses a configurable refresh interval', () => {
    const { link, clock, announcer } = setup({ refreshIntervalMs: 5000 });
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('192.0.2.1');
    clock.advance(1100 + 10_000);
    expect(link.open1('eth0', 'arp').sent.map((s) => s.at)).toEqual([
      0, 0, 100, 100, 300, 300, 1100, 1100, 6100, 6100, 11_100, 11_100,
    ]);
  });

  it('announces IPv6 with unsolicited NAs (override) and answers NS on the solicited-node group', () => {
    const { link, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('2001:db8:12::1');
    const conn = link.open1('eth0', 'ipv6');
    expect(conn.joins).toEqual(['33:33:ff:00:00:01']);
    const na = classifyFrame(conn.sent[0]!.frame);
    expect(na.kind === 'na' && na.na.override && !na.na.solicited).toBe(true);
    conn.sent.length = 0;
    conn.deliver(buildNs());
    expect(conn.sent).toHaveLength(1);
    const reply = classifyFrame(conn.sent[0]!.frame);
    expect(reply.kind === 'na' && reply.na.solicited).toBe(true);
    conn.deliver(buildNs({ target: '2001:db8:12::2', dst: 'ff02::1:ff00:2' }));
    expect(conn.sent).toHaveLength(1);
  });

  it('withdraw stops answers and timers at once', () => {
    const { link, clock, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('192.0.2.1');
    announcer.announce('192.0.2.3');
    const conn = link.open1('eth0', 'arp');
    announcer.withdraw('192.0.2.1');
    expect(clock.pending()).toHaveLength(1);
    const before = conn.sent.length;
    conn.deliver(arpRequest('192.0.2.1'));
    clock.advance(100);
    expect(conn.sent.slice(before).every((s) => formatIpBytes(arpOf(s.frame).senderIp) === '192.0.2.3')).toBe(
      true,
    );
    announcer.withdraw('192.0.2.3');
    expect(clock.pending()).toHaveLength(0);
    expect(conn.closed).toBe(true);
    expect(link.live()).toHaveLength(0);
  });

  it('reference-counts solicited-node multicast memberships across addresses', () => {
    const { link, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('2001:db8::1');
    announcer.announce('2001:db8:1::1');
    announcer.announce('2001:db8::2');
    const conn = link.open1('eth0', 'ipv6');
    expect(conn.joins).toEqual(['33:33:ff:00:00:01', '33:33:ff:00:00:02']);
    announcer.withdraw('2001:db8::1');
    expect(conn.leaves).toEqual([]);
    announcer.withdraw('2001:db8:1::1');
    expect(conn.leaves).toEqual(['33:33:ff:00:00:01']);
    expect(conn.closed).toBe(false);
    announcer.withdraw('2001:db8::2');
    expect(conn.leaves).toEqual(['33:33:ff:00:00:01', '33:33:ff:00:00:02']);
    expect(conn.closed).toBe(true);
  });

  it('reports another MAC claiming an owned address as a conflict event', () => {
    const { link, announcer, conflicts } = setup();
    announcer.setInterfaces(IFACES);
    announcer.start();
    announcer.announce('192.0.2.1', ['eth1']);
    const conn = link.open1('eth1', 'arp');
    conn.deliver(buildGratuitousArp(parseIpBytes('192.0.2.5'), OTHER_MAC, 'reply'));
    expect(conflicts).toEqual([]);
    conn.deliver(buildGratuitousArp(parseIpBytes('192.0.2.1'), OTHER_MAC, 'reply'));
    expect(conflicts).toEqual([{ ip: '192.0.2.1', mac: formatMac(OTHER_MAC), interface: 'eth1' }]);
    conn.deliver(buildGratuitousArp(parseIpBytes('192.0.2.1'), parseMac(MAC1), 'reply'));
    expect(conflicts).toHaveLength(1);
  });

  it('counts requests received, responses sent and gratuitous frames per address', () => {
    const { link, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('192.0.2.1');
    const conn = link.open1('eth0', 'arp');
    conn.deliver(arpRequest('192.0.2.1'));
    conn.deliver(arpRequest('192.0.2.1', parseMac(MAC0)));
    conn.deliver(arpRequest('192.0.2.7'));
    expect(announcer.stats()).toEqual({
      '192.0.2.1': { requestsReceived: 2, responsesSent: 2, gratuitousSent: 2 },
    });
  });

  it('stop() closes every connection and cancels every timer; later frames are ignored', () => {
    const { link, clock, announcer } = setup();
    announcer.setInterfaces(IFACES);
    announcer.start();
    announcer.announce('192.0.2.1');
    announcer.announce('2001:db8::1');
    expect(link.live()).toHaveLength(4);
    const conns = [...link.conns];
    announcer.stop();
    expect(conns.every((c) => c.closed)).toBe(true);
    expect(clock.pending()).toHaveLength(0);
    conns[0]!.deliver(arpRequest('192.0.2.1'));
    expect(announcer.stats()['192.0.2.1']?.requestsReceived).toBe(0);
    announcer.start();
    expect(link.live()).toHaveLength(4);
    expect(clock.pending()).toHaveLength(2);
  });

  it('reports link errors as events, and reopens after a fatal one on the next reconcile', () => {
    const { link, announcer, errors } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    link.failOpen = true;
    announcer.announce('192.0.2.1');
    expect(errors.map((e) => [e.interface, e.protocol, e.fatal])).toEqual([['eth0', 'arp', true]]);
    link.failOpen = false;
    announcer.announce('192.0.2.2');
    const conn = link.open1('eth0', 'arp');
    conn.fail(true);
    expect(conn.closed).toBe(true);
    expect(errors).toHaveLength(2);
    announcer.setInterfaces([IFACES[0]!]);
    expect(link.open1('eth0', 'arp')).not.toBe(conn);
  });

  it('restarts the burst when an interface is added, and keeps addresses in canonical text', () => {
    const { link, clock, announcer } = setup();
    announcer.setInterfaces([IFACES[0]!]);
    announcer.start();
    announcer.announce('2001:DB8::01');
    clock.advance(5000);
    announcer.setInterfaces(IFACES);
    const eth1 = link.open1('eth1', 'ipv6');
    expect(eth1.sent.map((s) => s.at)).toEqual([5000]);
    clock.advance(1100);
    expect(eth1.sent.map((s) => s.at)).toEqual([5000, 5100, 5300, 6100]);
    expect(Object.keys(announcer.stats())).toEqual(['2001:db8::1']);
    announcer.withdraw('2001:db8:0::1');
    expect(clock.pending()).toHaveLength(0);
  });

  it('rejects bad input with a typed error naming the field', () => {
    const { announcer } = setup();
    expect(() => announcer.announce('not-an-ip')).toThrow(AnnouncerError);
    expect(() => announcer.announce('not-an-ip')).toThrow(/^ip:/);
    expect(() => announcer.setInterfaces([{ name: 'eth0', mac: 'zz', ifindex: 2 }])).toThrow(
      /interfaces\[0\]\.mac/,
    );
    expect(() => announcer.setInterfaces([{ name: 'eth0', mac: MAC0, ifindex: 0 }])).toThrow(
      /interfaces\[0\]\.ifindex/,
    );
    const clock = new FakeClock();
    const link = new FakeLink(clock);
    expect(() => new Announcer({ link, clock, burstOffsetsMs: [100, 50] })).toThrow(/burstOffsetsMs\[1\]/);
    expect(() => new Announcer({ link, clock, refreshIntervalMs: 0 })).toThrow(/refreshIntervalMs/);
  });
});
