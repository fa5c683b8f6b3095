/**
 * bench:controller — the controller against the embedded API server at scale. Starts `herald apiserver`
 * in this process, one IPAddressPool and `herald controller` as a child process (so its memory is its
 * own), creates N LoadBalancer Services (default 10,000; 64 requests in flight, raw HTTP) and times
 * until every one has an address in status. Then stops the controller (SIGTERM, releasing its Lease),
 * starts a new one, and reports the seconds until /readyz says it leads with every assignment restored,
 * the number of Services whose addresses changed (must be 0) and the status writes it made. RSS is the
 * controller child's VmRSS/VmHWM from /proc. Prints one JSON object per line.
 * Flags: --smoke (500 Services), --size N, --entry FILE (run the controller from a compiled herald.js,
 * e.g. dist/src/bin/herald.js after `npm run build`; by default the sources run under tsx, which adds
 * ~90 MB of RSS).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { startApiServer } from '../src/apiserver/index.js';
import {
  JsonClient,
  metricValue,
  parallel,
  poolBody,
  serviceBody,
  spawnController,
  waitFor,
  withSkipTlsVerify,
  type ControllerProcess,
} from '../test/integration/controller/process.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const smoke = process.argv.includes('--smoke');
/** A compiled herald.js to run the controller from (e.g. dist/src/bin/herald.js); default: sources under tsx. */
const entry = arg('--entry');
const runtime = entry === undefined ? 'tsx' : 'node (compiled)';
const size = Number(arg('--size') ?? (smoke ? 500 : 10_000));
const IN_FLIGHT = 64;
const NAMESPACE = 'bench';
const ALL_ASSIGNED_TIMEOUT_MS = 600_000;

/** The embedded API server with a kubeconfig for it and a JSON client. */
interface Bench {
  readonly url: string;
  readonly kubeconfig: string;
  readonly json: JsonClient;
  stop(): Promise<void>;
}

async function startBenchCluster(): Promise<Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-controller-'));
  const api = await startApiServer({ watchWindow: 100_000, onError: () => undefined });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, withSkipTlsVerify(api.kubeconfig()));
  return {
    url: api.url,
    kubeconfig,
    json: new JsonClient(api.url),
    async stop() {
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const rounded = Math.round(value * 1000) / 1000;
  console.log(JSON.stringify({ bench: 'controller', metric, value: rounded, unit, size, ...extra }));
}

/** VmRSS and VmHWM of a process, in bytes (Linux /proc). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number =>
    Number(/\d+/.exec(text.split('\n').find((l) => l.startsWith(field)) ?? '')?.[0] ?? 0);
  return { rss: kb('VmRSS:') * 1024, hwm: kb('VmHWM:') * 1024 };
}

/** Follows Services in NAMESPACE and resolves when `target` of them hold an address. */
async function watchAssigned(c: Bench, target: number, signal: AbortSignal): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  const list = (await c.json.request('GET', `/api/v1/namespaces/${NAMESPACE}/services`)) as {
    metadata: { resourceVersion: string };
  };
  let rv = list.metadata.resourceVersion;
  while (held.size < target && !signal.aborted) {
    const res = await fetch(
      `${c.url}/api/v1/namespaces/${NAMESPACE}/services?watch=1&resourceVersion=${rv}&timeoutSeconds=600`,
      { signal },
    );
    const input = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    input.on('error', () => undefined);
    const lines = createInterface({ input });
    lines.on('error', () => undefined);
    for await (const line of lines) {
      const event = JSON.parse(line) as {
        type: string;
        object: {
          metadata: { name: string; resourceVersion: string };
          status?: { loadBalancer?: { ingress?: { ip: string }[] } };
        };
      };
      if (event.type === 'ERROR') throw new Error(`watch failed: ${line}`);
      rv = event.object.metadata.resourceVersion;
      const ip = event.object.status?.loadBalancer?.ingress?.[0]?.ip;
      if (ip !== undefined) held.set(event.object.metadata.name, ip);
      if (held.size >= target) break;
    }
    input.destroy();
  }
  return held;
}

async function snapshot(c: Bench): Promise<Map<string, string>> {
  const list = (await c.json.request('GET', `/api/v1/namespaces/${NAMESPACE}/services`)) as {
    items: { metadata: { name: string }; status?: { loadBalancer?: { ingress?: { ip: string }[] } } }[];
  };
  return new Map(
    list.items.map((s) => [
      s.metadata.name,
      (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).join(','),
    ]),
  );
}

