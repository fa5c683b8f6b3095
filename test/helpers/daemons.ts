/**
 * BGP daemons as test peers inside a Lab's namespaces: BIRD 2, FRR (zebra + bgpd, optional bfdd),
 * gobgpd and ExaBGP. Each instance gets its own temp dir (config, control socket, pid file, log), runs in
 * its own session (setsid) and is stopped by PID. Config mistakes fail the start with the daemon's words.
 * Query helpers: birdc (text), vtysh (JSON), gobgp (JSON), ExaBGP's received UPDATEs (JSON lines).
 * Daemon quirks are in /work/shared/reference/platform-facts.md ("BGP daemons as test peers").
 */
import { appendFileSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, waitFor, type Lab, type LabProcess } from './netns.js';

export { waitFor } from './netns.js';

const READY_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS = 10_000;

const BINARIES = {
  bird: ['/usr/sbin/bird', '/usr/sbin/birdc'],
  frr: ['/usr/lib/frr/zebra', '/usr/lib/frr/bgpd', '/usr/lib/frr/bfdd', '/usr/bin/vtysh'],
  gobgp: ['/usr/bin/gobgpd', '/usr/bin/gobgp'],
  exabgp: ['/usr/sbin/exabgp'],
} as const;

export type DaemonKind = keyof typeof BINARIES;

/** Like requireRoot: a skip reason when a daemon is not installed (scripts/setup.sh), an error under CI. */
export function requireDaemons(kinds: readonly DaemonKind[]): string | undefined {
  const missing = kinds.flatMap((kind) => BINARIES[kind].filter((path) => !existsSync(path)));
  if (missing.length === 0) return undefined;
  const reason = `BGP daemon binaries missing (run scripts/setup.sh): ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true forbids skipping`);
  console.warn(`SKIPPED: ${reason}`);
  return reason;
}

/** One running daemon instance. */
export interface Daemon {
  kind: DaemonKind;
  ns: string;
  dir: string;
  processes: LabProcess[];
  /** All of the instance's logs, concatenated. */
  log(): string;
  /** Kills its processes by PID (last started first). */
  stop(): Promise<void>;
}

function daemon(lab: Lab, kind: DaemonKind, ns: string, dir: string, processes: LabProcess[]): Daemon {
  return {
    kind,
    ns,
    dir,
    processes,
    log: () => processes.map((proc) => proc.log()).join('\n'),
    stop: async () => {
      for (const proc of [...processes].reverse()) await lab.kill(proc);
    },
  };
}

/** Waits for ready(); fails early, with the log, if a process exits first. Kills procs when it fails. */
async function waitReady(
  lab: Lab,
  procs: readonly LabProcess[],
  what: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  await waitFor(
    async () => {
      const dead = procs.find((proc) => proc.exit() !== undefined);
      if (dead !== undefined) throw new Error(`${what} exited during start:\n${dead.log()}`);
      return await ready().catch(() => false);
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, what },
  ).catch(async (error: unknown) => {
    const log = procs.map((proc) => proc.log()).join('\n');
    for (const proc of procs) await lab.kill(proc);
    throw new Error(`${(error as Error).message}\n--- log ---\n${log}`);
  });
}

// ---------------------------------------------------------------------------------------------- BIRD

export interface Bird extends Daemon {
  socket: string;
}

/**
 * Starts BIRD 2 with `-f -c CONF -s SOCK -P PIDFILE`. `body` is appended to a header with logging to
 * stderr, `protocol device` and a `template bgp fast` (connect delay 1 s, connect retry 2 s, error wait
 * 1-2 s) for `protocol bgp NAME from fast { ... }`.
 */
export async function startBird(lab: Lab, ns: string, routerId: string, body: string): Promise<Bird> {
  const dir = lab.tempDir('bird');
  const conf = join(dir, 'bird.conf');
  const socket = join(dir, 'bird.ctl');
  writeFileSync(
    conf,
    [
      'log stderr all;',
      `router id ${routerId};`,
      'protocol device { scan time 10; }',
      'template bgp fast { connect delay time 1; connect retry time 2; error wait time 1, 2; }',
      body,
      '',
    ].join('\n'),
  );
  await run(['bird', '-p', '-c', conf]).catch((error: unknown) => {
    throw new Error(`BIRD rejects its config ${conf}: ${(error as Error).message}`);
  });
  const proc = lab.spawnInNs(ns, ['bird', '-f', '-c', conf, '-s', socket, '-P', join(dir, 'bird.pid')], {
    logFile: join(dir, 'bird.log'),
  });
  await waitReady(lab, [proc], `BIRD in ${ns}`, async () =>
    (await birdc(socket, 'show status')).includes('Daemon is up and running'),
  );
  return { ...daemon(lab, 'bird', ns, dir, [proc]), socket };
}

/** Runs one birdc command (e.g. 'show route all') and returns its text output. */
export async function birdc(socket: string, command: string): Promise<string> {
  const words = command.split(/\s+/).filter((word) => word !== '');
  return (await run(['birdc', '-s', socket, ...words], { timeoutMs: QUERY_TIMEOUT_MS })).stdout;
}

