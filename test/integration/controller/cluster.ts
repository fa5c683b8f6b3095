/**
 * Test harness for the controller against the embedded API server (src/apiserver): start a server
 * (loopback, port 0 or given, optional state file), a kubeconfig for it, client-node API clients, and
 * the controller in this process. Process-level helpers (child controllers, polling, JSON client) are in
 * process.ts and re-exported here. Everything started here is stopped by its owner's stop().
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CoordinationV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../../src/apiserver/index.js';
import { runController, type ControllerOptions } from '../../../src/controller/main.js';
import { JsonClient, NS, poolBody, waitFor, withSkipTlsVerify } from './process.js';

export * from './process.js';

export interface Cluster {
  readonly api: ApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly coordination: CoordinationV1Api;
  readonly json: JsonClient;
  /** Stops the API server (keeps the directory, so a new server can load the state file). */
  stopServer(): Promise<void>;
  /** Starts a server again on the same port and state file (an API server restart). */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

/** The kubeconfig for the server (see withSkipTlsVerify). */
export function kubeconfigFor(api: ApiServer): string {
  return withSkipTlsVerify(api.kubeconfig());
}

export async function startCluster(
  options: ApiServerOptions & { stateful?: boolean } = {},
): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-controller-'));
  const stateFile = options.stateful ? join(dir, 'state.json') : undefined;
  const serverOptions: ApiServerOptions = { ...options, ...(stateFile && { stateFile }), onError: () => {} };
  let api = await startApiServer(serverOptions);
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigFor(api));
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const cluster: Cluster = {
    get api() {
      return api;
    },
    dir,
    kubeconfig,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    coordination: kc.makeApiClient(CoordinationV1Api),
    json: new JsonClient(api.url),
    stopServer: () => api.stop(),
    async restartServer() {
      await api.stop();
      api = await startApiServer({ ...serverOptions, port: api.port });
    },
    async stop() {
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export async function createPool(
  c: Cluster,
  name: string,
  addresses: string[],
  spec: Record<string, unknown> = {},
): Promise<void> {
  await c.custom.createNamespacedCustomObject({
    group: 'metallb.io',
    version: 'v1beta1',
    namespace: NS,
    plural: 'ipaddresspools',
    body: poolBody(name, addresses, spec),
  });
}

export interface InProcessController {
  readonly port: number;
  readonly lines: string[];
  readyz(): Promise<{ ok: boolean; role?: string; restored?: boolean }>;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** Runs `herald controller` in this process (runController with captured output); stop() = SIGTERM. */
export async function runInProcess(
  c: Cluster,
  identity: string,
  extra: Partial<ControllerOptions> = {},
): Promise<InProcessController> {
  const abort = new AbortController();
  const lines: string[] = [];
  let buffer = '';
  const sink = {
    write(text: string): boolean {
      buffer += text;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      return true;
    },
  };
  const options: ControllerOptions = {
    kubeconfig: c.kubeconfig,
    namespace: NS,
    metricsListen: { host: '127.0.0.1', port: 0 },
    logLevel: 'info',
    leaseName: 'herald-controller',
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 500,
    identity,
    memberlistSecret: 'memberlist',
    ...extra,
  };
  const done = runController(options, { stdout: sink, stderr: sink, signal: abort.signal });
  const started = await waitFor(
    () => lines.find((l) => l.includes('"controller started"')),
    20_000,
    `${identity} to start`,
  );
  const base = `http://127.0.0.1:${Number(JSON.parse(started).metricsPort)}`;
  return {
    port: Number(JSON.parse(started).metricsPort),
    lines,
    async readyz() {
      return (await (await fetch(`${base}/readyz`)).json()) as {
        ok: boolean;
        role?: string;
        restored?: boolean;
      };
    },
    async metrics() {
      return (await fetch(`${base}/metrics`)).text();
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}
