/**
 * Drives the speaker's MembershipAgent from the API and the interfaces: starts it once the memberlist
 * Secret exists and this node has an interface to announce on, feeds it the roster (speaker Pods that are
 * Ready or report no readiness) and key rotations, and makes the node leave the membership while it has
 * no usable interface (so the others take over at once, even when membership traffic uses another
 * NIC), joining again with a higher incarnation when one comes back.
 */
import { peersFromPods, type SpeakerPeer } from '../k8s/index.js';
import type { MembershipConfig } from '../core/membership/index.js';
import { MembershipAgent } from './membership-agent.js';
import type { SpeakerMetrics } from './metrics.js';
import type { Log } from './ports.js';

export interface MembershipDriverOptions {
  readonly node: string;
  readonly bind: string | undefined;
  readonly port: number;
  readonly config: Partial<MembershipConfig>;
  readonly log: Log;
  readonly metrics: SpeakerMetrics;
  /** Called synchronously when the live set changes (the fast path of a takeover). */
  readonly onChange: () => void;
  /** Called when the driver wants another refresh later (socket retry). */
  readonly reschedule: (delayMs: number) => void;
}

const BIND_RETRY_MS = 1000;
const MS_PER_S = 1000;

export class MembershipDriver {
  readonly #o: MembershipDriverOptions;
  #agent: MembershipAgent | undefined;
  #started = false;
  #keyText = '';
  #peersKey = '';
  #incarnation = 0;
  #absentForInterfaces = false;
  /** A key exists and this node may have a usable interface: an agent should run. */
  #wanted = false;

  constructor(options: MembershipDriverOptions) {
    this.#o = options;
  }

  /** The live speakers, or undefined while no agent runs (every node then counts as live). */
  live(): ReadonlySet<string> | undefined {
    return this.#started ? this.#agent?.live() : undefined;
  }

  /** Ready for peers to probe: no agent is wanted (no key, or no usable interface), or its socket listens. */
  ready(): boolean {
    return !this.#wanted || this.#started;
  }

  refresh(key: Uint8Array | undefined, pods: readonly unknown[], interfacesUp: boolean | undefined): void {
    this.#wanted = key !== undefined && interfacesUp !== false;
    if (key === undefined) return;
    const { peers } = peersFromPods(pods, { requireReady: true });
    if (this.#agent === undefined) {
      if (interfacesUp === true) this.#start(key, peers, pods);
      return;
    }
    if (interfacesUp === false) {
      this.#leaveForInterfaces();
      return;
    }
    const text = Buffer.from(key).toString('base64');
    if (text !== this.#keyText) {
      this.#keyText = text;
      this.#agent.setKey(key);
    }
    const peersKey = JSON.stringify(peers);
    if (this.#started && peersKey !== this.#peersKey) {
      this.#peersKey = peersKey;
      this.#agent.setPeers(peers);
    }
  }

  /** Graceful leave: every member learns at once that this node is gone. */
  async leave(): Promise<void> {
    const agent = this.#agent;
    if (agent === undefined || !this.#started) return;
    await agent.leave().catch((err: unknown) => this.#o.log.warn({ err }, 'membership leave failed'));
  }

  async stop(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    this.#started = false;
    await agent?.stop();
  }

  #leaveForInterfaces(): void {
    if (this.#absentForInterfaces) return;
    this.#absentForInterfaces = true;
    this.#o.log.warn({}, 'no usable interface: leaving the membership so that another node takes over');
    const agent = this.#agent;
    this.#agent = undefined;
    this.#started = false;
    void agent
      ?.leave()
      .catch(() => undefined)
      .finally(() => void agent.stop());
  }

  #start(key: Uint8Array, peers: readonly SpeakerPeer[], pods: readonly unknown[]): void {
    if (this.#absentForInterfaces)
      this.#o.log.info({}, 'an interface is usable again: joining the membership');
    this.#absentForInterfaces = false;
    // Our own Pod is not Ready before the socket listens, so look it up without the readiness filter.
    const self = peersFromPods(pods).peers.find((p) => p.name === this.#o.node);
    const address = this.#o.bind ?? self?.address ?? '0.0.0.0';
    this.#keyText = Buffer.from(key).toString('base64');
    // Must grow across restarts of this node, also within one second.
    this.#incarnation = Math.max(this.#incarnation + 1, Math.floor(Date.now() / MS_PER_S));
    const agent = new MembershipAgent({
      self: this.#o.node,
      bind: { address, port: this.#o.port },
      key,
      config: this.#o.config,
      incarnation: this.#incarnation,
      log: this.#o.log,
    });
    this.#agent = agent;
    this.#o.metrics.attach({ membership: agent });
    agent.on('change', (live) => {
      if (this.#agent !== agent) return;
      this.#o.log.info({ live: [...live].sort() }, 'live speakers changed');
      this.#o.onChange();
    });
    agent.on('error', (err) => this.#o.log.warn({ err }, 'membership error'));
    agent
      .start()
      .then(() => {
        if (this.#agent !== agent) return;
        this.#started = true;
        this.#peersKey = JSON.stringify(peers);
        agent.setPeers(peers);
        this.#o.onChange();
      })
      .catch((err: unknown) => {
        this.#o.log.error({ err, address, port: this.#o.port }, 'membership socket failed; retrying');
        if (this.#agent === agent) this.#agent = undefined;
        this.#o.reschedule(BIND_RETRY_MS);
      });
  }
}