// ----------------------------------------------------------------------------------------------- FRR

export interface Frr extends Daemon {
  /** The --vty_socket directory, for vtysh(). */
  vtyDir: string;
}

export interface FrrOptions {
  /** bgpd configuration (e.g. 'router bgp 65001 ...'); `hostname` and logging are added. */
  bgpd: string;
  /** zebra configuration (interfaces, static routes); optional. */
  zebra?: string;
  /** Start bfdd too, with its configuration (e.g. 'bfd\n peer ...'); '' for none. */
  bfdd?: string;
}

/** Lines FRR logs for configuration it did not accept (it starts anyway). */
const FRR_CONFIG_ERROR =
  /No such command|Command incomplete|Ambiguous command|Unknown command|Error reading config/;

/**
 * Starts FRR's zebra, then bgpd (and bfdd), as user frr with their own vty socket dir, zserv socket,
 * pid files and logs. Fails if a daemon logs a config error ("No such command on config line N").
 */
export async function startFrr(lab: Lab, ns: string, options: FrrOptions): Promise<Frr> {
  const dir = lab.tempDir('frr');
  const vtyDir = join(dir, 'vty');
  await run(['install', '-d', '-o', 'frr', '-g', 'frr', '-m', '0755', vtyDir]);
  const { uid, gid } = await frrIds();
  chownSync(dir, uid, gid);
  const processes: LabProcess[] = [];
  const handle = { ...daemon(lab, 'frr', ns, dir, processes), vtyDir };
  const start = async (name: 'zebra' | 'bgpd' | 'bfdd', config: string, extra: string[], probe: string) => {
    const conf = join(dir, `${name}.conf`);
    writeFileSync(conf, `hostname ${ns}-${name}\nlog stdout informational\n${config}\n`);
    chownSync(conf, uid, gid);
    const argv = [`/usr/lib/frr/${name}`, '-u', 'frr', '-g', 'frr', '--vty_socket', vtyDir, '-f', conf];
    const pid = ['-i', join(dir, `${name}.pid`), '-P', '0', ...extra];
    const proc = lab.spawnInNs(ns, [...argv, ...pid], { logFile: join(dir, `${name}.log`) });
    processes.push(proc);
    await waitReady(lab, [proc], `FRR ${name} in ${ns}`, async () => {
      await vtyshText(vtyDir, probe);
      return true;
    });
  };
  const zserv = ['-z', join(dir, 'zserv.api')];
  try {
    await start('zebra', options.zebra ?? '', zserv, 'show zebra');
    await start('bgpd', options.bgpd, zserv, 'show bgp summary');
    if (options.bfdd !== undefined) {
      await start('bfdd', options.bfdd, [...zserv, '--bfdctl', join(dir, 'bfdd.sock')], 'show bfd peers');
    }
    const errors = handle
      .log()
      .split('\n')
      .filter((line) => FRR_CONFIG_ERROR.test(line));
    if (errors.length > 0)
      throw new Error(`FRR in ${ns} rejected configuration lines:\n${errors.join('\n')}`);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

async function frrIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run(['id', '-u', 'frr'])).stdout.trim());
  const gid = Number((await run(['id', '-g', 'frr'])).stdout.trim());
  return { uid, gid };
}

/** Runs a vtysh command against one FRR instance and returns its text output. */
export async function vtyshText(vtyDir: string, command: string): Promise<string> {
  const { stdout } = await run(['vtysh', '--vty_socket', vtyDir, '-c', command], {
    timeoutMs: QUERY_TIMEOUT_MS,
  });
  return stdout;
}

/** Runs a `... json` vtysh command and parses its output. */
export async function vtysh<T = unknown>(vtyDir: string, command: string): Promise<T> {
  if (!/\bjson$/.test(command.trim())) throw new TypeError(`vtysh: '${command}' does not end in json`);
  return JSON.parse(await vtyshText(vtyDir, command)) as T;
}

// -------------------------------------------------------------------------------------------- gobgpd

export interface Gobgp extends Daemon {
  socket: string;
}

/** Starts gobgpd with a TOML config, its gRPC API on a unix socket only, pprof off, plain logs. */
export async function startGobgp(lab: Lab, ns: string, toml: string): Promise<Gobgp> {
  const dir = lab.tempDir('gobgp');
  const conf = join(dir, 'gobgpd.toml');
  const socket = join(dir, 'gobgpd.sock');
  writeFileSync(conf, toml);
  await run(['gobgpd', '-d', '-t', 'toml', '-f', conf]).catch((error: unknown) => {
    throw new Error(`gobgpd rejects its config ${conf}: ${(error as Error).message}`);
  });
  const argv = [
    'gobgpd',
    '-t',
    'toml',
    '-f',
    conf,
    '--api-hosts',
    `unix://${socket}`,
    '--pprof-disable',
    '-p',
  ];
  const proc = lab.spawnInNs(ns, argv, { logFile: join(dir, 'gobgpd.log') });
  await waitReady(
    lab,
    [proc],
    `gobgpd in ${ns}`,
    async () => (await gobgp(socket, ['global'])) !== undefined,
  );
  return { ...daemon(lab, 'gobgp', ns, dir, [proc]), socket };
}

