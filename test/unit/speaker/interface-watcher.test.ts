// InterfaceWatcher with a FakeClock and a scripted read(): what counts as a change, errors, stop/start,
// no overlapping scans. No sleeps: time moves only through the fake clock.
import { describe, expect, it } from 'vitest';

import { parseInterface, type NetInterface } from '../../../src/platform/interfaces.js';
import { InterfaceWatcher, interfaceListKey } from '../../../src/speaker/interface-watcher.js';
import { FakeClock } from '../../fakes/clock.js';

function iface(name: string, ifindex: number, over: Partial<NetInterface> = {}): NetInterface {
  const base = parseInterface(name, {
    ifindex: String(ifindex),
    address: `02:00:00:00:00:${ifindex.toString(16).padStart(2, '0')}`,
    type: '1',
    flags: '0x1003',
    operstate: 'up',
    mtu: '1500',
  });
  return { ...base, ...over };
}

const ETH0 = iface('eth0', 2);
const BR0 = iface('br0', 3);

/** A read() that returns whatever `state.list` holds (or throws `state.error`), counting calls. */
function scripted(initial: NetInterface[]) {
  const state = { list: initial, error: undefined as Error | undefined, calls: 0 };
  const read = async (): Promise<NetInterface[]> => {
    state.calls++;
    if (state.error !== undefined) throw state.error;
    return state.list.map((i) => ({ ...i, flags: { ...i.flags } }));
  };
  return { state, read };
}

function setup(initial: NetInterface[] = [ETH0]) {
  const clock = new FakeClock();
  const { state, read } = scripted(initial);
  const watcher = new InterfaceWatcher({ read, clock, intervalMs: 1_000 });
  const changes: string[][] = [];
  const errors: Error[] = [];
  watcher.on('change', (list) => changes.push(list.map((i) => i.name)));
  watcher.on('error', (error) => errors.push(error));
  return { clock, state, watcher, changes, errors };
}

