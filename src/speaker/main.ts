/**
 * runSpeaker: the composition root of `herald speaker`. Wires the API caches (caches.ts), the config
 * (parseConfig, last good one kept), the membership agent (UDP + HMAC, key from the memberlist Secret,
 * roster from the speaker Pods), the interface watcher and selection, the Layer 2 announcer on AF_PACKET
 * sockets, the Layer 2 controller (layer2.ts), ServiceL2Status and Event writers, and /metrics,
 * /healthz, /readyz. Every input change schedules one coalesced recompute on the next turn of the event
 * loop. On abort (SIGTERM/SIGINT) it hands over: membership leave first (peers take over at once), then
 * withdraw, delete its ServiceL2Status objects, stop.
 */
import { pino, type DestinationStream } from 'pino';
import { setMaxListeners } from 'node:events';
import { parseConfig, formatConfigError, type Config, type ResourceSnapshot } from '../config/index.js';
import {
  asRecord,
  connectKube,
  endpointReadiness,
  EventRecorder,
  L2StatusWriter,
  untilAborted,
  MEMBERLIST_SECRET_KEY,
  speakerNodeFrom,
  speakerServiceFrom,
  type KubeClient,
  type KubeObject,
  type SpeakerNode,
} from '../k8s/index.js';
import { Announcer } from '../l2/index.js';
import { ARP_FILTER, ICMPV6_ND_FILTER } from '../platform/bpf.js';
import { HttpEndpoints, startEndpoints } from '../platform/http-endpoints.js';
import { openPacketSocket } from '../platform/packet-socket.js';
import { SpeakerCaches } from './caches.js';
import { EXCLUDE_L2_CONFIGMAP, excludeL2FromConfigMap } from './exclude-l2.js';
import { InterfaceWatcher } from './interface-watcher.js';
import { selectInterfaces } from './interfaces.js';
import { Layer2Controller, type L2StatusView, type SpeakerSnapshot } from './layer2.js';
import { MembershipDriver } from './membership-driver.js';
import { SpeakerMetrics } from './metrics.js';
import type { SpeakerOptions } from './options.js';
import type { Log } from './ports.js';
import { parseAnnouncingMacs } from './split-brain.js';
import { ANNOUNCING_MACS_ANNOTATION, L2_STATUS_NODE_LABEL } from '../k8s/index.js';
import { L2_STATUS_SERVICE_NAME_LABEL, L2_STATUS_SERVICE_NAMESPACE_LABEL } from '../k8s/index.js';

export type { SpeakerOptions, LogLevel } from './options.js';

export interface SpeakerIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly signal: AbortSignal;
}

