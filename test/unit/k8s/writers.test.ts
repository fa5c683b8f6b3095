/**
 * The writers against a recording REST client: the exact patches ServiceStatusWriter sends (ingress
 * with ipMode, the condition with kept lastTransitionTime, foreign conditions preserved under a
 * resourceVersion precondition, the pool annotation and its deprecated twin), skipped writes, 404 →
 * 'not-found'; EventRecorder aggregation (count within the window, new Event after it or after a
 * 404), never rejecting; PoolStatusWriter exact int64 clamping and skipping; SecretWriter create-once.
 */
import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_CONDITION_TYPE,
  conditionReason,
  EventRecorder,
  involvedObject,
  KubeApiError,
  PoolStatusWriter,
  poolStatusPatch,
  SecretWriter,
  ServiceStatusWriter,
  type KubeObject,
  type RestClient,
} from '../../../src/k8s/index.js';
import { FakeClock } from '../../fakes/clock.js';
import { notFound, RecordingRest } from './helpers.js';

const T0 = new Date('2024-03-01T10:00:00.000Z');

function svc(status: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u1',
      resourceVersion: '42',
      generation: 3,
      annotations,
    },
    spec: { type: 'LoadBalancer' },
    status,
  };
}

const allocated = {
  ips: ['192.0.2.1', '2001:db8::1'],
  pool: 'gold',
  condition: { status: 'True' as const, reason: 'IPAllocated', message: 'ok' },
};

describe('ServiceStatusWriter', () => {
  const writer = (rest: RecordingRest) =>
    new ServiceStatusWriter({ rest: rest as RestClient, wallClock: () => T0 });

  it('writes ingress with ipMode VIP and the condition to the status subresource, and the pool annotation', async () => {
    const rest = new RecordingRest();
    expect(await writer(rest).write(svc(), allocated)).toBe('written');
    expect(rest.calls).toEqual([
      'PATCH /api/v1/namespaces/shop/services/web/status',
      'PATCH /api/v1/namespaces/shop/services/web',
    ]);
    expect(rest.requests.every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
    expect(rest.requests[0]!.body).toEqual({
      status: {
        loadBalancer: {
          ingress: [
            { ip: '192.0.2.1', ipMode: 'VIP' },
            { ip: '2001:db8::1', ipMode: 'VIP' },
          ],
        },
        conditions: [
          {
            type: ALLOCATION_CONDITION_TYPE,
            status: 'True',
            reason: 'IPAllocated',
            message: 'ok',
            lastTransitionTime: '2024-03-01T10:00:00Z',
            observedGeneration: 3,
          },
        ],
      },
    });
    expect(rest.requests[1]!.body).toEqual({
      metadata: { annotations: { 'metallb.io/ip-allocated-from-pool': 'gold' } },
    });
  });

  it('skips everything when the Service already says it (ingress without ipMode counts as VIP)', async () => {
    const rest = new RecordingRest();
    const current = svc(
      {
        loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { ip: '2001:db8::1', ipMode: 'VIP' }] },
        conditions: [
          {
            type: ALLOCATION_CONDITION_TYPE,
            status: 'True',
            reason: 'IPAllocated',
            message: 'ok',
            lastTransitionTime: 'x',
            observedGeneration: 3,
          },
        ],
      },
      { 'metallb.io/ip-allocated-from-pool': 'gold' },
    );
    expect(await writer(rest).write(current, allocated)).toBe('unchanged');
    expect(rest.calls).toEqual([]);
  });

  it('keeps lastTransitionTime while the status is unchanged, and rewrites a Proxy ipMode', async () => {
    const rest = new RecordingRest();
    const current = svc({
      loadBalancer: { ingress: [{ ip: '192.0.2.1', ipMode: 'Proxy' }, { ip: '2001:db8::1' }] },
      conditions: [
        {
          type: ALLOCATION_CONDITION_TYPE,
          status: 'True',
          reason: 'IPAllocated',
          message: 'old',
          lastTransitionTime: '2020-01-01T00:00:00Z',
        },
      ],
    });
    await writer(rest).write(current, { ...allocated, pool: undefined });
    const status = (rest.requests[0]!.body as { status: { conditions: Record<string, unknown>[] } }).status;
    expect(status.conditions[0]).toMatchObject({ message: 'ok', lastTransitionTime: '2020-01-01T00:00:00Z' });
    expect(rest.calls).toHaveLength(1);
  });

  it('preserves other conditions and then guards the patch with the resourceVersion', async () => {
    const rest = new RecordingRest();
    const foreign = {
      type: 'example.com/Healthy',
      status: 'True',
      reason: 'Fine',
      message: '',
      lastTransitionTime: 'x',
    };
    await writer(rest).write(svc({ conditions: [foreign] }), {
      ips: [],
      pool: undefined,
      condition: { status: 'False', reason: 'AllocationFailed', message: 'no pool' },
    });
    const body = rest.requests[0]!.body as {
      metadata: unknown;
      status: { conditions: unknown[]; loadBalancer: unknown };
    };
    expect(body.metadata).toEqual({ resourceVersion: '42' });
    expect(body.status.conditions).toEqual([
      foreign,
      expect.objectContaining({ status: 'False', reason: 'AllocationFailed' }),
    ]);
    expect(body.status.loadBalancer).toEqual({ ingress: null });
  });

  it('clears ingress, condition and both pool annotations', async () => {
    const rest = new RecordingRest();
    const current = svc(
      {
        loadBalancer: { ingress: [{ ip: '192.0.2.1' }] },
        conditions: [{ type: ALLOCATION_CONDITION_TYPE, status: 'True' }],
      },
      { 'metallb.io/ip-allocated-from-pool': 'gold', 'metallb.universe.tf/ip-allocated-from-pool': 'gold' },
    );
    await writer(rest).write(current, { ips: [], pool: undefined, condition: undefined });
    expect(rest.requests[0]!.body).toEqual({ status: { loadBalancer: { ingress: null }, conditions: null } });
    expect(rest.requests[1]!.body).toEqual({
      metadata: {
        annotations: {
          'metallb.io/ip-allocated-from-pool': null,
          'metallb.universe.tf/ip-allocated-from-pool': null,
        },
      },
    });
  });

  it("a vanished Service is 'not-found'; other failures reject", async () => {
    const rest = new RecordingRest();
    rest.responder = () => notFound();
    expect(await writer(rest).write(svc(), allocated)).toBe('not-found');
    rest.responder = () => new KubeApiError('conflict', { code: 409, reason: 'Conflict' });
    await expect(writer(rest).write(svc(), allocated)).rejects.toMatchObject({ code: 409 });
  });

  it.each([
    ['IPAllocated', 'IPAllocated'],
    ['not enough clusterips', 'NotEnoughClusterips'],
    ['nolbIPsIPFamily', 'nolbIPsIPFamily'],
    ['1 weird-reason!', 'WeirdReason'],
    ['???', 'Unknown'],
  ])('condition reason %j → %j', (input, want) => {
    expect(conditionReason(input)).toBe(want);
  });
});

