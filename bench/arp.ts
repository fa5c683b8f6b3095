/**
 * bench:arp — ARP reply latency and the highest request rate answered without loss, Herald's Layer 2
 * Announcer side by side with the Linux kernel on the same interface, in the same run (needs root):
 *
 *   hbarp-resp: r0 192.0.2.1/24 (kernel) + Announcer for 192.0.2.200  ----  g0 (no address) hbarp-gen
 *
 * The generator (bench/arp/generator.ts, an AF_PACKET socket in hbarp-gen) sends broadcast "who-has"
 * requests paced at a rate, alternating between 192.0.2.200 (Herald) and 192.0.2.1 (kernel) step by step,
 * and matches replies by the sequence carried in the requester MAC. Phases: a warm-up (not reported); a
 * latency phase at a moderate rate (p50/p99/max); a rate search (bench/arp/plan.ts). Each step also reports
 * the send rate the generator achieved, so a reader can tell when the generator, not the responder, was
 * the limit. Prints one JSON object per line. Flags: --smoke (a few seconds); --ns-prefix P (default
 * hbarp-); --nice N (run both children under `nice -n N`, e.g. -10 on a machine shared with other work);
 * --responder-receive-buffer BYTES (the announcer's socket buffer; default: the speaker's,
 * PACKET_RECEIVE_BUFFER_BYTES in src/speaker/main.ts). Results and their reading: docs/benchmarks.md, "bench:arp".
 */
import { PACKET_RECEIVE_BUFFER_BYTES } from '../src/speaker/main.js';
import { fileURLToPath } from 'node:url';

import { Lab, requireRoot } from '../test/helpers/netns.js';
import { NsChild } from './arp/child.js';
import { FULL_PLAN, RateSearch, SMOKE_PLAN, type Plan } from './arp/plan.js';
import {
  GENERATOR_IFACE,
  HERALD_IP,
  KERNEL_IP,
  PREFIX_LENGTH,
  RESPONDER_IFACE,
  TARGETS,
  UNANSWERED_IP,
  type ResponderName,
  type ResponderStats,
  type RunCommand,
  type RunResult,
  type Schedstat,
} from './arp/protocol.js';

const RESPONDER_SCRIPT = fileURLToPath(new URL('./arp/responder.ts', import.meta.url));
const GENERATOR_SCRIPT = fileURLToPath(new URL('./arp/generator.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const ANSWER_SLACK_MS = 15_000;
const RESPONDERS: readonly ResponderName[] = ['herald', 'kernel'];
const STEP_IDS = 255;
/** A step may send for this many times its nominal duration before it is cut short (and says so). */
const SEND_TIME_SLACK = 1.5;

interface Context {
  readonly plan: Plan;
  readonly responder: NsChild;
  readonly generator: NsChild;
  nextStep: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function emit(metric: string, value: number, unit: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ bench: 'arp', metric, value: round2(value), unit, ...fields }));
}

async function responderStats(ctx: Context): Promise<ResponderStats> {
  return (await ctx.responder.request({ cmd: 'stats' }, ANSWER_SLACK_MS)) as unknown as ResponderStats;
}

/** One paced step against one responder; also the Herald socket's drops during it. */
async function step(
  ctx: Context,
  who: ResponderName | 'none',
  rate: number,
  count: number,
  catchUp = true,
): Promise<{ result: RunResult; socketDrops: number; responderSched: Schedstat }> {
  const before = await responderStats(ctx);
  const id = ctx.nextStep;
  ctx.nextStep = (ctx.nextStep % STEP_IDS) + 1;
  const maxSendMs = Math.ceil((count / rate) * 1_000 * SEND_TIME_SLACK) + 100;
  const drainMs = ctx.plan.drainMs;
  const target = who === 'none' ? UNANSWERED_IP : TARGETS[who];
  const cmd: RunCommand = { cmd: 'run', step: id, target, rate, count, maxSendMs, drainMs, catchUp };
  const answer = await ctx.generator.request(cmd, maxSendMs + drainMs + ANSWER_SLACK_MS);
  const after = await responderStats(ctx);
  const responderSched = {
    cpuMs: after.sched.cpuMs - before.sched.cpuMs,
    waitMs: after.sched.waitMs - before.sched.waitMs,
  };
  const socketDrops = after.socketDrops - before.socketDrops;
  return { result: answer as unknown as RunResult, socketDrops, responderSched };
}

