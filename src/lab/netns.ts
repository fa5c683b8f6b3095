/**
 * Network-namespace primitives shared by `npm run lab` (src/lab) and the integration tests
 * (test/helpers/netns.ts re-exports them): namespaces named with a per-file prefix (stale ones from
 * a crashed run are removed first), veth pairs, bridges, addresses, sysctls, bounded commands, and
 * long-running processes started in their own session (setsid) whose PIDs are recorded and killed by PID.
 * `Lab.cleanup()` is idempotent and safe after any failure. Needs root.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_EXEC_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;
const POLL_MS = 25;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
const IFNAME_MAX = 15;

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** Runs argv (no shell) with a hard timeout (SIGKILL); rejects with argv, status and stderr on failure. */
export function run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new TypeError('run: empty argv'));
  const timeout = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        ...(options.env && { env: options.env }),
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ stdout, stderr });
        const status = error.killed
          ? `killed after ${timeout} ms`
          : `exit ${String(error.code ?? error.signal)}`;
        const detail = `${stderr}${stdout}`.trim().slice(-2_000);
        reject(Object.assign(new Error(`${argv.join(' ')}: ${status}\n${detail}`), { stdout, stderr }));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Resolves when fn returns a value other than undefined/false; rejects after timeoutMs with the last error. */
