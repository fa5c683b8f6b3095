/**
 * An in-process, deterministic simulation of N membership reducers exchanging messages through a
 * simulated network (loss, latency) driven by a simulated clock. Pure: no timers or sockets; time
 * advances in fixed ticks. Used by the unit tests (small N) and by bench/membership.ts (up to 1000).
 * Every member starts at incarnation 0 with the full roster, i.e. in the steady state after bootstrap.
 */
import { nextRandom } from './random.js';
import { nextWakeup, step } from './reducer.js';
import { createMembership, type MembershipState } from './state.js';
import { decodeMessage, encodeMessage } from './wire.js';
import type { MembershipAction, MembershipConfig, MembershipEvent, Message, Peer } from './types.js';

export interface SimulationOptions {
  readonly nodes: number;
  readonly seed: number;
  readonly config?: Partial<MembershipConfig>;
  /** Probability that a datagram is lost. */
  readonly lossRate?: number;
  /** One-way latency, uniform in [min, max] milliseconds. */
  readonly latencyMs?: { readonly min: number; readonly max: number };
  /** Clock resolution of the simulation. */
  readonly tickMs?: number;
  /** Send every message through encodeMessage/decodeMessage. */
  readonly encode?: boolean;
}

/** A membership action other than send, as observed at one node. */
export interface Observation {
  readonly at: number;
  readonly node: string;
  readonly action: Exclude<MembershipAction, { type: 'send' }>;
}

/** One simulated speaker: its reducer state, whether it runs, when it wants a tick, what it sent. */
export interface SimNode {
  state: MembershipState;
  running: boolean;
  wakeup: number;
  sent: number;
}

interface InFlight {
  readonly to: string;
  readonly message: Message;
}

export function simNodeName(i: number): string {
  return `node-${String(i).padStart(4, '0')}`;
}

export class Simulation {
  readonly nodes = new Map<string, SimNode>();
  readonly observations: Observation[] = [];
  now = 0;
  private seed: number;
  private readonly tickMs: number;
  private readonly inFlight = new Map<number, InFlight[]>();
  /** When set, datagrams between this group and the rest are lost. */
  private partition: ReadonlySet<string> | undefined;

  constructor(private readonly options: SimulationOptions) {
    this.seed = options.seed >>> 0;
    this.tickMs = options.tickMs ?? 5;
    const peers: Peer[] = Array.from({ length: options.nodes }, (_, i) => ({
      name: simNodeName(i),
      address: `sim://${simNodeName(i)}`,
    }));
    peers.forEach((p, i) => {
      const state = createMembership({
        self: p.name,
        incarnation: 0,
        seed: options.seed * 7919 + i,
        now: 0,
        config: options.config,
      });
      const node: SimNode = { state, running: true, wakeup: 0, sent: 0 };
      this.nodes.set(p.name, node);
      this.apply(p.name, node, { type: 'peerSetChanged', peers }, false);
    });
    this.observations.length = 0;
  }

  /** Advances the clock to `until`, delivering messages and ticking each node when it asked to be. */
  runUntil(until: number): void {
    while (this.now + this.tickMs <= until) {
      this.now += this.tickMs;
      const slot = Math.round(this.now / this.tickMs);
      const due = this.inFlight.get(slot);
      this.inFlight.delete(slot);
      for (const m of due ?? []) {
        const node = this.nodes.get(m.to);
        if (node?.running) this.apply(m.to, node, { type: 'messageReceived', message: m.message });
      }
      for (const [name, node] of this.nodes) {
        if (node.running && this.now >= node.wakeup) this.apply(name, node, { type: 'tick' });
      }
    }
  }

  /** Crashes a node: it stops processing and everything sent to it is lost. */
  kill(name: string): void {
    const node = this.nodes.get(name);
    if (node) node.running = false;
  }

  /** Graceful shutdown: the node sends its leave, then stops. */
  leave(name: string): void {
    const node = this.nodes.get(name);
    if (!node?.running) return;
    this.apply(name, node, { type: 'leave' });
    node.running = false;
  }

  /** Restarts a crashed node with a fresh state at a higher incarnation. */
  restart(name: string, incarnation: number): void {
    const node = this.nodes.get(name);
    if (!node) return;
    const peers = [...this.nodes.keys()].map((n) => ({ name: n, address: `sim://${n}` }));
    node.state = createMembership({
      self: name,
      incarnation,
      seed: this.random() * 0xffff_ffff,
      now: this.now,
      config: this.options.config,
    });
    node.running = true;
    node.wakeup = this.now;
    this.apply(name, node, { type: 'peerSetChanged', peers }, false);
  }

  /** Splits the network: `group` and the other nodes cannot reach each other until `heal()`. */
  split(group: Iterable<string>): void {
    this.partition = new Set(group);
  }

  heal(): void {
    this.partition = undefined;
  }

  /** Event injected from outside (e.g. a peer-set change from the API). */
  inject(name: string, event: MembershipEvent): void {
    const node = this.nodes.get(name);
    if (node?.running) this.apply(name, node, event);
  }

  totalSent(): number {
    let total = 0;
    for (const node of this.nodes.values()) total += node.sent;
    return total;
  }

  private random(): number {
    const r = nextRandom(this.seed);
    this.seed = r.seed;
    return r.value;
  }

  private apply(name: string, node: SimNode, event: MembershipEvent, observe = true): void {
    const result = step(node.state, event, this.now);
    node.state = result.state;
    node.wakeup = nextWakeup(result.state);
    for (const action of result.actions) {
      if (action.type === 'send') {
        node.sent++;
        this.transmit(action.to, action.message);
      } else if (observe) {
        this.observations.push({ at: this.now, node: name, action });
      }
    }
  }

  private transmit(to: string, message: Message): void {
    if (this.random() < (this.options.lossRate ?? 0)) return;
    if (this.partition && this.partition.has(to) !== this.partition.has(message.from)) return;
    const { min, max } = this.options.latencyMs ?? { min: 0.2, max: 1 };
    const at = this.now + min + this.random() * (max - min);
    const slot = Math.max(Math.ceil(at / this.tickMs), Math.round(this.now / this.tickMs) + 1);
    const delivered = this.options.encode ? decodeMessage(encodeMessage(message)) : message;
    const list = this.inFlight.get(slot);
    if (list) list.push({ to, message: delivered });
    else this.inFlight.set(slot, [{ to, message: delivered }]);
  }
}
