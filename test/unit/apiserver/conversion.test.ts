// Version conversion: events.k8s.io/v1 <-> core/v1 Events (one storage) and BGPPeer v1beta1 <-> v1beta2.
import { describe, expect, it } from 'vitest';
import { get } from '../../../src/apiserver/rest/read.js';
import { create, update } from '../../../src/apiserver/rest/write.js';
import type { JsonObject } from '../../../src/apiserver/types.js';
import { makeEngine, metaOf, scope } from './fixture.js';

describe('Event conversion', () => {
  it('stores events.k8s.io Events as core Events and reads them back in either version', () => {
    const e = makeEngine();
    create(e, scope(e, 'events.k8s.io/v1/events'), {
      metadata: { name: 'ev1' },
      regarding: { kind: 'Service', name: 'web', namespace: 'default' },
      note: 'assigned IP',
      reason: 'IPAllocated',
      type: 'Normal',
      reportingController: 'herald/controller',
      reportingInstance: 'c-1',
      action: 'Allocate',
      eventTime: '2025-01-02T03:04:05.000000Z',
      deprecatedCount: 2,
    });
    const core = get(e, scope(e, '/v1/events', { name: 'ev1' }));
    expect(core).toMatchObject({
      apiVersion: 'v1',
      involvedObject: { kind: 'Service', name: 'web' },
      message: 'assigned IP',
      reportingComponent: 'herald/controller',
      count: 2,
    });
    const back = get(e, scope(e, 'events.k8s.io/v1/events', { name: 'ev1' }));
    expect(back).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { name: 'web' },
      note: 'assigned IP',
      deprecatedCount: 2,
    });
    expect(back.message).toBeUndefined();
  });
});

describe('BGPPeer conversion', () => {
  const v1beta2 = {
    metadata: { name: 'p' },
    spec: {
      myASN: 64500,
      peerASN: 64501,
      peerAddress: '192.0.2.1',
      holdTime: '90s',
      passwordSecret: { name: 's' },
      nodeSelectors: [{ matchLabels: { a: 'b' } }],
    },
  };

  it('serves a v1beta2 object at v1beta1 without the v1beta2-only fields, and keeps them on a v1beta1 write', () => {
    const e = makeEngine();
    create(e, scope(e, 'metallb.io/v1beta2/bgppeers', { namespace: 'metallb-system' }), v1beta2);
    const s1 = scope(e, 'metallb.io/v1beta1/bgppeers', { namespace: 'metallb-system', name: 'p' });
    const old = get(e, s1);
    expect(old).toMatchObject({
      apiVersion: 'metallb.io/v1beta1',
      spec: { holdTime: '90s', nodeSelectors: [{ matchLabels: { a: 'b' } }] },
    });
    expect((old.spec as JsonObject).passwordSecret).toBeUndefined();
    update(e, s1, { ...old, spec: { ...(old.spec as JsonObject), peerPort: 1790, keepaliveTime: '0s' } });
    const now = get(e, scope(e, 'metallb.io/v1beta2/bgppeers', { namespace: 'metallb-system', name: 'p' }));
    expect(now.spec).toMatchObject({ peerPort: 1790, passwordSecret: { name: 's' } });
    expect((now.spec as JsonObject).keepaliveTime).toBeUndefined();
    expect(metaOf(now).generation).toBe(2);
  });
});