/**
 * The generator's own ceiling: requests for an address nobody answers, asked for at a rate far above
 * what it can send for one step's duration; the achieved rate is what one Node process with one
 * AF_PACKET socket can put on the veth here (the responder namespace's kernel still receives them).
 */
async function calibrate(ctx: Context): Promise<void> {
  const rate = ctx.plan.calibrationRate;
  const { result } = await step(ctx, 'none', rate, Math.round((rate * ctx.plan.stepMs) / 1_000));
  emit('generator_send_capacity', result.achievedRate, 'requests/s', {
    responder: 'none',
    sent: result.sent,
    seconds: Math.round(result.sendSeconds * 1_000) / 1_000,
  });
}

async function latencyPhase(ctx: Context): Promise<void> {
  const { latencyRate: rate, latencyCount: count } = ctx.plan;
  for (const who of RESPONDERS) await step(ctx, who, ctx.plan.warmupRate, ctx.plan.warmupCount);
  for (const who of RESPONDERS) {
    const { result, responderSched } = await step(ctx, who, rate, count, false);
    const fields = {
      responder: who,
      rate,
      requests: result.sent,
      received: result.received,
      achieved_send_rate: Math.round(result.achievedRate),
      // Time runnable but not running during the step: scheduling delays show up in the tail latency.
      generator_runqueue_wait_ms: Math.round(result.generatorSched.waitMs),
      responder_process_runqueue_wait_ms: Math.round(responderSched.waitMs),
    };
    // The Herald process's CPU per request (it also sees, and drops, the kernel's requests).
    const cpuUs = result.sent === 0 ? 0 : (responderSched.cpuMs * 1_000) / result.sent;
    emit('responder_process_cpu_per_request', cpuUs, 'us', { ...fields, responder_process: 'herald' });
    emit('latency_p50', result.latencyUs.p50, 'us', fields);
    emit('latency_p99', result.latencyUs.p99, 'us', fields);
    emit('latency_max', result.latencyUs.max, 'us', fields);
    emit('latency_lost', result.lost, 'requests', fields);
  }
}

function emitStep(
  who: ResponderName,
  rate: number,
  attempt: number,
  { result: r, socketDrops, responderSched }: Awaited<ReturnType<typeof step>>,
): void {
  emit('step_lost', r.lost, 'requests', {
    responder: who,
    rate,
    attempt,
    sent: r.sent,
    received: r.received,
    achieved_send_rate: Math.round(r.achievedRate),
    latency_p50_us: Math.round(r.latencyUs.p50),
    latency_p99_us: Math.round(r.latencyUs.p99),
    latency_max_us: Math.round(r.latencyUs.max),
    generator_drops: r.generatorDrops,
    ...(who === 'herald' ? { responder_socket_drops: socketDrops } : {}),
    duplicates: r.duplicates,
    send_again: r.sendAgain,
    truncated: r.truncated,
    generator_cpu_ms: Math.round(r.generatorSched.cpuMs),
    generator_runqueue_wait_ms: Math.round(r.generatorSched.waitMs),
    responder_process_cpu_ms: Math.round(responderSched.cpuMs),
    responder_process_runqueue_wait_ms: Math.round(responderSched.waitMs),
    responder_process_cpu_us_per_request: r.sent === 0 ? 0 : round2((responderSched.cpuMs * 1_000) / r.sent),
  });
}

async function rateSearch(ctx: Context): Promise<void> {
  const searches = new Map(RESPONDERS.map((who) => [who, new RateSearch()]));
  for (const rate of ctx.plan.rates) {
    for (const [who, search] of searches) {
      const count = Math.round((rate * ctx.plan.stepMs) / 1_000);
      for (let attempt = 1; !search.done && attempt <= 2; attempt++) {
        const outcome = await step(ctx, who, rate, count);
        emitStep(who, rate, attempt, outcome);
        if (search.record(rate, outcome.result) !== 'retry') break;
      }
    }
    if ([...searches.values()].every((s) => s.done)) break;
  }
  for (const [who, search] of searches) {
    emit('max_lossless_rate', search.best, 'requests/s', {
      responder: who,
      limited_by: search.limitedBy,
      ...(search.firstLossyRate === undefined ? {} : { first_lossy_rate: search.firstLossyRate }),
    });
    emit('max_send_rate', search.maxAchievedRate, 'requests/s', { responder: who, role: 'generator' });
  }
}

