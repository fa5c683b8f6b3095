import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { dispatch } from '../../../src/cli/registry.js';
import { buildSnapshot, expandLists, parseValidateArgs } from '../../../src/cli/validate.js';
import { UsageError } from '../../../src/cli/command.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));

async function validate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await dispatch(COMMANDS, ['validate', ...args], {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    signal: new AbortController().signal,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('herald validate', () => {
  it('is registered and summarizes a valid configuration', async () => {
    const r = await validate('-f', fixture('valid-full.yaml'));
    expect(r).toEqual({
      code: 0,
      out: 'valid: 2 pools, 1 L2 advertisement, 2 BGP advertisements, 3 BGP peers, 2 BFD profiles, 2 community aliases\n',
      err: '',
    });
  });

  it('prints every error, one per line, and exits 1', async () => {
    const r = await validate('--filename', fixture('cli/invalid.yaml'));
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'IPAddressPool metallb-system/pool-a: spec.addresses[1]: "192.0.2.300/24": "192.0.2.300" is not an IP address',
      'BGPPeer metallb-system/router: spec.holdTime: hold time 2s must be 0 or at least 3s (RFC 4271 §4.2)',
      'invalid: 2 errors',
      '',
    ]);
  });

  it('expands List objects (nested too), ignores status and server metadata, prints warnings', async () => {
    const r = await validate(`--filename=${fixture('cli/list.json')}`);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'warning: L2Advertisement metallb-system/l2: spec.ipAddressPools[1]: IPAddressPool "pool-gone" does not exist; ignored\n' +
        'valid: 1 pool, 1 L2 advertisement, 0 BGP advertisements, 0 BGP peers, 0 BFD profiles, 0 community aliases\n',
    );
  });

  it('combines several files into one snapshot, skipping other kinds and empty documents', async () => {
    const r = await validate('-f', fixture('cli/pools.yaml'), '-f', fixture('cli/peers.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toBe('herald validate: ignored 1 object of other kinds: Deployment\n');
    expect(r.out).toContain(
      'BGPAdvertisement metallb-system/all: spec.aggregationLength: 16 is invalid for IPAddressPool pool-a: prefix /24',
    );
  });

  it('places objects without a namespace in --namespace', async () => {
    const r = await validate('-f', fixture('cli/pools.yaml'), '-n', 'lb-system');
    expect(r.code).toBe(0);
    const other = await validate('-f', fixture('valid-full.yaml'), '--namespace', 'lb-system');
    expect(other.code).toBe(1);
    expect(other.out).toContain(
      'IPAddressPool metallb-system/pool-a: metadata.namespace: must be "lb-system"',
    );
  });

  it('reports YAML syntax errors and unreadable files with exit 1', async () => {
    const bad = await validate('-f', fixture('cli/bad.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^herald validate: .*bad\.yaml: document 1 is not valid YAML\/JSON: /);
    const missing = await validate('-f', fixture('cli/does-not-exist.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read');
  });

  it('exits 2 with usage on bad flags', async () => {
    for (const args of [[], ['-f'], ['--bogus'], ['file.yaml'], ['-f', 'x', '--namespace=']]) {
      const r = await validate(...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('Usage: herald validate');
    }
  });
});

describe('validate helpers', () => {
  it('parses flags', () => {
    expect(parseValidateArgs(['-f', 'a', '--filename=b', '-n', 'x'])).toEqual({
      files: ['a', 'b'],
      namespace: 'x',
    });
    expect(parseValidateArgs(['-f', 'a'])).toEqual({ files: ['a'], namespace: 'metallb-system' });
    expect(() => parseValidateArgs(['-n', 'x'])).toThrow(UsageError);
  });

  it('sorts objects by apiVersion group and kind', () => {
    const { snapshot, skipped } = buildSnapshot([
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool' },
      { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer' },
      { apiVersion: 'v1', kind: 'Secret' },
      { apiVersion: 'v1', kind: 'Node' },
      { apiVersion: 'example.com/v1', kind: 'IPAddressPool' },
      { apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status' },
      'text',
    ]);
    expect(
      Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, (v as unknown[]).length])),
    ).toEqual({
      ipAddressPools: 1,
      bgpPeers: 1,
      secrets: 1,
      nodes: 1,
    });
    expect(skipped).toEqual(['IPAddressPool', 'ServiceL2Status', '(no kind)']);
  });

  it('expands nested lists', () => {
    expect(expandLists({ kind: 'List', items: [{ kind: 'FooList', items: [1, 2] }, 3] })).toEqual([1, 2, 3]);
    expect(expandLists({ kind: 'List' })).toEqual([{ kind: 'List' }]);
  });
});
