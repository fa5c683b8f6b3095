// externalTrafficPolicy Local and interface selection, end to end (issue #4 §6): a three-node lab
// cluster (src/lab, no backends), where this file plays the endpoint controller. A Local Service is
// announced by the node hosting its ready endpoint (chosen to be a node MetalLB's ranking would NOT pick
// under the Cluster policy), the announcement follows the endpoint when it moves, and nobody announces
// once no endpoint is ready. A second pool whose L2Advertisement lists an absent interface (eth9) is not
// announced on eth0 and gets MetalLB's announceFailed event. Namespace prefix hetp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LabCluster } from '../../../src/lab/cluster.js';
import { namespaceBody } from '../../../src/lab/objects.js';
import { createIfMissing } from '../../../src/lab/pods.js';
import {
  arping,
  diagnostics,
  metallbPath,
  METALLB_NS,
  paths,
  ranking,
  serviceEvents,
  skipReason,
  statusNodes,
  steadyArpingOwner,
  waitOrExplain,
} from './helpers.js';

const skip = skipReason('the externalTrafficPolicy Local end-to-end tests');
const NS = 'etp';
const LOCAL = 'local';
const ABSENT = 'absent';
const ABSENT_POOL = 'eth9-pool';
const ABSENT_RANGE = '192.0.2.230-192.0.2.239';
const WAIT_MS = 20_000;

function serviceBody(name: string, policy: 'Local' | 'Cluster', pool?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, ...(pool && { annotations: { 'metallb.io/address-pool': pool } }) },
    spec: {
      type: 'LoadBalancer',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      externalTrafficPolicy: policy,
    },
  };
}

interface Endpoint {
  node: string;
  ip: string;
  ready: boolean;
}

function endpoints(list: readonly Endpoint[]): object[] {
  return list.map((e) => ({
    addresses: [e.ip],
    conditions: { ready: e.ready, serving: e.ready, terminating: false },
    nodeName: e.node,
  }));
}

function sliceBody(service: string, list: readonly Endpoint[]): object {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-ipv4`,
      namespace: NS,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'hetp' },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: endpoints(list),
  };
}

describe.skipIf(skip !== undefined)('herald speaker, externalTrafficPolicy Local and interfaces', () => {
  let cluster: LabCluster | undefined;
  let vip = '';
  /** MetalLB's ranking of the nodes for the Local Service's IP: [Cluster-policy owner, ...]. */
  let ranked: string[] = [];
  const c = (): LabCluster => {
    if (cluster === undefined) throw new Error('the lab cluster did not start');
    return cluster;
  };
  const endpointOn = (node: string, ready = true): Endpoint => ({
    node,
    ip: c().node(node).ipv4,
    ready,
  });
  const setEndpoints = (service: string, list: readonly Endpoint[]): Promise<unknown> =>
    c().api.patch(`${paths.endpointSlices(NS)}/${service}-ipv4`, { endpoints: endpoints(list) });

  async function createService(name: string, policy: 'Local' | 'Cluster', pool?: string): Promise<string> {
    await c().api.create(paths.services(NS), serviceBody(name, policy, pool));
    return waitOrExplain(
      c(),
      async () => (await c().serviceIps(NS, name))[0],
      WAIT_MS,
      `the controller to assign an address to ${NS}/${name}`,
    );
  }

  /** Until exactly `node` has a ServiceL2Status for the Local Service and answers arping alone. */
  async function expectAnnouncer(node: string): Promise<void> {
    await waitOrExplain(
      c(),
      async () => (await statusNodes(c(), NS, LOCAL)).join() === node,
      WAIT_MS,
      `exactly one ServiceL2Status for ${NS}/${LOCAL}, on ${node}`,
    );
    expect(await steadyArpingOwner(c(), vip, { rounds: 2, maxRounds: 8, expect: node })).toBe(node);
  }

  beforeAll(async () => {
    cluster = await startCluster({ prefix: 'hetp', nodes: 3, ipv6: false, scenario: 'none' });
    await createIfMissing(c(), paths.namespaces, namespaceBody(NS));
    vip = await createService(LOCAL, 'Local');
    ranked = ranking(
      c().nodes.map((n) => n.name),
      vip,
    );
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('announces a Local Service from the node with the ready endpoint, not the Cluster-policy owner', async () => {
    const host = ranked[2]!;
    expect(host).not.toBe(ranked[0]);
    await c().api.create(paths.endpointSlices(NS), sliceBody(LOCAL, [endpointOn(host)]));
    await expectAnnouncer(host);
  }, 90_000);

  it('follows the endpoint when it moves to another node', async () => {
    const host = ranked[1]!;
    await setEndpoints(LOCAL, [endpointOn(ranked[2]!, false), endpointOn(host)]);
    await expectAnnouncer(host);
  }, 90_000);

  it('announces nothing when no endpoint is ready', async () => {
    await setEndpoints(
      LOCAL,
      c().nodes.map((n) => endpointOn(n.name, false)),
    );
    await waitOrExplain(
      c(),
      async () => (await statusNodes(c(), NS, LOCAL)).length === 0,
      WAIT_MS,
      `every ServiceL2Status of ${NS}/${LOCAL} to be deleted`,
    );
    const answer = await arping(c(), vip, 3);
    expect(answer.replies, `${answer.output}\n${diagnostics(c())}`).toBe(0);
  }, 90_000);

  it('does not announce on eth0 when the L2Advertisement lists only an absent interface', async () => {
    const pool = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: ABSENT_POOL, namespace: METALLB_NS },
      spec: { addresses: [ABSENT_RANGE], autoAssign: false },
    };
    const adv = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'eth9-l2', namespace: METALLB_NS },
      spec: { ipAddressPools: [ABSENT_POOL], interfaces: ['eth9'] },
    };
    await c().api.create(metallbPath('ipaddresspools'), pool);
    await c().api.create(metallbPath('l2advertisements'), adv);
    const ip = await createService(ABSENT, 'Cluster', ABSENT_POOL);
    expect(ip).toMatch(/^192\.0\.2\.23\d$/u);
    await c().api.create(
      paths.endpointSlices(NS),
      sliceBody(
        ABSENT,
        c().nodes.map((n) => endpointOn(n.name)),
      ),
    );
    const owner = ranking(
      c().nodes.map((n) => n.name),
      ip,
    )[0]!;
    const failed = await waitOrExplain(
      c(),
      async () => {
        const list = await serviceEvents(c(), NS, ABSENT, 'announceFailed');
        return list.length > 0 ? list : undefined;
      },
      WAIT_MS,
      `an announceFailed event on ${NS}/${ABSENT}`,
    );
    expect(failed.every((e) => e.type === 'Warning')).toBe(true);
    const messages = failed.map((e) => String(e.message)).join('\n');
    expect(messages).toContain('eth9');
    expect(messages).toContain(`"${owner}"`);
    const answer = await arping(c(), ip, 3);
    expect(answer.replies, `${answer.output}\n${diagnostics(c())}`).toBe(0);
  }, 90_000);
});
