/**
 * Service → AllocationRequest translation tables: type and load-balancer class rules, every MetalLB
 * annotation (new and deprecated prefix, precedence, errors), spec.loadBalancerIP, ports, backend key,
 * IP family policy/families defaults, current ingress addresses, malformed objects; plus a property:
 * translation never throws on arbitrary input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp } from '../../../src/core/ip/index.js';
import { serviceToRequest, type ServiceTranslation, type TranslateOptions } from '../../../src/k8s/index.js';

type Json = Record<string, unknown>;

function service(edit: (s: { metadata: Json; spec: Json; status: Json }) => void = () => undefined): Json {
  const s = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-1',
      labels: { app: 'web' },
      annotations: {} as Record<string, string>,
      creationTimestamp: '2024-01-01T00:00:00Z',
    } as Json,
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' },
      externalTrafficPolicy: 'Cluster',
    } as Json,
    status: {} as Json,
  };
  edit(s);
  return s;
}

const annotate = (entries: Record<string, string>) => (s: { metadata: Json }) => {
  s.metadata.annotations = entries;
};

function request(t: ServiceTranslation) {
  if (t.kind !== 'request') throw new Error(`expected a request, got ${t.kind}: ${JSON.stringify(t)}`);
  return t;
}

const ipsOf = (t: ServiceTranslation) => request(t).request.requestedIps.map(formatIp);

describe('which Services are handled', () => {
  it.each([
    { name: 'ClusterIP', type: 'ClusterIP' },
    { name: 'NodePort', type: 'NodePort' },
    { name: 'ExternalName', type: 'ExternalName' },
    { name: 'no type (defaults to ClusterIP)', type: undefined },
  ])('$name is ignored as not-load-balancer', ({ type }) => {
    const t = serviceToRequest(service((s) => (s.spec.type = type)), {});
    expect(t).toMatchObject({ kind: 'ignored', reason: 'not-load-balancer', ref: { namespace: 'shop', name: 'web' } });
  });

  it.each([
    { name: 'no class, no --lb-class', cls: undefined, flag: undefined, handled: true },
    { name: 'class set, no --lb-class: ignored (any class)', cls: 'metallb', flag: undefined, handled: false },
    { name: 'empty class counts as unset', cls: '', flag: undefined, handled: true },
    { name: 'class X with --lb-class=X', cls: 'herald', flag: 'herald', handled: true },
    { name: 'class Y with --lb-class=X', cls: 'other', flag: 'herald', handled: false },
    { name: 'no class with --lb-class=X', cls: undefined, flag: 'herald', handled: false },
  ])('$name', ({ cls, flag, handled }) => {
    const options: TranslateOptions = flag === undefined ? {} : { lbClass: flag };
    const t = serviceToRequest(service((s) => (s.spec.loadBalancerClass = cls)), {}, options);
    if (handled) expect(t.kind).toBe('request');
    else expect(t).toMatchObject({ kind: 'ignored', reason: 'other-class' });
  });
});

describe('requested addresses', () => {
  it.each([
    { name: 'loadBalancerIPs, one IPv4', ann: { 'metallb.io/loadBalancerIPs': '192.0.2.10' }, want: ['192.0.2.10'] },
    {
      name: 'loadBalancerIPs, dual-stack with spaces',
      ann: { 'metallb.io/loadBalancerIPs': ' 192.0.2.10 , 2001:db8:0:0::1' },
      want: ['192.0.2.10', '2001:db8::1'],
    },
    { name: 'empty annotation means none', ann: { 'metallb.io/loadBalancerIPs': '' }, want: [] },
    {
      name: 'deprecated prefix is read',
      ann: { 'metallb.universe.tf/loadBalancerIPs': '192.0.2.11' },
      want: ['192.0.2.11'],
      deprecated: [{ used: 'metallb.universe.tf/loadBalancerIPs', replacement: 'metallb.io/loadBalancerIPs' }],
    },
    {
      name: 'new prefix wins over the deprecated one',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.12', 'metallb.universe.tf/loadBalancerIPs': '192.0.2.13' },
      want: ['192.0.2.12'],
    },
    {
      name: 'new prefix present but empty still wins',
      ann: { 'metallb.io/loadBalancerIPs': '', 'metallb.universe.tf/loadBalancerIPs': '192.0.2.13' },
      want: [],
    },
  ])('$name', ({ ann, want, deprecated }) => {
    const t = serviceToRequest(service(annotate(ann)), {});
    expect(ipsOf(t)).toEqual(want);
    expect(request(t).deprecated).toEqual(deprecated ?? []);
  });

  it('spec.loadBalancerIP is honoured', () => {
    const t = serviceToRequest(service((s) => (s.spec.loadBalancerIP = '198.51.100.7')), {});
    expect(ipsOf(t)).toEqual(['198.51.100.7']);
  });

  it.each([
    {
      name: 'annotation together with spec.loadBalancerIP',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1' },
      lbIp: '192.0.2.1',
      code: 'lb-ips-and-lb-ip',
      field: 'metadata.annotations["metallb.io/loadBalancerIPs"]',
    },
    {
      name: 'deprecated annotation together with spec.loadBalancerIP',
      ann: { 'metallb.universe.tf/loadBalancerIPs': '192.0.2.1' },
      lbIp: '192.0.2.2',
      code: 'lb-ips-and-lb-ip',
      field: 'metadata.annotations["metallb.universe.tf/loadBalancerIPs"]',
    },
    {
      name: 'an entry that does not parse',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1,banana' },
      code: 'bad-lb-ips',
      reason: '"banana" is not an IP address',
    },
    { name: 'a CIDR is not an address', ann: { 'metallb.io/loadBalancerIPs': '192.0.2.0/24' }, code: 'bad-lb-ips' },
    {
      name: 'three addresses',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1,2001:db8::1,192.0.2.2' },
      code: 'too-many-lb-ips',
    },
    { name: 'two of one family', ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1,192.0.2.2' }, code: 'lb-ips-same-family' },
    { name: 'bad spec.loadBalancerIP', ann: {}, lbIp: '300.1.1.1', code: 'bad-lb-ip', field: 'spec.loadBalancerIP' },
  ])('invalid: $name', ({ ann, lbIp, code, field, reason }) => {
    const svc = service((s) => {
      s.metadata.annotations = ann;
      if (lbIp !== undefined) s.spec.loadBalancerIP = lbIp;
    });
    const t = serviceToRequest(svc, {});
    expect(t.kind).toBe('invalid');
    if (t.kind !== 'invalid') return;
    expect(t.error.code).toBe(code);
    expect(t.error.eventReason).toBe('LoadBalancerFailed');
    if (field !== undefined) expect(t.error.field).toBe(field);
    if (reason !== undefined) expect(t.error.reason).toBe(reason);
    expect(t.error.message).toBe(`${t.error.field}: ${t.error.reason}`);
  });

  it('an invalid Service still reports the deprecated annotations it used', () => {
    const t = serviceToRequest(service(annotate({ 'metallb.universe.tf/loadBalancerIPs': 'nope' })), {});
    expect(t).toMatchObject({ kind: 'invalid', deprecated: [{ used: 'metallb.universe.tf/loadBalancerIPs' }] });
  });
});

describe('pool and sharing annotations', () => {
  it.each([
    { name: 'address-pool', ann: { 'metallb.io/address-pool': 'gold' }, pool: 'gold', dep: 0 },
    { name: 'deprecated address-pool', ann: { 'metallb.universe.tf/address-pool': 'silver' }, pool: 'silver', dep: 1 },
    { name: 'both: new wins', ann: { 'metallb.io/address-pool': 'gold', 'metallb.universe.tf/address-pool': 'x' }, pool: 'gold', dep: 0 },
    { name: 'empty means none', ann: { 'metallb.io/address-pool': '' }, pool: undefined, dep: 0 },
  ])('$name', ({ ann, pool, dep }) => {
    const t = request(serviceToRequest(service(annotate(ann)), {}));
    expect(t.request.requestedPool).toBe(pool);
    expect(t.deprecated).toHaveLength(dep);
  });

  it.each([
    { name: 'allow-shared-ip', ann: { 'metallb.io/allow-shared-ip': 'k1' }, key: 'k1', dep: 0 },
    { name: 'deprecated allow-shared-ip', ann: { 'metallb.universe.tf/allow-shared-ip': 'k2' }, key: 'k2', dep: 1 },
    { name: 'both: new wins', ann: { 'metallb.io/allow-shared-ip': 'k1', 'metallb.universe.tf/allow-shared-ip': 'k2' }, key: 'k1', dep: 0 },
    { name: 'empty means no sharing', ann: { 'metallb.io/allow-shared-ip': '' }, key: undefined, dep: 0 },
  ])('$name', ({ ann, key, dep }) => {
    const t = request(serviceToRequest(service(annotate(ann)), {}));
    expect(t.request.sharingKey).toBe(key);
    expect(t.deprecated).toHaveLength(dep);
  });

  it('lists every deprecated annotation used, in a fixed order', () => {
    const ann = {
      'metallb.universe.tf/allow-shared-ip': 'k',
      'metallb.universe.tf/address-pool': 'p',
      'metallb.universe.tf/loadBalancerIPs': '192.0.2.1',
    };
    const t = request(serviceToRequest(service(annotate(ann)), {}));
    expect(t.deprecated.map((d) => d.replacement)).toEqual([
      'metallb.io/loadBalancerIPs',
      'metallb.io/address-pool',
      'metallb.io/allow-shared-ip',
    ]);
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
    const t = request(serviceToRequest(service((s) => (s.spec.ports = ports)), {}));
    expect(t.request.ports).toEqual(want);
  });

  it.each([
    { name: 'bad protocol', ports: [{ port: 80, protocol: 'ICMP' }], field: 'spec.ports[0].protocol' },
    { name: 'port 0', ports: [{ port: 443 }, { port: 0 }], field: 'spec.ports[1].port' },
    { name: 'port 65536', ports: [{ port: 65536 }], field: 'spec.ports[0].port' },
    { name: 'not a list', ports: { port: 80 }, field: 'spec.ports' },
  ])('invalid ports: $name', ({ ports, field }) => {
    const t = serviceToRequest(service((s) => (s.spec.ports = ports)), {});
    expect(t).toMatchObject({ kind: 'invalid', error: { code: 'bad-field', field } });
  });

  it.each([
    { name: 'Cluster → empty', etp: 'Cluster', selector: { b: '2', a: '1' }, want: '' },
    { name: 'unset → Cluster', etp: undefined, selector: { a: '1' }, want: '' },
    { name: 'Local → sorted selector', etp: 'Local', selector: { b: '2', a: '1', 'app.kubernetes.io/name': 'x' }, want: 'a=1,app.kubernetes.io/name=x,b=2' },
    { name: 'Local without selector', etp: 'Local', selector: undefined, want: '' },
  ])('backend key: $name', ({ etp, selector, want }) => {
    const svc = service((s) => {
      s.spec.externalTrafficPolicy = etp;
      s.spec.selector = selector;
    });
    expect(request(serviceToRequest(svc, {})).request.backendKey).toBe(want);
  });

  it('an unknown externalTrafficPolicy is invalid', () => {
    const t = serviceToRequest(service((s) => (s.spec.externalTrafficPolicy = 'Global')), {});
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
      edit: (s: { spec: Json }) => Object.assign(s.spec, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'], clusterIPs: ['fd00::1', '10.0.0.1'] }),
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
      edit: (s: { spec: Json }) => Object.assign(s.spec, { ipFamilies: undefined, clusterIPs: undefined, clusterIP: 'fd00::10' }),
      want: ['SingleStack', ['IPv6']],
    },
    {
      name: 'nothing → cluster primary family',
      edit: (s: { spec: Json }) => Object.assign(s.spec, { ipFamilies: undefined, clusterIPs: undefined, clusterIP: undefined }),
      want: ['SingleStack', ['IPv4']],
    },
    {
      name: 'RequireDualStack without clusterIPs → both, primary first',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: undefined, clusterIPs: undefined, clusterIP: undefined }),
      want: ['RequireDualStack', ['IPv4', 'IPv6']],
    },
    {
      name: 'PreferDualStack without clusterIPs on a single-stack cluster → one family',
      edit: (s: { spec: Json }) =>
        Object.assign(s.spec, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: undefined, clusterIPs: undefined, clusterIP: undefined }),
      want: ['PreferDualStack', ['IPv4']],
    },
  ])('$name', ({ edit, want }) => {
    expect(fams(edit)).toEqual(want);
  });

  it('PreferDualStack on a dual-stack IPv6-primary cluster', () => {
    const edit = (s: { spec: Json }) =>
      Object.assign(s.spec, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: undefined, clusterIPs: undefined, clusterIP: undefined });
    expect(fams(edit, { clusterIpFamilies: ['IPv6', 'IPv4'] })).toEqual(['PreferDualStack', ['IPv6', 'IPv4']]);
  });

  it.each([
    {
      name: 'RequireDualStack with one clusterIP',
      edit: (s: { spec: Json }) => Object.assign(s.spec, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }),
      want: { code: 'not-enough-cluster-ips', field: 'spec.clusterIPs', eventReason: 'not enough clusterips' },
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
    const svc = service((s) => (s.status.loadBalancer = { ingress: [{ ip: '192.0.2.5', ipMode: 'VIP' }, { hostname: 'lb.example' }, { ip: '2001:db8::5' }] }));
    const t = request(serviceToRequest(svc, {}));
    expect(t.request.currentIps.map(formatIp)).toEqual(['192.0.2.5', '2001:db8::5']);
    expect(t.warnings).toEqual([]);
  });

  it('an unparsable ingress address drops them all and warns (MetalLB nolbIPsIPFamily)', () => {
    const svc = service((s) => (s.status.loadBalancer = { ingress: [{ ip: '192.0.2.5' }, { ip: 'garbage' }] }));
    const t = request(serviceToRequest(svc, {}));
    expect(t.request.currentIps).toEqual([]);
    expect(t.warnings).toEqual([{ eventReason: 'nolbIPsIPFamily', message: expect.stringContaining('"garbage"') }]);
  });

  it('carries names, labels, namespace labels, uid and creation time', () => {
    const t = request(serviceToRequest(service(), { team: 'a' }));
    expect(t.ref).toEqual({ namespace: 'shop', name: 'web', uid: 'uid-1' });
    expect(t.request).toMatchObject({ namespace: 'shop', name: 'web', labels: { app: 'web' }, namespaceLabels: { team: 'a' } });
    expect(t.createdAt).toBe('2024-01-01T00:00:00Z');
  });

  it.each([
    { name: 'not an object', input: null, field: 'metadata.name' },
    { name: 'no metadata', input: { spec: { type: 'LoadBalancer' } }, field: 'metadata.name' },
    { name: 'no namespace', input: { metadata: { name: 'x' }, spec: { type: 'LoadBalancer' } }, field: 'metadata.namespace' },
    { name: 'no spec', input: { metadata: { name: 'x', namespace: 'y' } }, field: 'spec' },
  ])('malformed: $name', ({ input, field }) => {
    expect(serviceToRequest(input, {})).toMatchObject({ kind: 'invalid', error: { code: 'malformed-object', field } });
  });

  it('a non-string annotation or label value is invalid, naming the key', () => {
    const a = serviceToRequest(service((s) => (s.metadata.annotations = { 'metallb.io/address-pool': 7 })), {});
    expect(a).toMatchObject({ kind: 'invalid', error: { field: 'metadata.annotations["metallb.io/address-pool"]' } });
    const l = serviceToRequest(service((s) => (s.metadata.labels = { app: true })), {});
    expect(l).toMatchObject({ kind: 'invalid', error: { field: 'metadata.labels["app"]' } });
  });

  it('never throws, whatever the input', () => {
    const mutated = fc.record({
      path: fc.constantFrom('metadata', 'spec', 'status', 'metadata.annotations', 'spec.ports', 'spec.ipFamilies', 'spec.clusterIPs', 'status.loadBalancer'),
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
