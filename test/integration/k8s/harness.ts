/**
 * Harness for the adapter's integration tests: an embedded API server on loopback (port 0, a state
 * file in a temp directory so it can be restarted on the same port with the same content), a
 * kubeconfig loaded through loadKubeConfig, a KubeClient, and a bounded wait helper. Each test file
 * owns its servers and stops them (and removes its directory) in afterEach/afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../../src/apiserver/index.js';
import { createKubeClient, loadKubeConfig, type KubeClient } from '../../../src/k8s/index.js';
import type { KubeConfig } from '@kubernetes/client-node';

export interface Cluster {
  server: ApiServer;
  readonly dir: string;
  readonly stateFile: string;
  readonly kubeConfig: KubeConfig;
  readonly client: KubeClient;
  /** Stops the server and starts it again on the same port with the same state file. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (if running) and removes the temp directory. */
  close(): Promise<void>;
}

export async function startCluster(prefix: string, options: ApiServerOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), `herald-${prefix}-`));
  const stateFile = join(dir, 'state.json');
  const start = (port: number) =>
    startApiServer({ host: '127.0.0.1', port, stateFile, onError: () => undefined, ...options });
  const server = await start(0);
  const kubeconfigPath = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfigPath);
  const kubeConfig = loadKubeConfig({ path: kubeconfigPath });
  const cluster: Cluster = {
    server,
    dir,
    stateFile,
    kubeConfig,
    client: createKubeClient(kubeConfig, { timeoutMs: 5000 }),
    async restart(downMs = 0) {
      const port = cluster.server.port;
      await cluster.server.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      cluster.server = await start(port);
    },
    async close() {
      await cluster.server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function loadBalancer(name: string, namespace = 'default', extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }] },
    ...extra,
  };
}
