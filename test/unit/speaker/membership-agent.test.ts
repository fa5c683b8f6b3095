/**
 * The membership adapter over real UDP sockets on loopback (several agents in one process, distinct
 * ports): convergence, silent death, graceful leave, wrong key, garbage datagrams, unknown senders,
 * restart with a higher incarnation, key rotation, the default peer port; plus the HMAC framing
 * (keyring), option validation and the single timer on an injected clock. Every wait is bounded; every
 * socket is closed in afterEach.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeMessage,
  MAC_BYTES,
  nextWakeup,
  type MembershipConfig,
  type MembershipState,
} from '../../../src/core/membership/index.js';
import {
  MembershipAgent,
  MembershipAgentError,
  type MembershipAgentOptions,
} from '../../../src/speaker/membership-agent.js';
import { Keyring } from '../../../src/speaker/membership/keyring.js';

const LOOPBACK = '127.0.0.1';
const KEY = new TextEncoder().encode('herald-test-secret');
const OTHER_KEY = new TextEncoder().encode('some-other-secret');
/** Fast, but tolerant of a busy test machine (several agents share one event loop). */
const FAST: Partial<MembershipConfig> = {
  probeIntervalMs: 50,
  probeTimeoutMs: 30,
  indirectTimeoutMs: 40,
  suspicionTimeoutMs: 150,
  gossipIntervalMs: 20,
  deadProbeIntervalMs: 200,
};
const WAIT_MS = 3_000;

const agents: MembershipAgent[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

function agent(self: string, options: Partial<MembershipAgentOptions> = {}): MembershipAgent {
  const a = new MembershipAgent({
    self,
    bind: { address: LOOPBACK, port: 0 },
    key: KEY,
    config: FAST,
    ...options,
  });
  agents.push(a);
  return a;
}

/** Gives every agent the roster of all of them (explicit ports: they share 127.0.0.1). */
function introduce(group: readonly MembershipAgent[], names: readonly string[]): void {
  const peers = group.map((a, i) => ({ name: names[i]!, address: LOOPBACK, port: a.address().port }));
  for (const a of group) a.setPeers(peers);
}

async function cluster(names: readonly string[]): Promise<MembershipAgent[]> {
  const group = names.map((n) => agent(n));
  await Promise.all(group.map((a) => a.start()));
  introduce(group, names);
  return group;
}

async function waitFor(what: string, predicate: () => boolean, ms = WAIT_MS): Promise<number> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

function liveOf(a: MembershipAgent): string[] {
  return [...a.live()].sort();
}

async function rawSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((resolve) => s.bind(0, LOOPBACK, () => resolve()));
  return s;
}

function sendRaw(s: Socket, bytes: Uint8Array, port: number): Promise<void> {
  return new Promise((resolve, reject) => s.send(bytes, port, LOOPBACK, (e) => (e ? reject(e) : resolve())));
}

