// Service semantics: defaults, cluster IP allocation per family (dual-stack per ipFamilyPolicy), node
// ports for NodePort/LoadBalancer, explicit values, values kept across updates, releases on type change
// and delete, and validation errors in the real server's wording.
import { describe, expect, it } from 'vitest';
import { remove } from '../../../src/apiserver/rest/delete.js';
import { create, update } from '../../../src/apiserver/rest/write.js';
import { CidrAllocator, PortAllocator } from '../../../src/apiserver/strategies/allocators.js';
import type { JsonObject, KubeObject } from '../../../src/apiserver/types.js';
import { CORE, makeEngine, scope, thrown } from './fixture.js';

const svc = (name: string, spec: JsonObject): KubeObject => ({
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});
const specOf = (o: KubeObject) => o.spec as JsonObject;

describe('Service create', () => {
  it('defaults a ClusterIP Service and allocates one IPv4 address', () => {
    const e = makeEngine();
    const out = create(e, scope(e, CORE('services')), {
      metadata: { name: 'a' },
      spec: { ports: [{ port: 80 }] },
    }).object;
    expect(specOf(out)).toEqual({
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
    });
    expect(out.status).toEqual({ loadBalancer: {} });
  });

  it.each([
    {
      policy: 'PreferDualStack',
      families: undefined,
      want: ['IPv4', 'IPv6'],
      ips: ['10.96.0.1', 'fd00:10:96::1'],
    },
    {
      policy: 'RequireDualStack',
      families: ['IPv6', 'IPv4'],
      want: ['IPv6', 'IPv4'],
      ips: ['fd00:10:96::1', '10.96.0.1'],
    },
    { policy: 'SingleStack', families: ['IPv6'], want: ['IPv6'], ips: ['fd00:10:96::1'] },
    {
      policy: undefined,
      families: ['IPv4', 'IPv6'],
      want: ['IPv4', 'IPv6'],
      ips: ['10.96.0.1', 'fd00:10:96::1'],
    },
  ])('honours ipFamilyPolicy $policy with ipFamilies $families', ({ policy, families, want, ips }) => {
    const e = makeEngine();
    const out = create(
      e,
      scope(e, CORE('services')),
      svc('a', {
        ...(policy ? { ipFamilyPolicy: policy } : {}),
        ...(families ? { ipFamilies: families } : {}),
      }),
    ).object;
    expect(specOf(out)).toMatchObject({ ipFamilies: want, clusterIPs: ips, clusterIP: ips[0] });
    expect(specOf(out).ipFamilyPolicy).toBe(policy ?? 'RequireDualStack');
  });

  it('rejects RequireDualStack on a single-stack cluster and PreferDualStack degrades to one family', () => {
    const e = makeEngine({ serviceCidrs: ['10.0.0.0/24'] });
    expect(
      thrown(() => create(e, scope(e, CORE('services')), svc('a', { ipFamilyPolicy: 'RequireDualStack' })))
        .message,
    ).toMatch(
      /spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services/,
    );
    const out = create(e, scope(e, CORE('services')), svc('b', { ipFamilyPolicy: 'PreferDualStack' })).object;
    expect(specOf(out)).toMatchObject({
      ipFamilies: ['IPv4'],
      clusterIPs: [expect.stringMatching(/^10\.0\.0\.\d+$/)],
    });
  });

  it('allocates node ports for LoadBalancer Services, keeps explicit ones and refuses taken ones', () => {
    const e = makeEngine();
    const lb = create(
      e,
      scope(e, CORE('services')),
      svc('lb', {
        type: 'LoadBalancer',
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 81, nodePort: 31000 },
        ],
      }),
    ).object;
    expect(specOf(lb)).toMatchObject({
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Cluster',
    });
    expect((specOf(lb).ports as JsonObject[]).map((p) => p.nodePort)).toEqual([30000, 31000]);
    const err = thrown(() =>
      create(
        e,
        scope(e, CORE('services')),
        svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }),
      ),
    );
    expect(err.message).toBe(
      'Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated',
    );
    const none = create(
      e,
      scope(e, CORE('services')),
      svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }),
    ).object;
    expect((specOf(none).ports as JsonObject[])[0]!.nodePort).toBeUndefined();
  });

  it('accepts an explicit cluster IP once and rejects it out of range or taken', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('services')), svc('a', { clusterIP: '10.96.5.5' }));
    expect(
      thrown(() => create(e, scope(e, CORE('services')), svc('b', { clusterIP: '10.96.5.5' }))).message,
    ).toMatch(/provided IP is already allocated/);
    expect(
      thrown(() => create(e, scope(e, CORE('services')), svc('c', { clusterIP: '192.0.2.1' }))).message,
    ).toMatch(/provided IP is not in the valid range. The range of valid IPs is 10.96.0.0\/12/);
    expect(e.allocators.ips.get('IPv4')!.allocatedCount).toBe(1);
  });

  it('handles headless and ExternalName Services without allocating', () => {
    const e = makeEngine();
    const headless = create(e, scope(e, CORE('services')), {
      metadata: { name: 'h' },
      spec: { clusterIP: 'None' },
    }).object;
    expect(specOf(headless)).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
    const ext = create(e, scope(e, CORE('services')), {
      metadata: { name: 'x' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    }).object;
    expect(specOf(ext).clusterIP).toBeUndefined();
    expect(e.allocators.ips.get('IPv4')!.allocatedCount).toBe(0);
  });

  it.each([
    {
      spec: { type: 'Weird' },
      msg: 'spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"',
    },
    { spec: { ports: [] }, msg: 'spec.ports: Required value' },
    {
      spec: { ports: [{ port: 0 }] },
      msg: 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      spec: { ports: [{ port: 80, protocol: 'ICMP' }] },
      msg: 'spec.ports[0].protocol: Unsupported value: "ICMP"',
    },
    { spec: { ports: [{ port: 80 }, { port: 81 }] }, msg: 'spec.ports[0].name: Required value' },
    {
      spec: {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ],
      },
      msg: 'spec.ports[1]: Duplicate value: "80/TCP"',
    },
    {
      spec: { ports: [{ port: 80, nodePort: 30000 }] },
      msg: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    },
    {
      spec: { loadBalancerClass: 'x' },
      msg: "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    },
    {
      spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'SingleStack' },
      msg: 'spec.ipFamilyPolicy: Invalid value: "SingleStack"',
    },
    { spec: { type: 'ExternalName' }, msg: 'spec.externalName: Required value' },
  ])('rejects $msg', ({ spec, msg }) => {
    const e = makeEngine();
    const err = thrown(() =>
      create(e, scope(e, CORE('services')), {
        metadata: { name: 'bad' },
        spec: spec as unknown as JsonObject,
      }),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain(msg);
  });
});

