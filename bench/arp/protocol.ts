/**
 * bench:arp's control protocol between the orchestrator (bench/arp.ts) and its two children, the
 * responder (bench/arp/responder.ts) and the load generator (bench/arp/generator.ts), each running in its
 * own network namespace: one JSON object per line on the child's stdin (commands) and stdout (answers).
 * Also the lab's addresses and the line reader both sides use.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

const NS_PER_MS = 1e6;

/** The responder namespace's own address: the kernel answers ARP for it. */
export const KERNEL_IP = '192.0.2.1';
/** The address the Herald announcer owns (on no interface, so only the announcer answers for it). */
export const HERALD_IP = '192.0.2.200';
/** An address nobody answers for: requests for it measure the generator's own send capacity. */
export const UNANSWERED_IP = '192.0.2.99';
/** The generator's address, used as the ARP sender protocol address of every request. */
export const GENERATOR_IP = '192.0.2.2';
export const PREFIX_LENGTH = 24;
export const RESPONDER_IFACE = 'r0';
export const GENERATOR_IFACE = 'g0';

export type ResponderName = 'herald' | 'kernel';
export const TARGETS: Record<ResponderName, string> = { herald: HERALD_IP, kernel: KERNEL_IP };

/** One paced step: `count` ARP requests for `target` at `rate` per second, then a drain wait. */
export interface RunCommand {
  readonly cmd: 'run';
  /** 1..255: encoded in every request of the step, so replies of other steps are told apart. */
  readonly step: number;
  readonly target: string;
  readonly rate: number;
  readonly count: number;
  /** Hard bound on the sending time (the step stops early, and says so, when it is reached). */
  readonly maxSendMs: number;
  readonly drainMs: number;
  /**
   * After a stall, send the requests that fell due meanwhile as a batch (holds the rate: rate steps),
   * or just the next one, keeping the spacing (the latency phase: no correlated burst).
   */
  readonly catchUp: boolean;
}

export interface RunResult {
  readonly step: number;
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Replies that arrived for an earlier step (after its drain wait). */
  readonly late: number;
  /** send() found the transmit queue full (EAGAIN) and the request was retried later. */
  readonly sendAgain: number;
  /** Seconds from the first send to the last send. */
  readonly sendSeconds: number;
  /** sent / sendSeconds: what the generator actually achieved. */
  readonly achievedRate: number;
  /** True when maxSendMs ran out before `count` requests were sent. */
  readonly truncated: boolean;
  readonly latencyUs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Replies the generator's own socket dropped (receive buffer full) during the step. */
  readonly generatorDrops: number;
  /** The generator's main thread during the step: time on a CPU and time runnable but waiting for one. */
  readonly generatorSched: Schedstat;
}

/** /proc/self/schedstat of the main thread, in milliseconds. */
export interface Schedstat {
  readonly cpuMs: number;
  readonly waitMs: number;
}

/** Reads /proc/self/schedstat ("cpu-ns wait-ns timeslices"); zeros where it is missing. */
export function readSchedstat(): Schedstat {
  try {
    const [cpu, wait] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/u).map(Number);
    return { cpuMs: (cpu ?? 0) / NS_PER_MS, waitMs: (wait ?? 0) / NS_PER_MS };
  } catch {
    return { cpuMs: 0, waitMs: 0 };
  }
}

export function schedstatSince(before: Schedstat): Schedstat {
  const now = readSchedstat();
  return { cpuMs: now.cpuMs - before.cpuMs, waitMs: now.waitMs - before.waitMs };
}

export interface ResponderStats {
  readonly requestsReceived: number;
  readonly responsesSent: number;
  /** PACKET_STATISTICS of the announcer's ARP socket: accepted frames and drops (buffer full). */
  readonly socketPackets: number;
  readonly socketDrops: number;
  readonly receiveBufferBytes: number;
  readonly sched: Schedstat;
}

export type ChildCommand = RunCommand | { readonly cmd: 'stats' } | { readonly cmd: 'quit' };

/** Calls onLine for every complete line of `stream` (UTF-8). */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') onLine(line);
      newline = pending.indexOf('\n');
    }
  });
}

/** Writes one answer line to stdout. */
export function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
