/**
 * Small helpers for the BFD integration tests (self-contained on purpose): bounded commands, bounded
 * waits, network namespaces with the test's own prefix, detached processes killed by PID, and the
 * bgp-ts-lite BFD agent (`bfd-agent.ts`) run as a child process, optionally inside a namespace.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EXEC_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const AGENT = fileURLToPath(new URL('./bfd-agent.ts', import.meta.url));

/** undefined when root; otherwise a visible skip reason, or an error under CI=true (never skip in CI). */
export function rootSkipReason(what: string): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  const reason = `${what} needs root (network namespaces)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true forbids skipping`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

/** Runs argv without a shell, killed after `timeoutMs`; rejects with stderr on failure. */
export function exec(
  argv: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file!,
      args,
      { timeout: options.timeoutMs ?? EXEC_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`${argv.join(' ')} failed: ${error.message}\n${stderr}`));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Polls `probe` every `intervalMs` until it returns a value that is not undefined, at most `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`, { cause: lastError });
}

export async function listNamespaces(prefix: string): Promise<string[]> {
  const out = await exec(['ip', '-j', 'netns', 'list']);
  const list = out.trim() === '' ? [] : (JSON.parse(out) as Array<{ name: string }>);
  return list.map((n) => n.name).filter((name) => name.startsWith(prefix));
}

export async function removeNamespaces(prefix: string): Promise<void> {
  for (const name of await listNamespaces(prefix)) await exec(['ip', 'netns', 'del', name]);
}

/** Runs `argv` inside namespace `ns`. */
export function inNs(ns: string, argv: readonly string[], options?: { input?: string }): Promise<string> {
  return exec(['ip', 'netns', 'exec', ns, ...argv], options);
}

/** A process started in its own session (setsid via `detached`), output to `logFile`, killed by PID. */
export class DetachedProcess {
  readonly pid: number;
  readonly #child: ChildProcess;
  #exited = false;

  constructor(ns: string, argv: readonly string[], logFile: string) {
    const fd = openSync(logFile, 'a');
    this.#child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    if (this.#child.pid === undefined) throw new Error(`cannot start ${argv.join(' ')}`);
    this.pid = this.#child.pid;
    this.#child.on('exit', () => (this.#exited = true));
    this.#child.unref();
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** SIGKILL by PID, resolving when it is gone. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return killPid(this.pid, signal, () => this.#exited);
  }
}

async function killPid(pid: number, signal: NodeJS.Signals, gone: () => boolean): Promise<void> {
  if (gone()) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + KILL_GRACE_MS;
  while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (!gone()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
  }
}

export interface AgentLine {
  readonly type: string;
  readonly id?: string;
  readonly [key: string]: unknown;
}

/** A bgp-ts-lite BFD endpoint in a child process (see bfd-agent.ts), with its output as parsed lines. */
export class Agent {
  readonly lines: Array<AgentLine & { receivedAt: number }> = [];
  readonly #child: ChildProcess;
  readonly #waiters = new Set<() => void>();
  #exited = false;
  readonly stderr: string[] = [];

  /** Starts the agent, inside `ns` when given; `init` is its BfdServiceInit. */
  constructor(options: { ns?: string; init?: object }) {
    const node = [process.execPath, '--import', 'tsx', AGENT, JSON.stringify(options.init ?? {})];
    const argv = options.ns === undefined ? node : ['ip', 'netns', 'exec', options.ns, ...node];
    this.#child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.on('exit', () => {
      this.#exited = true;
      this.#notify();
    });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      this.lines.push({ ...(JSON.parse(line) as AgentLine), receivedAt: Date.now() });
      this.#notify();
    });
    createInterface({ input: this.#child.stderr! }).on('line', (line) => this.stderr.push(line));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  send(command: object): void {
    this.#child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The first line at index >= `from` matching `predicate`, waiting at most `timeoutMs`. */
  waitFor(
    what: string,
    predicate: (line: AgentLine) => boolean,
    options: { timeoutMs: number; from?: number },
  ): Promise<AgentLine & { receivedAt: number }> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.slice(options.from ?? 0).find(predicate);
        if (found !== undefined) resolve(found);
        else if (this.#exited)
          reject(new Error(`agent exited while waiting for ${what}: ${this.stderr.join('\n')}`));
        else return false;
        return true;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`));
      }, options.timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  /** Sends a command and waits for its acknowledgement line. */
  async call(
    command: { op: string; id?: string; [key: string]: unknown },
    timeoutMs = 10_000,
  ): Promise<AgentLine> {
    const from = this.lines.length;
    this.send(command);
    const line = await this.waitFor(
      `${command.op} ${command.id ?? ''}`,
      (l) =>
        l.type === 'error' ||
        (['done', 'snapshot', 'added', 'ready'].includes(l.type) && l.id === command.id),
      { timeoutMs, from },
    );
    if (line.type === 'error') throw new Error(`agent: ${String(line.message)}`);
    return line;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.#child.pid;
    if (pid === undefined) return Promise.resolve();
    return killPid(pid, signal, () => this.#exited);
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
