/**
 * Translation tables for MetalLB's Service annotations: requested addresses (metallb.io/loadBalancerIPs
 * and spec.loadBalancerIP, every error), address-pool and allow-shared-ip, the deprecated
 * metallb.universe.tf/ prefix (read when the new key is absent, reported as used) and its precedence.
 */
import { describe, expect, it } from 'vitest';
import { serviceToRequest } from '../../../src/k8s/index.js';
import { annotate, ipsOf, request, service } from './translate-fixtures.js';

describe('requested addresses', () => {
  it.each([
    {
      name: 'loadBalancerIPs, one IPv4',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.10' },
      want: ['192.0.2.10'],
    },
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
      deprecated: [
        { used: 'metallb.universe.tf/loadBalancerIPs', replacement: 'metallb.io/loadBalancerIPs' },
      ],
    },
    {
      name: 'new prefix wins over the deprecated one',
      ann: {
        'metallb.io/loadBalancerIPs': '192.0.2.12',
        'metallb.universe.tf/loadBalancerIPs': '192.0.2.13',
      },
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
    const t = serviceToRequest(
      service((s) => (s.spec.loadBalancerIP = '198.51.100.7')),
      {},
    );
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
    {
      name: 'a CIDR is not an address',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.0/24' },
      code: 'bad-lb-ips',
    },
    {
      name: 'three addresses',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1,2001:db8::1,192.0.2.2' },
      code: 'too-many-lb-ips',
    },
    {
      name: 'two of one family',
      ann: { 'metallb.io/loadBalancerIPs': '192.0.2.1,192.0.2.2' },
      code: 'lb-ips-same-family',
    },
    {
      name: 'bad spec.loadBalancerIP',
      ann: {},
      lbIp: '300.1.1.1',
      code: 'bad-lb-ip',
      field: 'spec.loadBalancerIP',
    },
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
    expect(t).toMatchObject({
      kind: 'invalid',
      deprecated: [{ used: 'metallb.universe.tf/loadBalancerIPs' }],
    });
  });
});

describe('pool and sharing annotations', () => {
  it.each([
    { name: 'address-pool', ann: { 'metallb.io/address-pool': 'gold' }, pool: 'gold', dep: 0 },
    {
      name: 'deprecated address-pool',
      ann: { 'metallb.universe.tf/address-pool': 'silver' },
      pool: 'silver',
      dep: 1,
    },
    {
      name: 'both: new wins',
      ann: { 'metallb.io/address-pool': 'gold', 'metallb.universe.tf/address-pool': 'x' },
      pool: 'gold',
      dep: 0,
    },
    { name: 'empty means none', ann: { 'metallb.io/address-pool': '' }, pool: undefined, dep: 0 },
  ])('$name', ({ ann, pool, dep }) => {
    const t = request(serviceToRequest(service(annotate(ann)), {}));
    expect(t.request.requestedPool).toBe(pool);
    expect(t.deprecated).toHaveLength(dep);
  });

  it.each([
    { name: 'allow-shared-ip', ann: { 'metallb.io/allow-shared-ip': 'k1' }, key: 'k1', dep: 0 },
    {
      name: 'deprecated allow-shared-ip',
      ann: { 'metallb.universe.tf/allow-shared-ip': 'k2' },
      key: 'k2',
      dep: 1,
    },
    {
      name: 'both: new wins',
      ann: { 'metallb.io/allow-shared-ip': 'k1', 'metallb.universe.tf/allow-shared-ip': 'k2' },
      key: 'k1',
      dep: 0,
    },
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