export async function waitFor<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'a condition'}${detail}`,
      );
    }
    await sleep(Math.min(options.intervalMs ?? 100, Math.max(1, deadline - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True while a process with this PID exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the PID is gone. Never kills by name. */
export async function killPid(pid: number, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`killPid: refusing PID ${pid}`);
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(POLL_MS);
  if (!pidAlive(pid)) return;
  signal('SIGKILL');
  const hardDeadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < hardDeadline) await sleep(POLL_MS);
  if (pidAlive(pid)) throw new Error(`killPid: PID ${pid} survived SIGKILL`);
}

export interface SpawnOptions {
  /** stdout and stderr are appended here; default: discarded. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Own session and process group (default true), so the test runner's group signals do not reach it. */
  setsid?: boolean;
  /** Working directory (default: this process's). */
  cwd?: string;
}

export interface LabProcess {
  pid: number;
  ns: string;
  argv: readonly string[];
  logFile: string | undefined;
  /** Exit code or signal once the process has exited; undefined while it runs. */
  exit: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The log file's current content ('' without a log file). */
  log: () => string;
}

/** Network namespace names in `ip netns list`. */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run(['ip', 'netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** PIDs of processes inside a namespace (`ip netns pids`); [] when it does not exist. */
export async function namespacePids(ns: string): Promise<number[]> {
  try {
    const { stdout } = await run(['ip', 'netns', 'pids', ns]);
    return stdout
      .split(/\s+/)
      .filter((token) => token !== '')
      .map(Number);
  } catch {
    return [];
  }
}

export interface LabOptions {
  /** Keep temp dirs after cleanup() (debugging). */
  keepDirs?: boolean;
}

export class Lab {
  private readonly namespaces = new Set<string>();
  private readonly processes: LabProcess[] = [];
  private readonly dirs: string[] = [];
  private cleaned = false;

  /**
   * prefix: unique per test file, e.g. 'hmd5-' (lowercase letters, digits, '-'). keepDirs: leave the
   * temp dirs in place after cleanup (for debugging).
   */
  constructor(
    readonly prefix: string,
    private readonly options: LabOptions = {},
  ) {
    if (!/^[a-z][a-z0-9-]{1,10}$/.test(prefix)) throw new TypeError(`Lab: bad namespace prefix '${prefix}'`);
  }

  /** The full namespace name for a short name ('a' -> 'hmd5-a'). */
  ns(name: string): string {
    return `${this.prefix}${name}`;
  }

  /**
   * Deletes namespaces left with this prefix by an earlier run (killing the processes inside them
   * first) and that run's temp dirs.
   */
  async removeStale(): Promise<void> {
    const stale = (await listNamespaces()).filter((name) => name.startsWith(this.prefix));
    for (const name of stale) await deleteNamespace(name);
    for (const entry of readdirSync(tmpdir())) {
      if (entry.startsWith(this.prefix)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }

  /** Creates `prefix+name` with lo up and IPv6 DAD off (addresses are usable at once); returns its name. */
  async addNamespace(name: string): Promise<string> {
    const ns = this.ns(name);
    await run(['ip', 'netns', 'add', ns]);
    this.namespaces.add(ns);
    await this.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    for (const scope of ['all', 'default']) await this.sysctl(ns, `net.ipv6.conf.${scope}.accept_dad`, '0');
    return ns;
  }

  /** A veth pair with one end in each namespace, both up. */
  async veth(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
    for (const name of [ifA, ifB]) checkIfName(name);
    await run(['ip', 'link', 'add', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
    await this.exec(nsA, ['ip', 'link', 'set', ifA, 'up']);
    await this.exec(nsB, ['ip', 'link', 'set', ifB, 'up']);
  }

  /** A bridge in `ns`, up, with the given ports enslaved. */
  async bridge(ns: string, name: string, ports: readonly string[] = []): Promise<void> {
    checkIfName(name);
    await this.exec(ns, ['ip', 'link', 'add', name, 'type', 'bridge']);
    await this.exec(ns, ['ip', 'link', 'set', name, 'up']);
    for (const port of ports) await this.exec(ns, ['ip', 'link', 'set', port, 'master', name]);
  }

  /** Adds an address in CIDR form; IPv6 addresses get nodad. */
  async addAddress(ns: string, ifname: string, cidr: string): Promise<void> {
    const argv = ['ip', 'addr', 'add', cidr, 'dev', ifname];
    await this.exec(ns, cidr.includes(':') ? [...argv, 'nodad'] : argv);
  }

  /** Adds a route, e.g. addRoute(ns, 'default', 'via', '192.0.2.1'). */
  async addRoute(ns: string, ...spec: string[]): Promise<void> {
    const family = spec.some((part) => part.includes(':')) ? ['-6'] : [];
    await this.exec(ns, ['ip', ...family, 'route', 'add', ...spec]);
  }

  async sysctl(ns: string, key: string, value: string): Promise<void> {
    await this.exec(ns, ['sysctl', '-qw', `${key}=${value}`]);
  }

  /** Runs argv inside ns with a timeout. */
  exec(ns: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return run(['ip', 'netns', 'exec', ns, ...argv], options);
  }

  /** A temporary directory removed by cleanup() (kept with the keepDirs option, for debugging). */
  tempDir(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `${this.prefix}${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Starts a long-running process inside ns (own session by default) and records its PID for cleanup. */
  spawnInNs(ns: string, argv: readonly string[], options: SpawnOptions = {}): LabProcess {
    const logFd = options.logFile !== undefined ? openSync(options.logFile, 'a') : undefined;
    const out = logFd ?? 'ignore';
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      detached: options.setsid ?? true, // detached = setsid(): a new session and process group
      stdio: ['ignore', out, out],
      ...(options.env && { env: options.env }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
    });
    if (logFd !== undefined) closeSync(logFd);
    if (child.pid === undefined) throw new Error(`spawnInNs: cannot start ${argv.join(' ')} in ${ns}`);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('exit', (code, signal) => (exited = { code, signal }));
    child.on('error', () => (exited ??= { code: null, signal: null }));
    child.unref();
    const logFile = options.logFile;
    const proc: LabProcess = {
      pid: child.pid,
      ns,
      argv,
      logFile,
      exit: () => exited,
      log: () => (logFile !== undefined && existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    };
    this.processes.push(proc);
    return proc;
  }

  /** Kills one recorded process by PID. */
  async kill(proc: LabProcess): Promise<void> {
    await killPid(proc.pid);
    const index = this.processes.indexOf(proc);
    if (index >= 0) this.processes.splice(index, 1);
  }

  /**
   * Sends one signal (e.g. SIGKILL, a crash) to a recorded process and waits up to graceMs for it to
   * exit; it stays recorded (cleanup() kills it if it survived). True when it exited.
   */
  async signal(proc: LabProcess, sig: NodeJS.Signals, graceMs = KILL_GRACE_MS): Promise<boolean> {
    try {
      process.kill(proc.pid, sig);
    } catch {
      // already gone
    }
    const deadline = Date.now() + graceMs;
    while (pidAlive(proc.pid) && Date.now() < deadline) await sleep(POLL_MS);
    return !pidAlive(proc.pid);
  }

  /**
   * Kills every recorded process, then any process still inside this lab's namespaces, deletes the
   * namespaces and temp dirs. Idempotent; collects errors and throws them together at the end.
   */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    };
    for (const proc of this.processes.splice(0)) await attempt(() => killPid(proc.pid));
    for (const ns of this.namespaces) await attempt(() => deleteNamespace(ns));
    this.namespaces.clear();
    if (this.options.keepDirs !== true) {
      for (const dir of this.dirs.splice(0))
        await attempt(async () => rmSync(dir, { recursive: true, force: true }));
    }
    if (errors.length > 0) throw new AggregateError(errors, `Lab ${this.prefix}: cleanup failed`);
  }
}

function checkIfName(name: string): void {
  if (name.length === 0 || name.length > IFNAME_MAX) {
    throw new RangeError(`interface name '${name}' must be 1..${IFNAME_MAX} characters`);
  }
}

/**
 * Kills what runs inside the namespace (found by namespace, so only this lab's processes), then deletes
 * it; a namespace that is already gone is fine.
 */
async function deleteNamespace(ns: string): Promise<void> {
  if (!(await listNamespaces()).includes(ns)) return;
  for (const pid of await namespacePids(ns)) await killPid(pid);
  await run(['ip', 'netns', 'delete', ns]);
}
