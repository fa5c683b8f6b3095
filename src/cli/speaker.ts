/**
 * `herald speaker`: the per-node speaker (src/speaker), Layer 2 mode. Parses the flags purely
 * (parseSpeakerArgs, unit-tested) into SpeakerOptions and hands them to runSpeaker.
 */
import { isIP } from 'node:net';
import { DEFAULT_MEMBERSHIP_CONFIG, type MembershipConfig } from '../core/membership/index.js';
import { runSpeaker, type SpeakerOptions } from '../speaker/main.js';
import { UsageError, type Command, type CommandIo } from './command.js';
import { durationFlag, logLevelFlag, nonEmpty, parseListen, portFlag, readFlags } from './flags.js';

export const SPEAKER_DEFAULTS = {
  namespace: 'metallb-system',
  metricsListen: '0.0.0.0:7472',
  logLevel: 'info',
  memberlistPort: 7946,
  memberlistSecret: 'memberlist',
  speakerSelector: 'app=metallb,component=speaker',
  interfacePoll: '1s',
} as const;

const ms = (n: number): string => `${n}ms`;

const USAGE = `Usage: herald speaker --node NAME [--kubeconfig FILE] [flags]

Announces the LoadBalancer addresses this node owns (Layer 2: ARP and NDP answers, gratuitous ARP and
unsolicited NA on takeover). Speakers find each other through the speaker Pods and detect failures with
an authenticated UDP protocol keyed by the memberlist Secret. Run one per node (DaemonSet).

Flags:
  --node NAME                 this node's name (required; in a Pod: $NODE_NAME from spec.nodeName)
  --kubeconfig FILE           kubeconfig to use (default: in-cluster service account)
  -n, --namespace NAME        the MetalLB namespace (default ${SPEAKER_DEFAULTS.namespace})
  --lb-class NAME             handle only Services with spec.loadBalancerClass NAME
  --ignore-exclude-lb         announce from nodes labelled node.kubernetes.io/exclude-from-external-load-balancers
  --metrics-listen HOST:PORT  /metrics, /healthz, /readyz (default ${SPEAKER_DEFAULTS.metricsListen})
  --log-level LEVEL           fatal, error, warn, info, debug, trace or silent (default ${SPEAKER_DEFAULTS.logLevel})
  --memberlist-bind IP        membership bind address (default: this node's speaker Pod IP, else 0.0.0.0)
  --memberlist-port N         membership UDP port (default ${SPEAKER_DEFAULTS.memberlistPort})
  --memberlist-secret NAME    Secret holding the membership key (default ${SPEAKER_DEFAULTS.memberlistSecret})
  --speaker-selector SEL      label selector of the speaker Pods (default ${SPEAKER_DEFAULTS.speakerSelector})
  --probe-interval D          membership probe period (default ${ms(DEFAULT_MEMBERSHIP_CONFIG.probeIntervalMs)})
  --probe-timeout D           wait for a direct ack (default ${ms(DEFAULT_MEMBERSHIP_CONFIG.probeTimeoutMs)})
  --indirect-timeout D        wait for indirect acks (default ${ms(DEFAULT_MEMBERSHIP_CONFIG.indirectTimeoutMs)})
  --suspicion-timeout D       a suspect is declared down after this (default ${ms(DEFAULT_MEMBERSHIP_CONFIG.suspicionTimeoutMs)})
  --interface-poll D          interface rescan period (default ${SPEAKER_DEFAULTS.interfacePoll})
Durations use Go syntax: 100ms, 1s. Failure detection takes about probe-timeout + indirect-timeout +
suspicion-timeout after the first missed probe (docs/membership.md).
`;

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '--node': 'node',
  '--kubeconfig': 'kubeconfig',
  '-n': 'namespace',
  '--namespace': 'namespace',
  '--lb-class': 'lbClass',
  '--metrics-listen': 'metricsListen',
  '--log-level': 'logLevel',
  '--memberlist-bind': 'memberlistBind',
  '--memberlist-port': 'memberlistPort',
  '--memberlist-secret': 'memberlistSecret',
  '--speaker-selector': 'speakerSelector',
  '--probe-interval': 'probeInterval',
  '--probe-timeout': 'probeTimeout',
  '--indirect-timeout': 'indirectTimeout',
  '--suspicion-timeout': 'suspicionTimeout',
  '--interface-poll': 'interfacePoll',
};
const BOOLEAN_FLAGS: Readonly<Record<string, string>> = { '--ignore-exclude-lb': 'ignoreExcludeLb' };