describe('MembershipAgent over UDP on loopback', () => {
  it('four agents converge to all-live and report change', async () => {
    const names = ['node-a', 'node-b', 'node-c', 'node-d'];
    const group = names.map((n) => agent(n));
    await Promise.all(group.map((a) => a.start()));
    const changes: string[][] = [];
    group[0]!.on('change', (set) => changes.push([...set].sort()));
    expect(liveOf(group[0]!)).toEqual(['node-a']);
    introduce(group, names);
    // Optimistic admission: the roster itself makes everyone live at once.
    expect(changes[0]).toEqual(names);
    await waitFor('traffic', () => group.every((a) => a.stats().received > 4));
    for (const a of group) expect(liveOf(a)).toEqual(names);
    for (const a of group) expect(a.stats()).toMatchObject({ badMac: 0, malformed: 0, unknownSender: 0 });
  });

  it('a silently stopped agent is reported down by the others', async () => {
    const names = ['node-a', 'node-b', 'node-c', 'node-d'];
    const group = await cluster(names);
    await waitFor('traffic', () => group.every((a) => a.stats().received > 4));
    const downs = new Map<string, string[]>();
    for (const [i, a] of group.entries()) a.on('memberDown', (n) => downs.set(names[i]!, [n]));
    await group[3]!.stop();
    await waitFor('memberDown everywhere', () => downs.size === 3);
    expect([...downs.values()]).toEqual([['node-d'], ['node-d'], ['node-d']]);
    for (const a of group.slice(0, 3)) expect(liveOf(a)).toEqual(['node-a', 'node-b', 'node-c']);
  });

  it('leave: the others report memberLeft(leave) at once, the leaver drops itself', async () => {
    const names = ['node-a', 'node-b', 'node-c'];
    const group = await cluster(names);
    await waitFor('traffic', () => group.every((a) => a.stats().received > 2));
    const left: [string, string][] = [];
    for (const a of group.slice(0, 2)) a.on('memberLeft', (n, reason) => left.push([n, reason]));
    const own: string[][] = [];
    group[2]!.on('change', (set) => own.push([...set].sort()));
    const started = Date.now();
    await group[2]!.leave();
    const elapsed = await waitFor('memberLeft', () => left.length === 2, 1_000);
    expect(left).toEqual([
      ['node-c', 'leave'],
      ['node-c', 'leave'],
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(elapsed).toBeLessThan(1_000);
    expect(own).toEqual([['node-a', 'node-b']]);
    expect(liveOf(group[0]!)).toEqual(['node-a', 'node-b']);
  });

  it('an agent with the wrong key is rejected (badMac) and declared down', async () => {
    const names = ['node-a', 'node-b', 'node-c'];
    const group = [agent('node-a'), agent('node-b'), agent('node-c', { key: OTHER_KEY })];
    await Promise.all(group.map((a) => a.start()));
    const downs: string[] = [];
    for (const a of group.slice(0, 2)) a.on('memberDown', (n) => downs.push(n));
    introduce(group, names);
    await waitFor('memberDown of the impostor', () => downs.length === 2);
    expect(downs).toEqual(['node-c', 'node-c']);
    expect(group[0]!.stats().badMac + group[1]!.stats().badMac).toBeGreaterThan(0);
    expect(group[2]!.stats().badMac).toBeGreaterThan(0);
    expect(liveOf(group[0]!)).toEqual(['node-a', 'node-b']);
  });

  it('garbage datagrams are counted (malformed / badMac), never crash, and the agent keeps working', async () => {
    const names = ['node-a', 'node-b'];
    const group = await cluster(names);
    const s = await rawSocket();
    const port = group[0]!.address().port;
    const keyring = new Keyring(KEY, 0);
    const random = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 120 }), { numRuns: 100, seed: 7 });
    for (const bytes of random) await sendRaw(s, bytes, port);
    // Correctly signed but undecodable: passes the MAC, fails the codec.
    for (let i = 0; i < 20; i++) await sendRaw(s, keyring.seal(randomBytes(10 + i)), port);
    const short = random.filter((b) => b.length < 12 + MAC_BYTES).length;
    await waitFor('all datagrams read', () => group[0]!.stats().malformed + group[0]!.stats().badMac >= 120);
    const stats = group[0]!.stats();
    expect(stats.malformed).toBe(short + 20);
    expect(stats.badMac).toBe(100 - short);
    const before = group[1]!.stats().received;
    await waitFor('still probing', () => group[1]!.stats().received > before + 2);
    expect(liveOf(group[0]!)).toEqual(names);
  });

  it('a signed message from a name outside the roster is counted as unknownSender', async () => {
    const group = await cluster(['node-a', 'node-b']);
    const s = await rawSocket();
    const message = encodeMessage({ type: 'ping', from: 'intruder', incarnation: 1, seq: 1, updates: [] });
    await sendRaw(s, new Keyring(KEY, 0).seal(message), group[0]!.address().port);
    await waitFor('unknownSender', () => group[0]!.stats().unknownSender === 1);
    expect(liveOf(group[0]!)).toEqual(['node-a', 'node-b']);
  });

  it('a restarted agent with a higher incarnation is up again for the others', async () => {
    const names = ['node-a', 'node-b', 'node-c'];
    const first = [agent('node-a'), agent('node-b'), agent('node-c', { incarnation: 1000 })];
    await Promise.all(first.map((a) => a.start()));
    introduce(first, names);
    const downs: string[] = [];
    const ups: string[] = [];
    for (const a of first.slice(0, 2)) {
      a.on('memberDown', (n) => downs.push(n));
      a.on('memberUp', (n) => ups.push(n));
    }
    const port = first[2]!.address().port;
    await first[2]!.stop();
    await waitFor('memberDown', () => downs.length === 2);
    const again = agent('node-c', { incarnation: 1001, bind: { address: LOOPBACK, port } });
    await again.start();
    introduce([first[0]!, first[1]!, again], names);
    await waitFor('memberUp', () => ups.length === 2);
    expect(ups).toEqual(['node-c', 'node-c']);
    await waitFor('all live', () => [first[0]!, first[1]!, again].every((a) => liveOf(a).length === 3));
  });

  it('key rotation on every agent keeps the cluster whole (the old key verifies during the grace)', async () => {
    const names = ['node-a', 'node-b', 'node-c'];
    const group = await cluster(names);
    await waitFor('traffic', () => group.every((a) => a.stats().received > 2));
    const downs: string[] = [];
    for (const a of group) a.on('memberDown', (n) => downs.push(n));
    const newKey = new TextEncoder().encode('rotated-secret');
    group[0]!.setKey(newKey);
    await new Promise((resolve) => setTimeout(resolve, 30));
    group[1]!.setKey(newKey);
    group[2]!.setKey(newKey);
    const badBefore = group.map((a) => a.stats().badMac);
    const received = group.map((a) => a.stats().received);
    await waitFor('traffic after rotation', () =>
      group.every((a, i) => a.stats().received > received[i]! + 4),
    );
    expect(downs).toEqual([]);
    expect(group.map((a) => a.stats().badMac)).toEqual(badBefore);
    for (const a of group) expect(liveOf(a)).toEqual(names);
  });

  it('peers without a port are reached on the agent’s own bound port', async () => {
    const a = agent('node-a');
    await a.start();
    const port = a.address().port;
    const b = agent('node-b', { bind: { address: '127.0.0.2', port } });
    await b.start();
    const peers = [
      { name: 'node-a', address: LOOPBACK },
      { name: 'node-b', address: '127.0.0.2' },
    ];
    a.setPeers(peers);
    b.setPeers(peers);
    await waitFor('traffic both ways', () => a.stats().received > 2 && b.stats().received > 2);
    expect(a.stats().sendErrors + b.stats().sendErrors).toBe(0);
    expect(liveOf(a)).toEqual(['node-a', 'node-b']);
  });

  it('binds udp6 for an IPv6 address and works over ::1', async () => {
    const group = ['node-a', 'node-b'].map((n) => agent(n, { bind: { address: '::1', port: 0 } }));
    await Promise.all(group.map((a) => a.start()));
    const peers = group.map((a, i) => ({ name: `node-${'ab'[i]}`, address: '::1', port: a.address().port }));
    for (const a of group) a.setPeers(peers);
    await waitFor('traffic over IPv6', () => group.every((a) => a.stats().received > 2));
    expect(group.map((a) => a.stats().sendErrors)).toEqual([0, 0]);
    expect(liveOf(group[0]!)).toEqual(['node-a', 'node-b']);
  });

  it('start rejects with a typed error when the port is taken', async () => {
    const a = agent('node-a');
    await a.start();
    const b = agent('node-b', { bind: { address: LOOPBACK, port: a.address().port } });
    await expect(b.start()).rejects.toMatchObject({ name: 'MembershipAgentError', field: 'bind' });
  });
});

