/**
 * A bench:arp child process inside a network namespace (`ip netns exec NS [nice -n N] node --import tsx
 * SCRIPT`; both exec, so the PID is node's), driven by JSON lines on its stdin/stdout (./protocol.ts).
 * Owns waiting for its `ready` line, one request at a time with a timeout, and stopping it: `quit`, then
 * kill by PID.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

import { killPid } from '../../test/helpers/netns.js';
import { readLines, type ChildCommand } from './protocol.js';

const STDERR_KEEP = 4_000;
const QUIT_GRACE_MS = 2_000;

type Line = Record<string, unknown>;

export class NsChild {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiters: { resolve: (line: Line) => void; reject: (error: Error) => void }[] = [];
  readonly #events: Line[] = [];
  #stderr = '';
  #exited: string | undefined;

  private constructor(
    readonly name: string,
    ns: string,
    argv: readonly string[],
  ) {
    this.#child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: 'pipe' });
    readLines(this.#child.stdout, (text) => this.#onLine(text));
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEEP);
    });
    this.#child.on('exit', (code, signal) => this.#fail(`exited (${String(code ?? signal)})`));
    this.#child.on('error', (error) => this.#fail(`could not start: ${error.message}`));
  }

  /**
   * Starts `node --import tsx script args` in ns (under `nice -n N` when nice is given) and waits for its
   * ready line.
   */
  static async start(
    name: string,
    ns: string,
    script: string,
    args: readonly string[],
    options: { timeoutMs: number; nice?: number | undefined },
  ): Promise<{ child: NsChild; ready: Line }> {
    const nice = options.nice === undefined ? [] : ['nice', '-n', String(options.nice)];
    const child = new NsChild(name, ns, [...nice, process.execPath, '--import', 'tsx', script, ...args]);
    const timeoutMs = options.timeoutMs;
    const ready = await child.#next(timeoutMs, 'ready');
    return { child, ready };
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Events (lines with an `event` field other than ready) seen so far, e.g. linkError. */
  events(): readonly Line[] {
    return this.#events;
  }

  /** Sends one command and resolves with its answer; rejects on an `error` answer, exit or timeout. */
  async request(cmd: ChildCommand, timeoutMs: number): Promise<Line> {
    if (this.#exited !== undefined) throw new Error(this.#describe(this.#exited));
    this.#child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const line = await this.#next(timeoutMs, `the answer to ${cmd.cmd}`);
    if (typeof line.error === 'string') throw new Error(`${this.name}: ${line.error}`);
    return line;
  }

  /** Asks the child to quit, then kills it by PID if it is still there. Never throws. */
  async stop(): Promise<void> {
    const pid = this.#child.pid;
    if (this.#exited === undefined) {
      this.#child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      const deadline = Date.now() + QUIT_GRACE_MS;
      while (this.#exited === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    }
    if (this.#exited === undefined && pid !== undefined) await killPid(pid).catch(() => undefined);
  }

  #onLine(text: string): void {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      this.#stderr = `${this.#stderr}\n${text}`.slice(-STDERR_KEEP);
      return;
    }
    if (typeof line.event === 'string' && line.event !== 'ready') {
      this.#events.push(line);
      return;
    }
    this.#waiters.shift()?.resolve(line);
  }

  #next(timeoutMs: number, what: string): Promise<Line> {
    if (this.#exited !== undefined) return Promise.reject(new Error(this.#describe(this.#exited)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new Error(this.#describe(`timed out after ${timeoutMs} ms waiting for ${what}`)));
      }, timeoutMs);
      const waiter = {
        resolve: (line: Line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  #fail(reason: string): void {
    this.#exited ??= reason;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error(this.#describe(reason)));
  }

  #describe(reason: string): string {
    return `bench:arp ${this.name}: ${reason}${this.#stderr === '' ? '' : `\n${this.#stderr.trim()}`}`;
  }
}