const timers = {
  setTimeout: (cb: () => void, ms: number): unknown => setTimeout(cb, ms),
  clearTimeout: (h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: (): number => Date.now(),
};

/**
 * Receive buffer of each AF_PACKET socket: about 5k ARP frames, so a burst of requests arriving while the
 * event loop is busy (a recompute, a GC pause) is answered late rather than lost.
 */
export const PACKET_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

function secretBytes(object: KubeObject | undefined): Uint8Array | undefined {
  const data = asRecord(asRecord(object)?.data);
  const value = data?.[MEMBERLIST_SECRET_KEY];
  if (typeof value !== 'string' || value === '') return undefined;
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function l2StatusViews(objects: readonly KubeObject[]): L2StatusView[] {
  return objects.map((o) => {
    const labels = o.metadata?.labels ?? {};
    return {
      name: o.metadata?.name ?? '',
      node: labels[L2_STATUS_NODE_LABEL] ?? '',
      serviceKey: `${labels[L2_STATUS_SERVICE_NAMESPACE_LABEL] ?? ''}/${labels[L2_STATUS_SERVICE_NAME_LABEL] ?? ''}`,
      macs: parseAnnouncingMacs(o.metadata?.annotations?.[ANNOUNCING_MACS_ANNOTATION]),
    };
  });
}

/**
 * What parseConfig reads of the snapshot: spec, data, labels, names. Status writes (the controller's pool
 * counters) and resourceVersion bumps do not make the speaker re-parse.
 */
export function configKey(snapshot: ResourceSnapshot): string {
  return JSON.stringify(snapshot, (key, value: unknown) =>
    key === 'status' || key === 'managedFields' || key === 'resourceVersion' ? undefined : value,
  );
}

/** The running speaker: owns its parts and the recompute scheduling. */
class Speaker {
  readonly metrics = new SpeakerMetrics();
  readonly caches: SpeakerCaches;
  readonly announcer: Announcer;
  readonly watcher: InterfaceWatcher;
  readonly layer2: Layer2Controller;
  readonly statusWriter: L2StatusWriter;
  readonly events: EventRecorder;
  readonly membership: MembershipDriver;
  #config: Config | undefined;
  #configKey = '';
  #excludeKey = '';
  #exclude: RegExp[] = [];
  #scheduled = false;
  #stopped = false;
  #started = false;

  constructor(
    readonly options: SpeakerOptions,
    readonly client: KubeClient,
    readonly log: Log & { flush?: () => void },
  ) {
    this.caches = new SpeakerCaches(client, options.namespace, options.speakerSelector, log);
    this.announcer = new Announcer({
      link: {
        open: (o, onFrame, onError) =>
          openPacketSocket({ ...o, receiveBufferBytes: PACKET_RECEIVE_BUFFER_BYTES }, onFrame, onError),
      },
      clock: timers,
      filters: { arp: ARP_FILTER, ipv6: ICMPV6_ND_FILTER },
    });
    this.announcer.on('linkError', (e) =>
      log.warn(
        { interface: e.interface, protocol: e.protocol, fatal: e.fatal, err: e.error },
        'packet socket error',
      ),
    );
    this.watcher = new InterfaceWatcher({ intervalMs: options.interfacePollMs });
    this.watcher.on('change', () => this.schedule());
    this.watcher.on('error', (err) => log.warn({ err }, 'reading interfaces failed'));
    this.statusWriter = new L2StatusWriter({
      rest: client.rest,
      namespace: options.namespace,
      node: options.node,
    });
    this.events = new EventRecorder({
      rest: client.rest,
      component: 'herald-speaker',
      instance: options.node,
      onError: (err) => log.warn({ err }, 'writing an event failed'),
    });
    this.membership = new MembershipDriver({
      node: options.node,
      bind: options.memberlistBind,
      port: options.memberlistPort,
      config: options.membership,
      log,
      metrics: this.metrics,
      onChange: () => this.recompute(),
      reschedule: (ms) => setTimeout(() => this.schedule(), ms),
    });
    this.layer2 = new Layer2Controller({
      node: options.node,
      announcer: this.announcer,
      status: {
        syncL2Statuses: async (desired, stale) => {
          await this.statusWriter.sync(desired, this.caches.l2Statuses.list(options.namespace));
          if (stale.length > 0) {
            const deleted = await this.statusWriter.deleteNamed(stale);
            if (deleted > 0)
              this.log.info({ objects: stale }, 'deleted ServiceL2Status objects of dead nodes');
          }
        },
        event: (ref, event) =>
          this.events.event(
            {
              apiVersion: 'v1',
              kind: 'Service',
              namespace: ref.namespace,
              name: ref.name,
              ...(ref.uid && { uid: ref.uid }),
            },
            event.type,
            event.reason,
            event.message,
          ),
      },
      log,
      metrics: this.metrics,
      clock: timers,
      ignoreExcludeLb: options.ignoreExcludeLb,
    });
    this.metrics.attach({ layer2: this.announcer });
  }

  healthz(): { ok: boolean; detail: Record<string, unknown> } {
    return { ok: !this.#stopped, detail: { node: this.options.node } };
  }

  readyz(): { ok: boolean; detail: Record<string, unknown> } {
    // Ready only once the membership socket listens (when a key exists): peers admit Ready speaker Pods
    // only, so a starting speaker is never probed before it can answer.
    const membership = this.membership.ready();
    const ok = this.#started && this.caches.synced && this.#config !== undefined && membership;
    return {
      ok,
      detail: { synced: this.caches.synced, configLoaded: this.#config !== undefined, membership },
    };
  }

  async start(signal: AbortSignal): Promise<boolean> {
    this.caches.subscribe(() => this.schedule());
    this.caches.start(signal);
    if (!(await this.caches.waitForSync(signal))) return false;
    this.announcer.start();
    this.watcher.start();
    this.#started = true;
    this.recompute();
    return true;
  }

  schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#stopped) this.recompute();
    });
  }

  recompute(): void {
    if (!this.#started || this.#stopped) return;
    this.#refreshConfig();
    this.#refreshExclude();
    const current = this.watcher.current();
    const { selected } = selectInterfaces(current ?? [], { names: undefined, exclude: this.#exclude });
    const secret = this.caches.config.secrets.get(this.options.memberlistSecret, this.options.namespace);
    this.membership.refresh(
      secretBytes(secret),
      this.caches.pods.list(this.options.namespace),
      current === undefined ? undefined : selected.length > 0,
    );
    this.layer2.update(this.#snapshot(selected));
  }

  #refreshConfig(): void {
    const snapshot = this.caches.configSnapshot();
    const key = configKey(snapshot);
    if (key === this.#configKey) return;
    this.#configKey = key;
    const result = parseConfig(snapshot, { namespace: this.options.namespace });
    if (result.ok) {
      this.#config = result.config;
      this.metrics.configLoaded.set(1);
      this.metrics.configStale.set(0);
      this.log.info(
        { pools: result.config.pools.size, l2Advertisements: result.config.l2Advertisements.size },
        'config loaded',
      );
      return;
    }
    this.metrics.configStale.set(1);
    this.log.error(
      { errors: result.errors.map(formatConfigError) },
      'config rejected; keeping the last good one (nothing is withdrawn)',
    );
  }

  #refreshExclude(): void {
    const cm = this.caches.configMaps.get(EXCLUDE_L2_CONFIGMAP, this.options.namespace);
    const data = asRecord(asRecord(cm)?.data) as Record<string, string> | undefined;
    const key = JSON.stringify(data ?? null);
    if (key === this.#excludeKey) return;
    this.#excludeKey = key;
    const result = excludeL2FromConfigMap(data);
    if (result.ok) {
      this.#exclude = result.patterns;
      this.log.info(
        { source: result.source, patterns: result.patterns.map(String) },
        'interface exclusions loaded',
      );
    } else {
      this.log.error(
        { configMap: EXCLUDE_L2_CONFIGMAP, errors: result.errors },
        'interface exclusions rejected; keeping the previous ones',
      );
    }
  }

  #snapshot(selected: SpeakerSnapshot['interfaces']): SpeakerSnapshot {
    const nodes = this.caches.nodes
      .list()
      .map(speakerNodeFrom)
      .filter((n): n is SpeakerNode => n !== undefined);
    const services = [];
    for (const object of this.caches.services.list()) {
      const s = speakerServiceFrom(object, this.options.lbClass);
      if (s !== undefined) services.push(s);
    }
    return {
      config: this.#config,
      services,
      endpoints: endpointReadiness(this.caches.endpointSlices.list()),
      nodes,
      live: this.membership.live(),
      interfaces: selected,
      l2Statuses: l2StatusViews(this.caches.l2Statuses.list(this.options.namespace)),
    };
  }

  /** Graceful stop: leave (others take over at once), withdraw, delete our statuses. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.membership.leave();
    this.layer2.stop();
    this.announcer.stop();
    this.watcher.stop();
    await this.layer2.idle();
    const deadline = AbortSignal.timeout(3000);
    await this.statusWriter
      .deleteAll(this.caches.l2Statuses.list(this.options.namespace), deadline)
      .catch((err: unknown) => this.log.warn({ err }, 'deleting ServiceL2Status objects failed'));
    await this.membership.stop();
    await this.caches.stop();
  }
}

export async function runSpeaker(options: SpeakerOptions, io: SpeakerIo): Promise<number> {
  const log = pino(
    { level: options.logLevel, base: { component: 'speaker', node: options.node } },
    io.stdout as DestinationStream,
  );
  const report = (line: string): unknown => io.stderr.write(`herald speaker: ${line}\n`);
  const client = connectKube(options.kubeconfig, report);
  if (client === undefined) return 1;
  const speaker = new Speaker(options, client, log);
  const http = new HttpEndpoints({
    ...options.metricsListen,
    registry: speaker.metrics.registry,
    health: speaker,
  });
  if (!(await startEndpoints(http, report))) return 1;
  log.info({ namespace: options.namespace, metricsPort: http.port }, 'speaker started');
  const run = new AbortController();
  // One listener per informer and watch request: more than the default 10 on purpose.
  setMaxListeners(100, run.signal);
  io.signal.addEventListener('abort', () => run.abort(), { once: true });
  await speaker.start(run.signal);
  await untilAborted(io.signal);
  log.info({}, 'stopping: handing over');
  await speaker.stop();
  await http.stop();
  log.flush();
  return 0;
}
