/**
 * InterfaceWatcher (adapter): rescans the node's interfaces (sysfs, via readInterfaces) every intervalMs
 * and emits `change` with the whole list when something selection depends on changed: an interface
 * appeared or disappeared, or its ifindex, MAC, type, flags (PROMISC aside: packet captures toggle it),
 * operstate or master changed. MTU alone does not count. The first successful scan always emits.
 * A failed scan emits `error` (only when someone listens) and keeps the last list; it never throws.
 * Scans never overlap: the next one is scheduled when the previous one has finished.
 */
import { EventEmitter } from 'node:events';

import { readInterfaces, type NetInterface } from '../platform/interfaces.js';

export const DEFAULT_INTERFACE_POLL_MS = 1_000;

/** The timer half of a clock (setTimeout/clearTimeout; the FakeClock in tests). */
export interface WatcherClock {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface InterfaceWatcherOptions {
  /** Reads every interface; default readInterfaces() from /sys/class/net. */
  read?: () => Promise<NetInterface[]>;
  clock?: WatcherClock;
  /** Pause between the end of one scan and the start of the next; default 1000 ms. */
  intervalMs?: number;
}

export interface InterfaceWatcherEvents {
  change: [NetInterface[]];
  error: [Error];
}

const systemClock: WatcherClock = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The part of one interface whose change the watcher reports. */
function relevantKey(iface: NetInterface): string {
  const { up, broadcast, loopback, pointToPoint, noArp, multicast } = iface.flags;
  const flags = [up, broadcast, loopback, pointToPoint, noArp, multicast].map((f) => (f ? 1 : 0)).join('');
  return [
    iface.name,
    iface.ifindex,
    iface.mac ?? '-',
    iface.type,
    flags,
    iface.operState,
    iface.master ?? '-',
  ]
    .map(String)
    .join('|');
}

/** An order-independent key of everything relevant in a list of interfaces. */
export function interfaceListKey(list: readonly NetInterface[]): string {
  return list.map(relevantKey).sort().join('\n');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class InterfaceWatcher extends EventEmitter<InterfaceWatcherEvents> {
  readonly #read: () => Promise<NetInterface[]>;
  readonly #clock: WatcherClock;
  readonly #intervalMs: number;
  #list: NetInterface[] | undefined;
  #key: string | undefined;
  #timer: unknown;
  /** Bumped by start() and stop(): a scan that finishes in an older generation is ignored. */
  #generation = 0;
  #running = false;

  constructor(options: InterfaceWatcherOptions = {}) {
    super();
    const intervalMs = options.intervalMs ?? DEFAULT_INTERFACE_POLL_MS;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`intervalMs: must be a positive number of milliseconds, got ${intervalMs}`);
    }
    this.#read = options.read ?? (() => readInterfaces());
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = intervalMs;
  }

  /** The last list read successfully, or undefined before the first successful scan. */
  current(): NetInterface[] | undefined {
    return this.#list === undefined ? undefined : [...this.#list];
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts scanning now and every intervalMs after; a no-op while running. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const generation = ++this.#generation;
    this.#timer = this.#clock.setTimeout(() => void this.#tick(generation), 0);
  }

  /** Stops scanning; a scan in flight finishes but is ignored. current() keeps the last list. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#generation++;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #tick(generation: number): Promise<void> {
    await this.#scan(generation);
    if (generation !== this.#generation) return;
    this.#timer = this.#clock.setTimeout(() => void this.#tick(generation), this.#intervalMs);
  }

  async #scan(generation: number): Promise<void> {
    let list: NetInterface[];
    try {
      list = await this.#read();
    } catch (error) {
      if (generation === this.#generation) this.#emitError(toError(error));
      return;
    }
    if (generation !== this.#generation) return;
    const key = interfaceListKey(list);
    if (key === this.#key) return;
    this.#key = key;
    this.#list = [...list];
    try {
      this.emit('change', [...list]);
    } catch (error) {
      this.#emitError(toError(error));
    }
  }

  #emitError(error: Error): void {
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', error);
    } catch {
      // An error listener that throws must not take the scan loop down with it.
    }
  }
}
