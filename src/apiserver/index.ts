/**
 * herald apiserver: an in-memory, single-process Kubernetes-compatible API server for the lab, demos and
 * tests. NOT for production: no authentication, no authorization, no TLS, one process, no etcd.
 *
 * Responsibilities (see docs/apiserver.md):
 * - discovery (/version, /api, /apis, /api/v1, /apis/GROUP[/VERSION]) and OpenAPI v3 (/openapi/v3);
 * - core/v1 namespaces, nodes, services, secrets, events, configmaps, endpoints, pods;
 *   discovery.k8s.io/v1 endpointslices; coordination.k8s.io/v1 leases; events.k8s.io/v1 events;
 *   apiextensions.k8s.io/v1 customresourcedefinitions and every CRD (metallb.io from deploy/crds);
 * - API semantics: uid, generateName, generation, monotonic resourceVersion, optimistic concurrency,
 *   label/field selectors, pagination, watch with BOOKMARK and 410 Expired, JSON/merge/strategic merge
 *   patch, server-side apply (subset), status subresources, finalizers, namespace and owner cascades,
 *   Service cluster IP and node port allocation (dual-stack), Status errors as the real server sends;
 * - a JSON state file, fault injection, and a kubeconfig for kubectl and client-node.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap } from './bootstrap.js';
import { Faults, type FaultSettings } from './faults.js';
import { createHandler } from './http/handler.js';
import { kubeconfigText, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import type { MetaPorts } from './meta.js';
import { readState, StateWriter } from './persistence.js';
import { loadCrdDir } from './resources/crd.js';
import { ResourceRegistry } from './resources/registry.js';
import type { Engine } from './rest/engine.js';
import { Store } from './store.js';
import { DEFAULT_SERVICE_CIDRS, ServiceAllocators } from './strategies/allocators.js';

export { Faults, type FaultSettings } from './faults.js';
export { kubeconfigText } from './kubeconfig.js';

export interface ApiServerOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** JSON state file: loaded at start when present, written after changes and on stop. */
  readonly stateFile?: string;
  /** Directory of CRD manifests (default: the repository's deploy/crds). */
  readonly crdDir?: string;
  /** Aborting stops the server. */
  readonly signal?: AbortSignal;
  /** Service CIDRs, one per family, primary first (default 10.96.0.0/12 and fd00:10:96::/112). */
  readonly serviceCidrs?: readonly string[];
  /** Change events kept for watches; older resourceVersions get 410 Expired (default 1000). */
  readonly watchWindow?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 30000 ms). */
  readonly bookmarkIntervalMs?: number;
  /** Longest watch when the client sets no timeoutSeconds (default 1800 s). */
  readonly maxWatchTimeoutSeconds?: number;
  /** Initial fault-injection settings. */
  readonly faults?: FaultSettings;
  /** Clock, uid and random sources (tests make them deterministic). */
  readonly ports?: Partial<MetaPorts>;
  /** Receives unexpected internal errors (default: written to stderr). */
  readonly onError?: (err: unknown) => void;
}

export interface ApiServer {
  /** http://HOST:PORT */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Fault injection: set({ delayMs, failRate, failNext, failCode, dropWatchesAfterMs }), dropWatches(). */
  readonly faults: Faults;
  /** The current (last issued) resourceVersion. */
  resourceVersion(): number;
  kubeconfig(opts?: KubeconfigOptions): string;
  writeKubeconfig(path: string, opts?: KubeconfigOptions): Promise<void>;
  /** Ends watches, closes connections, writes the state file. */
  stop(): Promise<void>;
}

/** deploy/crds of the repository this module belongs to (works from src/ and from dist/src/). */
export function defaultCrdDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'deploy/crds');
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const onError =
    options.onError ??
    ((err: unknown) =>
      process.stderr.write(
        `herald apiserver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ));
  const snapshot = options.stateFile ? await readState(options.stateFile) : undefined;
  const store = snapshot
    ? Store.fromSnapshot(snapshot, options.watchWindow)
    : new Store(options.watchWindow ?? 1000);
  const ports: MetaPorts = {
    now: () => new Date(),
    uid: () => randomUUID(),
    random: Math.random,
    ...options.ports,
  };
  const engine: Engine = {
    registry: new ResourceRegistry(),
    store,
    allocators: new ServiceAllocators(options.serviceCidrs ?? DEFAULT_SERVICE_CIDRS),
    ports,
  };
  const crdDir = options.crdDir ?? defaultCrdDir();
  bootstrap(engine, crdDir ? await loadCrdDir(crdDir) : []);
  const faults = new Faults(ports.random);
  if (options.faults) faults.set(options.faults);
  const writer = options.stateFile
    ? new StateWriter(options.stateFile, () => store.snapshot(), 50, onError)
    : undefined;
  const unwatchStore = writer ? store.onChange(() => writer.changed()) : () => {};
  if (writer) {
    writer.changed();
    await writer.flush();
  }
  const openWatches = new Set<() => void>();
  let address = '';
  const handler = createHandler({
    engine,
    faults,
    limits: {
      maxTimeoutSeconds: options.maxWatchTimeoutSeconds ?? 1800,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
    },
    open: {
      add: (close) => {
        openWatches.add(close);
        return () => openWatches.delete(close);
      },
    },
    serverAddress: () => address,
    onError,
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  address = `${formatHost(host)}:${port}`;
  const url = `http://${address}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const close of [...openWatches]) close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      unwatchStore();
      await writer?.flush();
    })();
    return stopping;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  if (options.signal?.aborted) await stop();
  return {
    url,
    host,
    port,
    faults,
    resourceVersion: () => store.resourceVersion,
    kubeconfig: (opts) => kubeconfigText(url, opts),
    writeKubeconfig: (path, opts) => writeKubeconfig(path, url, opts),
    stop,
  };
}
