/**
 * The speaker's Prometheus metrics on a registry of its own. MetalLB's names where MetalLB has the metric
 * (metallb_speaker_announced, metallb_layer2_{requests_received,responses_sent,gratuitous_sent},
 * metallb_k8s_client_config_{loaded,stale}_bool), `herald_speaker_*` for Herald's own: split-brain
 * conflicts, membership traffic and live members, interface selection, takeover timing. Layer 2 counters
 * and membership counters are read at scrape time from their sources (no bookkeeping between scrapes).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Layer2CounterSource {
  stats(): Record<string, { requestsReceived: number; responsesSent: number; gratuitousSent: number }>;
}

export interface MembershipCounterSource {
  stats(): Readonly<Record<string, number>>;
  live(): ReadonlySet<string>;
}

type L2Field = 'requestsReceived' | 'responsesSent' | 'gratuitousSent';

const L2_COUNTERS: readonly { name: string; help: string; field: L2Field }[] = [
  {
    name: 'metallb_layer2_requests_received',
    help: 'Number of layer2 requests received for owned IPs',
    field: 'requestsReceived',
  },
  {
    name: 'metallb_layer2_responses_sent',
    help: 'Number of layer2 responses sent for owned IPs',
    field: 'responsesSent',
  },
  {
    name: 'metallb_layer2_gratuitous_sent',
    help: 'Number of gratuitous layer2 packets sent for owned IPs',
    field: 'gratuitousSent',
  },
];

export class SpeakerMetrics {
  readonly registry = new Registry();
  readonly announced: Gauge<'service' | 'protocol' | 'node' | 'ip'>;
  readonly conflicts: Counter<'ip' | 'resolution'>;
  readonly configLoaded: Gauge;
  readonly configStale: Gauge;
  readonly reconciles: Counter<'result'>;
  readonly takeovers: Counter;
  readonly interfaces: Gauge;
  #layer2: Layer2CounterSource | undefined;
  #membership: MembershipCounterSource | undefined;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.announced = new Gauge({
      name: 'metallb_speaker_announced',
      help: 'Services being announced from this node. This is desired state, it does not guarantee that the routing protocols have converged.',
      labelNames: ['service', 'protocol', 'node', 'ip'],
      registers,
    });
    this.conflicts = new Counter({
      name: 'herald_speaker_l2_conflicts_total',
      help: 'Another MAC claimed an address this node announced (split brain or a foreign device), by resolution',
      labelNames: ['ip', 'resolution'],
      registers,
    });
    this.configLoaded = new Gauge({
      name: 'metallb_k8s_client_config_loaded_bool',
      help: '1 if the MetalLB configuration was successfully loaded at least once.',
      registers,
    });
    this.configStale = new Gauge({
      name: 'metallb_k8s_client_config_stale_bool',
      help: '1 if running on a stale configuration, because the latest config failed to load.',
      registers,
    });
    this.reconciles = new Counter({
      name: 'herald_speaker_reconciles_total',
      help: 'Layer 2 reconciliations, by result',
      labelNames: ['result'],
      registers,
    });
    this.takeovers = new Counter({
      name: 'herald_speaker_l2_takeovers_total',
      help: 'Addresses this node started announcing',
      registers,
    });
    this.interfaces = new Gauge({
      name: 'herald_speaker_l2_interfaces',
      help: 'Interfaces selected for Layer 2 announcements on this node',
      registers,
    });
    this.#registerSources(registers);
  }

  /** Wires the scrape-time sources (the announcer and the membership agent). */
  attach(sources: { layer2?: Layer2CounterSource; membership?: MembershipCounterSource }): void {
    this.#layer2 = sources.layer2 ?? this.#layer2;
    this.#membership = sources.membership ?? this.#membership;
  }

  #registerSources(registers: Registry[]): void {
    const layer2 = (): Layer2CounterSource | undefined => this.#layer2;
    const membership = (): MembershipCounterSource | undefined => this.#membership;
    for (const spec of L2_COUNTERS) {
      new Counter({
        name: spec.name,
        help: spec.help,
        labelNames: ['ip'],
        registers,
        collect() {
          this.reset();
          const stats = layer2()?.stats() ?? {};
          for (const [ip, c] of Object.entries(stats)) if (c[spec.field] > 0) this.inc({ ip }, c[spec.field]);
        },
      });
    }
    new Counter({
      name: 'herald_speaker_membership_datagrams_total',
      help: 'Membership datagrams by kind (sent, received, badMac, malformed, unknownSender)',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(membership()?.stats() ?? {})) if (n > 0) this.inc({ kind }, n);
      },
    });
    new Gauge({
      name: 'herald_speaker_members_live',
      help: 'Speakers this node believes alive (itself included)',
      registers,
      collect() {
        this.set(membership()?.live().size ?? 0);
      },
    });
  }
}
