// Running the real kubectl against a herald apiserver in tests: a per-file kubeconfig and discovery cache
// directory, kubectl invocations with exit code and output, and `kubectl get -w` as a child process
// read line by line and stopped by PID.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../../src/apiserver/index.js';

export const KUBECTL = '/usr/bin/kubectl';
const KUBECTL_TIMEOUT_MS = 30_000;

/** A reason to skip when kubectl is missing (never under CI=true, where it is an error). */
export function requireKubectl(): string | undefined {
  if (existsSync(KUBECTL)) return undefined;
  const reason = `${KUBECTL} is not installed`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping kubectl tests`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class KubectlEnv {
  private constructor(
    readonly server: ApiServer,
    readonly dir: string,
  ) {}

  static async start(prefix: string, options: ApiServerOptions = {}): Promise<KubectlEnv> {
    const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    const server = await startApiServer({ port: 0, ...options });
    await server.writeKubeconfig(join(dir, 'kubeconfig'));
    return new KubectlEnv(server, dir);
  }

  get kubeconfig(): string {
    return join(this.dir, 'kubeconfig');
  }

  private args(args: readonly string[]): string[] {
    return ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, 'cache'), ...args];
  }

  /** Runs kubectl; `stdin` is piped in (for `-f -`). Never throws for a non-zero exit. */
  run(args: readonly string[], stdin?: string): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        KUBECTL,
        this.args(args),
        { timeout: KUBECTL_TIMEOUT_MS, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
          else resolve({ code: err ? Number((err as { code: number }).code) : 0, stdout, stderr });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }

  /** Runs kubectl and fails with its stderr when it exits non-zero. */
  async ok(args: readonly string[], stdin?: string): Promise<string> {
    const r = await this.run(args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async json<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '-o', 'json'])) as T;
  }

  async writeFile(name: string, text: string): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, text);
    return path;
  }

  /** Starts a long-running kubectl (e.g. `get -w`); the caller stops it with `stop()` (by PID). */
  spawn(args: readonly string[]): Watcher {
    return new Watcher(spawn(KUBECTL, this.args(args), { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Collects a child's stdout lines; `lines(n)` waits (bounded) until n lines arrived. */
export class Watcher {
  private readonly out: string[] = [];
  private buf = '';
  stderr = '';
  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.buf += chunk;
      const parts = this.buf.split('\n');
      this.buf = parts.pop() ?? '';
      this.out.push(...parts);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr += chunk));
  }

  get all(): readonly string[] {
    return this.out;
  }

  async lines(n: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.out.length < n) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${n} lines; got ${JSON.stringify(this.out)}; stderr ${this.stderr}`,
        );
      if (this.child.exitCode !== null)
        throw new Error(`kubectl exited ${this.child.exitCode}: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.out.slice(0, n);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.pid === undefined) return Promise.resolve();
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    process.kill(this.child.pid, 'SIGTERM');
    return exited;
  }
}
