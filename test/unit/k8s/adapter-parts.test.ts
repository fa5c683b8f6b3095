/**
 * The small parts of the adapter: backoff, error normalisation, resource paths, timestamps, the object
 * store, readServiceStatus, the parseConfig snapshot from caches, and kubeconfig loading (file and
 * in-cluster, with every error naming its source).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import {
  Backoff,
  collectionPath,
  configSnapshotFromCache,
  formatMicroTime,
  formatTime,
  isAlreadyExists,
  isConflict,
  isGone,
  KubeApiError,
  KubeconfigError,
  loadKubeConfig,
  ObjectStore,
  objectPath,
  readServiceStatus,
  RESOURCES,
  SERVICE_ACCOUNT_DIR,
  splitKey,
  toKubeApiError,
  type KubeObject,
} from '../../../src/k8s/index.js';
import { buildUrl } from '../../../src/k8s/rest.js';
import { obj } from './helpers.js';

describe('Backoff', () => {
  it('doubles from initialMs up to maxMs and resets', () => {
    const b = new Backoff({ initialMs: 10, maxMs: 50 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 40, 50, 50]);
    expect(b.attempts).toBe(5);
    b.reset();
    expect(b.next()).toBe(10);
  });

  it('rejects inverted bounds', () => {
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
  });
});

describe('error normalisation', () => {
  it.each([
    {
      name: 'Watch statusCode',
      err: Object.assign(new Error('Gone'), { statusCode: 410 }),
      code: 410,
      reason: 'Expired',
      gone: true,
    },
    {
      name: 'ApiException with a Status body',
      err: Object.assign(new Error('x'), {
        code: 409,
        body: JSON.stringify({ kind: 'Status', code: 409, reason: 'AlreadyExists', message: 'exists' }),
      }),
      code: 409,
      reason: 'AlreadyExists',
    },
    {
      name: 'refused connection',
      err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      code: undefined,
      reason: 'NetworkError',
    },
    {
      name: 'abort',
      err: Object.assign(new Error('aborted'), { name: 'AbortError' }),
      code: undefined,
      reason: 'Aborted',
    },
  ])('$name', ({ err, code, reason, gone }) => {
    const e = toKubeApiError(err, 'GET /x');
    expect(e).toBeInstanceOf(KubeApiError);
    expect([e.code, e.reason, e.request]).toEqual([code, reason, 'GET /x']);
    expect(isGone(e)).toBe(gone === true);
  });

  it('tells Conflict from AlreadyExists', () => {
    expect(isConflict(new KubeApiError('', { code: 409, reason: 'Conflict' }))).toBe(true);
    expect(isConflict(new KubeApiError('', { code: 409, reason: 'AlreadyExists' }))).toBe(false);
    expect(isAlreadyExists(new KubeApiError('', { code: 409, reason: 'AlreadyExists' }))).toBe(true);
  });
});

describe('paths and timestamps', () => {
  it.each([
    [collectionPath(RESOURCES.services), '/api/v1/services'],
    [collectionPath(RESOURCES.services, 'shop'), '/api/v1/namespaces/shop/services'],
    [collectionPath(RESOURCES.nodes, 'ignored'), '/api/v1/nodes'],
    [
      collectionPath(RESOURCES.bgpPeers, 'metallb-system'),
      '/apis/metallb.io/v1beta2/namespaces/metallb-system/bgppeers',
    ],
    [
      objectPath(RESOURCES.ipAddressPools, 'm', 'gold', 'status'),
      '/apis/metallb.io/v1beta1/namespaces/m/ipaddresspools/gold/status',
    ],
    [
      objectPath(RESOURCES.leases, 'kube-system', 'herald'),
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/herald',
    ],
  ])('%s', (got, want) => expect(got).toBe(want));

  it('builds URLs with query parameters, skipping undefined ones', () => {
    expect(
      buildUrl('http://h:1/', '/api/v1/services', { watch: true, labelSelector: 'a=b', x: undefined }),
    ).toBe('http://h:1/api/v1/services?watch=true&labelSelector=a%3Db');
  });

  it('formats metav1.Time and MicroTime', () => {
    const d = new Date('2024-05-01T12:00:00.123Z');
    expect(formatTime(d)).toBe('2024-05-01T12:00:00Z');
    expect(formatMicroTime(d)).toBe('2024-05-01T12:00:00.123000Z');
  });

  it('splits keys', () => {
    expect(splitKey('ns/name')).toEqual({ namespace: 'ns', name: 'name' });
    expect(splitKey('node-1')).toEqual({ namespace: '', name: 'node-1' });
  });
});

describe('ObjectStore', () => {
  it('replace() yields deletes, then updates and adds; same resourceVersion is no change', () => {
    const store = new ObjectStore<KubeObject>();
    store.replace([obj('a', '1'), obj('b', '1'), obj('c', '1', {}, 'other')]);
    const changes = store.replace([obj('a', '1'), obj('b', '2'), obj('d', '1')]);
    expect(changes.map((c) => `${c.type} ${c.object.metadata?.name}`)).toEqual([
      'delete c',
      'update b',
      'add d',
    ]);
    expect(store.size).toBe(3);
    expect(store.list('default').map((o) => o.metadata?.name)).toEqual(['a', 'b', 'd']);
    expect(store.list('other')).toEqual([]);
    expect(store.remove(obj('zz', '1'))).toBeUndefined();
  });
});

describe('readServiceStatus', () => {
  it('reads ingress (canonical), pool annotation (deprecated fallback) and the condition', () => {
    const s = {
      metadata: { annotations: { 'metallb.universe.tf/ip-allocated-from-pool': 'old' } },
      status: {
        loadBalancer: { ingress: [{ ip: '2001:DB8:0::1' }, { hostname: 'x' }, { ip: '192.0.2.1' }] },
        conditions: [
          { type: 'other' },
          { type: 'metallb.io/IPAllocated', status: 'False', reason: 'AllocationFailed', message: 'm' },
        ],
      },
    };
    expect(readServiceStatus(s, 'metallb.io/IPAllocated')).toEqual({
      ips: ['2001:db8::1', '192.0.2.1'],
      pool: 'old',
      condition: { status: 'False', reason: 'AllocationFailed', message: 'm' },
    });
    expect(readServiceStatus({}, 'metallb.io/IPAllocated')).toEqual({
      ips: [],
      pool: undefined,
      condition: undefined,
    });
  });
});

describe('configSnapshotFromCache', () => {
  const cache = (items: KubeObject[]) => {
    const s = new ObjectStore<KubeObject>();
    s.replace(items);
    return s;
  };
  const pool = (name: string, ns = 'metallb-system') => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name, namespace: ns },
    spec: { addresses: [name === 'b' ? '192.0.2.0/28' : '198.51.100.0/28'] },
  });

  const secret = (name: string, namespace: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
  });

  it('sorts each kind by key, keeps secrets of the namespace only, and feeds parseConfig', () => {
    const snapshot = configSnapshotFromCache(
      {
        ipAddressPools: cache([pool('b'), pool('a')]),
        l2Advertisements: cache([]),
        bgpAdvertisements: cache([]),
        bgpPeers: cache([]),
        bfdProfiles: cache([]),
        communities: cache([]),
        secrets: cache([secret('s1', 'metallb-system'), secret('s2', 'elsewhere')]),
        nodes: cache([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: {} } }]),
      },
      'metallb-system',
    );
    expect((snapshot.ipAddressPools as KubeObject[]).map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    expect((snapshot.secrets as KubeObject[]).map((p) => p.metadata?.name)).toEqual(['s1']);
    expect(snapshot.nodes).toHaveLength(1);
    const parsed = parseConfig(snapshot, { namespace: 'metallb-system' });
    expect(parsed).toMatchObject({ ok: true });
  });

  it('omits secrets and nodes when no cache is given', () => {
    const empty = new ObjectStore<KubeObject>();
    const snapshot = configSnapshotFromCache(
      {
        ipAddressPools: empty,
        l2Advertisements: empty,
        bgpAdvertisements: empty,
        bgpPeers: empty,
        bfdProfiles: empty,
        communities: empty,
      },
      'm',
    );
    expect('secrets' in snapshot || 'nodes' in snapshot).toBe(false);
  });
});

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-k8s-kubeconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const valid = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }, { name: y, context: { cluster: c, user: u } }]
current-context: x
`;

  it('loads a file; a plain-http cluster is marked skipTLSVerify, https is untouched', () => {
    const kc = loadKubeConfig({ path: file('http.yaml', valid('http://127.0.0.1:18100')) });
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'http://127.0.0.1:18100', skipTLSVerify: true });
    const tls = loadKubeConfig({ path: file('https.yaml', valid('https://10.0.0.1:6443')), context: 'y' });
    expect(tls.getCurrentCluster()).toMatchObject({ skipTLSVerify: false });
    expect(tls.getCurrentContext()).toBe('y');
  });

  it.each([
    { name: 'missing file', text: undefined, match: /does not exist or is not readable/ },
    { name: 'not YAML', text: '{ clusters: [', match: /cannot be parsed/ },
    {
      name: 'no current-context',
      text: 'apiVersion: v1\nkind: Config\nclusters: []\n',
      match: /no current-context/,
    },
    { name: 'bad server URL', text: valid('not a url'), match: /no valid server URL/ },
    { name: 'unknown context', text: valid('https://h:1'), context: 'zzz', match: /has no context "zzz"/ },
  ])('file: $name', ({ name, text, context, match }) => {
    const path = text === undefined ? join(dir, 'nope.yaml') : file(`${name}.yaml`, text);
    const load = () => loadKubeConfig({ path, ...(context ? { context } : {}) });
    expect(load).toThrow(KubeconfigError);
    expect(load).toThrow(match);
    expect(load).toThrow(path);
  });

  it('in-cluster: needs the service account files, then the service env', () => {
    const root = join(dir, 'pod');
    expect(() => loadKubeConfig({ inClusterRoot: root })).toThrow(
      /kubeconfig in-cluster: no service account token/,
    );
    mkdirSync(join(root, SERVICE_ACCOUNT_DIR), { recursive: true });
    writeFileSync(join(root, SERVICE_ACCOUNT_DIR, 'token'), 'tok');
    writeFileSync(join(root, SERVICE_ACCOUNT_DIR, 'ca.crt'), 'ca');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '');
    delete process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_PORT;
    expect(() => loadKubeConfig({ inClusterRoot: root })).toThrow(/KUBERNETES_SERVICE_HOST/);
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    expect(loadKubeConfig({ inClusterRoot: root }).getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
    vi.unstubAllEnvs();
  });
});
