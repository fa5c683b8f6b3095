// `herald apiserver` flags, the kubeconfig it writes, fault settings parsing and the state file format.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFaultSettings } from '../../../src/apiserver/faults.js';
import { kubeconfigText } from '../../../src/apiserver/kubeconfig.js';
import { readState, StateFileError, writeState } from '../../../src/apiserver/persistence.js';
import { parseApiserverArgs, parseListen } from '../../../src/cli/apiserver.js';
import { UsageError } from '../../../src/cli/command.js';
import { COMMANDS } from '../../../src/cli/commands.js';

describe('herald apiserver flags', () => {
  it('is registered', () => {
    expect(COMMANDS.map((c) => c.name)).toContain('apiserver');
  });

  it('parses every flag', () => {
    expect(
      parseApiserverArgs([
        '--listen',
        '127.0.0.1:18080',
        '--kubeconfig-out=/tmp/kc',
        '--state',
        '/tmp/s.json',
        '--crd-dir',
        'deploy/crds',
        '--service-cidr',
        '10.0.0.0/16',
        '--watch-window',
        '50',
        '--faults',
        '{"delayMs":5}',
      ]),
    ).toEqual({
      host: '127.0.0.1',
      port: 18080,
      kubeconfigOut: '/tmp/kc',
      stateFile: '/tmp/s.json',
      crdDir: 'deploy/crds',
      serviceCidrs: ['10.0.0.0/16'],
      watchWindow: 50,
      faults: { delayMs: 5 },
    });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
  });

  it.each([
    { args: ['--kubeconfig-out', 'x'], why: '--listen HOST:PORT is required' },
    { args: ['--listen', '127.0.0.1:1'], why: '--kubeconfig-out FILE is required' },
    { args: ['--listen', 'localhost'], why: '--listen must be HOST:PORT' },
    { args: ['--listen', 'h:70000', '--kubeconfig-out', 'x'], why: 'port must be 0..65535' },
    { args: ['--listen', 'h:1', '--kubeconfig-out', 'x', '--watch-window', '0'], why: 'positive integer' },
    {
      args: ['--listen', 'h:1', '--kubeconfig-out', 'x', '--faults', '{"failRate":2}'],
      why: 'failRate must be a number between 0 and 1',
    },
    { args: ['--listen', 'h:1', '--kubeconfig-out', 'x', '--faults', '{'], why: '--faults' },
    { args: ['--listen', 'h:1', '--kubeconfig-out', 'x', '--bogus'], why: 'unknown flag --bogus' },
    { args: ['--listen'], why: 'flag --listen needs a value' },
  ])('rejects $args', ({ args, why }) => {
    expect(() => parseApiserverArgs(args)).toThrow(UsageError);
    expect(() => parseApiserverArgs(args)).toThrow(why);
  });
});

describe('herald apiserver run', () => {
  it('refuses a --crd-dir that does not exist (exit 2, usage)', async () => {
    const { dispatch } = await import('../../../src/cli/registry.js');
    const err: string[] = [];
    const code = await dispatch(
      COMMANDS,
      [
        'apiserver',
        '--listen',
        '127.0.0.1:0',
        '--kubeconfig-out',
        '/tmp/x',
        '--crd-dir',
        '/nonexistent/crds',
      ],
      {
        stdout: { write: () => true },
        stderr: { write: (t: string) => err.push(t) },
        env: {},
        signal: new AbortController().signal,
      },
    );
    expect(code).toBe(2);
    expect(err.join('')).toContain('--crd-dir /nonexistent/crds does not exist');
  });
});

describe('kubeconfig', () => {
  it('points at the plain-HTTP server with a dummy token and a default namespace', () => {
    const kc = parse(kubeconfigText('http://127.0.0.1:18080', { namespace: 'metallb-system' })) as Record<
      string,
      unknown
    >;
    expect(kc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'herald-apiserver',
      clusters: [
        {
          name: 'herald-apiserver',
          cluster: { server: 'http://127.0.0.1:18080', 'insecure-skip-tls-verify': true },
        },
      ],
      contexts: [
        {
          name: 'herald-apiserver',
          context: { cluster: 'herald-apiserver', user: 'herald-apiserver', namespace: 'metallb-system' },
        },
      ],
    });
  });
});

describe('fault settings', () => {
  it.each([
    { raw: [] },
    { raw: { nope: 1 } },
    { raw: { failCode: 418 } },
    { raw: { verbs: ['fly'] } },
    { raw: { resources: [1] } },
    { raw: { delayMs: 'x' } },
  ])('rejects $raw', ({ raw }) => {
    expect(() => parseFaultSettings(raw)).toThrow();
  });
});

describe('state file', () => {
  it('round-trips a snapshot and rejects malformed files with a reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hapi-state-'));
    const file = join(dir, 'state.json');
    expect(await readState(file)).toBeUndefined();
    const snap = {
      resourceVersion: 42,
      objects: [{ storage: '/configmaps', object: { metadata: { name: 'a', namespace: 'default' } } }],
    };
    await writeState(file, snap);
    expect(await readState(file)).toEqual(snap);
    expect(JSON.parse(await readFile(file, 'utf8')).formatVersion).toBe(1);
    for (const [text, why] of [
      ['{', /not valid JSON/],
      ['{"formatVersion":2}', /formatVersion 1 expected/],
      ['{"formatVersion":1,"resourceVersion":0,"objects":[]}', /positive integer/],
      ['{"formatVersion":1,"resourceVersion":3,"objects":[{"storage":1}]}', /objects\[0\]/],
    ] as const) {
      await writeFile(file, text);
      await expect(readState(file)).rejects.toThrow(StateFileError);
      await expect(readState(file)).rejects.toThrow(why);
    }
  });
});

describe('Faults', () => {
  it('fails a matching request with probability failRate, using the injected random source', async () => {
    const { Faults } = await import('../../../src/apiserver/faults.js');
    const draws = [0.05, 0.5, 0.09, 0.95];
    const f = new Faults(() => draws.shift() ?? 1);
    f.set({ failRate: 0.1, verbs: ['list'] });
    expect(f.failureFor('get', 'services')).toBeUndefined();
    const results = [0, 1, 2, 3].map(() => f.failureFor('list', 'services')?.code);
    expect(results).toEqual([500, undefined, 500, undefined]);
    expect(f.delayFor('list', 'services')).toBe(0);
  });
});
