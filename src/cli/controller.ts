/**
 * `herald controller`: the allocating controller (src/controller). This module parses the flags purely
 * (parseControllerArgs, unit-tested) and hands typed options to runController; it reads nothing from the
 * process itself (the environment arrives through CommandIo).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { parseDuration } from '../config/duration.js';
import { runController, type ControllerOptions, type LogLevel } from '../controller/index.js';
import { UsageError, type Command, type CommandIo } from './command.js';

export const CONTROLLER_DEFAULTS = {
  namespace: 'metallb-system',
  metricsListen: '0.0.0.0:7472',
  logLevel: 'info',
  leaseName: 'herald-controller',
  leaseDuration: '15s',
  renewDeadline: '10s',
  retryPeriod: '2s',
  memberlistSecret: 'memberlist',
} as const;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** client-go: RenewDeadline must exceed JitterFactor (1.2) × RetryPeriod. */
const JITTER_FACTOR = 1.2;
const PORT_MAX = 65535;

const USAGE = `Usage: herald controller [--kubeconfig FILE] [flags]

Allocates LoadBalancer addresses to Services from MetalLB's IPAddressPools and writes them to
status.loadBalancer.ingress. Run two or more replicas: they elect a leader with a Lease; only the
leader allocates.

Flags:
  --kubeconfig FILE          kubeconfig to use (default: in-cluster service account)
  -n, --namespace NAME       the MetalLB namespace holding the configuration (default ${CONTROLLER_DEFAULTS.namespace})
  --lb-class NAME            handle only Services with spec.loadBalancerClass NAME (default: only Services
                             without a class)
  --metrics-listen HOST:PORT address for /metrics, /healthz and /readyz (default ${CONTROLLER_DEFAULTS.metricsListen})
  --log-level LEVEL          fatal, error, warn, info, debug, trace or silent (default ${CONTROLLER_DEFAULTS.logLevel})
  --lease-name NAME          the coordination.k8s.io Lease used for leader election (default ${CONTROLLER_DEFAULTS.leaseName})
  --lease-duration D         how long a lease is valid without renewal (default ${CONTROLLER_DEFAULTS.leaseDuration})
  --renew-deadline D         the leader stops writing when it could not renew for this long (default ${CONTROLLER_DEFAULTS.renewDeadline})
  --retry-period D           interval between lease attempts (default ${CONTROLLER_DEFAULTS.retryPeriod})
  --identity NAME            this replica's holder identity (default: $POD_NAME or the host name, plus a
                             random suffix)
  --memberlist-secret NAME   the Secret with the speakers' membership key, created if missing (default
                             ${CONTROLLER_DEFAULTS.memberlistSecret})
Durations use Go syntax: 500ms, 15s, 1m.
`;

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '--kubeconfig': 'kubeconfig',
  '-n': 'namespace',
  '--namespace': 'namespace',
  '--lb-class': 'lbClass',
  '--metrics-listen': 'metricsListen',
  '--log-level': 'logLevel',
  '--lease-name': 'leaseName',
  '--lease-duration': 'leaseDuration',
  '--renew-deadline': 'renewDeadline',
  '--retry-period': 'retryPeriod',
  '--identity': 'identity',
  '--memberlist-secret': 'memberlistSecret',
};

/** Splits `HOST:PORT`, `[V6]:PORT` or `:PORT` (all interfaces). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > PORT_MAX) {
    throw new UsageError(`--metrics-listen "${text}": expected HOST:PORT, [IPv6]:PORT or :PORT`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

function durationFlag(flag: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.reason}`);
  if (parsed.ms <= 0) throw new UsageError(`${flag}: must be positive, got "${text}"`);
  return parsed.ms;
}

function readFlags(args: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] =
      arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const key = VALUE_FLAGS[flag];
    if (key === undefined) {
      throw new UsageError(flag.startsWith('-') ? `unknown flag ${flag}` : `unexpected argument "${arg}"`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`flag ${flag} needs a value`);
    }
    values[key] = value;
  }
  return values;
}

function timing(
  v: Record<string, string>,
): Pick<ControllerOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'> {
  const leaseDurationMs = durationFlag(
    '--lease-duration',
    v.leaseDuration ?? CONTROLLER_DEFAULTS.leaseDuration,
  );
  const renewDeadlineMs = durationFlag(
    '--renew-deadline',
    v.renewDeadline ?? CONTROLLER_DEFAULTS.renewDeadline,
  );
  const retryPeriodMs = durationFlag('--retry-period', v.retryPeriod ?? CONTROLLER_DEFAULTS.retryPeriod);
  if (leaseDurationMs <= renewDeadlineMs) {
    throw new UsageError('--lease-duration must be greater than --renew-deadline');
  }
  if (renewDeadlineMs <= JITTER_FACTOR * retryPeriodMs) {
    throw new UsageError(`--renew-deadline must be greater than ${JITTER_FACTOR} × --retry-period`);
  }
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

/** Parses the flags; `defaultIdentity` is used when --identity is absent. Throws UsageError. */
export function parseControllerArgs(args: readonly string[], defaultIdentity: string): ControllerOptions {
  const v = readFlags(args);
  const logLevel = (v.logLevel ?? CONTROLLER_DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level "${logLevel}": expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    ...(v.kubeconfig !== undefined && { kubeconfig: nonEmpty('--kubeconfig', v.kubeconfig) }),
    namespace: nonEmpty('--namespace', v.namespace ?? CONTROLLER_DEFAULTS.namespace),
    ...(v.lbClass !== undefined && { lbClass: nonEmpty('--lb-class', v.lbClass) }),
    metricsListen: parseListen(v.metricsListen ?? CONTROLLER_DEFAULTS.metricsListen),
    logLevel,
    leaseName: nonEmpty('--lease-name', v.leaseName ?? CONTROLLER_DEFAULTS.leaseName),
    ...timing(v),
    identity: nonEmpty('--identity', v.identity ?? defaultIdentity),
    memberlistSecret: nonEmpty(
      '--memberlist-secret',
      v.memberlistSecret ?? CONTROLLER_DEFAULTS.memberlistSecret,
    ),
  };
}

/** client-go's default identity: the pod (or host) name and a random suffix. */
export function defaultIdentity(env: CommandIo['env']): string {
  return `${env.POD_NAME ?? hostname()}_${randomUUID()}`;
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseControllerArgs(args, defaultIdentity(io.env));
  return runController(options, io);
}

export const controllerCommand: Command = {
  name: 'controller',
  summary: 'allocate LoadBalancer addresses to Services (leader-elected; MetalLB controller)',
  usage: USAGE,
  run,
};