/** Runs `gobgp --target unix://SOCK -j ARGS...`; returns the parsed JSON, or undefined for no output. */
export async function gobgp<T = unknown>(socket: string, args: readonly string[]): Promise<T | undefined> {
  const argv = ['gobgp', '--target', `unix://${socket}`, '-j', ...args];
  const { stdout } = await run(argv, { timeoutMs: QUERY_TIMEOUT_MS });
  return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as T);
}

// -------------------------------------------------------------------------------------------- ExaBGP

export interface ExaBgp extends Daemon {
  /** JSON lines ExaBGP's API process receives (UPDATEs, state changes), appended as they arrive. */
  receivedFile: string;
  /** Text API commands appended here are fed to ExaBGP (e.g. 'announce route 203.0.113.0/24 next-hop self'). */
  commandFile: string;
}

export interface ExaBgpOptions {
  /** Address (and port) ExaBGP listens on for incoming sessions. */
  bind: string;
  port?: number;
  /**
   * The configuration's neighbor blocks. Two API processes exist: `received` (JSON of what the peer
   * sends; add `api { processes [ received ]; receive { parsed; update; } neighbor-changes; }`) and
   * `commands` (add `api { processes [ commands ]; }`) fed from commandFile.
   */
  neighbors: string;
}

/** Writes ExaBGP's config and its two API helper scripts into dir. */
function writeExaBgpFiles(
  dir: string,
  neighbors: string,
): { conf: string; receivedFile: string; commandFile: string } {
  const conf = join(dir, 'exabgp.conf');
  const receivedFile = join(dir, 'received.jsonl');
  const commandFile = join(dir, 'commands.txt');
  writeFileSync(receivedFile, '');
  writeFileSync(commandFile, '');
  writeFileSync(join(dir, 'exabgp.env'), ''); // replaces /etc/exabgp/exabgp.env: settings come from env vars
  const script = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${text}\n`, { mode: 0o755 });
    return path;
  };
  // No `exec`: ExaBGP counts EOF on a helper's stdout as its death, so the shell keeps stdout open.
  const received = script('received.sh', `cat >> '${receivedFile}'`);
  const commands = script('commands.sh', `exec tail -n +1 -f '${commandFile}'`);
  const processes = [
    `process received {\n  run ${received};\n  encoder json;\n}`,
    `process commands {\n  run ${commands};\n  encoder text;\n}`,
  ];
  writeFileSync(conf, [...processes, neighbors, ''].join('\n'));
  return { conf, receivedFile, commandFile };
}

/** Starts ExaBGP as root with env settings (bind, port, no CLI pipes, stdout log) and two API processes. */
export async function startExaBgp(lab: Lab, ns: string, options: ExaBgpOptions): Promise<ExaBgp> {
  const dir = lab.tempDir('exabgp');
  const { conf, receivedFile, commandFile } = writeExaBgpFiles(dir, options.neighbors);
  const env = exabgpEnv(dir, options);
  const exabgp = ['exabgp', '--env', join(dir, 'exabgp.env')];
  // --test binds the listen address too, so it runs inside the namespace.
  await lab.exec(ns, [...exabgp, '--test', conf], { env }).catch((error: unknown) => {
    throw new Error(`ExaBGP rejects its config ${conf}: ${(error as Error).message}`);
  });
  const proc = lab.spawnInNs(ns, [...exabgp, conf], { logFile: join(dir, 'exabgp.log'), env });
  const pidFile = join(dir, 'exabgp.pid');
  await waitReady(
    lab,
    [proc],
    `ExaBGP in ${ns}`,
    async () => existsSync(pidFile) && /loaded new configuration/i.test(proc.log()),
  );
  return { ...daemon(lab, 'exabgp', ns, dir, [proc]), receivedFile, commandFile };
}

function exabgpEnv(dir: string, options: ExaBgpOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    'exabgp.tcp.bind': options.bind,
    'exabgp.tcp.port': String(options.port ?? 179),
    'exabgp.daemon.user': 'root',
    'exabgp.daemon.drop': 'false',
    'exabgp.daemon.daemonize': 'false',
    'exabgp.daemon.pid': join(dir, 'exabgp.pid'),
    'exabgp.api.cli': 'false',
    'exabgp.api.ack': 'false',
    'exabgp.log.destination': 'stdout',
    'exabgp.log.level': 'INFO',
  };
}

/** The JSON messages ExaBGP's `received` API process has seen so far. */
export function exabgpReceived(exa: ExaBgp): Record<string, unknown>[] {
  return readFileSync(exa.receivedFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Sends one text API command to ExaBGP (through the `commands` process). */
export function exabgpCommand(exa: ExaBgp, command: string): void {
  appendFileSync(exa.commandFile, `${command}\n`);
}
