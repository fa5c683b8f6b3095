/**
 * The writers against the embedded API server, checked by reading back through client-node's typed
 * APIs (CoreV1Api, CustomObjectsApi): Service status/condition/annotation (and a second identical write
 * is skipped), aggregated Events, IPAddressPool status counters (exact int64), the memberlist Secret
 * created once and never overwritten.
 */
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOCATION_CONDITION_TYPE,
  collectionPath,
  EventRecorder,
  involvedObject,
  isAlreadyExists,
  isConflict,
  CONTENT_MERGE_PATCH,
  objectPath,
  PoolStatusWriter,
  RESOURCES,
  SecretWriter,
  ServiceStatusWriter,
  type KubeObject,
} from '../../../src/k8s/index.js';
import { loadBalancer, startCluster, type Cluster } from './harness.js';

const NS = 'metallb-system';
let cluster: Cluster;
let core: CoreV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await startCluster('k8s-writers');
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
  // The embedded server bootstraps metallb-system; create it only when missing.
  const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
  await cluster.client.rest
    .request({ method: 'POST', path: '/api/v1/namespaces', body })
    .catch((err: unknown) => {
      if (!isAlreadyExists(err)) throw err;
    });
});
afterAll(async () => {
  await cluster.close();
});

const get = (path: string) => cluster.client.rest.request({ method: 'GET', path }) as Promise<KubeObject>;

