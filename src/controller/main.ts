/**
 * runController: the composition root of `herald controller`. Builds the logger (pino JSON on the
 * command's stdout), the metrics registry, the Kubernetes client from the kubeconfig (in-cluster when
 * none is given), the caches, the writers, leader election and the HTTP endpoints; runs until the
 * command's signal aborts (SIGINT/SIGTERM), then stops everything and releases the Lease.
 */
import { pino, type DestinationStream } from 'pino';
import {
  apiLeaseClient,
  connectKube,
  untilAborted,
  LeaderElector,
  WorkQueue,
  type KubeClient,
} from '../k8s/index.js';
import { Controller, type ControllerParts } from './app.js';
import { ConfigState } from './config-state.js';
import { HttpEndpoints, startEndpoints } from '../platform/http-endpoints.js';
import { KubeCaches } from './kube-caches.js';
import { kubeWriters } from './kube-writers.js';
import { ControllerMetrics } from './metrics.js';
import { SERVICE_WORKERS, type ControllerOptions } from './options.js';
import type { Log } from './ports.js';
import { CachedServiceSource } from './service-view.js';

export type { ControllerOptions, LogLevel } from './options.js';

export interface ControllerIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly signal: AbortSignal;
}

/** Everything runController wires, for callers that run a controller in-process (tests, bench). */
export function controllerParts(
  options: ControllerOptions,
  client: KubeClient,
  log: Log,
  metrics: ControllerMetrics,
): ControllerParts {
  const caches = new KubeCaches(client, options.namespace, log);
  return {
    caches,
    services: new CachedServiceSource(
      caches,
      options.lbClass === undefined ? {} : { lbClass: options.lbClass },
    ),
    configSource: caches,
    configState: new ConfigState(options.namespace),
    writers: kubeWriters(client, caches, options, log),
    metrics,
    log,
    election: (callbacks) =>
      new LeaderElector({
        client: apiLeaseClient(client.rest, options.namespace, options.leaseName),
        identity: options.identity,
        leaseDurationMs: options.leaseDurationMs,
        renewDeadlineMs: options.renewDeadlineMs,
        retryPeriodMs: options.retryPeriodMs,
        onStartedLeading: callbacks.onStartedLeading,
        onStoppedLeading: callbacks.onStoppedLeading,
        onNewLeader: callbacks.onNewLeader,
        onError: (err) => log.warn({ err }, 'leader election request failed'),
      }),
    queue: (handler) =>
      new WorkQueue({
        handler,
        concurrency: SERVICE_WORKERS,
        onError: (key, err) => log.error({ key, err }, 'reconcile threw; will retry'),
      }),
  };
}

export async function runController(options: ControllerOptions, io: ControllerIo): Promise<number> {
  const log = pino(
    { level: options.logLevel, base: { component: 'controller', identity: options.identity } },
    io.stdout as DestinationStream,
  );
  const report = (line: string): unknown => io.stderr.write(`herald controller: ${line}\n`);
  const client = connectKube(options.kubeconfig, report);
  if (client === undefined) return 1;
  const metrics = new ControllerMetrics();
  const controller = new Controller(controllerParts(options, client, log, metrics));
  const http = new HttpEndpoints({
    ...options.metricsListen,
    registry: metrics.registry,
    health: controller,
  });
  if (!(await startEndpoints(http, report))) return 1;
  log.info(
    {
      namespace: options.namespace,
      lbClass: options.lbClass ?? null,
      metricsPort: http.port,
      lease: options.leaseName,
    },
    'controller started',
  );
  controller.start(io.signal);
  await untilAborted(io.signal);
  log.info({}, 'stopping: releasing the lease');
  await controller.stop();
  await http.stop();
  log.flush();
  return 0;
}