async function buildLab(lab: Lab): Promise<{ resp: string; gen: string }> {
  await lab.removeStale();
  const resp = await lab.addNamespace('resp');
  const gen = await lab.addNamespace('gen');
  await lab.veth(resp, RESPONDER_IFACE, gen, GENERATOR_IFACE);
  await lab.sysctl(resp, `net.ipv6.conf.${RESPONDER_IFACE}.disable_ipv6`, '1');
  await lab.sysctl(gen, `net.ipv6.conf.${GENERATOR_IFACE}.disable_ipv6`, '1');
  await lab.addAddress(resp, RESPONDER_IFACE, `${KERNEL_IP}/${PREFIX_LENGTH}`);
  return { resp, gen };
}

interface Options {
  readonly plan: Plan;
  readonly prefix: string;
  readonly nice: number | undefined;
  readonly receiveBuffer: number | undefined;
}

function parseOptions(args: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? (args[at + 1] ?? '') : undefined;
  };
  const niceText = value('--nice');
  const nice = niceText === undefined ? undefined : Number(niceText);
  if (nice !== undefined && (!Number.isInteger(nice) || nice < -20 || nice > 19)) {
    throw new RangeError(`--nice: must be an integer in -20..19, got '${niceText}'`);
  }
  const bufferText = value('--responder-receive-buffer');
  const receiveBuffer = bufferText === undefined ? PACKET_RECEIVE_BUFFER_BYTES : Number(bufferText);
  if (receiveBuffer !== undefined && (!Number.isInteger(receiveBuffer) || receiveBuffer < 1)) {
    throw new RangeError(
      `--responder-receive-buffer: must be a positive integer (bytes), got '${bufferText}'`,
    );
  }
  const plan = args.includes('--smoke') ? SMOKE_PLAN : FULL_PLAN;
  return { plan, prefix: value('--ns-prefix') ?? 'hbarp-', nice, receiveBuffer };
}

/** Builds the lab and starts both children (recorded in `children` as soon as each runs). */
async function setUp(lab: Lab, options: Options, children: NsChild[]): Promise<Context> {
  const ns = await buildLab(lab);
  const life = ['--lifetime-ms', String(options.plan.lifetimeMs)];
  const start = { timeoutMs: START_TIMEOUT_MS, nice: options.nice };
  const buffer =
    options.receiveBuffer === undefined ? [] : ['--receive-buffer', String(options.receiveBuffer)];
  const herald = ['--interface', RESPONDER_IFACE, '--vip', HERALD_IP, ...life, ...buffer];
  const responder = await NsChild.start('responder', ns.resp, RESPONDER_SCRIPT, herald, start);
  children.push(responder.child);
  const gen = ['--interface', GENERATOR_IFACE, ...life];
  const generator = await NsChild.start('generator', ns.gen, GENERATOR_SCRIPT, gen, start);
  children.push(generator.child);
  const bytes = Number(responder.ready.receiveBufferBytes);
  emit('responder_receive_buffer', bytes, 'bytes', { responder: 'herald' });
  return { plan: options.plan, responder: responder.child, generator: generator.child, nextStep: 1 };
}

async function measure(ctx: Context): Promise<void> {
  await latencyPhase(ctx);
  await calibrate(ctx);
  await rateSearch(ctx);
  const stats = await responderStats(ctx);
  emit('responder_socket_drops_total', stats.socketDrops, 'frames', { responder: 'herald' });
  emit('responses_sent_total', stats.responsesSent, 'frames', { responder: 'herald' });
  const events = ctx.responder.events();
  if (events.length > 0) throw new Error(`bench:arp: the announcer reported ${JSON.stringify(events)}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (requireRoot('bench:arp') !== undefined) {
    process.exitCode = 1;
    return;
  }
  const lab = new Lab(options.prefix);
  const children: NsChild[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const child of children) await child.stop();
      await lab.cleanup();
    })());
  const onSignal = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await measure(await setUp(lab, options, children));
  } finally {
    await cleanup();
  }
}

await main();
