/**
 * What `herald peer-check` has seen so far and prints: one JSON line per event (`time`, `elapsedS`,
 * `event`, fields), the decision that ends the check (the first failure, the duration reached, the
 * timeout, an interruption) and the final `result` line with its exit status. No sockets; time comes from
 * the injected clocks.
 */
import type { BfdStateChangeEvent } from '../../bgp/bfd/index.js';
import { CeaseSubcode, ErrorCode, OpenSubcode } from '../../bgp/index.js';
import type { BgpSessionEvents, BgpState, ConnectionInfo, Negotiated, StateReason } from '../../bgp/index.js';
import { formatCommunity } from '../../core/community.js';
import type { PeerCheckArgs } from './args.js';
import type { BfdCheck, BfdCheckEvents } from './bfd.js';
import { familyName } from './names.js';
import {
  notificationJson,
  notificationText,
  openJson,
  ReceivedByFamily,
  reasonJson,
  reasonText,
  type Json,
} from './report.js';
import type { PeerCheckEnvironment, PeerCheckOutput } from './ports.js';

export interface Outcome {
  readonly ok: boolean;
  readonly message: string;
  readonly interrupted?: boolean;
}

const MS_PER_S = 1000;
const ELAPSED_DECIMALS = 3;

export class PeerCheckState {
  readonly #args: PeerCheckArgs;
  readonly #env: PeerCheckEnvironment;
  readonly #out: PeerCheckOutput;
  readonly #startMs: number;
  readonly #received = new ReceivedByFamily();
  readonly #notifications: Json[] = [];
  readonly #skipped: Json[] = [];
  #routerId: string | undefined;
  #resolve: ((outcome: Outcome) => void) | undefined;
  #done = false;
  #establishedAtMs: number | undefined;
  #leftEstablishedAtMs: number | undefined;
  #negotiated: Negotiated | undefined;
  #updatesSent = 0;
  #lastWarning: string | undefined;
  #lastCommunication: string | undefined;
  #bfdDown: BfdStateChangeEvent | undefined;

  constructor(args: PeerCheckArgs, env: PeerCheckEnvironment, out: PeerCheckOutput) {
    this.#args = args;
    this.#env = env;
    this.#out = out;
    this.#startMs = env.clock.now();
  }

  get done(): boolean {
    return this.#done;
  }

  get durationMs(): number {
    return this.#args.durationS * MS_PER_S;
  }

  onOutcome(resolve: (outcome: Outcome) => void): void {
    this.#resolve = resolve;
  }

  /** Ends the check with `outcome` (the first one wins; undefined is ignored). */
  finish(outcome: Outcome | undefined): void {
    if (outcome === undefined || this.#done) return;
    this.#done = true;
    if (this.#establishedAtMs !== undefined && this.#leftEstablishedAtMs === undefined)
      this.#leftEstablishedAtMs = this.#env.clock.now();
    this.#resolve?.(outcome);
  }

  fail(message: string): Outcome {
    return { ok: false, message };
  }

  durationReached(): Outcome {
    return { ok: true, message: `session Established with ${this.#args.peer} for ${this.#args.durationS} s` };
  }

  interrupted(reason: unknown): Outcome {
    const why = reason instanceof Error ? reason.message : 'interrupted';
    if (this.#establishedAtMs !== undefined) {
      return {
        ok: true,
        interrupted: true,
        message: `session Established with ${this.#args.peer}; stopped early (${why})`,
      };
    }
    return { ok: false, interrupted: true, message: `stopped (${why}) before the session was Established` };
  }

  timedOut(state: BgpState): Outcome | undefined {
    if (this.#establishedAtMs !== undefined) return undefined;
    const last = this.#lastWarning !== undefined ? `; last error: ${this.#lastWarning}` : '';
    return this.fail(`no session within ${this.#args.timeoutS} s (state ${state})${last}${this.#md5Hint()}`);
  }

  started(routerId: string): void {
    this.#routerId = routerId;
    const a = this.#args;
    this.#emit('start', {
      peer: a.peer,
      port: a.port,
      peerAs: a.peerAsn,
      localAs: a.myAsn,
      routerId,
      mode: a.passive ? 'passive' : 'active',
      transport: this.#env.transportName,
      holdTimeS: a.holdTimeS,
      announce: a.announce,
      communities: a.communities.map(formatCommunity),
      md5: a.password !== undefined,
      bfd: a.bfd !== undefined,
    });
  }

  stateChanged(e: BgpSessionEvents['state']): void {
    this.#emit('state', { from: e.from, to: e.to, reason: reasonJson(e.reason) });
    if (e.from === 'Established') this.#leftEstablishedAtMs = this.#env.clock.now();
    if (this.#done) return;
    const backwards = (e.to === 'Idle' || e.to === 'Active') && e.from !== 'Idle';
    if (backwards) this.finish(this.fail(this.#failureText(e.reason)));
  }

  openReceived(negotiated: Negotiated): void {
    this.#emit('open', openJson(negotiated));
  }

  established(negotiated: Negotiated, connection: ConnectionInfo | undefined): void {
    this.#negotiated = negotiated;
    this.#establishedAtMs = this.#env.clock.now();
    this.#emit('established', {
      ...(connection !== undefined
        ? {
            direction: connection.direction,
            local: `${connection.localAddress} port ${connection.localPort}`,
            remote: `${connection.remoteAddress} port ${connection.remotePort}`,
          }
        : {}),
      families: negotiated.families.map((f) => familyName(f.afi, f.safi)),
      holdTimeS: negotiated.holdTimeS,
      keepaliveS: negotiated.keepaliveMs / MS_PER_S,
    });
  }

  notification(e: BgpSessionEvents['notification']): void {
    const json = notificationJson(e.direction, e.message, e.communication);
    this.#notifications.push(json);
    if (e.direction === 'received') this.#lastCommunication = e.communication;
    this.#emit('notification', json);
  }

  update(e: BgpSessionEvents['update']): void {
    this.#received.apply(e.message);
    if (e.endOfRib === undefined) return;
    this.#received.endOfRib(e.endOfRib.afi, e.endOfRib.safi);
    this.#emit('end-of-rib', {
      family: familyName(e.endOfRib.afi, e.endOfRib.safi),
      received: this.#received.summary(),
    });
  }

