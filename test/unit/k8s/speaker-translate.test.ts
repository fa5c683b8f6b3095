/**
 * What the speaker reads from the API (src/k8s/translate/speaker.ts): LoadBalancer Services of our class
 * with ingress IPs (canonical text, ETP), MetalLB's EndpointCanServe and per-Service readiness over
 * EndpointSlices, Nodes with labels and conditions, and the Ready check. Malformed input is skipped,
 * never thrown on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endpointCanServe,
  endpointReadiness,
  nodeReady,
  speakerNodeFrom,
  speakerServiceFrom,
} from '../../../src/k8s/translate/speaker.js';
import { service, type Json } from './translate-fixtures.js';

const withIngress =
  (...ips: unknown[]) =>
  (s: { status: Json }) => {
    s.status.loadBalancer = { ingress: ips.map((ip) => ({ ip })) };
  };

describe('speakerServiceFrom', () => {
  it('reads a LoadBalancer Service with ingress IPs', () => {
    expect(speakerServiceFrom(service(withIngress('192.0.2.10', '2001:DB8:0::10')), undefined)).toEqual({
      key: 'shop/web',
      namespace: 'shop',
      name: 'web',
      uid: 'uid-1',
      labels: { app: 'web' },
      ips: ['192.0.2.10', '2001:db8::10'],
      externalTrafficPolicy: 'Cluster',
    });
  });

  it('reads the allow-shared-ip key, also under the deprecated prefix', () => {
    const annotated = (key: string) => (s: { status: Json; metadata: Json }) => {
      withIngress('192.0.2.10')(s);
      s.metadata.annotations = { [key]: 'shared-1' };
    };
    expect(speakerServiceFrom(service(annotated('metallb.io/allow-shared-ip')), undefined)?.sharingKey).toBe(
      'shared-1',
    );
    expect(
      speakerServiceFrom(service(annotated('metallb.universe.tf/allow-shared-ip')), undefined)?.sharingKey,
    ).toBe('shared-1');
    expect(speakerServiceFrom(service(withIngress('192.0.2.10')), undefined)?.sharingKey).toBeUndefined();
  });

  it('reads externalTrafficPolicy Local, and anything else as Cluster', () => {
    const local = service((s) => {
      withIngress('192.0.2.10')(s);
      s.spec.externalTrafficPolicy = 'Local';
    });
    expect(speakerServiceFrom(local, undefined)?.externalTrafficPolicy).toBe('Local');
    for (const etp of [undefined, 'local', 7]) {
      const s = service((x) => {
        withIngress('192.0.2.10')(x);
        x.spec.externalTrafficPolicy = etp;
      });
      expect(speakerServiceFrom(s, undefined)?.externalTrafficPolicy).toBe('Cluster');
    }
  });

  it('skips what is not ours to announce', () => {
    const cases: Json[] = [
      service(), // no ingress yet
      service(withIngress()),
      service((s) => {
        s.status.loadBalancer = { ingress: [{ hostname: 'lb.example' }] };
      }),
      service((s) => {
        withIngress('192.0.2.10')(s);
        s.spec.type = 'ClusterIP';
      }),
      service((s) => {
        withIngress('192.0.2.10')(s);
        s.spec.loadBalancerClass = 'other.io/lb';
      }),
      service((s) => {
        withIngress('192.0.2.10')(s);
        delete s.metadata.namespace;
      }),
      service((s) => {
        withIngress('192.0.2.10')(s);
        s.metadata.name = '';
      }),
      service((s) => {
        withIngress('192.0.2.10', 'not-an-ip')(s);
      }),
    ];
    for (const c of cases) expect(speakerServiceFrom(c, undefined)).toBeUndefined();
  });

  it('honours --lb-class', () => {
    const ours = service((s) => {
      withIngress('192.0.2.10')(s);
      s.spec.loadBalancerClass = 'herald.io/lb';
    });
    expect(speakerServiceFrom(ours, 'herald.io/lb')?.key).toBe('shop/web');
    expect(speakerServiceFrom(service(withIngress('192.0.2.10')), 'herald.io/lb')).toBeUndefined();
    expect(speakerServiceFrom(service(withIngress('192.0.2.10')), '')?.key).toBe('shop/web');
  });

  it('keeps only string labels and leaves a missing uid undefined', () => {
    const s = service((x) => {
      withIngress('192.0.2.10')(x);
      x.metadata.labels = { app: 'web', n: 3, o: { a: 1 } };
      delete x.metadata.uid;
    });
    expect(speakerServiceFrom(s, undefined)).toMatchObject({ labels: { app: 'web' }, uid: undefined });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        speakerServiceFrom(x, undefined);
        speakerServiceFrom(
          { metadata: { name: 'a', namespace: 'b' }, spec: { type: 'LoadBalancer' }, status: x },
          'c',
        );
        endpointReadiness([
          x,
          { metadata: { namespace: 'a', labels: { 'kubernetes.io/service-name': 's' } }, endpoints: x },
        ]);
        speakerNodeFrom(x);
        speakerNodeFrom({ metadata: { name: 'n' }, status: { conditions: x } });
      }),
      { numRuns: 300 },
    );
  });
});

describe('endpointCanServe (MetalLB EndpointCanServe)', () => {
  it.each([
    [{}, true],
    [{ conditions: {} }, true],
    [{ conditions: { ready: true } }, true],
    [{ conditions: { ready: null } }, true],
    [{ conditions: { ready: false, serving: true } }, true],
    [{ conditions: { ready: false, serving: true, terminating: true } }, true],
    [{ conditions: { ready: false } }, false],
    [{ conditions: { ready: false, serving: false } }, false],
    [{ conditions: { ready: false, serving: 'true' } }, false],
  ])('%j → %s', (endpoint, want) => {
    expect(endpointCanServe(endpoint)).toBe(want);
  });
});

describe('endpointReadiness', () => {
  const slice = (ns: string, svc: string | undefined, endpoints: unknown) => ({
    metadata: { namespace: ns, labels: svc === undefined ? {} : { 'kubernetes.io/service-name': svc } },
    endpoints,
  });

  it('merges the slices of a Service and collects the nodes with a serving endpoint', () => {
    const out = endpointReadiness([
      slice('shop', 'web', [
        { nodeName: 'node-1', conditions: { ready: true } },
        { nodeName: 'node-2', conditions: { ready: false } },
      ]),
      slice('shop', 'web', [{ nodeName: 'node-3', conditions: { ready: false, serving: true } }]),
      slice('other', 'web', [{ nodeName: 'node-2' }]),
    ]);
    expect(out.get('shop/web')).toEqual({ anyReady: true, readyNodes: new Set(['node-1', 'node-3']) });
    expect(out.get('other/web')).toEqual({ anyReady: true, readyNodes: new Set(['node-2']) });
  });

  it('counts an endpoint without nodeName as ready somewhere, on no node', () => {
    const out = endpointReadiness([slice('shop', 'web', [{ conditions: { ready: true } }])]);
    expect(out.get('shop/web')).toEqual({ anyReady: true, readyNodes: new Set() });
  });

  it('records a Service whose endpoints are all unready (or absent) as not ready', () => {
    const out = endpointReadiness([
      slice('shop', 'down', [{ nodeName: 'node-1', conditions: { ready: false } }]),
      slice('shop', 'empty', null),
    ]);
    expect(out.get('shop/down')).toEqual({ anyReady: false, readyNodes: new Set() });
    expect(out.get('shop/empty')).toEqual({ anyReady: false, readyNodes: new Set() });
  });

  it('skips slices without the service-name label or namespace', () => {
    const out = endpointReadiness([
      slice('shop', undefined, [{}]),
      slice('', 'web', [{}]),
      slice('shop', '', [{}]),
    ]);
    expect(out.size).toBe(0);
  });
});

describe('speakerNodeFrom and nodeReady', () => {
  it('reads name, labels and well-formed conditions', () => {
    const n = speakerNodeFrom({
      metadata: { name: 'node-1', labels: { zone: 'a', bad: 1 } },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'NetworkUnavailable', status: 'False' },
          { type: 'Odd', status: 'Maybe' },
          { status: 'True' },
          'junk',
        ],
      },
    });
    expect(n).toEqual({
      name: 'node-1',
      labels: { zone: 'a' },
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'NetworkUnavailable', status: 'False' },
      ],
    });
    expect(nodeReady(n)).toBe(true);
  });

  it('skips a Node without a name', () => {
    expect(speakerNodeFrom({ metadata: {} })).toBeUndefined();
    expect(speakerNodeFrom(null)).toBeUndefined();
  });

  it('is Ready only with Ready=True', () => {
    const withReady = (status: string) =>
      speakerNodeFrom({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status }] } });
    expect(nodeReady(withReady('True'))).toBe(true);
    expect(nodeReady(withReady('False'))).toBe(false);
    expect(nodeReady(withReady('Unknown'))).toBe(false);
    expect(nodeReady(speakerNodeFrom({ metadata: { name: 'n' } }))).toBe(false);
    expect(nodeReady(undefined)).toBe(false);
  });
});