function membership(v: Record<string, string>): Partial<MembershipConfig> {
  const out: Partial<Record<keyof MembershipConfig, number>> = {};
  const map: [string, string, keyof MembershipConfig][] = [
    ['probeInterval', '--probe-interval', 'probeIntervalMs'],
    ['probeTimeout', '--probe-timeout', 'probeTimeoutMs'],
    ['indirectTimeout', '--indirect-timeout', 'indirectTimeoutMs'],
    ['suspicionTimeout', '--suspicion-timeout', 'suspicionTimeoutMs'],
  ];
  for (const [key, flag, field] of map) {
    const text = v[key];
    if (text !== undefined) out[field] = durationFlag(flag, text);
  }
  const interval = out.probeIntervalMs ?? DEFAULT_MEMBERSHIP_CONFIG.probeIntervalMs;
  const timeout = out.probeTimeoutMs ?? DEFAULT_MEMBERSHIP_CONFIG.probeTimeoutMs;
  if (timeout >= interval) throw new UsageError('--probe-timeout must be shorter than --probe-interval');
  return out;
}

/** Parses the flags; throws UsageError naming the flag. */
export function parseSpeakerArgs(args: readonly string[]): SpeakerOptions {
  const v = readFlags(args, VALUE_FLAGS, BOOLEAN_FLAGS);
  if (v.node === undefined)
    throw new UsageError('--node is required (the name of the Node this speaker runs on)');
  const logLevel = logLevelFlag(v.logLevel ?? SPEAKER_DEFAULTS.logLevel);
  if (v.memberlistBind !== undefined && isIP(v.memberlistBind) === 0) {
    throw new UsageError(`--memberlist-bind "${v.memberlistBind}": expected an IP address`);
  }
  return {
    ...(v.kubeconfig !== undefined && { kubeconfig: nonEmpty('--kubeconfig', v.kubeconfig) }),
    node: nonEmpty('--node', v.node),
    namespace: nonEmpty('--namespace', v.namespace ?? SPEAKER_DEFAULTS.namespace),
    ...(v.lbClass !== undefined && { lbClass: nonEmpty('--lb-class', v.lbClass) }),
    ignoreExcludeLb: v.ignoreExcludeLb === 'true',
    metricsListen: parseListen(v.metricsListen ?? SPEAKER_DEFAULTS.metricsListen),
    logLevel,
    ...(v.memberlistBind !== undefined && { memberlistBind: v.memberlistBind }),
    memberlistPort:
      v.memberlistPort === undefined
        ? SPEAKER_DEFAULTS.memberlistPort
        : portFlag('--memberlist-port', v.memberlistPort),
    memberlistSecret: nonEmpty(
      '--memberlist-secret',
      v.memberlistSecret ?? SPEAKER_DEFAULTS.memberlistSecret,
    ),
    speakerSelector: nonEmpty('--speaker-selector', v.speakerSelector ?? SPEAKER_DEFAULTS.speakerSelector),
    membership: membership(v),
    interfacePollMs: durationFlag('--interface-poll', v.interfacePoll ?? SPEAKER_DEFAULTS.interfacePoll),
  };
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  return runSpeaker(parseSpeakerArgs(args), io);
}

export const speakerCommand: Command = {
  name: 'speaker',
  summary: 'announce the addresses this node owns (Layer 2; one per node; MetalLB speaker)',
  usage: USAGE,
  run,
};