  routesSent(e: BgpSessionEvents['routesSent']): void {
    this.#updatesSent += e.updates;
    this.#emit('routes-sent', {
      updates: e.updates,
      announced: e.announced,
      withdrawn: e.withdrawn,
      endOfRib: e.endOfRib.map((f) => familyName(f.afi, f.safi)),
    });
  }

  routesSkipped(skipped: readonly { prefix: string; family: string; reason: string }[]): void {
    this.#skipped.push(...skipped);
    this.#emit('routes-skipped', { skipped });
    const list = skipped.map((s) => `${s.prefix} (${s.reason})`).join(', ');
    this.finish(
      this.fail(
        `could not announce ${list}: the router did not negotiate the family, or no next hop (--next-hop)`,
      ),
    );
  }

  warning(message: string): void {
    this.#lastWarning = message;
    this.#emit('warning', { message });
  }

  bfdEvents(): BfdCheckEvents {
    return {
      change: (e) => {
        if (e.from === 'Up') this.#bfdDown = e;
        this.#emit('bfd', {
          from: e.from,
          to: e.to,
          diagnostic: e.diagnostic,
          diagnosticName: e.diagnosticName,
          remoteState: e.remoteState,
        });
      },
    };
  }

  /** Prints the `result` line (and the failure on stderr); returns the exit status. */
  report(outcome: Outcome, bfd: BfdCheck | undefined): number {
    let final = outcome;
    if (outcome.ok && bfd !== undefined && bfd.state !== 'Up') {
      final = this.fail(
        `BFD is ${bfd.state ?? 'not started'} at the end of the check: the router's BFD session did not come Up`,
      );
    }
    const code = final.ok ? 0 : 1;
    this.#emit('result', {
      ok: final.ok,
      exitCode: code,
      message: final.message,
      ...this.#summary(final, bfd),
    });
    if (!final.ok) this.#out.error(`herald peer-check: ${final.message}`);
    return code;
  }

  #summary(outcome: Outcome, bfd: BfdCheck | undefined): Record<string, Json> {
    const a = this.#args;
    const at = this.#establishedAtMs;
    const upFor = at === undefined ? undefined : (this.#leftEstablishedAtMs ?? this.#env.clock.now()) - at;
    return {
      ...(outcome.interrupted === true ? { interrupted: true } : {}),
      peer: a.peer,
      peerAs: a.peerAsn,
      localAs: a.myAsn,
      ...(this.#routerId !== undefined ? { routerId: this.#routerId } : {}),
      established: at !== undefined,
      ...(at !== undefined ? { establishedAfterS: this.#seconds(at - this.#startMs) } : {}),
      ...(upFor !== undefined ? { upForS: this.#seconds(upFor) } : {}),
      ...(this.#negotiated !== undefined ? { open: openJson(this.#negotiated) } : {}),
      announced: {
        prefixes: a.announce,
        communities: a.communities.map(formatCommunity),
        ...(a.localPref !== undefined ? { localPref: a.localPref } : {}),
        updatesSent: this.#updatesSent,
        skipped: this.#skipped,
      },
      received: this.#received.summary(
        this.#negotiated?.families.map((f) => familyName(f.afi, f.safi)) ?? [],
      ),
      notifications: this.#notifications,
      ...(bfd !== undefined ? { bfd: bfd.summary() } : {}),
    };
  }

  #failureText(reason: StateReason): string {
    if (reason.kind === 'tcp-failed' && this.#lastWarning !== undefined)
      return `${this.#lastWarning}${this.#md5Hint()}`;
    if (
      reason.kind === 'automatic-stop' &&
      reason.subcode === CeaseSubcode.BFD_DOWN &&
      this.#bfdDown !== undefined
    ) {
      return `BFD went Down (${this.#bfdDown.diagnosticName}): the session was stopped with ${notificationText(ErrorCode.CEASE, reason.subcode)}`;
    }
    let text = reasonText(reason);
    if (reason.kind === 'notification-received' && this.#lastCommunication !== undefined)
      text += `: "${this.#lastCommunication}"`;
    if (
      reason.kind === 'notification-sent' &&
      reason.code === ErrorCode.OPEN_MESSAGE &&
      reason.subcode === OpenSubcode.BAD_PEER_AS
    )
      text += ` (the router's OPEN does not carry AS ${this.#args.peerAsn}, given with --peer-asn)`;
    return text;
  }

  #md5Hint(): string {
    return this.#args.password !== undefined && /timed out/.test(this.#lastWarning ?? '')
      ? ' (with --password, a wrong or missing key on the router makes the connection time out)'
      : '';
  }

  #seconds(ms: number): number {
    return Number((ms / MS_PER_S).toFixed(ELAPSED_DECIMALS));
  }

  #emit(event: string, fields: Json): void {
    const line = {
      time: this.#env.wallClock().toISOString(),
      elapsedS: this.#seconds(this.#env.clock.now() - this.#startMs),
      event,
      ...(typeof fields === 'object' && fields !== null && !Array.isArray(fields)
        ? fields
        : { value: fields }),
    };
    this.#out.line(JSON.stringify(line));
  }
}
