/**
 * A discrete-event simulation of two pure FSMs talking over a fake network with 1 ms latency and fake
 * timers: `connect` actions open links, `accept`/`reject` answer them, `send`/`close` deliver messages and
 * connection failures to the other end, `startTimer`/`stopTimer` schedule expiry events. No I/O, no
 * sleeps: time is a number that jumps from one event to the next.
 */
import { step, peerState } from '../../../../src/bgp/fsm/reducer.js';
import { expiryEvent } from '../../../../src/bgp/session/timers.js';
import type { BgpState, ConnId, FsmAction, FsmEvent, FsmState } from '../../../../src/bgp/fsm/types.js';
import type { BgpMessage } from '../../../../src/bgp/types.js';

export type Side = 'A' | 'B';
const OTHER: Record<Side, Side> = { A: 'B', B: 'A' };
const LATENCY = 1;

interface Link {
  readonly id: number;
  readonly initiator: Side;
  readonly initiatorConn: ConnId;
  responderConn?: ConnId;
  closed: boolean;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly side: Side;
  readonly event: FsmEvent;
  readonly link?: Link;
}

interface Peer {
  state: FsmState;
  readonly timers: Map<string, { due: number; seq: number; event: FsmEvent; conn?: ConnId }>;
  readonly log: { at: number; action: FsmAction }[];
}

function messageEvent(conn: ConnId, message: BgpMessage): FsmEvent {
  switch (message.type) {
    case 'open':
      return { type: 'BGPOpen', conn, open: message };
    case 'keepalive':
      return { type: 'KeepAliveMsg', conn };
    case 'update':
      return { type: 'UpdateMsg', conn, message };
    case 'route-refresh':
      return { type: 'RouteRefreshMsg', conn, message };
    case 'notification':
      return { type: 'NotifMsg', conn, notification: message };
  }
}

export class Sim {
  now = 0;
  #seq = 0;
  readonly peers: Record<Side, Peer>;
  readonly #queue: Pending[] = [];
  readonly #links: Link[] = [];
  #pendingLink: Link | undefined;
  /** Sides whose KEEPALIVEs are lost (a peer that stopped sending but whose TCP stays up). */
  readonly mute = new Set<Side>();
  /** Sides that drop every inbound connection attempt (nothing listens). */
  readonly unreachable = new Set<Side>();

  constructor(
    a: FsmState,
    b: FsmState,
    private readonly random: () => number = () => 0.5,
  ) {
    this.peers = { A: { state: a, timers: new Map(), log: [] }, B: { state: b, timers: new Map(), log: [] } };
  }

  state(side: Side): BgpState {
    return peerState(this.peers[side].state);
  }

  actions(side: Side): FsmAction[] {
    return this.peers[side].log.map((l) => l.action);
  }

  /** Delivers an event now (e.g. ManualStart). */
  inject(side: Side, event: FsmEvent): void {
    this.#apply(side, event);
  }

  /** Runs events and timers up to `until` (inclusive), bounded in count. */
  runUntil(until: number, maxSteps = 100_000): void {
    for (let i = 0; i < maxSteps; i++) {
      const next = this.#next();
      if (next === undefined || next.at > until) {
        this.now = Math.max(this.now, until);
        return;
      }
      this.now = next.at;
      next.run();
    }
    throw new Error('simulation did not settle');
  }

  runFor(ms: number): void {
    this.runUntil(this.now + ms);
  }

