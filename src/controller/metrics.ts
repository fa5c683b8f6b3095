/**
 * The controller's Prometheus metrics, on a registry of its own (never prom-client's global one).
 * MetalLB's names where MetalLB has the metric (allocator pool gauges, k8s client counters and config
 * flags), `herald_controller_*` for Herald's own (leadership, restore, events, status writes, reconcile
 * latency). Pool gauges are computed at scrape time from whatever the current leadership term exposes,
 * so they cost nothing between scrapes and are empty on a standby.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolCounters } from '../core/allocator/index.js';

export type PoolCounterSource = () => Iterable<readonly [string, PoolCounters]>;

type PoolField = (c: PoolCounters) => bigint;

const POOL_GAUGES: readonly { name: string; help: string; value: PoolField }[] = [
  {
    name: 'metallb_allocator_addresses_total',
    help: 'Number of usable IP addresses, per pool',
    value: (c) => c.assignedIPv4 + c.availableIPv4 + c.assignedIPv6 + c.availableIPv6,
  },
  {
    name: 'metallb_allocator_ipv4_addresses_total',
    help: 'Number of usable IPv4 addresses, per pool',
    value: (c) => c.assignedIPv4 + c.availableIPv4,
  },
  {
    name: 'metallb_allocator_ipv6_addresses_total',
    help: 'Number of usable IPv6 addresses, per pool',
    value: (c) => c.assignedIPv6 + c.availableIPv6,
  },
  {
    name: 'metallb_allocator_addresses_in_use_total',
    help: 'Number of IP addresses in use, per pool',
    value: (c) => c.assignedIPv4 + c.assignedIPv6,
  },
  {
    name: 'metallb_allocator_ipv4_addresses_in_use_total',
    help: 'Number of IPv4 addresses in use, per pool',
    value: (c) => c.assignedIPv4,
  },
  {
    name: 'metallb_allocator_ipv6_addresses_in_use_total',
    help: 'Number of IPv6 addresses in use, per pool',
    value: (c) => c.assignedIPv6,
  },
];

export class ControllerMetrics {
  readonly registry = new Registry();
  /** Queue items processed (MetalLB: "Number of k8s object updates that have been processed"). */
  readonly updates: Counter;
  /** Queue items that failed and were retried. */
  readonly updateErrors: Counter;
  readonly configLoaded: Gauge;
  readonly configStale: Gauge;
  readonly leader: Gauge;
  readonly leaderTransitions: Counter;
  readonly events: Counter<'reason'>;
  readonly statusWrites: Counter<'result'>;
  readonly restoreSeconds: Gauge;
  readonly restoredServices: Gauge;
  readonly restoreConflicts: Gauge;
  readonly waitingServices: Gauge;
  readonly reconcileSeconds: Histogram;
  private poolSource: PoolCounterSource | undefined;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.updates = new Counter({
      name: 'metallb_k8s_client_updates_total',
      help: 'Number of k8s object updates that have been processed.',
      registers,
    });
    this.updateErrors = new Counter({
      name: 'metallb_k8s_client_update_errors_total',
      help: 'Number of k8s object updates that failed for some reason.',
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
    for (const g of POOL_GAUGES) this.poolGauge(g.name, g.help, g.value);
    this.leader = new Gauge({
      name: 'herald_controller_leader',
      help: '1 while this replica holds the leader Lease and may allocate.',
      registers,
    });
    this.leaderTransitions = new Counter({
      name: 'herald_controller_leader_transitions_total',
      help: 'Number of times this replica started leading.',
      registers,
    });
    this.events = new Counter({
      name: 'herald_controller_events_total',
      help: 'Events recorded on Services and configuration objects, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.statusWrites = new Counter({
      name: 'herald_controller_status_writes_total',
      help: 'Service status writes, by result (ok, not_found, error).',
      labelNames: ['result'],
      registers,
    });
    this.restoreSeconds = new Gauge({
      name: 'herald_controller_restore_seconds',
      help: 'Duration of the last restore pass (from leadership to ready).',
      registers,
    });
    this.restoredServices = new Gauge({
      name: 'herald_controller_restored_services',
      help: 'Services whose addresses the last restore pass took back unchanged.',
      registers,
    });
    this.restoreConflicts = new Gauge({
      name: 'herald_controller_restore_conflicts',
      help: 'Services whose status addresses the last restore pass could not take back.',
      registers,
    });
    this.waitingServices = new Gauge({
      name: 'herald_controller_services_waiting',
      help: 'Services still waiting for an address (allocation failed, or a PreferDualStack family missing).',
      registers,
    });
    this.reconcileSeconds = new Histogram({
      name: 'herald_controller_reconcile_seconds',
      help: 'Time to reconcile one Service, writes included.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the pool gauges read from; undefined (standby) empties them. */
  setPoolSource(source: PoolCounterSource | undefined): void {
    this.poolSource = source;
  }

  private poolGauge(name: string, help: string, value: PoolField): void {
    const read = (): Iterable<readonly [string, PoolCounters]> => this.poolSource?.() ?? [];
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [pool, counters] of read()) {
          this.set({ pool }, Number(value(counters)));
        }
      },
    });
  }
}