async function startAndTimeReady(
  c: Bench,
  identity: string,
): Promise<{ ctl: ControllerProcess; seconds: number }> {
  const started = performance.now();
  const ctl = await spawnController(c, {
    identity,
    leaseDuration: '15s',
    renewDeadline: '10s',
    retryPeriod: '2s',
  });
  await waitFor(
    async () => {
      const r = await ctl.readyz();
      return r.ok && r.role === 'leader' && r.restored;
    },
    120_000,
    `${identity} ready as leader`,
    20,
  );
  return { ctl, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const c = await startBenchCluster();
  const abort = new AbortController();
  try {
    await c.json.request('POST', '/api/v1/namespaces', { metadata: { name: NAMESPACE } });
    await c.json.request(
      'POST',
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools',
      poolBody('bench', ['10.200.0.0/16']),
    );
    const first = await startAndTimeReady(c, 'bench-1');
    emit('first_start_to_ready_s', first.seconds, 's');
    const idle = await memoryOf(first.ctl.pid);
    emit('controller_rss_idle_bytes', idle.rss, 'bytes', {
      process: 'controller child',
      runtime,
    });

    const names = Array.from({ length: size }, (_, i) => `svc-${i}`);
    const assigned = watchAssigned(c, size, abort.signal);
    const started = performance.now();
    await parallel(names, IN_FLIGHT, async (name) => {
      await c.json.request(
        'POST',
        `/api/v1/namespaces/${NAMESPACE}/services`,
        serviceBody(NAMESPACE, name, { nodePorts: false }),
      );
    });
    emit('create_s', (performance.now() - started) / 1000, 's');
    const timeout = setTimeout(() => abort.abort(), ALL_ASSIGNED_TIMEOUT_MS);
    await assigned;
    clearTimeout(timeout);
    emit('all_assigned_s', (performance.now() - started) / 1000, 's', { target: 30 });
    const memory = await memoryOf(first.ctl.pid);
    // Events trail the status writes (they are queued behind them on purpose).
    await waitFor(
      async () =>
        (metricValue(await first.ctl.metrics(), 'herald_controller_events_total{reason="IPAllocated"}') ??
          0) >= size,
      ALL_ASSIGNED_TIMEOUT_MS,
      'every IPAllocated Event',
      250,
    );
    emit('all_events_recorded_s', (performance.now() - started) / 1000, 's');
    emit('controller_rss_bytes', memory.rss, 'bytes', {
      process: 'controller child',
      runtime,
      peak: memory.hwm,
    });

    const before = await snapshot(c);
    const writesBefore = await waitFor(
      async () => {
        const v =
          metricValue(await first.ctl.metrics(), 'herald_controller_status_writes_total{result="ok"}') ?? 0;
        return v >= size ? v : undefined;
      },
      30_000,
      'the last status write to be counted',
    );
    emit('status_writes_first_run', writesBefore, 'count');
    const firstText = await first.ctl.metrics();
    const sum = metricValue(firstText, 'herald_controller_reconcile_seconds_sum') ?? 0;
    const count = metricValue(firstText, 'herald_controller_reconcile_seconds_count') ?? 1;
    emit('reconcile_mean_ms', (sum / count) * 1000, 'ms', { reconciles: count });
    await first.ctl.kill('SIGTERM');
    const released = first.ctl.lines.some(
      (l) => l.includes('"leader observed"') && l.includes('"leader":""'),
    );
    emit('lease_released_on_stop', released ? 1 : 0, 'bool');
    if (!released) process.stderr.write(`${first.ctl.lines.slice(-5).join('\n')}\n`);

    const second = await startAndTimeReady(c, 'bench-2');
    emit('restart_to_ready_s', second.seconds, 's');
    // Let the restored term finish its pass over every Service before comparing.
    await waitFor(
      async () => (metricValue(await second.ctl.metrics(), 'metallb_k8s_client_updates_total') ?? 0) >= size,
      120_000,
      'reprocess of every Service',
    );
    const after = await snapshot(c);
    const changed = [...before].filter(([name, ips]) => after.get(name) !== ips).length;
    emit('changed_ips_after_restart', changed, 'count', { target: 0 });
    const text = await second.ctl.metrics();
    emit(
      'status_writes_after_restart',
      metricValue(text, 'herald_controller_status_writes_total{result="ok"}') ?? 0,
      'count',
    );
    emit('restored_services', metricValue(text, 'herald_controller_restored_services') ?? 0, 'count');
    const memory2 = await memoryOf(second.ctl.pid);
    emit('controller_rss_after_restart_bytes', memory2.rss, 'bytes', {
      process: 'controller child',
      peak: memory2.hwm,
    });
    await second.ctl.kill('SIGTERM');
  } finally {
    abort.abort();
    await c.stop();
  }
}

await main();
