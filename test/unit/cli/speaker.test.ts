/** `herald speaker` flag parsing: the contract's defaults, every flag, durations, and a UsageError naming the flag. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command.js';
import { COMMANDS } from '../../../src/cli/commands.js';
import { parseSpeakerArgs, speakerCommand } from '../../../src/cli/speaker.js';

describe('parseSpeakerArgs', () => {
  it('applies the documented defaults', () => {
    expect(parseSpeakerArgs(['--node', 'node-1'])).toEqual({
      node: 'node-1',
      namespace: 'metallb-system',
      ignoreExcludeLb: false,
      metricsListen: { host: '0.0.0.0', port: 7472 },
      logLevel: 'info',
      memberlistPort: 7946,
      memberlistSecret: 'memberlist',
      speakerSelector: 'app=metallb,component=speaker',
      membership: {},
      interfacePollMs: 1000,
    });
  });

  it('requires --node', () => {
    expect(() => parseSpeakerArgs([])).toThrow(UsageError);
    expect(() => parseSpeakerArgs(['--kubeconfig', 'kc'])).toThrow(/--node is required/);
  });

  it('reads every flag, in both --flag value and --flag=value form', () => {
    const o = parseSpeakerArgs([
      '--node=node-2',
      '--kubeconfig',
      '/tmp/kc',
      '-n',
      'lb',
      '--lb-class',
      'herald.io/lb',
      '--ignore-exclude-lb',
      '--metrics-listen=127.0.0.1:0',
      '--log-level',
      'debug',
      '--memberlist-bind',
      '2001:db8::11',
      '--memberlist-port=17946',
      '--memberlist-secret',
      'ml',
      '--speaker-selector',
      'app=herald',
      '--probe-interval',
      '100ms',
      '--probe-timeout=30ms',
      '--indirect-timeout',
      '40ms',
      '--suspicion-timeout',
      '120ms',
      '--interface-poll',
      '250ms',
    ]);
    expect(o).toEqual({
      node: 'node-2',
      kubeconfig: '/tmp/kc',
      namespace: 'lb',
      lbClass: 'herald.io/lb',
      ignoreExcludeLb: true,
      metricsListen: { host: '127.0.0.1', port: 0 },
      logLevel: 'debug',
      memberlistBind: '2001:db8::11',
      memberlistPort: 17946,
      memberlistSecret: 'ml',
      speakerSelector: 'app=herald',
      membership: {
        probeIntervalMs: 100,
        probeTimeoutMs: 30,
        indirectTimeoutMs: 40,
        suspicionTimeoutMs: 120,
      },
      interfacePollMs: 250,
    });
    expect(parseSpeakerArgs(['--node', 'n', '--namespace', 'x']).namespace).toBe('x');
    expect(parseSpeakerArgs(['--node', 'n', '--ignore-exclude-lb=false']).ignoreExcludeLb).toBe(false);
    expect(parseSpeakerArgs(['--node', 'n', '--ignore-exclude-lb=true']).ignoreExcludeLb).toBe(true);
    expect(parseSpeakerArgs(['--node', 'n', '--memberlist-bind', '192.0.2.11']).memberlistBind).toBe(
      '192.0.2.11',
    );
  });

  it('accepts Go durations', () => {
    expect(parseSpeakerArgs(['--node', 'n', '--interface-poll', '1m30s']).interfacePollMs).toBe(90_000);
    expect(parseSpeakerArgs(['--node', 'n', '--suspicion-timeout', '1.5s']).membership).toEqual({
      suspicionTimeoutMs: 1500,
    });
  });

  it.each([
    [['--node', 'n', '--probe-interval', 'soon'], /^--probe-interval: /],
    [['--node', 'n', '--probe-timeout', '5'], /^--probe-timeout: /],
    [['--node', 'n', '--indirect-timeout', '0s'], /^--indirect-timeout: must be positive/],
    [['--node', 'n', '--suspicion-timeout=-1s'], /^--suspicion-timeout: must be positive/],
    [['--node', 'n', '--interface-poll', '0s'], /^--interface-poll: must be positive/],
    [['--node', 'n', '--interface-poll', '10'], /^--interface-poll: /],
    [['--node', 'n', '--probe-timeout', '300ms'], /--probe-timeout must be shorter than --probe-interval/],
    [
      ['--node', 'n', '--probe-interval', '40ms', '--probe-timeout', '40ms'],
      /--probe-timeout must be shorter than --probe-interval/,
    ],
    [['--node', 'n', '--memberlist-port', '0'], /^--memberlist-port "0"/],
    [['--node', 'n', '--memberlist-port', '65536'], /^--memberlist-port "65536"/],
    [['--node', 'n', '--memberlist-port', '79x'], /^--memberlist-port "79x"/],
    [['--node', 'n', '--memberlist-port', '+80'], /^--memberlist-port/],
    [
      ['--node', 'n', '--memberlist-bind', 'node-1.local'],
      /^--memberlist-bind "node-1.local": expected an IP/,
    ],
    [['--node', 'n', '--log-level', 'loud'], /^--log-level "loud"/],
    [['--node', 'n', '--metrics-listen', '7472'], /^--metrics-listen "7472"/],
    [['--node', ''], /^--node must not be empty/],
    [['--node=  '], /^--node must not be empty/],
    [['--node', 'n', '--namespace', ''], /^--namespace must not be empty/],
    [['--node', 'n', '--memberlist-secret='], /^--memberlist-secret must not be empty/],
    [['--node', 'n', '--speaker-selector', ' '], /^--speaker-selector must not be empty/],
    [['--node', 'n', '--lb-class='], /^--lb-class must not be empty/],
    [['--node', 'n', '--kubeconfig='], /^--kubeconfig must not be empty/],
    [['--node', 'n', '--ignore-exclude-lb=maybe'], /^--ignore-exclude-lb: expected true or false/],
    [['--node', 'n', '--bogus'], /^unknown flag --bogus/],
    [['--node', 'n', 'extra'], /^unexpected argument "extra"/],
    [['--node'], /^flag --node needs a value/],
    [['--node', '--log-level', 'info'], /^flag --node needs a value/],
  ])('%j is rejected naming the flag', (args, message) => {
    let error: unknown;
    try {
      parseSpeakerArgs(args);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('speakerCommand', () => {
  it('is registered as `herald speaker` and documents its flags and defaults', () => {
    expect(COMMANDS.find((c) => c.name === 'speaker')).toBe(speakerCommand);
    for (const flag of [
      '--node',
      '--kubeconfig',
      '--namespace',
      '--lb-class',
      '--ignore-exclude-lb',
      '--metrics-listen',
      '--log-level',
      '--memberlist-bind',
      '--memberlist-port',
      '--memberlist-secret',
      '--speaker-selector',
      '--probe-interval',
      '--probe-timeout',
      '--indirect-timeout',
      '--suspicion-timeout',
      '--interface-poll',
    ]) {
      expect(speakerCommand.usage).toContain(flag);
    }
    expect(speakerCommand.usage).toContain('(default 200ms)');
    expect(speakerCommand.usage).toContain('(default 7946)');
  });
});
