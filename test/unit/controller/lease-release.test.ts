/**
 * releaseLeaseIfHeld: after the elector stopped, a Lease that still names this replica is released with
 * its current resourceVersion; a Lease held by another replica (or gone) is left alone.
 */
import { describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { releaseLeaseIfHeld } from '../../../src/controller/main.js';
import type { ControllerOptions } from '../../../src/controller/options.js';
import { KubeApiError, type KubeClient, type RestRequest } from '../../../src/k8s/index.js';
import { silentLog } from './fake-cluster.js';

const OPTIONS: ControllerOptions = {
  namespace: 'metallb-system',
  metricsListen: { host: '127.0.0.1', port: 0 },
  logLevel: 'silent',
  leaseName: 'herald-controller',
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  identity: 'me',
  memberlistSecret: 'memberlist',
};

function fakeClient(holder: string | undefined): { client: KubeClient; requests: RestRequest[] } {
  const requests: RestRequest[] = [];
  const lease = (h: string, rv: string): object => ({
    metadata: { name: 'herald-controller', namespace: 'metallb-system', resourceVersion: rv },
    spec: { holderIdentity: h, leaseDurationSeconds: 15, leaseTransitions: 2 },
  });
  const client: KubeClient = {
    kubeConfig: {} as KubeConfig,
    rest: {
      async request(req) {
        requests.push(req);
        if (req.method === 'GET') {
          if (holder === undefined) throw new KubeApiError('not found', { code: 404, reason: 'NotFound' });
          return lease(holder, '41');
        }
        const body = req.body as { spec: { holderIdentity: string } };
        return lease(body.spec.holderIdentity, '42');
      },
    },
  };
  return { client, requests };
}

describe('releaseLeaseIfHeld', () => {
  it('releases a Lease that still names this replica, at its current resourceVersion', async () => {
    const { client, requests } = fakeClient('me');
    await releaseLeaseIfHeld(client, OPTIONS, silentLog);
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({
      metadata: { resourceVersion: '41' },
      spec: { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 },
    });
  });

  it.each([
    { name: 'held by another replica', holder: 'other' },
    { name: 'already released', holder: '' },
    { name: 'absent', holder: undefined },
  ])('leaves a Lease $name alone', async ({ holder }) => {
    const { client, requests } = fakeClient(holder);
    await releaseLeaseIfHeld(client, OPTIONS, silentLog);
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });
});