describe('InterfaceWatcher', () => {
  it('does no I/O before start(); the first scan emits the list at once', async () => {
    const { clock, state, watcher, changes } = setup();
    expect(state.calls).toBe(0);
    expect(watcher.current()).toBeUndefined();
    watcher.start();
    await clock.advanceAsync(0);
    expect(changes).toEqual([['eth0']]);
    expect(watcher.current()).toEqual([ETH0]);
    watcher.stop();
  });

  it('rescans every intervalMs and emits only when something changed', async () => {
    const { clock, state, watcher, changes } = setup();
    watcher.start();
    await clock.advanceAsync(0);
    await clock.advanceAsync(3_000);
    expect(state.calls).toBe(4);
    expect(changes).toHaveLength(1);
    state.list = [ETH0, BR0]; // appears
    await clock.advanceAsync(1_000);
    state.list = [BR0]; // disappears
    await clock.advanceAsync(1_000);
    expect(changes).toEqual([['eth0'], ['eth0', 'br0'], ['br0']]);
    watcher.stop();
  });

  it.each([
    ['ifindex (re-created)', { ifindex: 9 }],
    ['mac', { mac: '02:00:00:00:00:99' }],
    ['operState', { operState: 'lowerlayerdown' }],
    ['master (enslaved)', { master: 'bond0' }],
    ['flags.up', { flags: { ...ETH0.flags, up: false } }],
    ['flags.noArp', { flags: { ...ETH0.flags, noArp: true } }],
    ['flags.broadcast', { flags: { ...ETH0.flags, broadcast: false } }],
  ] as const)('a change of %s is reported', async (_what, over) => {
    const { clock, state, watcher, changes } = setup();
    watcher.start();
    await clock.advanceAsync(0);
    state.list = [{ ...ETH0, ...over } as NetInterface];
    await clock.advanceAsync(1_000);
    expect(changes).toHaveLength(2);
    expect(watcher.current()).toEqual(state.list);
    watcher.stop();
  });

  it.each([
    ['mtu', { mtu: 9000 }],
    ['promiscuous (a packet capture)', { flags: { ...ETH0.flags, promiscuous: true } }],
  ] as const)('a change of %s alone is not reported', async (_what, over) => {
    const { clock, state, watcher, changes } = setup();
    watcher.start();
    await clock.advanceAsync(0);
    state.list = [{ ...ETH0, ...over } as NetInterface];
    await clock.advanceAsync(1_000);
    expect(changes).toHaveLength(1);
    watcher.stop();
  });

  it('a reordered list is not a change', async () => {
    const { clock, state, watcher, changes } = setup([ETH0, BR0]);
    watcher.start();
    await clock.advanceAsync(0);
    state.list = [BR0, ETH0];
    await clock.advanceAsync(1_000);
    expect(changes).toHaveLength(1);
    expect(interfaceListKey([ETH0, BR0])).toBe(interfaceListKey([BR0, ETH0]));
    watcher.stop();
  });

  it('a failed scan emits error, keeps the last list and goes on scanning', async () => {
    const { clock, state, watcher, changes, errors } = setup();
    watcher.start();
    await clock.advanceAsync(0);
    state.error = new Error('EACCES: /sys/class/net');
    await clock.advanceAsync(2_000);
    expect(errors.map((e) => e.message)).toEqual(['EACCES: /sys/class/net', 'EACCES: /sys/class/net']);
    expect(watcher.current()).toEqual([ETH0]);
    state.error = undefined;
    state.list = [BR0];
    await clock.advanceAsync(1_000);
    expect(changes).toEqual([['eth0'], ['br0']]);
    watcher.stop();
  });

  it('without an error listener a failed scan is dropped, not thrown; non-Errors are wrapped', async () => {
    const clock = new FakeClock();
    const watcher = new InterfaceWatcher({ read: () => Promise.reject(new Error('boom')), clock });
    watcher.start();
    await clock.advanceAsync(0);
    await clock.advanceAsync(1_000);
    expect(watcher.current()).toBeUndefined();
    const seen: Error[] = [];
    watcher.on('error', (e) => seen.push(e));
    const rejecting = new InterfaceWatcher({ read: () => Promise.reject('text'), clock });
    rejecting.on('error', (e) => seen.push(e));
    rejecting.start();
    await clock.advanceAsync(0); // rejecting's first scan
    await clock.advanceAsync(1_000); // watcher's third scan, rejecting's second
    expect(seen.map((e) => [e instanceof Error, e.message])).toEqual([
      [true, 'text'],
      [true, 'boom'],
      [true, 'text'],
    ]);
    watcher.stop();
    rejecting.stop();
  });

  it('a throwing change listener is reported as error and scanning continues', async () => {
    const { clock, state, watcher, errors } = setup();
    watcher.prependListener('change', () => {
      throw new Error('listener bug');
    });
    watcher.start();
    await clock.advanceAsync(0);
    expect(errors.map((e) => e.message)).toEqual(['listener bug']);
    await clock.advanceAsync(1_000);
    expect(state.calls).toBe(2);
    watcher.stop();
  });

  it('stop() cancels the timer and discards a scan in flight; start() resumes', async () => {
    const clock = new FakeClock();
    let release: (list: NetInterface[]) => void = () => undefined;
    let calls = 0;
    const read = (): Promise<NetInterface[]> => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    };
    const watcher = new InterfaceWatcher({ read, clock });
    const changes: NetInterface[][] = [];
    watcher.on('change', (list) => changes.push(list));
    watcher.start();
    await clock.advanceAsync(0);
    watcher.stop();
    release([ETH0]);
    await clock.advanceAsync(5_000);
    expect(changes).toEqual([]);
    expect(clock.pending()).toEqual([]);
    expect(calls).toBe(1);
    watcher.start();
    await clock.advanceAsync(0);
    release([ETH0]);
    await clock.advanceAsync(0);
    expect(changes).toEqual([[ETH0]]);
    expect(watcher.running).toBe(true);
    watcher.stop();
    expect(watcher.running).toBe(false);
  });

  it('never runs two scans at once: a slow read delays the next one', async () => {
    const clock = new FakeClock();
    let release: (list: NetInterface[]) => void = () => undefined;
    let calls = 0;
    const read = (): Promise<NetInterface[]> => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    };
    const watcher = new InterfaceWatcher({ read, clock, intervalMs: 1_000 });
    watcher.start();
    await clock.advanceAsync(0);
    await clock.advanceAsync(10_000);
    expect(calls).toBe(1);
    release([]);
    await clock.advanceAsync(0);
    expect(clock.pending().map((t) => t.delayMs)).toEqual([1_000]);
    watcher.start(); // a second start() while running is a no-op
    expect(clock.pending()).toHaveLength(1);
    watcher.stop();
  });

  it('an empty first list is still reported (the node has nothing to announce on)', async () => {
    const { clock, watcher, changes } = setup([]);
    watcher.start();
    await clock.advanceAsync(0);
    expect(changes).toEqual([[]]);
    watcher.stop();
  });

  it('rejects a non-positive interval', () => {
    expect(() => new InterfaceWatcher({ intervalMs: 0 })).toThrow(/intervalMs/u);
    expect(() => new InterfaceWatcher({ intervalMs: Number.NaN })).toThrow(RangeError);
  });
});
