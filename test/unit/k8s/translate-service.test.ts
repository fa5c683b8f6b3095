/**
 * Service → AllocationRequest translation tables: type and load-balancer class rules, ports, backend
 * key, IP family policy/families defaults, current ingress addresses, identity and labels, malformed
 * objects; plus a property: translation never throws on arbitrary input. (Annotations:
 * translate-annotations.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp } from '../../../src/core/ip/index.js';
import { serviceToRequest, type TranslateOptions } from '../../../src/k8s/index.js';
import { request, service, type Json } from './translate-fixtures.js';

describe('which Services are handled', () => {
  it.each([
    { name: 'ClusterIP', type: 'ClusterIP' },
    { name: 'NodePort', type: 'NodePort' },
    { name: 'ExternalName', type: 'ExternalName' },
    { name: 'no type (defaults to ClusterIP)', type: undefined },
  ])('$name is ignored as not-load-balancer', ({ type }) => {
    const t = serviceToRequest(
      service((s) => (s.spec.type = type)),
      {},
    );
    expect(t).toMatchObject({
      kind: 'ignored',
      reason: 'not-load-balancer',
      ref: { namespace: 'shop', name: 'web' },
    });
  });

  it.each([
    { name: 'no class, no --lb-class', cls: undefined, flag: undefined, handled: true },
    {
      name: 'class set, no --lb-class: ignored (any class)',
      cls: 'metallb',
      flag: undefined,
      handled: false,
    },
    { name: 'empty class counts as unset', cls: '', flag: undefined, handled: true },
    { name: 'class X with --lb-class=X', cls: 'herald', flag: 'herald', handled: true },
    { name: 'class Y with --lb-class=X', cls: 'other', flag: 'herald', handled: false },
    { name: 'no class with --lb-class=X', cls: undefined, flag: 'herald', handled: false },
  ])('$name', ({ cls, flag, handled }) => {
    const options: TranslateOptions = flag === undefined ? {} : { lbClass: flag };
    const t = serviceToRequest(
      service((s) => (s.spec.loadBalancerClass = cls)),
      {},
      options,
    );
    if (handled) expect(t.kind).toBe('request');
    else expect(t).toMatchObject({ kind: 'ignored', reason: 'other-class' });
  });
});

describe('ports and backend key', () => {
  it.each([
    { name: 'protocol defaults to TCP', ports: [{ port: 53 }], want: [{ protocol: 'TCP', port: 53 }] },
    {
      name: 'UDP and SCTP',
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 9, protocol: 'SCTP' },
      ],
      want: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'SCTP', port: 9 },
      ],
    },
    { name: 'no ports', ports: undefined, want: [] },
  ])('ports: $name', ({ ports, want }) => {
    const t = request(
      serviceToRequest(
        service((s) => (s.spec.ports = ports)),
        {},
      ),
    );
    expect(t.request.ports).toEqual(want);
  });

  it.each([
    { name: 'bad protocol', ports: [{ port: 80, protocol: 'ICMP' }], field: 'spec.ports[0].protocol' },
    { name: 'port 0', ports: [{ port: 443 }, { port: 0 }], field: 'spec.ports[1].port' },
    { name: 'port 65536', ports: [{ port: 65536 }], field: 'spec.ports[0].port' },
    { name: 'not a list', ports: { port: 80 }, field: 'spec.ports' },
  ])('invalid ports: $name', ({ ports, field }) => {
    const t = serviceToRequest(
      service((s) => (s.spec.ports = ports)),
      {},
    );
    expect(t).toMatchObject({ kind: 'invalid', error: { code: 'bad-field', field } });
  });

  it.each([
    { name: 'Cluster → empty', etp: 'Cluster', selector: { b: '2', a: '1' }, want: '' },
    { name: 'unset → Cluster', etp: undefined, selector: { a: '1' }, want: '' },
    {
      name: 'Local → sorted selector',
      etp: 'Local',
      selector: { b: '2', a: '1', 'app.kubernetes.io/name': 'x' },
      want: 'a=1,app.kubernetes.io/name=x,b=2',
    },
    { name: 'Local without selector', etp: 'Local', selector: undefined, want: '' },
  ])('backend key: $name', ({ etp, selector, want }) => {
    const svc = service((s) => {
      s.spec.externalTrafficPolicy = etp;
      s.spec.selector = selector;
    });
    expect(request(serviceToRequest(svc, {})).request.backendKey).toBe(want);
  });

  it('an unknown externalTrafficPolicy is invalid', () => {
    const t = serviceToRequest(
      service((s) => (s.spec.externalTrafficPolicy = 'Global')),
      {},
    );
    expect(t).toMatchObject({ kind: 'invalid', error: { field: 'spec.externalTrafficPolicy' } });
  });
});

describe('IP family policy and families', () => {
  const fams = (edit: (s: { spec: Json }) => void, options: TranslateOptions = {}) => {
    const t = request(serviceToRequest(service(edit), {}, options));
    return [t.request.ipFamilyPolicy, t.request.ipFamilies];
  };

  it.each([
    {
      name: 'spec values are taken as they are',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, {
          ipFamilyPolicy: 'PreferDualStack',
          ipFamilies: ['IPv6', 'IPv4'],
          clusterIPs: ['fd00::1', '10.0.0.1'],
        }),
      want: ['PreferDualStack', ['IPv6', 'IPv4']],
    },
    {
      name: 'no policy → SingleStack',
      edit: (s: { spec: Json }) => delete s.spec.ipFamilyPolicy,
      want: ['SingleStack', ['IPv4']],
    },
    {
      name: 'no ipFamilies → families of clusterIPs',
      edit: (s: { spec: Json }) => Object.assign(s.spec, { ipFamilies: undefined, clusterIPs: ['fd00::10'] }),
      want: ['SingleStack', ['IPv6']],
    },
    {
      name: 'only clusterIP → its family',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, { ipFamilies: undefined, clusterIPs: undefined, clusterIP: 'fd00::10' }),
      want: ['SingleStack', ['IPv6']],
    },
    {
      name: 'nothing → cluster primary family',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, { ipFamilies: undefined, clusterIPs: undefined, clusterIP: undefined }),
      want: ['SingleStack', ['IPv4']],
    },
    {
      name: 'RequireDualStack without clusterIPs → both, primary first',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, {
          ipFamilyPolicy: 'RequireDualStack',
          ipFamilies: undefined,
          clusterIPs: undefined,
          clusterIP: undefined,
        }),
      want: ['RequireDualStack', ['IPv4', 'IPv6']],
    },
    {
      name: 'PreferDualStack without clusterIPs on a single-stack cluster → one family',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, {
          ipFamilyPolicy: 'PreferDualStack',
          ipFamilies: undefined,
          clusterIPs: undefined,
          clusterIP: undefined,
        }),
      want: ['PreferDualStack', ['IPv4']],
    },
  ])('$name', ({ edit, want }) => {
    expect(fams(edit)).toEqual(want);
  });

  it('PreferDualStack on a dual-stack IPv6-primary cluster', () => {
    const edit = (s: { spec: Json }) =>
      Object.assign(s.spec, {
        ipFamilyPolicy: 'PreferDualStack',
        ipFamilies: undefined,
        clusterIPs: undefined,
        clusterIP: undefined,
      });
    expect(fams(edit, { clusterIpFamilies: ['IPv6', 'IPv4'] })).toEqual([
      'PreferDualStack',
      ['IPv6', 'IPv4'],
    ]);
  });

  it.each([
    {
      name: 'RequireDualStack with one clusterIP',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }),
      want: {
        code: 'not-enough-cluster-ips',
        field: 'spec.clusterIPs',
        eventReason: 'not enough clusterips',
      },
    },
    {
      name: 'unknown policy',
      edit: (s: { spec: Json }) => (s.spec.ipFamilyPolicy = 'DualStackPlease'),
      want: { code: 'bad-field', field: 'spec.ipFamilyPolicy' },
    },
    {
      name: 'unknown family',
      edit: (s: { spec: Json }) => (s.spec.ipFamilies = ['IPv4', 'IPX']),
      want: { code: 'bad-field', field: 'spec.ipFamilies[1]' },
    },
    {
      name: 'repeated family',
      edit: (s: { spec: Json }) => (s.spec.ipFamilies = ['IPv4', 'IPv4']),
      want: { code: 'bad-field', field: 'spec.ipFamilies[1]' },
    },
  ])('invalid: $name', ({ edit, want }) => {
    expect(serviceToRequest(service(edit), {})).toMatchObject({ kind: 'invalid', error: want });
  });
});

describe('current addresses, identity and labels', () => {
  it('reads status.loadBalancer.ingress[].ip and skips hostname-only entries', () => {
    const svc = service(
      (s) =>
        (s.status.loadBalancer = {
          ingress: [{ ip: '192.0.2.5', ipMode: 'VIP' }, { hostname: 'lb.example' }, { ip: '2001:db8::5' }],
        }),
    );
    const t = request(serviceToRequest(svc, {}));
    expect(t.request.currentIps.map(formatIp)).toEqual(['192.0.2.5', '2001:db8::5']);
    expect(t.warnings).toEqual([]);
  });

  it('an unparsable ingress address drops them all and warns (MetalLB nolbIPsIPFamily)', () => {
    const svc = service(
      (s) => (s.status.loadBalancer = { ingress: [{ ip: '192.0.2.5' }, { ip: 'garbage' }] }),
    );
    const t = request(serviceToRequest(svc, {}));
    expect(t.request.currentIps).toEqual([]);
    expect(t.warnings).toEqual([
      { eventReason: 'nolbIPsIPFamily', message: expect.stringContaining('"garbage"') },
    ]);
  });

  it('carries names, labels, namespace labels, uid and creation time', () => {
    const t = request(serviceToRequest(service(), { team: 'a' }));
    expect(t.ref).toEqual({ namespace: 'shop', name: 'web', uid: 'uid-1' });
    expect(t.request).toMatchObject({
      namespace: 'shop',
      name: 'web',
      labels: { app: 'web' },
      namespaceLabels: { team: 'a' },
    });
    expect(t.createdAt).toBe('2024-01-01T00:00:00Z');
  });

  it.each([
    { name: 'not an object', input: null, field: 'metadata.name' },
    { name: 'no metadata', input: { spec: { type: 'LoadBalancer' } }, field: 'metadata.name' },
    {
      name: 'no namespace',
      input: { metadata: { name: 'x' }, spec: { type: 'LoadBalancer' } },
      field: 'metadata.namespace',
    },
    { name: 'no spec', input: { metadata: { name: 'x', namespace: 'y' } }, field: 'spec' },
  ])('malformed: $name', ({ input, field }) => {
    expect(serviceToRequest(input, {})).toMatchObject({
      kind: 'invalid',
      error: { code: 'malformed-object', field },
    });
  });

  it('a non-string annotation or label value is invalid, naming the key', () => {
    const a = serviceToRequest(
      service((s) => (s.metadata.annotations = { 'metallb.io/address-pool': 7 })),
      {},
    );
    expect(a).toMatchObject({
      kind: 'invalid',
      error: { field: 'metadata.annotations["metallb.io/address-pool"]' },
    });
    const l = serviceToRequest(
      service((s) => (s.metadata.labels = { app: true })),
      {},
    );
    expect(l).toMatchObject({ kind: 'invalid', error: { field: 'metadata.labels["app"]' } });
  });

  it('never throws, whatever the input', () => {
    const mutated = fc.record({
      path: fc.constantFrom(
        'metadata',
        'spec',
        'status',
        'metadata.annotations',
        'spec.ports',
        'spec.ipFamilies',
        'spec.clusterIPs',
        'status.loadBalancer',
      ),
      value: fc.jsonValue(),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated), (input) => {
        let target: unknown = input;
        if (typeof input === 'object' && input !== null && 'path' in input && 'value' in input) {
          const svc = service() as Record<string, unknown>;
          const parts = String(input.path).split('.');
          let cur = svc;
          for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
          cur[parts.at(-1)!] = input.value;
          target = svc;
        }
        const t = serviceToRequest(target, {});
        expect(['request', 'ignored', 'invalid']).toContain(t.kind);
      }),
      { numRuns: 500 },
    );
  });
});
