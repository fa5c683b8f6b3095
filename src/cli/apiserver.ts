/**
 * `herald apiserver --listen HOST:PORT --kubeconfig-out FILE [--state FILE] [--crd-dir DIR] ...`: runs the
 * in-memory Kubernetes-compatible API server (src/apiserver) for the lab, demos and tests, writes a
 * kubeconfig for kubectl and Herald's components, and serves until interrupted. NOT for production.
 */
import { existsSync } from 'node:fs';
import { startApiServer, type ApiServerOptions } from '../apiserver/index.js';
import { FaultError, parseFaultSettings, type FaultSettings } from '../apiserver/faults.js';
import { UsageError, type Command, type CommandIo } from './command.js';

const USAGE = `Usage: herald apiserver --listen HOST:PORT --kubeconfig-out FILE [flags]

Runs an in-memory, single-process Kubernetes-compatible API server (core/v1, discovery.k8s.io,
coordination.k8s.io, events.k8s.io, CRDs and metallb.io) for the lab, demos and tests, and writes a
kubeconfig that kubectl and every Herald component accept. NOT for production: no authentication, no
TLS, one process. See docs/apiserver.md.

Flags:
  --listen HOST:PORT      address to serve plain HTTP on (port 0 picks a free port; IPv6 as [::1]:PORT)
  --kubeconfig-out FILE   where to write the kubeconfig (server http://HOST:PORT, dummy token)
  --state FILE            persist a JSON snapshot here and reload it at start (resourceVersions continue)
  --crd-dir DIR           CustomResourceDefinition manifests to serve (default: the repository's deploy/crds)
  --service-cidr CIDR     service cluster IP range, repeat once per family, primary first
                          (default 10.96.0.0/12 and fd00:10:96::/112)
  --watch-window N        change events kept for watches; older resourceVersions get 410 (default 1000)
  --faults JSON           initial fault injection, e.g. '{"delayMs":200,"failRate":0.1}'
`;

export interface ApiserverArgs {
  readonly host: string;
  readonly port: number;
  readonly kubeconfigOut: string;
  readonly stateFile?: string;
  readonly crdDir?: string;
  readonly serviceCidrs: readonly string[];
  readonly watchWindow?: number;
  readonly faults?: FaultSettings;
}

const MAX_PORT = 65535;

export function parseListen(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`--listen must be HOST:PORT or [IPv6]:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (port > MAX_PORT) throw new UsageError(`--listen port must be 0..${MAX_PORT}, got ${m[2]}`);
  return { host: m[1]!, port };
}

function parseFaults(text: string): FaultSettings {
  try {
    return parseFaultSettings(JSON.parse(text));
  } catch (err) {
    if (err instanceof FaultError || err instanceof SyntaxError)
      throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
}

export function parseApiserverArgs(args: readonly string[]): ApiserverArgs {
  let listen: { host: string; port: number } | undefined;
  let kubeconfigOut: string | undefined;
  const out: { stateFile?: string; crdDir?: string; watchWindow?: number; faults?: FaultSettings } = {};
  const cidrs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] =
      arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const take = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`flag ${flag} needs a value`);
      return v;
    };
    if (flag === '--listen') listen = parseListen(take());
    else if (flag === '--kubeconfig-out') kubeconfigOut = take();
    else if (flag === '--state') out.stateFile = take();
    else if (flag === '--crd-dir') out.crdDir = take();
    else if (flag === '--service-cidr') cidrs.push(take());
    else if (flag === '--faults') out.faults = parseFaults(take());
    else if (flag === '--watch-window') {
      const v = take();
      if (!/^[1-9]\d*$/.test(v))
        throw new UsageError(`--watch-window must be a positive integer, got "${v}"`);
      out.watchWindow = Number(v);
    } else if (flag.startsWith('-')) throw new UsageError(`unknown flag ${flag}`);
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (!listen) throw new UsageError('--listen HOST:PORT is required');
  if (!kubeconfigOut) throw new UsageError('--kubeconfig-out FILE is required');
  if (cidrs.length > 2) throw new UsageError('--service-cidr may be given at most twice (one per family)');
  return { ...listen, kubeconfigOut, serviceCidrs: cidrs, ...out };
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const a = parseApiserverArgs(args);
  if (a.crdDir !== undefined && !existsSync(a.crdDir))
    throw new UsageError(`--crd-dir ${a.crdDir} does not exist`);
  const options: ApiServerOptions = {
    host: a.host,
    port: a.port,
    signal: io.signal,
    ...(a.stateFile ? { stateFile: a.stateFile } : {}),
    ...(a.crdDir ? { crdDir: a.crdDir } : {}),
    ...(a.serviceCidrs.length ? { serviceCidrs: a.serviceCidrs } : {}),
    ...(a.watchWindow ? { watchWindow: a.watchWindow } : {}),
    ...(a.faults ? { faults: a.faults } : {}),
    onError: (err) =>
      io.stderr.write(
        `herald apiserver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ),
  };
  let server;
  try {
    server = await startApiServer(options);
  } catch (err) {
    io.stderr.write(`herald apiserver: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  await server.writeKubeconfig(a.kubeconfigOut);
  io.stdout.write(
    `herald apiserver listening on ${server.url} (NOT for production); kubeconfig: ${a.kubeconfigOut}\n`,
  );
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.stop();
  io.stdout.write('herald apiserver stopped\n');
  return 0;
}

export const apiserverCommand: Command = {
  name: 'apiserver',
  summary: 'run an in-memory Kubernetes-compatible API server for the lab and tests (not for production)',
  usage: USAGE,
  run,
};
