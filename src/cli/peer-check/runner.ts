/**
 * The run of `herald peer-check`: one BgpSession to the router (active, or passive behind a BgpListener),
 * the announced routes, optional BFD, and a JSON line on stdout for everything that happens. The check
 * ends at the first failure (the session leaves the forward path: NOTIFICATION, socket error, hold timer,
 * BFD Down, a route that cannot be sent), when --timeout passes before Established, when the session has
 * stayed Established for --duration, or on the AbortSignal (Ctrl-C / SIGTERM). Then the session is closed
 * (Cease / Administrative Shutdown with an RFC 9003 message) and a final `result` line is printed.
 */
import { UsageError } from '../command.js';
import {
  BgpInputError,
  BgpListener,
  BgpSession,
  formatPrefix,
  parsePrefix,
  Safi,
  type BgpSessionEvents,
  type Route,
  type TimerHandle,
} from '../../bgp/index.js';
import type { PeerCheckArgs } from './args.js';
import { BfdCheck } from './bfd.js';
import type { PeerCheckEnvironment, PeerCheckOutput } from './ports.js';
import { familyName } from './names.js';
import { PeerCheckState, type Outcome } from './state.js';
import { sessionInit, listenerInit, routeAttributes } from './session-config.js';

export const SHUTDOWN_COMMUNICATION = 'herald peer-check finished';
const STOP_TIMEOUT_MS = 3_000;
/** Extra time after --timeout so that the connect attempt's own (more precise) error wins. */
const TIMEOUT_GRACE_MS = 1_000;
const MS_PER_S = 1000;

/** --router-id, else --source, else our IPv4 address towards the peer (IPv6 peers need --router-id). */
async function resolveRouterId(args: PeerCheckArgs, env: PeerCheckEnvironment): Promise<string> {
  if (args.routerId !== undefined) return args.routerId;
  if (args.source !== undefined) return args.source;
  return env.localAddressTowards(args.peer, args.port);
}

function routes(args: PeerCheckArgs): Route[] {
  const attributes = routeAttributes(args);
  return args.announce.map((p) => ({ prefix: parsePrefix(p), ...(attributes ? { attributes } : {}) }));
}

/** Runs the check; resolves with the exit status (0 success, 1 failure). */
export async function runPeerCheck(
  args: PeerCheckArgs,
  env: PeerCheckEnvironment,
  out: PeerCheckOutput,
  signal: AbortSignal,
): Promise<number> {
  const state = new PeerCheckState(args, env, out);
  let routerId: string;
  try {
    routerId = await resolveRouterId(args, env);
  } catch (error) {
    return state.report(state.fail(`cannot choose a router ID: ${message(error)}`), undefined);
  }
  const session = newSession(args, routerId, env);
  state.started(routerId);
  const bfd = args.bfd !== undefined ? new BfdCheck(env.bfdService) : undefined;
  const listener = args.passive
    ? new BgpListener(listenerInit(args), { transport: env.transport })
    : undefined;
  const timers: TimerHandle[] = [];
  const unsubscribe = subscribe(session, state, () => {
    if (!state.done)
      timers.push(env.clock.setTimeout(() => state.finish(state.durationReached()), state.durationMs));
  });
  const outcome = await drive(session, state, { env, args, bfd, listener, signal, timers });
  bfd?.freeze();
  // Still subscribed: the Cease we send and the last state change are printed too.
  await session.stop({
    shutdownCommunication: SHUTDOWN_COMMUNICATION,
    signal: AbortSignal.timeout(STOP_TIMEOUT_MS),
  });
  unsubscribe();
  await Promise.all([listener?.stop(), bfd?.stop()]);
  return state.report(outcome, bfd);
}

/** The session; a BgpInputError (a flag combination the parser let through) becomes a UsageError. */
function newSession(args: PeerCheckArgs, routerId: string, env: PeerCheckEnvironment): BgpSession {
  try {
    return new BgpSession(sessionInit(args, routerId), { transport: env.transport, clock: env.clock });
  } catch (error) {
    if (error instanceof BgpInputError) throw new UsageError(`${error.field}: ${error.reason}`);
    throw error;
  }
}

interface Parts {
  readonly env: PeerCheckEnvironment;
  readonly args: PeerCheckArgs;
  readonly bfd: BfdCheck | undefined;
  readonly listener: BgpListener | undefined;
  readonly signal: AbortSignal;
  /** Timers of the check (duration, timeout), cleared when it ends. */
  readonly timers: TimerHandle[];
}

/** Starts everything and resolves with the first outcome. */
async function drive(session: BgpSession, state: PeerCheckState, p: Parts): Promise<Outcome> {
  const outcome = new Promise<Outcome>((resolve) => state.onOutcome(resolve));
  const onAbort = (): void => state.finish(state.interrupted(p.signal.reason));
  p.signal.addEventListener('abort', onAbort, { once: true });
  if (p.signal.aborted) onAbort();
  try {
    await startParts(session, state, p);
    const timeoutMs = p.args.timeoutS * MS_PER_S + TIMEOUT_GRACE_MS;
    p.timers.push(p.env.clock.setTimeout(() => state.finish(state.timedOut(session.state)), timeoutMs));
    return await outcome;
  } finally {
    for (const t of p.timers) p.env.clock.clearTimeout(t);
    p.signal.removeEventListener('abort', onAbort);
  }
}

async function startParts(session: BgpSession, state: PeerCheckState, p: Parts): Promise<void> {
  session.setRoutes(routes(p.args));
  try {
    if (p.listener !== undefined) {
      p.listener.add(session);
      await p.listener.start({ signal: p.signal });
    }
    await p.bfd?.start(p.args, session, state.bfdEvents(), p.signal);
  } catch (error) {
    state.finish(state.fail(`cannot start: ${message(error)}`));
    return;
  }
  if (!state.done) session.start();
}

function subscribe(session: BgpSession, state: PeerCheckState, onEstablished: () => void): () => void {
  const handlers: { [K in keyof BgpSessionEvents]?: (e: BgpSessionEvents[K]) => void } = {
    state: (e) => state.stateChanged(e),
    open: (e) => state.openReceived(e.negotiated),
    established: (e) => {
      state.established(e.negotiated, session.connection);
      onEstablished();
    },
    notification: (e) => state.notification(e),
    update: (e) => state.update(e),
    routesSent: (e) => state.routesSent(e),
    routesSkipped: (e) =>
      state.routesSkipped(
        e.skipped.map((s) => ({
          prefix: formatPrefix(s.prefix),
          family: familyName(s.prefix.afi, Safi.UNICAST),
          reason: s.reason,
        })),
      ),
    warning: (e) => state.warning(e.message),
  };
  const offs = Object.entries(handlers).map(([type, handler]) =>
    session.on(type as keyof BgpSessionEvents, handler as (e: unknown) => void),
  );
  return () => offs.forEach((off) => off());
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
