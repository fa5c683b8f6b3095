/**
 * Service objects (plain JSON) → ServiceView: handled, ignored (type, class, malformed), and the
 * keep-or-clear decision per translation error, with the hold request that lets restore keep the
 * addresses of a Service whose requested address is unusable.
 */
import { describe, expect, it } from 'vitest';
import { CachedServiceSource, viewOf } from '../../../src/controller/service-view.js';
import { ALLOCATION_CONDITION_TYPE } from '../../../src/controller/ports.js';

function service(
  overrides: { annotations?: Record<string, string>; spec?: Record<string, unknown>; status?: unknown } = {},
): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'u-1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: overrides.annotations ?? {},
    },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP' }],
      ...overrides.spec,
    },
    status: overrides.status ?? {},
  };
}

const HELD = {
  loadBalancer: { ingress: [{ ip: '192.0.2.7', ipMode: 'VIP' }] },
  conditions: [{ type: ALLOCATION_CONDITION_TYPE, status: 'True', reason: 'IPAllocated', message: 'm' }],
};

describe('viewOf', () => {
  it('a LoadBalancer Service becomes a request with its current status', () => {
    const view = viewOf(
      service({ annotations: { 'metallb.io/ip-allocated-from-pool': 'a' }, status: HELD }),
      {},
      {},
    );
    expect(view).toMatchObject({
      kind: 'request',
      ref: { namespace: 'ns', name: 'web', uid: 'u-1' },
      createdAt: '2026-01-01T00:00:00Z',
      current: { ips: ['192.0.2.7'], pool: 'a', condition: { status: 'True', reason: 'IPAllocated' } },
    });
  });

  it.each([
    { name: 'ClusterIP', spec: { type: 'ClusterIP' }, lbClass: undefined, reason: 'not-load-balancer' },
    {
      name: 'another class',
      spec: { loadBalancerClass: 'other.io/lb' },
      lbClass: undefined,
      reason: 'other-class',
    },
    { name: 'no class under --lb-class', spec: {}, lbClass: 'herald.io/lb', reason: 'other-class' },
  ])('ignores $name', ({ spec, lbClass, reason }) => {
    expect(viewOf(service({ spec }), {}, lbClass === undefined ? {} : { lbClass })).toMatchObject({
      kind: 'ignored',
      reason,
    });
  });

  it('handles the configured class', () => {
    expect(
      viewOf(service({ spec: { loadBalancerClass: 'herald.io/lb' } }), {}, { lbClass: 'herald.io/lb' }).kind,
    ).toBe('request');
  });

  it('a malformed object is ignored, never written to', () => {
    expect(viewOf({ metadata: { namespace: 'ns' }, spec: {} }, {}, {})).toMatchObject({
      kind: 'ignored',
      reason: 'malformed',
    });
  });

  it('an unparsable loadBalancerIPs keeps what the Service holds, with a hold request for restore', () => {
    const view = viewOf(
      service({ annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.300' }, status: HELD }),
      {},
      {},
    );
    expect(view).toMatchObject({
      kind: 'invalid',
      problem: { reason: 'LoadBalancerFailed', action: 'keep' },
    });
    if (view.kind !== 'invalid') throw new Error('unreachable');
    expect(view.hold?.requestedIps).toEqual([]);
    expect(view.hold?.currentIps).toHaveLength(1);
  });

  it('RequireDualStack with one clusterIP clears the Service', () => {
    const view = viewOf(
      service({ spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }, status: HELD }),
      {},
      {},
    );
    expect(view).toMatchObject({ kind: 'invalid', problem: { action: 'clear' } });
  });

  it('lists deprecated annotations in use', () => {
    const view = viewOf(service({ annotations: { 'metallb.universe.tf/allow-shared-ip': 'k' } }), {}, {});
    expect(view).toMatchObject({
      kind: 'request',
      request: { sharingKey: 'k' },
      deprecated: [
        { used: 'metallb.universe.tf/allow-shared-ip', replacement: 'metallb.io/allow-shared-ip' },
      ],
    });
  });
});

describe('CachedServiceSource', () => {
  it('reads the Service and its Namespace labels from the caches', () => {
    const source = new CachedServiceSource(
      {
        getService: (key) => (key === 'ns/web' ? service() : undefined),
        serviceKeys: () => ['ns/web'],
        namespaceLabels: (ns): Record<string, string> => (ns === 'ns' ? { team: 'a' } : {}),
      },
      {},
    );
    expect([...source.keys()]).toEqual(['ns/web']);
    expect(source.get('ns/missing')).toBeUndefined();
    const view = source.get('ns/web');
    expect(view?.kind === 'request' && view.request.namespaceLabels).toEqual({ team: 'a' });
  });
});