  #next(): { at: number; run: () => void } | undefined {
    let best: { at: number; seq: number; run: () => void } | undefined;
    this.#queue.forEach((p, index) => {
      if (best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq)) {
        best = { at: p.at, seq: p.seq, run: () => this.#deliver(this.#queue.splice(index, 1)[0] as Pending) };
      }
    });
    for (const side of ['A', 'B'] as const) {
      for (const [key, t] of this.peers[side].timers) {
        if (best === undefined || t.due < best.at || (t.due === best.at && t.seq < best.seq)) {
          best = {
            at: t.due,
            seq: t.seq,
            run: () => {
              this.peers[side].timers.delete(key);
              this.#apply(side, t.event);
            },
          };
        }
      }
    }
    return best;
  }

  #schedule(side: Side, event: FsmEvent, link?: Link, seq = this.#seq++): void {
    this.#queue.push({ at: this.now + LATENCY, seq, side, event, ...(link ? { link } : {}) });
  }

  #deliver(p: Pending): void {
    if (p.event.type === 'TcpConnectionConfirmed' && p.link !== undefined) {
      this.#inbound(p.side, p.link);
      return;
    }
    this.#apply(p.side, p.event);
  }

  #inbound(side: Side, link: Link): void {
    // The handshake completes at the initiator before any data the responder sends arrives.
    const ackSeq = this.#seq++;
    this.#pendingLink = link;
    const result = this.#apply(side, { type: 'TcpConnectionConfirmed' });
    this.#pendingLink = undefined;
    const accept = result.find((a) => a.type === 'accept');
    const initiator = link.initiator;
    if (accept === undefined || accept.type !== 'accept') {
      const reject = result.find((a) => a.type === 'reject');
      this.#schedule(initiator, { type: 'Tcp_CR_Acked', conn: link.initiatorConn });
      if (reject?.type === 'reject') {
        this.#schedule(initiator, {
          type: 'NotifMsg',
          conn: link.initiatorConn,
          notification: reject.notification,
        });
      }
      this.#schedule(initiator, { type: 'TcpConnectionFails', conn: link.initiatorConn });
      link.closed = true;
      return;
    }
    if (link.closed) this.#schedule(side, { type: 'TcpConnectionFails', conn: accept.conn });
    else this.#schedule(initiator, { type: 'Tcp_CR_Acked', conn: link.initiatorConn }, undefined, ackSeq);
  }

  #linkOf(side: Side, conn: ConnId): Link | undefined {
    return this.#links.find(
      (l) =>
        (l.initiator === side && l.initiatorConn === conn) ||
        (l.initiator !== side && l.responderConn === conn),
    );
  }

  #otherEnd(side: Side, link: Link): ConnId | undefined {
    return link.initiator === side ? link.responderConn : link.initiatorConn;
  }

  #apply(side: Side, event: FsmEvent): FsmAction[] {
    const peer = this.peers[side];
    const result = step(peer.state, event, { now: this.now, random: this.random });
    peer.state = result.state;
    for (const action of result.actions) {
      peer.log.push({ at: this.now, action });
      this.#execute(side, action);
    }
    return [...result.actions];
  }

  #execute(side: Side, action: FsmAction): void {
    const peer = this.peers[side];
    switch (action.type) {
      case 'connect': {
        const link: Link = {
          id: this.#links.length,
          initiator: side,
          initiatorConn: action.conn,
          closed: false,
        };
        this.#links.push(link);
        if (this.unreachable.has(OTHER[side]))
          this.#schedule(side, { type: 'TcpConnectionFails', conn: action.conn });
        else this.#schedule(OTHER[side], { type: 'TcpConnectionConfirmed' }, link);
        return;
      }
      case 'accept':
        if (this.#pendingLink !== undefined) this.#pendingLink.responderConn = action.conn;
        return;
      case 'send': {
        const link = this.#linkOf(side, action.conn);
        const to = link && this.#otherEnd(side, link);
        if (link === undefined || link.closed || to === undefined) return;
        if (action.message.type === 'keepalive' && this.mute.has(side)) return;
        this.#schedule(OTHER[side], messageEvent(to, action.message));
        return;
      }
      case 'close': {
        for (const [key, t] of peer.timers) if (t.conn === action.conn) peer.timers.delete(key);
        const link = this.#linkOf(side, action.conn);
        if (link === undefined || link.closed) return;
        link.closed = true;
        const to = this.#otherEnd(side, link);
        if (to === undefined) return;
        if (action.notification !== undefined)
          this.#schedule(OTHER[side], messageEvent(to, action.notification));
        this.#schedule(OTHER[side], { type: 'TcpConnectionFails', conn: to });
        return;
      }
      case 'startTimer': {
        const event = expiryEvent(action.timer, action.conn);
        if (event === undefined) return;
        peer.timers.set(`${action.timer}#${action.conn ?? ''}`, {
          due: this.now + action.durationMs,
          seq: this.#seq++,
          event,
          ...(action.conn !== undefined ? { conn: action.conn } : {}),
        });
        return;
      }
      case 'stopTimer':
        peer.timers.delete(`${action.timer}#${action.conn ?? ''}`);
        return;
      default:
        return;
    }
  }

  /** Links whose both ends are open (the connections that carry the session). */
  openLinks(): number {
    return this.#links.filter((l) => !l.closed && l.responderConn !== undefined).length;
  }

  pendingTimers(side: Side): string[] {
    return [...this.peers[side].timers.keys()].sort();
  }
}
