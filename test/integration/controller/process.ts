/**
 * Process-level helpers shared by the controller's integration tests and bench:controller, free of any
 * import of the apps themselves: a JSON client over fetch, object bodies, bounded parallelism and
 * polling, `herald controller` as a child process (`node --import tsx src/bin/herald.ts controller`,
 * killable by PID) and reading Prometheus text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(import.meta.dirname, '../../..');
export const NS = 'metallb-system';

/**
 * A kubeconfig text with `insecure-skip-tls-verify` (client-node 1.4 refuses plain http without it)
 * added when missing.
 */
export function withSkipTlsVerify(text: string): string {
  if (text.includes('insecure-skip-tls-verify')) return text;
  return text.replace(/^(\s+)server: /m, '$1insecure-skip-tls-verify: true\n$1server: ');
}

/** A minimal JSON client over fetch, for bulk creation and raw reads. */
export class JsonClient {
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<unknown> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

export function poolBody(name: string, addresses: string[], spec: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name, namespace: NS },
    spec: { addresses, ...spec },
  };
}

export interface ServiceOptions {
  annotations?: Record<string, string>;
  ports?: { port: number; protocol?: 'TCP' | 'UDP' }[];
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  ipFamilies?: ('IPv4' | 'IPv6')[];
  loadBalancerClass?: string;
  loadBalancerIP?: string;
  type?: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  selector?: Record<string, string>;
  labels?: Record<string, string>;
  /** spec.allocateLoadBalancerNodePorts (default: the API server's, true); false for more than ~2700. */
  nodePorts?: boolean;
}

export function serviceBody(
  namespace: string,
  name: string,
  o: ServiceOptions = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, annotations: o.annotations ?? {}, labels: o.labels ?? {} },
    spec: {
      type: o.type ?? 'LoadBalancer',
      ports: (o.ports ?? [{ port: 80 }]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
      ...(o.ipFamilyPolicy && { ipFamilyPolicy: o.ipFamilyPolicy }),
      ...(o.ipFamilies && { ipFamilies: o.ipFamilies }),
      ...(o.loadBalancerClass && { loadBalancerClass: o.loadBalancerClass }),
      ...(o.loadBalancerIP && { loadBalancerIP: o.loadBalancerIP }),
      ...(o.externalTrafficPolicy && { externalTrafficPolicy: o.externalTrafficPolicy }),
      ...(o.selector && { selector: o.selector }),
      ...(o.nodePorts === false && { allocateLoadBalancerNodePorts: false }),
    },
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function parallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  label: string,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}${last ? `: ${String(last)}` : ''}`);
}

export interface ControllerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly identity: string;
  /** The metrics/health port (from the "controller started" log line). */
  readonly port: number;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  readyz(): Promise<{ ok: boolean; role?: string; restored?: boolean }>;
  metrics(): Promise<string>;
}

export interface ControllerArgs {
  identity: string;
  leaseDuration?: string;
  renewDeadline?: string;
  retryPeriod?: string;
  extra?: string[];
  /** A compiled `herald.js` (e.g. `dist/src/bin/herald.js` after `npm run build`) to run instead of the sources under tsx. */
  entry?: string;
}

/** Starts `herald controller` as a child process and waits until it serves /healthz. */
export async function spawnController(
  c: { kubeconfig: string },
  a: ControllerArgs,
): Promise<ControllerProcess> {
  const entry =
    a.entry !== undefined ? [resolve(a.entry)] : ['--import', 'tsx', join(REPO, 'src/bin/herald.ts')];
  const args = [
    ...entry,
    'controller',
    '--kubeconfig',
    c.kubeconfig,
    '--metrics-listen',
    '127.0.0.1:0',
    '--identity',
    a.identity,
    '--lease-duration',
    a.leaseDuration ?? '3s',
    '--renew-deadline',
    a.renewDeadline ?? '2s',
    '--retry-period',
    a.retryPeriod ?? '500ms',
    ...(a.extra ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let port = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    if (port === 0 && line.includes('"controller started"')) port = Number(JSON.parse(line).metricsPort);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(`stderr: ${line}`));
  await waitFor(
    () => port > 0 || (child.exitCode !== null ? Promise.reject(new Error(lines.join('\n'))) : undefined),
    30_000,
    `controller ${a.identity} to start`,
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    pid: child.pid!,
    identity: a.identity,
    port,
    lines,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async readyz() {
      const res = await fetch(`${base}/readyz`);
      return (await res.json()) as { ok: boolean; role?: string; restored?: boolean };
    },
    async metrics() {
      return (await fetch(`${base}/metrics`)).text();
    },
  };
}

/** The value of one sample line of a Prometheus text exposition (undefined when absent). */
export function metricValue(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
