/** `herald controller` flag parsing: defaults, every flag, and a clear UsageError for each bad input. */
import { describe, expect, it } from 'vitest';
import { parseControllerArgs, parseListen } from '../../../src/cli/controller.js';
import { UsageError } from '../../../src/cli/command.js';

const ID = 'pod-1_abc';

describe('parseControllerArgs', () => {
  it('applies the documented defaults', () => {
    expect(parseControllerArgs(['--kubeconfig', 'kc.yaml'], ID)).toEqual({
      kubeconfig: 'kc.yaml',
      namespace: 'metallb-system',
      metricsListen: { host: '0.0.0.0', port: 7472 },
      logLevel: 'info',
      leaseName: 'herald-controller',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      identity: ID,
      memberlistSecret: 'memberlist',
    });
  });

  it('uses the in-cluster configuration when --kubeconfig is absent', () => {
    expect(parseControllerArgs([], ID).kubeconfig).toBeUndefined();
  });

  it('reads every flag, in both --flag value and --flag=value form', () => {
    const o = parseControllerArgs(
      [
        '--kubeconfig=/tmp/kc',
        '-n',
        'lb',
        '--lb-class',
        'herald.io/lb',
        '--metrics-listen=127.0.0.1:0',
        '--log-level',
        'debug',
        '--lease-name',
        'l',
        '--lease-duration',
        '3s',
        '--renew-deadline=2s',
        '--retry-period',
        '500ms',
        '--identity',
        'me',
        '--memberlist-secret',
        'ml',
      ],
      ID,
    );
    expect(o).toEqual({
      kubeconfig: '/tmp/kc',
      namespace: 'lb',
      lbClass: 'herald.io/lb',
      metricsListen: { host: '127.0.0.1', port: 0 },
      logLevel: 'debug',
      leaseName: 'l',
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
      identity: 'me',
      memberlistSecret: 'ml',
    });
  });

  it.each([
    { args: ['--bogus'], message: 'unknown flag --bogus' },
    { args: ['extra'], message: 'unexpected argument "extra"' },
    { args: ['--namespace'], message: 'flag --namespace needs a value' },
    { args: ['--namespace', '--log-level'], message: 'flag --namespace needs a value' },
    { args: ['--namespace='], message: '--namespace must not be empty' },
    { args: ['--log-level', 'loud'], message: '--log-level "loud": expected one of' },
    { args: ['--lease-duration', '15'], message: '--lease-duration: "15" is not a duration' },
    { args: ['--retry-period', '0s'], message: '--retry-period: must be positive' },
    { args: ['--lease-duration', '10s'], message: '--lease-duration must be greater than --renew-deadline' },
    { args: ['--retry-period', '9s'], message: '--renew-deadline must be greater than 1.2 × --retry-period' },
    { args: ['--metrics-listen', 'localhost'], message: '--metrics-listen "localhost": expected HOST:PORT' },
    { args: ['--metrics-listen', ':70000'], message: 'expected HOST:PORT' },
  ])('rejects $args', ({ args, message }) => {
    expect(() => parseControllerArgs(args, ID)).toThrow(UsageError);
    expect(() => parseControllerArgs(args, ID)).toThrow(message);
  });
});

describe('parseListen', () => {
  it.each([
    { text: ':7472', want: { host: '0.0.0.0', port: 7472 } },
    { text: '127.0.0.1:9', want: { host: '127.0.0.1', port: 9 } },
    { text: '[::1]:7472', want: { host: '::1', port: 7472 } },
    { text: 'metrics.local:80', want: { host: 'metrics.local', port: 80 } },
  ])('$text', ({ text, want }) => {
    expect(parseListen(text)).toEqual(want);
  });
});
