/**
 * Speaker Pods → membership roster: which Pods become peers (scheduled, Running, not terminating, valid
 * podIP), duplicates on one node (newest wins, reported), malformed input, and a property: translation
 * never throws and never yields two peers for one node.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEAKER_SELECTOR, peersFromPods } from '../../../src/k8s/index.js';

interface PodInit {
  name?: string;
  node?: string | undefined;
  ip?: string | undefined;
  phase?: string;
  created?: string;
  deleting?: boolean;
  podIPs?: string[];
}

function pod(init: PodInit = {}): Record<string, unknown> {
  const name = init.name ?? 'speaker-node-1';
  const status: Record<string, unknown> = { phase: init.phase ?? 'Running' };
  if (!('ip' in init) || init.ip !== undefined) status.podIP = init.ip ?? '192.0.2.11';
  if (init.podIPs) status.podIPs = init.podIPs.map((ip) => ({ ip }));
  return {
    metadata: {
      name,
      namespace: 'metallb-system',
      creationTimestamp: init.created ?? '2026-01-01T00:00:00Z',
      ...(init.deleting ? { deletionTimestamp: '2026-01-02T00:00:00Z' } : {}),
    },
    spec: 'node' in init && init.node === undefined ? {} : { nodeName: init.node ?? 'node-1' },
    status,
  };
}

describe('peersFromPods', () => {
  it('exports the MetalLB speaker selector', () => {
    expect(DEFAULT_SPEAKER_SELECTOR).toBe('app=metallb,component=speaker');
  });

  it('turns Running, scheduled Pods into peers named by node, sorted', () => {
    const r = peersFromPods([
      pod({ name: 'speaker-b', node: 'node-2', ip: '192.0.2.12' }),
      pod({ name: 'speaker-a', node: 'node-1', ip: '192.0.2.11' }),
    ]);
    expect(r.peers).toEqual([
      { name: 'node-1', address: '192.0.2.11' },
      { name: 'node-2', address: '192.0.2.12' },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.skipped).toEqual([]);
  });

  it('writes IPv6 pod IPs in canonical form', () => {
    const r = peersFromPods([pod({ ip: '2001:DB8:0:0::11' })]);
    expect(r.peers).toEqual([{ name: 'node-1', address: '2001:db8::11' }]);
  });

  it('falls back to status.podIPs[0] when status.podIP is missing', () => {
    const r = peersFromPods([pod({ ip: undefined, podIPs: ['192.0.2.13'] })]);
    expect(r.peers).toEqual([{ name: 'node-1', address: '192.0.2.13' }]);
  });

  it.each([
    { why: 'not Running', init: { phase: 'Pending' }, reason: /status.phase is Pending/ },
    { why: 'terminating', init: { deleting: true }, reason: /deletionTimestamp/ },
    { why: 'not scheduled', init: { node: undefined }, reason: /spec.nodeName/ },
    { why: 'no podIP yet', init: { ip: undefined }, reason: /podIP is not set/ },
  ])('skips a Pod that is $why', ({ init, reason }) => {
    const r = peersFromPods([pod(init)]);
    expect(r.peers).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.skipped).toEqual([
      { pod: 'metallb-system/speaker-node-1', reason: expect.stringMatching(reason) },
    ]);
  });

  it('with requireReady, leaves out Pods whose Ready condition is not True (no condition: admitted)', () => {
    const ready = pod({ name: 'speaker-a', node: 'node-1' });
    (ready.status as Record<string, unknown>).conditions = [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ];
    const unready = pod({ name: 'speaker-b', node: 'node-2', ip: '192.0.2.12' });
    (unready.status as Record<string, unknown>).conditions = [{ type: 'Ready', status: 'False' }];
    const silent = pod({ name: 'speaker-c', node: 'node-3', ip: '192.0.2.13' });
    const r = peersFromPods([ready, unready, silent], { requireReady: true });
    expect(r.peers).toEqual([
      { name: 'node-1', address: '192.0.2.11' },
      { name: 'node-3', address: '192.0.2.13' },
    ]);
    expect(r.skipped.map((s) => [s.pod, s.reason])).toEqual([
      ['metallb-system/speaker-b', 'condition Ready is not True'],
    ]);
    expect(peersFromPods([ready, unready, silent]).peers).toHaveLength(3);
  });

  it('reports an invalid podIP as a problem, naming the field', () => {
    const r = peersFromPods([pod({ ip: '192.0.2.300' })]);
    expect(r.peers).toEqual([]);
    expect(r.problems).toEqual([
      { pod: 'metallb-system/speaker-node-1', reason: 'status.podIP: "192.0.2.300" is not an IP address' },
    ]);
  });

  it('reports non-objects by index', () => {
    const r = peersFromPods([null, 'x', 42]);
    expect(r.peers).toEqual([]);
    expect(r.problems.map((p) => p.pod)).toEqual(['pods[0]', 'pods[1]', 'pods[2]']);
  });

  it('keeps the newest Pod when two claim the same node, in either order', () => {
    const old = pod({ name: 'speaker-old', ip: '192.0.2.21', created: '2026-01-01T00:00:00Z' });
    const fresh = pod({ name: 'speaker-new', ip: '192.0.2.22', created: '2026-01-01T00:05:00Z' });
    for (const pods of [
      [old, fresh],
      [fresh, old],
    ]) {
      const r = peersFromPods(pods);
      expect(r.peers).toEqual([{ name: 'node-1', address: '192.0.2.22' }]);
      expect(r.problems).toEqual([
        {
          pod: 'metallb-system/speaker-old',
          reason: expect.stringContaining('claimed by the newer Pod metallb-system/speaker-new'),
        },
      ]);
    }
  });

  it('never throws and yields at most one peer per node (property)', () => {
    const node = fc.constantFrom('node-1', 'node-2', undefined);
    const arbPod = fc.oneof(
      fc.anything(),
      fc
        .record({
          name: fc.string(),
          node,
          ip: fc.oneof(fc.constantFrom('192.0.2.1', '2001:db8::1', 'nope', ''), fc.constant(undefined)),
          phase: fc.constantFrom('Running', 'Pending', 'Failed'),
          created: fc.constantFrom('2026-01-01T00:00:00Z', 'garbage', '2026-02-01T00:00:00Z'),
          deleting: fc.boolean(),
        })
        .map((init) => pod(init)),
    );
    fc.assert(
      fc.property(fc.array(arbPod, { maxLength: 8 }), (pods) => {
        const r = peersFromPods(pods);
        const names = r.peers.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
        expect(r.peers.length + r.problems.length + r.skipped.length).toBe(pods.length);
      }),
    );
  });
});
