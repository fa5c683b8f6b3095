/**
 * The lab's pure parts, without root: `npm run lab` flags, the preflight refusal (root, tools), the
 * kube-proxy-style nftables ruleset of the VM scenario, and the endpoint controller's EndpointSlices.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command.js';
import { parseLabArgs, preflight, REQUIRED_TOOLS } from '../../../src/lab/main.js';
import { endpointSlices, type LabPod } from '../../../src/lab/objects.js';
import { proxyRuleset } from '../../../src/lab/vms.js';

describe('parseLabArgs', () => {
  it('defaults to every scenario, not kept, default membership timing', () => {
    expect(parseLabArgs([])).toEqual({ scenario: 'all', keep: false, tuned: false, prefix: 'herald-lab-' });
  });

  it('reads --scenario, --keep, --tuned and --prefix in both forms', () => {
    expect(parseLabArgs(['--scenario', 'vms', '--keep', '--tuned', '--prefix=demo-'])).toEqual({
      scenario: 'vms',
      keep: true,
      tuned: true,
      prefix: 'demo-',
    });
    expect(parseLabArgs(['--scenario=pods']).scenario).toBe('pods');
  });

  it('refuses bad values and unknown flags with a UsageError naming them', () => {
    expect(() => parseLabArgs(['--scenario', 'bgp'])).toThrow(
      /--scenario must be pods, vms or all, got "bgp"/,
    );
    expect(() => parseLabArgs(['--scenario'])).toThrow(/--scenario needs a value/);
    expect(() => parseLabArgs(['--prefix', 'Bad Prefix'])).toThrow(/--prefix must be/);
    expect(() => parseLabArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseLabArgs(['pods'])).toThrow(/unexpected argument "pods"/);
  });
});

describe('preflight', () => {
  const everything = (): boolean => true;

  it('refuses when not root', () => {
    expect(preflight(1000, '/usr/bin', everything)).toMatch(/needs root/);
    expect(preflight(undefined, '/usr/bin', everything)).toMatch(/needs root/);
  });

  it('names every missing tool', () => {
    const present = new Set(['/usr/sbin/ip', '/usr/bin/curl', '/usr/bin/kubectl']);
    const reason = preflight(0, '/usr/sbin:/usr/bin', (p) => present.has(String(p)));
    expect(reason).toMatch(/^missing tool\(s\): nft, arping, ndisc6 /);
  });

  it('accepts root with every tool (this build has herald speaker)', () => {
    expect(REQUIRED_TOOLS).toEqual(['ip', 'nft', 'curl', 'arping', 'ndisc6', 'kubectl']);
    expect(preflight(0, '/usr/bin', everything)).toBeUndefined();
  });
});

describe('proxyRuleset (the VM scenario as kube-proxy)', () => {
  it('DNATs each VIP to its family at random, masquerades DNATed flows, and replaces the table atomically', () => {
    const text = proxyRuleset(['192.0.2.201', '2001:db8::201'], {
      IPv4: ['198.51.100.1', '198.51.100.2'],
      IPv6: ['2001:db8:100::2'],
    });
    expect(text).toContain(
      'ip daddr 192.0.2.201 tcp dport 80 dnat ip to numgen random mod 2 map { 0 : 198.51.100.1, 1 : 198.51.100.2 }',
    );
    expect(text).toContain('ip6 daddr 2001:db8::201 tcp dport 80 dnat ip6 to 2001:db8:100::2');
    expect(text).toContain('ct status dnat masquerade');
    expect(text.split('\n').slice(0, 2)).toEqual([
      'table inet herald_lab {}',
      'delete table inet herald_lab',
    ]);
  });

  it('rejects when no endpoint is ready', () => {
    expect(proxyRuleset(['192.0.2.201'], { IPv4: [], IPv6: [] })).toContain(
      'ip daddr 192.0.2.201 tcp dport 80 reject',
    );
  });
});

describe('endpointSlices (the lab as endpoint controller)', () => {
  const pod = (
    name: string,
    node: string,
    labels: Record<string, string>,
    ips: string[],
    ready = true,
  ): LabPod => ({
    namespace: 'lab',
    name,
    nodeName: node,
    labels,
    ips,
    ready,
  });
  const pods = [
    pod('virt-launcher-vm-1', 'node-1', { 'app.kubernetes.io/part-of': 'vm-web' }, [
      '198.51.100.1',
      '2001:db8:100::1',
    ]),
    pod('virt-launcher-vm-2', 'node-2', { 'app.kubernetes.io/part-of': 'vm-web' }, ['198.51.100.2'], false),
    pod('other', 'node-3', { app: 'other' }, ['198.51.100.3']),
  ];

  it('selects Pods by label, one slice per family, with readiness, nodeName and targetRef', () => {
    const [v4, v6] = endpointSlices('lab', 'vm-web', { 'app.kubernetes.io/part-of': 'vm-web' }, pods, [
      'IPv4',
      'IPv6',
    ]) as {
      metadata: { name: string; labels: Record<string, string> };
      addressType: string;
      endpoints: {
        addresses: string[];
        conditions: { ready: boolean };
        nodeName: string;
        targetRef: { name: string };
      }[];
    }[];
    expect(v4!.metadata.name).toBe('vm-web-ipv4');
    expect(v4!.metadata.labels['kubernetes.io/service-name']).toBe('vm-web');
    expect(
      v4!.endpoints.map((e) => [e.addresses[0], e.conditions.ready, e.nodeName, e.targetRef.name]),
    ).toEqual([
      ['198.51.100.1', true, 'node-1', 'virt-launcher-vm-1'],
      ['198.51.100.2', false, 'node-2', 'virt-launcher-vm-2'],
    ]);
    expect(v6!.addressType).toBe('IPv6');
    expect(v6!.endpoints.map((e) => e.addresses[0])).toEqual(['2001:db8:100::1']);
  });
});