describe('MembershipAgent without the network', () => {
  it('validates options and peers with typed errors naming the field', () => {
    const base = { self: 'node-a', bind: { address: LOOPBACK, port: 7946 }, key: KEY };
    const fieldOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (error) {
        if (error instanceof MembershipAgentError) return error.field;
        throw error;
      }
      return undefined;
    };
    expect(fieldOf(() => new MembershipAgent({ ...base, bind: { address: 'x', port: 1 } }))).toBe(
      'bind.address',
    );
    expect(fieldOf(() => new MembershipAgent({ ...base, bind: { address: LOOPBACK, port: 70000 } }))).toBe(
      'bind.port',
    );
    expect(fieldOf(() => new MembershipAgent({ ...base, self: '' }))).toBe('self');
    expect(fieldOf(() => new MembershipAgent({ ...base, key: new Uint8Array() }))).toBe('key');
    expect(fieldOf(() => new MembershipAgent({ ...base, incarnation: -1 }))).toBe('incarnation');
    const a = new MembershipAgent(base);
    expect(fieldOf(() => a.setPeers([{ name: 'n', address: '192.0.2.300' }]))).toBe('peers[0].address');
    expect(fieldOf(() => a.setPeers([{ name: 'n', address: '192.0.2.1', port: 0 }]))).toBe('peers[0].port');
  });

  it('does no I/O in the constructor and keeps one timer armed at the next wakeup', async () => {
    let clock = 1_000_000;
    const armed = new Map<number, { at: number; fn: () => void }>();
    let handles = 0;
    const timers = {
      setTimeout: (fn: () => void, ms: number) => {
        armed.set(++handles, { at: clock + ms, fn });
        return handles;
      },
      clearTimeout: (h: unknown) => void armed.delete(h as number),
    };
    let made = 0;
    const a = agent('node-a', {
      now: () => clock,
      timers,
      socket: (type) => {
        made += 1;
        return createSocket(type);
      },
    });
    expect(made).toBe(0);
    expect(armed.size).toBe(0);
    a.setPeers([{ name: 'node-b', address: LOOPBACK, port: 9 }]);
    expect(armed.size).toBe(0);
    await a.start();
    expect(made).toBe(1);
    expect(armed.size).toBe(1);
    const stateOf = (): MembershipState => (a as unknown as { state: MembershipState }).state;
    for (let i = 0; i < 50; i++) {
      const [handle, t] = [...armed][0]!;
      expect(t.at).toBe(Math.max(clock + 1, nextWakeup(stateOf())));
      armed.delete(handle);
      clock = Math.max(clock, t.at);
      t.fn();
      expect(armed.size).toBe(1);
    }
    expect(a.stats().sent).toBeGreaterThan(0);
    await a.stop();
    expect(armed.size).toBe(0);
  });

  it('runs the tick after datagrams already pending (setImmediate) without arming a second timer', async () => {
    let clock = 1_000_000;
    const armed = new Map<number, () => void>();
    const immediate: (() => void)[] = [];
    let handles = 0;
    const a = agent('node-a', {
      now: () => clock,
      timers: {
        setTimeout: (fn: () => void) => (armed.set(++handles, fn), handles),
        clearTimeout: (h: unknown) => void armed.delete(h as number),
        setImmediate: (fn: () => void) => void immediate.push(fn),
      },
    });
    a.setPeers([{ name: 'node-b', address: LOOPBACK, port: 9 }]);
    await a.start();
    const [handle, fn] = [...armed][0]!;
    armed.delete(handle);
    clock += 1_000;
    fn();
    expect(immediate).toHaveLength(1);
    const ping = encodeMessage({ type: 'ping', from: 'node-b', incarnation: 3, seq: 1, updates: [] });
    (a as unknown as { receive(b: Uint8Array): void }).receive(new Keyring(KEY, 0).seal(ping));
    expect(a.stats()).toMatchObject({ received: 1, unknownSender: 0, badMac: 0 });
    expect(armed.size).toBe(0);
    immediate.shift()!();
    expect(armed.size).toBe(1);
  });

  it('defaults the incarnation to the start time in seconds', () => {
    const a = agent('node-a', { now: () => 1_700_000_123_456 });
    expect((a as unknown as { state: { incarnation: number } }).state.incarnation).toBe(1_700_000_123);
  });
});