describe('EventRecorder', () => {
  const ref = involvedObject(svc(), { apiVersion: 'v1', kind: 'Service' });

  function recorder(rest: RecordingRest, clock = new FakeClock(), errors: unknown[] = []) {
    let ms = T0.getTime();
    const wallClock = () => new Date((ms += 1000));
    return new EventRecorder({
      rest: rest as RestClient,
      component: 'herald-controller',
      instance: 'node-1',
      clock,
      wallClock,
      onError: (e) => errors.push(e),
    });
  }

  it('creates a core/v1 Event with source, reporting fields, timestamps and count 1', async () => {
    const rest = new RecordingRest();
    await recorder(rest).event(ref, 'Normal', 'IPAllocated', 'Assigned IP ["192.0.2.1"]');
    expect(rest.calls).toEqual(['POST /api/v1/namespaces/shop/events']);
    const body = rest.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      kind: 'Event',
      metadata: { namespace: 'shop', name: expect.stringMatching(/^web\.[0-9a-f]+$/) },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        uid: 'u1',
        resourceVersion: '42',
      },
      type: 'Normal',
      reason: 'IPAllocated',
      message: 'Assigned IP ["192.0.2.1"]',
      source: { component: 'herald-controller', host: 'node-1' },
      reportingComponent: 'herald-controller',
      reportingInstance: 'node-1',
      firstTimestamp: '2024-03-01T10:00:01Z',
      lastTimestamp: '2024-03-01T10:00:01Z',
      count: 1,
    });
  });

  it('aggregates repeats within the window into count and lastTimestamp, even in a burst', async () => {
    const rest = new RecordingRest();
    const r = recorder(rest);
    await Promise.all([1, 2, 3].map(() => r.event(ref, 'Warning', 'AllocationFailed', 'no addresses')));
    expect(rest.calls.map((c) => c.split(' ')[0])).toEqual(['POST', 'PATCH', 'PATCH']);
    const name = (rest.requests[0]!.body as { metadata: { name: string } }).metadata.name;
    expect(rest.requests[2]!.path).toBe(`/api/v1/namespaces/shop/events/${name}`);
    expect(rest.requests[2]!.body).toEqual({ count: 3, lastTimestamp: '2024-03-01T10:00:03Z' });
    await r.event(ref, 'Warning', 'AllocationFailed', 'a different message');
    expect(rest.calls.at(-1)).toBe('POST /api/v1/namespaces/shop/events');
  });

  it('starts a new Event after the window, or when the aggregated one is gone', async () => {
    const rest = new RecordingRest();
    const clock = new FakeClock();
    const r = recorder(rest, clock);
    await r.event(ref, 'Normal', 'IPAllocated', 'm');
    clock.advance(600_000);
    await r.event(ref, 'Normal', 'IPAllocated', 'm');
    expect(rest.calls.map((c) => c.split(' ')[0])).toEqual(['POST', 'POST']);
    rest.responder = (req) => (req.method === 'PATCH' ? notFound() : {});
    await r.event(ref, 'Normal', 'IPAllocated', 'm');
    expect(rest.calls.map((c) => c.split(' ')[0])).toEqual(['POST', 'POST', 'PATCH', 'POST']);
  });

  it('never rejects: failures go to onError; cluster-scoped objects get events in default', async () => {
    const rest = new RecordingRest();
    const errors: unknown[] = [];
    rest.responder = () => new KubeApiError('boom', { code: 500, reason: 'InternalError' });
    await expect(
      recorder(rest, new FakeClock(), errors).event(ref, 'Normal', 'X', 'y'),
    ).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    const ok = new RecordingRest();
    await recorder(ok).event({ apiVersion: 'v1', kind: 'Node', name: 'n1' }, 'Normal', 'X', 'y'.repeat(5000));
    expect(ok.calls).toEqual(['POST /api/v1/namespaces/default/events']);
    expect((ok.requests[0]!.body as { message: string }).message).toHaveLength(1024);
  });
});

