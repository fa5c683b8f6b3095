/**
 * The real kubectl (v1.32, /usr/bin/kubectl) against `herald apiserver` on 127.0.0.1 (port picked by the
 * OS): discovery, OpenAPI-backed validation, create/apply/get -o json/get -w/patch/delete on Namespaces,
 * Services, Nodes, EndpointSlices and every metallb.io kind, client- and server-side apply, imperative
 * `kubectl create` (protobuf bodies), Table output, and errors as kubectl prints them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubectlEnv, requireKubectl } from './kubectl-helpers.js';

const skip = requireKubectl();
let k: KubectlEnv;

beforeAll(async () => {
  if (!skip) k = await KubectlEnv.start('hapi-kubectl');
});
afterAll(async () => {
  await k?.stop();
});

type Obj = {
  metadata: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  items?: Obj[];
} & Record<string, unknown>;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: dns, port: 53, protocol: UDP}
`;

describe.skipIf(skip)('kubectl against herald apiserver', () => {
  it('talks to the server: version, api-resources including metallb.io', async () => {
    expect(await k.ok(['version'])).toMatch(/Server Version: v1\.32\.0-herald/);
    const resources = await k.ok(['api-resources', '-o', 'name']);
    for (const r of [
      'services',
      'nodes',
      'endpointslices.discovery.k8s.io',
      'leases.coordination.k8s.io',
      'events.events.k8s.io',
      'ipaddresspools.metallb.io',
      'bgppeers.metallb.io',
      'servicel2statuses.metallb.io',
    ]) {
      expect(resources.split('\n')).toContain(r);
    }
  });

  it('namespaces: the standard ones exist; create (protobuf and -f), list, delete cascades; default is protected', async () => {
    expect(await k.ok(['get', 'ns', '-o', 'name'])).toBe(
      [
        'namespace/default',
        'namespace/kube-node-lease',
        'namespace/kube-public',
        'namespace/kube-system',
        'namespace/metallb-system',
        '',
      ].join('\n'),
    );
    expect(await k.ok(['create', 'namespace', 'team-a'])).toBe('namespace/team-a created\n');
    expect(
      await k.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}\n'),
    ).toBe('namespace/team-b created\n');
    await k.ok(['create', 'configmap', 'c', '-n', 'team-a', '--from-literal=a=b']);
    await k.ok(['create', 'secret', 'generic', 's', '-n', 'team-a', '--from-literal=password=pw']);
    expect(await k.ok(['get', 'secret', 's', '-n', 'team-a', '-o', 'jsonpath={.data.password}'])).toBe(
      Buffer.from('pw').toString('base64'),
    );
    expect(await k.ok(['delete', 'namespace', 'team-a'])).toBe('namespace "team-a" deleted\n');
    expect(await k.ok(['get', 'configmaps,secrets', '-n', 'team-a', '-o', 'name'])).toBe('');
    const denied = await k.run(['delete', 'namespace', 'default']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n',
    );
    const missing = await k.run(['create', 'configmap', 'x', '-n', 'nowhere']);
    expect(missing.stderr).toContain('namespaces "nowhere" not found');
  });

  it('Services: create allocates a cluster IP and node ports; apply is idempotent then updates; get -o json', async () => {
    const file = await k.writeFile('svc.yaml', SERVICE);
    expect(await k.ok(['create', '-f', file])).toBe('service/web created\n');
    const svc = await k.json<Obj>(['get', 'svc', 'web']);
    expect(svc.spec).toMatchObject({
      type: 'LoadBalancer',
      clusterIP: expect.stringMatching(/^10\.(9[6-9]|1[01]\d)\./),
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    const ports = svc.spec!.ports as Array<Record<string, unknown>>;
    expect(ports.map((p) => [p.port, p.protocol, typeof p.nodePort])).toEqual([
      [80, 'TCP', 'number'],
      [53, 'UDP', 'number'],
    ]);
    const again = await k.run(['create', '-f', file]);
    expect(again.stderr).toBe(
      `Error from server (AlreadyExists): error when creating "${file}": services "web" already exists\n`,
    );
    const applied = await k.run(['apply', '-f', file]);
    expect(applied.stdout).toBe('service/web configured\n');
    expect(await k.ok(['apply', '-f', file])).toBe('service/web unchanged\n');
    await k.writeFile('svc.yaml', SERVICE.replace('targetPort: 8080', 'targetPort: 9090'));
    expect(await k.ok(['apply', '-f', file])).toBe('service/web configured\n');
    const updated = await k.json<Obj>(['get', 'svc', 'web']);
    expect((updated.spec!.ports as Array<Record<string, unknown>>)[0]).toMatchObject({
      targetPort: 9090,
      nodePort: ports[0]!.nodePort,
    });
    expect(updated.spec!.clusterIP).toBe(svc.spec!.clusterIP);
    expect(updated.metadata.generation).toBe(2);
  });

  it('Services: merge, JSON and strategic patches, status subresource, table output, delete', async () => {
    await k.ok(['apply', '-f', '-'], SERVICE.replace('name: web', 'name: p1'));
    expect(
      await k.ok(['patch', 'svc', 'p1', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']),
    ).toBe('service/p1 patched\n');
    await k.ok([
      'patch',
      'svc',
      'p1',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/ports/0/targetPort","value":7070}]',
    ]);
    await k.ok([
      'patch',
      'svc',
      'p1',
      '-p',
      '{"spec":{"ports":[{"port":53,"protocol":"UDP","targetPort":5353}]}}',
    ]);
    const svc = await k.json<Obj>(['get', 'svc', 'p1']);
    expect(svc.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(
      (svc.spec!.ports as Array<Record<string, unknown>>).map(
        (p) => `${p.port}/${p.protocol}->${p.targetPort}`,
      ),
    ).toEqual(['80/TCP->7070', '53/UDP->5353']);
    await k.ok([
      'patch',
      'svc',
      'p1',
      '--subresource',
      'status',
      '--type',
      'merge',
      '-p',
      '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}}',
    ]);
    await k.ok([
      'patch',
      'svc',
      'p1',
      '--type',
      'merge',
      '-p',
      '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.99"}]}}}',
    ]);
    expect(await k.ok(['get', 'svc', 'p1', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).toBe(
      '192.0.2.10',
    );
    const table = await k.ok(['get', 'svc', 'p1']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    expect(table.split('\n')[1]).toMatch(
      /^p1\s+LoadBalancer\s+10\.\S+\s+192\.0\.2\.10\s+80:3\d{4}\/TCP,53:3\d{4}\/UDP\s+\d+s$/,
    );
    expect(await k.ok(['delete', 'svc', 'p1'])).toBe('service "p1" deleted\n');
    expect((await k.run(['get', 'svc', 'p1'])).stderr).toBe(
      'Error from server (NotFound): services "p1" not found\n',
    );
  });

  it('reports validation errors as kubectl prints them (strict fields, Invalid)', async () => {
    const unknown = await k.run(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {portz: [], ports: [{port: 80}]}\n',
    );
    expect(unknown.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": strict decoding error: unknown field "spec.portz"\n',
    );
    const invalid = await k.run(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {ports: [{port: 0}]}\n',
    );
    expect(invalid.stderr).toMatch(
      /^The Service "bad" is invalid: \n\* spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive\n/,
    );
    const peer = await k.run(
      ['apply', '-f', '-'],
      'apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: bad, namespace: metallb-system}\nspec: {peerASN: 1, peerAddress: 192.0.2.1}\n',
    );
    expect(peer.stderr).toContain('The BGPPeer "bad" is invalid: spec.myASN: Required value');
  });

  it('Nodes: apply with status, status patch, wide table, delete', async () => {
    const node = `apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/hostname: node-a, node-role.kubernetes.io/worker: ""}
status:
  addresses: [{type: InternalIP, address: 192.0.2.11}, {type: Hostname, address: node-a}]
  conditions: [{type: Ready, status: "True"}]
  nodeInfo: {kubeletVersion: v1.32.0}
`;
    expect(await k.ok(['apply', '-f', '-'], node)).toBe('node/node-a created\n');
    expect(await k.ok(['get', 'node', 'node-a', '-o', 'wide'])).toMatch(
      /node-a\s+Ready\s+worker\s+\d+s\s+v1\.32\.0\s+192\.0\.2\.11/,
    );
    await k.ok([
      'patch',
      'node',
      'node-a',
      '--subresource',
      'status',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}',
    ]);
    const patched = await k.json<Obj>(['get', 'node', 'node-a']);
    expect(patched.status!.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
    expect(patched.status!.addresses).toHaveLength(2);
    expect(await k.ok(['label', 'node', 'node-a', 'zone=a'])).toBe('node/node-a labeled\n');
    expect(await k.ok(['delete', 'node', 'node-a'])).toBe('node "node-a" deleted\n');
  });

  it('EndpointSlices: apply, JSON patch, get -o json, delete', async () => {
    const slice = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.5], conditions: {ready: true}, nodeName: node-a}]
`;
    expect(await k.ok(['apply', '-f', '-'], slice)).toBe('endpointslice.discovery.k8s.io/web-abc created\n');
    await k.ok([
      'patch',
      'endpointslice',
      'web-abc',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/endpoints/-","value":{"addresses":["10.244.1.5"],"nodeName":"node-b"}}]',
    ]);
    const got = await k.json<Obj>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    expect((got.items![0]!.endpoints as Array<{ addresses: string[] }>).map((e) => e.addresses[0])).toEqual([
      '10.244.0.5',
      '10.244.1.5',
    ]);
    expect(await k.ok(['apply', '-f', '-'], slice)).toBe(
      'endpointslice.discovery.k8s.io/web-abc configured\n',
    );
    expect(await k.ok(['delete', 'endpointslice', 'web-abc'])).toBe(
      'endpointslice.discovery.k8s.io "web-abc" deleted\n',
    );
  });

  it('get -w streams changes (read from a kubectl child process, stopped by PID)', async () => {
    await k.ok(['create', 'configmap', 'w0']);
    const w = k.spawn([
      'get',
      'configmaps',
      '-w',
      '--output-watch-events',
      '-o',
      'jsonpath={.type} {.object.metadata.name}{"\\n"}',
    ]);
    try {
      await w.lines(1);
      await k.ok(['create', 'configmap', 'w1']);
      await k.ok(['label', 'configmap', 'w1', 'x=y']);
      await k.ok(['delete', 'configmap', 'w1']);
      expect(await w.lines(4)).toEqual(['ADDED w0', 'ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    } finally {
      await w.stop();
    }
    const t = k.spawn(['get', 'svc', '-w']);
    try {
      await t.lines(2);
      await k.ok([
        'patch',
        'svc',
        'web',
        '--subresource',
        'status',
        '--type',
        'merge',
        '-p',
        '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.77"}]}}}',
      ]);
      const lines = await t.lines(3);
      expect(lines[0]).toMatch(/^NAME\s+TYPE/);
      expect(lines[2]).toMatch(/^web\s+LoadBalancer\s+\S+\s+192\.0\.2\.77\s/);
    } finally {
      await t.stop();
    }
  });

  it('describe shows a Service with its events (events.k8s.io Events found through involvedObject field selectors)', async () => {
    const svc = await k.json<Obj>(['get', 'svc', 'web']);
    const event = `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: web.ip-allocated}
regarding: {apiVersion: v1, kind: Service, name: web, namespace: default, uid: ${String(svc.metadata.uid)}}
reason: IPAllocated
type: Normal
note: Assigned IP 192.0.2.77
action: Allocate
reportingController: herald.io/controller
reportingInstance: controller-1
eventTime: "2025-01-02T03:04:05.000000Z"
`;
    await k.ok(['create', '-f', '-'], event);
    const described = await k.ok(['describe', 'svc', 'web']);
    expect(described).toMatch(/^Name:\s+web$/m);
    expect(described).toMatch(/^Type:\s+LoadBalancer$/m);
    expect(described).toMatch(/IPAllocated.*Assigned IP 192\.0\.2\.77/);
    expect(
      await k.ok([
        'get',
        'events',
        '--field-selector',
        'involvedObject.kind=Service,reason=IPAllocated',
        '-o',
        'name',
      ]),
    ).toBe('event/web.ip-allocated\n');
  });

  it('server-side apply creates, updates and removes fields it no longer applies', async () => {
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {${data}}\n`;
    expect(await k.ok(['apply', '--server-side', '-f', '-'], cm('a: "1", b: "2"'))).toBe(
      'configmap/ssa serverside-applied\n',
    );
    expect(await k.ok(['apply', '--server-side', '-f', '-'], cm('a: "1"'))).toBe(
      'configmap/ssa serverside-applied\n',
    );
    expect((await k.json<Obj>(['get', 'configmap', 'ssa'])).data).toEqual({ a: '1' });
  });
});

const METALLB = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool1, namespace: metallb-system}
spec: {addresses: [192.0.2.0/28]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
spec: {ipAddressPools: [pool1]}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: bgp, namespace: metallb-system}
spec: {ipAddressPools: [pool1], localPref: 100}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: peer2, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 192.0.2.254}
---
apiVersion: metallb.io/v1beta1
kind: BGPPeer
metadata: {name: peer1, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64502, peerAddress: 192.0.2.253, holdTime: 90s}
---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {name: bfd, namespace: metallb-system}
spec: {receiveInterval: 300}
---
apiVersion: metallb.io/v1beta1
kind: Community
metadata: {name: communities, namespace: metallb-system}
spec: {communities: [{name: no-adv, value: "65535:65282"}]}
---
apiVersion: metallb.io/v1beta1
kind: ServiceL2Status
metadata: {name: l2-abcde, namespace: metallb-system, labels: {metallb.io/node: node-a}}
---
apiVersion: metallb.io/v1beta1
kind: ServiceBGPStatus
metadata: {name: bgp-abcde, namespace: metallb-system, labels: {metallb.io/node: node-a}}
`;

const KINDS = [
  'ipaddresspools',
  'l2advertisements',
  'bgpadvertisements',
  'bgppeers',
  'bfdprofiles',
  'communities',
  'servicel2statuses',
  'servicebgpstatuses',
];

describe.skipIf(skip)('kubectl with every metallb.io kind', () => {
  it('apply (twice), get -o json, patch merge/json, status, server-side apply and delete -f', async () => {
    const file = await k.writeFile('metallb.yaml', METALLB);
    const created = await k.ok(['apply', '-f', file]);
    expect(created.trim().split('\n')).toHaveLength(9);
    expect(created).not.toMatch(/unchanged/);
    expect(
      (await k.ok(['apply', '-f', file]))
        .trim()
        .split('\n')
        .every((l) => l.endsWith(' unchanged')),
    ).toBe(true);
    for (const kind of KINDS) {
      const listed = await k.json<Obj>(['get', `${kind}.metallb.io`, '-n', 'metallb-system']);
      expect(listed.items!.length, kind).toBeGreaterThan(0);
    }
    const peers = await k.json<Obj>(['get', 'bgppeers.v1beta2.metallb.io', '-n', 'metallb-system']);
    expect(peers.items!.map((p) => `${String(p.apiVersion)} ${String(p.metadata.name)}`)).toEqual([
      'metallb.io/v1beta2 peer1',
      'metallb.io/v1beta2 peer2',
    ]);
    const old = await k.json<Obj>(['get', 'bgppeers.v1beta1.metallb.io', 'peer2', '-n', 'metallb-system']);
    expect(old).toMatchObject({ apiVersion: 'metallb.io/v1beta1', spec: { peerASN: 64501 } });

    await k.ok([
      'patch',
      'ipaddresspool',
      'pool1',
      '-n',
      'metallb-system',
      '--type',
      'merge',
      '-p',
      '{"spec":{"autoAssign":false}}',
    ]);
    await k.ok([
      'patch',
      'ipaddresspool',
      'pool1',
      '-n',
      'metallb-system',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/addresses/-","value":"198.51.100.0/28"}]',
    ]);
    const pool = await k.json<Obj>(['get', 'ipaddresspool', 'pool1', '-n', 'metallb-system']);
    expect(pool.spec).toMatchObject({ addresses: ['192.0.2.0/28', '198.51.100.0/28'], autoAssign: false });
    expect(pool.metadata.generation).toBe(3);
    const smp = await k.run([
      'patch',
      'ipaddresspool',
      'pool1',
      '-n',
      'metallb-system',
      '-p',
      '{"spec":{"autoAssign":true}}',
    ]);
    expect(smp.code).toBe(1);
    expect(smp.stderr).toContain('application/strategic-merge-patch+json is not supported');

    await k.ok([
      'patch',
      'servicel2status',
      'l2-abcde',
      '-n',
      'metallb-system',
      '--subresource',
      'status',
      '--type',
      'merge',
      '-p',
      '{"status":{"node":"node-a","serviceName":"web","serviceNamespace":"default"}}',
    ]);
    expect(
      await k.ok([
        'get',
        'servicel2status',
        'l2-abcde',
        '-n',
        'metallb-system',
        '-o',
        'jsonpath={.status.node}',
      ]),
    ).toBe('node-a');

    const ssa = METALLB.split('---\n')[0]!.replace('192.0.2.0/28', '203.0.113.0/28');
    expect(await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], ssa)).toBe(
      'ipaddresspool.metallb.io/pool1 serverside-applied\n',
    );
    expect(
      await k.ok([
        'get',
        'ipaddresspool',
        'pool1',
        '-n',
        'metallb-system',
        '-o',
        'jsonpath={.spec.addresses}',
      ]),
    ).toContain('203.0.113.0/28');

    expect(await k.ok(['get', 'bgppeers', '-n', 'metallb-system'])).toMatch(
      /^NAME\s+ADDRESS\s+ASN\s+BFD PROFILE\s+MULTI HOPS\n/,
    );
    const deleted = await k.ok(['delete', '-f', file]);
    expect(deleted.trim().split('\n')).toHaveLength(9);
    for (const kind of KINDS)
      expect(await k.ok(['get', `${kind}.metallb.io`, '-n', 'metallb-system', '-o', 'name'])).toBe('');
  });
});
