/**
 * bench:arp's load generator, run inside the generator namespace (`ip netns exec NS node --import tsx
 * bench/arp/generator.ts --interface g0`). One AF_PACKET socket (src/platform/packet-socket.ts, ARP_FILTER)
 * sends broadcast ARP requests at a paced rate, in batches through sendMany (sendmmsg), and receives the replies; a reply is matched to its request
 * by the step and sequence carried in the requester MAC (./frames.ts). Latency is receive time minus send
 * time, both process.hrtime.bigint() in this process. Commands arrive as JSON lines on stdin (./protocol.ts);
 * the process exits when stdin closes, on `quit`, or after --lifetime-ms.
 */
import { parseArgs } from 'node:util';

import { ARP_FILTER } from '../../src/platform/bpf.js';
import { openPacketSocket, type PacketSocket } from '../../src/platform/packet-socket.js';
import { ipv4Number, matchReply, RequestFrame } from './frames.js';
import {
  answer,
  GENERATOR_IP,
  readLines,
  readSchedstat,
  schedstatSince,
  type ChildCommand,
  type RunCommand,
  type RunResult,
} from './protocol.js';

/**
 * Most requests sent in one event-loop turn (one sendMany call), so replies are read between batches. At
 * 300k/s a 1 ms timer tick has 300 due: two or three batches, with the replies read in between.
 */
const BATCH_MAX = 128;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;
const NS_PER_US = 1e3;
/** Room for a whole step of replies (an ARP frame takes about 768 bytes of buffer in the kernel). */
const RECEIVE_BUFFER_BYTES = 64 << 20;
const STEP_MIN = 1;
const STEP_MAX = 255;
const COUNT_MAX = 5_000_000;

interface StepState {
  readonly step: number;
  readonly target: number;
  readonly sendTimes: Float64Array;
  readonly replied: Uint8Array;
  readonly latencies: Float64Array;
  received: number;
  duplicates: number;
}

const base = process.hrtime.bigint();
const nowNs = (): number => Number(process.hrtime.bigint() - base);

let current: StepState | undefined;
let late = 0;

function onReply(frame: Buffer): void {
  const at = nowNs();
  const reply = matchReply(frame);
  if (reply === undefined) return;
  const state = current;
  if (state === undefined || reply.step !== state.step || reply.senderIp !== state.target) {
    late++;
    return;
  }
  if (reply.sequence >= state.replied.length) return;
  if (state.replied[reply.sequence] === 1) {
    state.duplicates++;
    return;
  }
  state.replied[reply.sequence] = 1;
  state.latencies[state.received++] = at - state.sendTimes[reply.sequence]!;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)]! / NS_PER_US;
}

function checkRun(cmd: RunCommand): void {
  const bad = (field: string, reason: string): never => {
    throw new TypeError(`run.${field}: ${reason}`);
  };
  if (!Number.isInteger(cmd.step) || cmd.step < STEP_MIN || cmd.step > STEP_MAX) bad('step', 'not in 1..255');
  if (!(cmd.rate > 0) || !Number.isFinite(cmd.rate)) bad('rate', 'must be a positive number');
  if (!Number.isInteger(cmd.count) || cmd.count < 1 || cmd.count > COUNT_MAX) bad('count', 'out of range');
  if (!(cmd.maxSendMs > 0) || !(cmd.drainMs >= 0)) bad('maxSendMs/drainMs', 'must be positive');
}

interface SendOutcome {
  sent: number;
  sendAgain: number;
  lastSendNs: number;
  truncated: boolean;
}

/** Sends the requests sequence.. in one sendMany batch; returns how many went out (fewer: EAGAIN). */
function sendBatch(
  socket: PacketSocket,
  pool: readonly RequestFrame[],
  step: number,
  first: number,
  n: number,
): number {
  const batch: Buffer[] = new Array<Buffer>(n);
  for (let i = 0; i < n; i++) batch[i] = pool[i]!.set(step, first + i);
  return socket.sendMany(batch);
}

/**
 * Sends cmd.count requests paced at cmd.rate; stops at cmd.maxSendMs whatever happens. The requests due at
 * a tick go out as sendMany batches of at most BATCH_MAX (one sendmmsg per 64 frames in the addon), all
 * stamped with the time just before the batch's call: a request's latency includes the time the frames
 * ahead of it in its batch took to send.
 */
