/**
 * `herald controller`: the allocating controller (src/controller). This module parses the flags purely
 * (parseControllerArgs, unit-tested) and hands typed options to runController; it reads nothing from the
 * process itself (the environment arrives through CommandIo).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { runController, type ControllerOptions } from '../controller/index.js';
import { UsageError, type Command, type CommandIo } from './command.js';
import { durationFlag, logLevelFlag, nonEmpty, parseListen, readFlags } from './flags.js';

export { parseListen } from './flags.js';

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

/** client-go: RenewDeadline must exceed JitterFactor (1.2) × RetryPeriod. */
const JITTER_FACTOR = 1.2;

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

/** Parses the flags; `defaultIdentity` is used when --identity is absent. Throws UsageError. */
export function parseControllerArgs(args: readonly string[], defaultIdentity: string): ControllerOptions {
  const v = readFlags(args, VALUE_FLAGS);
  const logLevel = logLevelFlag(v.logLevel ?? CONTROLLER_DEFAULTS.logLevel);
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