describe('HMAC framing (keyring)', () => {
  const message = encodeMessage({ type: 'ack', from: 'node-a', incarnation: 5, seq: 9, updates: [] });

  it('appends HMAC-SHA256(SHA-256(secret), message)', () => {
    const key = createHash('sha256').update(KEY).digest();
    const mac = createHmac('sha256', key).update(message).digest();
    const sealed = new Keyring(KEY, 0).seal(message);
    expect(Buffer.from(sealed.subarray(message.length))).toEqual(mac);
    expect(Buffer.from(sealed.subarray(0, message.length))).toEqual(Buffer.from(message));
  });

  it('opens its own datagrams and rejects any single tampered byte', () => {
    const ring = new Keyring(KEY, 0);
    const sealed = ring.seal(message);
    expect(ring.open(sealed, 0)).toEqual({ ok: true, message });
    fc.assert(
      fc.property(fc.nat(sealed.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const copy = Uint8Array.from(sealed);
        copy[at] = copy[at]! ^ flip;
        expect(ring.open(copy, 0)).toEqual({ ok: false, reason: 'bad-mac' });
      }),
    );
    expect(ring.open(sealed.subarray(0, 20), 0)).toEqual({ ok: false, reason: 'too-short' });
    expect(new Keyring(OTHER_KEY, 0).open(sealed, 0)).toEqual({ ok: false, reason: 'bad-mac' });
  });

  it('after rotation signs with the new key and accepts the old one only during the grace', () => {
    const oldRing = new Keyring(KEY, 0);
    const ring = new Keyring(KEY, 1_000);
    const newKey = new TextEncoder().encode('next');
    expect(ring.rotate(KEY, 0)).toBe(false);
    expect(ring.rotate(newKey, 10_000)).toBe(true);
    expect(oldRing.open(ring.seal(message), 0)).toEqual({ ok: false, reason: 'bad-mac' });
    expect(new Keyring(newKey, 0).open(ring.seal(message), 0).ok).toBe(true);
    expect(ring.open(oldRing.seal(message), 10_999).ok).toBe(true);
    expect(ring.open(oldRing.seal(message), 11_000)).toEqual({ ok: false, reason: 'bad-mac' });
  });
});