function sendPaced(socket: PacketSocket, cmd: RunCommand, state: StepState): Promise<SendOutcome> {
  const pool = Array.from({ length: BATCH_MAX }, () => new RequestFrame(GENERATOR_IP, cmd.target));
  const out: SendOutcome = { sent: 0, sendAgain: 0, lastSendNs: 0, truncated: false };
  const start = nowNs();
  const deadline = start + cmd.maxSendMs * NS_PER_MS;
  /** Request k is due at origin + k / rate. */
  let origin = start;
  return new Promise((resolve) => {
    const tick = (): void => {
      const now = nowNs();
      if (now >= deadline) {
        out.truncated = out.sent < cmd.count;
        return resolve(out);
      }
      let due = Math.min(cmd.count, Math.floor(((now - origin) * cmd.rate) / NS_PER_S) + 1);
      if (!cmd.catchUp && due > out.sent + 1) {
        // Late (the process was not running): send one now and keep the spacing from here, rather than
        // a burst whose replies would all wait for the same stall.
        origin = now - (out.sent * NS_PER_S) / cmd.rate;
        due = out.sent + 1;
      }
      const wanted = Math.min(due, out.sent + BATCH_MAX) - out.sent;
      if (wanted > 0) {
        const at = nowNs();
        const sent = sendBatch(socket, pool, cmd.step, out.sent, wanted);
        if (sent < wanted) out.sendAgain++;
        state.sendTimes.fill(at, out.sent, out.sent + sent);
        out.sent += sent;
        if (sent > 0) out.lastSendNs = at;
      }
      if (out.sent >= cmd.count) return resolve(out);
      // Requests already due go out after the replies queued meanwhile are read (setImmediate); otherwise
      // sleep until the next is due (at least the 1 ms timer granularity: the deficit then goes out as a
      // batch). No busy-waiting: the generator's CPU use grows with the rate, and the other core stays
      // free for the responder.
      const wait = origin + (out.sent * NS_PER_S) / cmd.rate - nowNs();
      if (wait <= 0) setImmediate(tick);
      else setTimeout(tick, Math.max(1, Math.floor(wait / NS_PER_MS)));
    };
    tick();
  });
}

async function runStep(socket: PacketSocket, cmd: RunCommand): Promise<RunResult> {
  checkRun(cmd);
  const state: StepState = {
    step: cmd.step,
    target: ipv4Number(cmd.target),
    sendTimes: new Float64Array(cmd.count),
    replied: new Uint8Array(cmd.count),
    latencies: new Float64Array(cmd.count),
    received: 0,
    duplicates: 0,
  };
  const lateBefore = late;
  const dropsBefore = socket.stats().drops;
  const schedBefore = readSchedstat();
  current = state;
  const start = nowNs();
  const sent = await sendPaced(socket, cmd, state);
  await new Promise((resolve) => setTimeout(resolve, cmd.drainMs));
  current = undefined;
  const sorted = state.latencies.slice(0, state.received).sort();
  const sendSeconds = sent.sent === 0 ? 0 : (sent.lastSendNs - start) / NS_PER_S;
  return {
    step: cmd.step,
    sent: sent.sent,
    received: state.received,
    lost: sent.sent - state.received,
    duplicates: state.duplicates,
    late: late - lateBefore,
    sendAgain: sent.sendAgain,
    sendSeconds,
    achievedRate: sent.sent === 0 ? 0 : sent.sent / (sendSeconds + 1 / cmd.rate),
    truncated: sent.truncated,
    latencyUs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: percentile(sorted, 1) },
    generatorDrops: socket.stats().drops - dropsBefore,
    generatorSched: schedstatSince(schedBefore),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      interface: { type: 'string', default: 'g0' },
      'lifetime-ms': { type: 'string', default: '600000' },
    },
  });
  const socket = openPacketSocket(
    {
      interface: values.interface,
      protocol: 'arp',
      filter: ARP_FILTER,
      receiveBufferBytes: RECEIVE_BUFFER_BYTES,
    },
    (frame) => onReply(frame),
    (error, fatal) => answer({ event: 'error', message: error.message, fatal }),
  );
  const quit = (code: number): never => {
    socket.close();
    process.exit(code);
  };
  setTimeout(() => quit(1), Number(values['lifetime-ms'])).unref();
  let queue = Promise.resolve();
  readLines(process.stdin, (line) => {
    queue = queue.then(async () => {
      try {
        const cmd = JSON.parse(line) as ChildCommand;
        if (cmd.cmd === 'quit') quit(0);
        else if (cmd.cmd === 'run') answer(await runStep(socket, cmd));
        else answer({ ...socket.stats(), receiveBufferBytes: socket.receiveBufferBytes() });
      } catch (error) {
        answer({ error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  process.stdin.on('end', () => quit(0));
  answer({ event: 'ready', receiveBufferBytes: socket.receiveBufferBytes() });
}

main();