describe('Service update and delete', () => {
  it('keeps allocated IPs and node ports when an update omits them and rejects a changed cluster IP', () => {
    const e = makeEngine();
    const s = scope(e, CORE('services'), { name: 'lb' });
    create(e, { ...s, name: undefined }, svc('lb', { type: 'LoadBalancer' }));
    const out = update(
      e,
      s,
      svc('lb', { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }] }),
    ).object;
    expect(specOf(out)).toMatchObject({
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ port: 80, nodePort: 30000, targetPort: 8080 }],
    });
    expect(
      thrown(() =>
        update(e, s, svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] })),
      ).message,
    ).toMatch(/spec.clusterIPs\[0\]: Invalid value: "10.96.0.9": may not change once set/);
  });

  it('adds a second family when the policy is raised, drops it when lowered, and releases node ports on a type change', () => {
    const e = makeEngine();
    const s = scope(e, CORE('services'), { name: 'a' });
    create(e, { ...s, name: undefined }, svc('a', { type: 'LoadBalancer' }));
    const dual = update(e, s, svc('a', { type: 'LoadBalancer', ipFamilyPolicy: 'PreferDualStack' })).object;
    expect(specOf(dual)).toMatchObject({
      clusterIPs: ['10.96.0.1', 'fd00:10:96::1'],
      ipFamilies: ['IPv4', 'IPv6'],
    });
    const single = update(e, s, { ...dual, spec: { ...specOf(dual), ipFamilyPolicy: 'SingleStack' } }).object;
    expect(specOf(single)).toMatchObject({ clusterIPs: ['10.96.0.1'], ipFamilies: ['IPv4'] });
    expect(e.allocators.ips.get('IPv6')!.allocatedCount).toBe(0);
    const cip = update(e, s, { ...single, spec: { ...specOf(single), type: 'ClusterIP' } }).object;
    expect((specOf(cip).ports as JsonObject[])[0]!.nodePort).toBeUndefined();
    expect(e.allocators.nodePorts.isUsed(30000)).toBe(false);
  });

  it('forbids changing loadBalancerClass once set', () => {
    const e = makeEngine();
    const s = scope(e, CORE('services'), { name: 'a' });
    create(
      e,
      { ...s, name: undefined },
      svc('a', { type: 'LoadBalancer', loadBalancerClass: 'herald.io/lb' }),
    );
    expect(
      thrown(() => update(e, s, svc('a', { type: 'LoadBalancer', loadBalancerClass: 'other' }))).message,
    ).toMatch(/spec.loadBalancerClass: Invalid value: "other": may not change once set/);
  });

  it('releases everything on delete', () => {
    const e = makeEngine();
    create(
      e,
      scope(e, CORE('services')),
      svc('a', { type: 'LoadBalancer', ipFamilyPolicy: 'RequireDualStack' }),
    );
    remove(e, scope(e, CORE('services'), { name: 'a' }));
    expect([
      e.allocators.ips.get('IPv4')!.allocatedCount,
      e.allocators.ips.get('IPv6')!.allocatedCount,
      e.allocators.nodePorts.isUsed(30000),
    ]).toEqual([0, 0, false]);
  });
});

describe('allocators', () => {
  it('hands out every usable address of a CIDR once, skipping network and broadcast', () => {
    const a = new CidrAllocator('192.0.2.0/30');
    expect([a.allocate(), a.allocate(), a.allocate()]).toEqual(['192.0.2.1', '192.0.2.2', undefined]);
    a.release('192.0.2.1');
    expect(a.allocate()).toBe('192.0.2.1');
    expect(a.reserve('192.0.2.3')).toBe('out-of-range');
    expect(a.reserve('nonsense')).toBe('invalid');
    const v6 = new CidrAllocator('2001:db8::/127');
    expect([v6.allocate(), v6.allocate()]).toEqual(['2001:db8::1', undefined]);
  });

  it('hands out node ports from its range and reports conflicts', () => {
    const p = new PortAllocator(30000, 30001);
    expect([p.allocate(), p.allocate(), p.allocate()]).toEqual([30000, 30001, undefined]);
    expect(p.reserve(30000)).toBe('taken');
    expect(p.reserve(29999)).toBe('out-of-range');
  });

  it('rejects malformed CIDRs', () => {
    expect(() => new CidrAllocator('10.0.0.0')).toThrow(/service CIDR 10.0.0.0/);
  });
});