describe('PoolStatusWriter', () => {
  const pool = (status?: Record<string, unknown>): KubeObject => ({
    metadata: { name: 'gold', namespace: 'metallb-system' },
    ...(status ? { status } : {}),
  });
  const big = { assignedIPv4: 3n, assignedIPv6: 1n, availableIPv4: 253n, availableIPv6: 1n << 80n };

  it('writes exact int64 values, clamped, to the status subresource', async () => {
    const rest = new RecordingRest();
    expect(await new PoolStatusWriter({ rest: rest as RestClient }).write(pool(), big)).toBe('written');
    expect(rest.calls).toEqual([
      'PATCH /apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/gold/status',
    ]);
    expect(rest.requests[0]!.raw).toBe(
      '{"status":{"assignedIPv4":3,"assignedIPv6":1,"availableIPv4":253,"availableIPv6":9223372036854775807}}',
    );
    expect(
      poolStatusPatch({ assignedIPv4: -5, assignedIPv6: 1.7, availableIPv4: Number.NaN, availableIPv6: 7n }),
    ).toBe('{"status":{"assignedIPv4":0,"assignedIPv6":1,"availableIPv4":0,"availableIPv6":7}}');
  });

  it('skips when the cache already shows the values; rewrites when they change', async () => {
    const rest = new RecordingRest();
    const w = new PoolStatusWriter({ rest: rest as RestClient });
    const small = { assignedIPv4: 1, assignedIPv6: 0, availableIPv4: 3, availableIPv6: 0 };
    expect(await w.write(pool({ ...small }), small)).toBe('unchanged');
    expect(await w.write(pool({ ...small }), { ...small, assignedIPv4: 2 })).toBe('written');
    await w.write(pool(), big);
    const cached = pool({
      assignedIPv4: 3,
      assignedIPv6: 1,
      availableIPv4: 253,
      availableIPv6: 2 ** 63,
    });
    expect(await w.write(cached, big)).toBe('unchanged');
    expect(rest.requests).toHaveLength(2);
    rest.responder = () => notFound();
    expect(await w.write(pool(), small)).toBe('not-found');
  });
});

describe('SecretWriter', () => {
  it('creates the memberlist Secret with a random base64 key when missing', async () => {
    const rest = new RecordingRest();
    rest.responder = (req) => (req.method === 'GET' ? notFound() : {});
    const w = new SecretWriter({ rest: rest as RestClient, randomBytes: (n) => Buffer.alloc(n, 7) });
    expect(await w.ensureMemberlistSecret('metallb-system', 'memberlist')).toBe('created');
    expect(rest.calls).toEqual([
      'GET /api/v1/namespaces/metallb-system/secrets/memberlist',
      'POST /api/v1/namespaces/metallb-system/secrets',
    ]);
    const body = rest.requests[1]!.body as { data: { secretkey: string }; metadata: { name: string } };
    const text = Buffer.from(body.data.secretkey, 'base64').toString();
    expect(Buffer.from(text, 'base64')).toEqual(Buffer.alloc(64, 7));
    expect(body.metadata.name).toBe('memberlist');
  });

  it('never overwrites: an existing Secret, or one created concurrently, is left alone', async () => {
    const rest = new RecordingRest();
    const w = new SecretWriter({ rest: rest as RestClient });
    expect(await w.ensureMemberlistSecret('ns', 'memberlist')).toBe('exists');
    expect(rest.calls).toEqual(['GET /api/v1/namespaces/ns/secrets/memberlist']);
    rest.responder = (req) =>
      req.method === 'GET' ? notFound() : new KubeApiError('exists', { code: 409, reason: 'AlreadyExists' });
    expect(await w.ensureMemberlistSecret('ns', 'memberlist')).toBe('exists');
    rest.responder = () => new KubeApiError('forbidden', { code: 403, reason: 'Forbidden' });
    await expect(w.ensureMemberlistSecret('ns', 'memberlist')).rejects.toMatchObject({ code: 403 });
  });
});