describe('writers against the embedded API server', () => {
  it('ServiceStatusWriter writes ingress, condition and annotation; a repeat is skipped', async () => {
    await cluster.client.rest.request({
      method: 'POST',
      path: collectionPath(RESOURCES.services, 'default'),
      body: loadBalancer('web'),
    });
    const writer = new ServiceStatusWriter({ rest: cluster.client.rest });
    const update = {
      ips: ['192.0.2.10'],
      pool: 'gold',
      condition: { status: 'True' as const, reason: 'IPAllocated', message: 'Assigned IP ["192.0.2.10"]' },
    };
    const path = objectPath(RESOURCES.services, 'default', 'web');
    expect(await writer.write(await get(path), update)).toBe('written');
    const svc = await core.readNamespacedServiceStatus({ name: 'web', namespace: 'default' });
    expect(svc.status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual(['192.0.2.10']);
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ipMode).toBe('VIP');
    expect(svc.status?.conditions?.find((c) => c.type === ALLOCATION_CONDITION_TYPE)).toMatchObject({
      status: 'True',
      reason: 'IPAllocated',
    });
    expect(svc.metadata?.annotations?.['metallb.io/ip-allocated-from-pool']).toBe('gold');
    const after = await get(path);
    expect(await writer.write(after, update)).toBe('unchanged');
    expect(await writer.write(after, { ips: [], pool: undefined, condition: undefined })).toBe('written');
    const cleared = await core.readNamespacedService({ name: 'web', namespace: 'default' });
    expect(cleared.status?.loadBalancer?.ingress ?? []).toEqual([]);
    expect(cleared.metadata?.annotations?.['metallb.io/ip-allocated-from-pool']).toBeUndefined();
    await cluster.client.rest.request({ method: 'DELETE', path });
    expect(await writer.write(after, { ...update, ips: ['192.0.2.11'] })).toBe('not-found');
  });

  it("ServiceStatusWriter keeps other controllers' conditions and refuses to overwrite a newer status", async () => {
    await cluster.client.rest.request({
      method: 'POST',
      path: collectionPath(RESOURCES.services, 'default'),
      body: loadBalancer('mixed'),
    });
    const path = objectPath(RESOURCES.services, 'default', 'mixed');
    const foreign = {
      type: 'example.com/Ready',
      status: 'True',
      reason: 'Fine',
      message: 'fine',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    };
    const patch = (body: unknown) =>
      cluster.client.rest.request({
        method: 'PATCH',
        path: `${path}/status`,
        body,
        contentType: CONTENT_MERGE_PATCH,
      });
    await patch({ status: { conditions: [foreign] } });
    const stale = await get(path);
    await patch({ status: { conditions: [foreign, { ...foreign, type: 'example.com/Other' }] } });
    const writer = new ServiceStatusWriter({ rest: cluster.client.rest });
    const update = {
      ips: ['192.0.2.20'],
      pool: undefined,
      condition: { status: 'True' as const, reason: 'IPAllocated', message: 'ok' },
    };
    await expect(writer.write(stale, update)).rejects.toSatisfy(isConflict);
    expect(await writer.write(await get(path), update)).toBe('written');
    const svc = await core.readNamespacedServiceStatus({ name: 'mixed', namespace: 'default' });
    expect(svc.status?.conditions?.map((c) => c.type)).toEqual([
      'example.com/Ready',
      'example.com/Other',
      ALLOCATION_CONDITION_TYPE,
    ]);
  });

  it('EventRecorder aggregates repeats into one Event with a count', async () => {
    const errors: unknown[] = [];
    const recorder = new EventRecorder({
      rest: cluster.client.rest,
      component: 'herald-controller',
      instance: 'test',
      onError: (e) => errors.push(e),
    });
    const ref = involvedObject(
      { metadata: { name: 'api', namespace: 'default', uid: 'u-api' } },
      { apiVersion: 'v1', kind: 'Service' },
    );
    for (let i = 0; i < 3; i++) await recorder.event(ref, 'Warning', 'AllocationFailed', 'no available IPs');
    await recorder.event(ref, 'Normal', 'IPAllocated', 'Assigned IP ["192.0.2.1"]');
    expect(errors).toEqual([]);
    const events = (await core.listNamespacedEvent({ namespace: 'default' })).items.filter(
      (e) => e.involvedObject.name === 'api',
    );
    const byReason = Object.fromEntries(events.map((e) => [e.reason, e]));
    expect(events).toHaveLength(2);
    expect(byReason.AllocationFailed).toMatchObject({
      type: 'Warning',
      count: 3,
      message: 'no available IPs',
      reportingComponent: 'herald-controller',
    });
    expect(byReason.AllocationFailed?.source?.component).toBe('herald-controller');
    expect(byReason.IPAllocated?.count).toBe(1);
  });

  it('PoolStatusWriter writes exact, clamped counters to the status subresource', async () => {
    const pool = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'gold', namespace: NS },
      spec: { addresses: ['192.0.2.0/24', '2001:db8::/64'] },
    };
    const created = (await cluster.client.rest.request({
      method: 'POST',
      path: collectionPath(RESOURCES.ipAddressPools, NS),
      body: pool,
    })) as KubeObject;
    const writer = new PoolStatusWriter({ rest: cluster.client.rest });
    const counters = { assignedIPv4: 2n, assignedIPv6: 1n, availableIPv4: 254n, availableIPv6: 1n << 64n };
    expect(await writer.write(created, counters)).toBe('written');
    const read = (await custom.getNamespacedCustomObjectStatus({
      group: 'metallb.io',
      version: 'v1beta1',
      namespace: NS,
      plural: 'ipaddresspools',
      name: 'gold',
    })) as KubeObject;
    expect(read.status).toMatchObject({ assignedIPv4: 2, assignedIPv6: 1, availableIPv4: 254 });
    // The request carries 9223372036854775807 exactly (unit-tested); the embedded server keeps JSON
    // numbers as doubles, so what it hands back is only equal as a double.
    expect((read.status as Record<string, number>).availableIPv6).toBe(2 ** 63);
    expect(await writer.write(read, counters)).toBe('unchanged');
  });

  it('SecretWriter creates the memberlist Secret once and never overwrites it', async () => {
    const writer = new SecretWriter({ rest: cluster.client.rest });
    expect(await writer.ensureMemberlistSecret(NS, 'memberlist')).toBe('created');
    const first = await core.readNamespacedSecret({ name: 'memberlist', namespace: NS });
    const key = first.data?.secretkey ?? '';
    expect(Buffer.from(Buffer.from(key, 'base64').toString(), 'base64').length).toBe(64);
    expect(await writer.ensureMemberlistSecret(NS, 'memberlist')).toBe('exists');
    const second = await core.readNamespacedSecret({ name: 'memberlist', namespace: NS });
    expect(second.data?.secretkey).toBe(key);
  });
});
