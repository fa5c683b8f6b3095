/**
 * The FSM's timers made real: one clock timer per (timer name, connection), started and stopped by the
 * FSM's actions. Starting a running timer restarts it; a fired timer reports its RFC 4271 event.
 */
import type { ConnId, FsmEvent, TimerName } from '../fsm/types.js';
import type { Clock, TimerHandle } from './clock.js';

/** The event a timer raises when it expires. */
export function expiryEvent(timer: TimerName, conn?: ConnId): FsmEvent | undefined {
  switch (timer) {
    case 'ConnectRetryTimer':
      return { type: 'ConnectRetryTimer_Expires' };
    case 'IdleHoldTimer':
      return { type: 'IdleHoldTimer_Expires' };
    case 'HoldTimer':
      return conn === undefined ? undefined : { type: 'HoldTimer_Expires', conn };
    case 'KeepaliveTimer':
      return conn === undefined ? undefined : { type: 'KeepaliveTimer_Expires', conn };
  }
}

function keyOf(timer: TimerName, conn?: ConnId): string {
  return conn === undefined ? timer : `${timer}#${conn}`;
}

export class TimerTable {
  readonly #running = new Map<string, { handle: TimerHandle; conn?: ConnId }>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpiry: (event: FsmEvent) => void,
  ) {}

  start(timer: TimerName, durationMs: number, conn?: ConnId): void {
    const event = expiryEvent(timer, conn);
    if (event === undefined) return;
    const key = keyOf(timer, conn);
    this.stop(timer, conn);
    const handle = this.clock.setTimeout(() => {
      if (this.#running.get(key)?.handle !== handle) return;
      this.#running.delete(key);
      this.onExpiry(event);
    }, durationMs);
    this.#running.set(key, { handle, ...(conn !== undefined ? { conn } : {}) });
  }

  stop(timer: TimerName, conn?: ConnId): void {
    const key = keyOf(timer, conn);
    const entry = this.#running.get(key);
    if (entry === undefined) return;
    this.clock.clearTimeout(entry.handle);
    this.#running.delete(key);
  }

  /** Stops every timer of one connection (it was closed). */
  stopConnection(conn: ConnId): void {
    for (const [key, entry] of this.#running) {
      if (entry.conn !== conn) continue;
      this.clock.clearTimeout(entry.handle);
      this.#running.delete(key);
    }
  }

  stopAll(): void {
    for (const entry of this.#running.values()) this.clock.clearTimeout(entry.handle);
    this.#running.clear();
  }

  /** Names of the running timers ("HoldTimer#3"), for tests and diagnostics. */
  running(): string[] {
    return [...this.#running.keys()].sort();
  }
}
