// REST semantics at the engine level: create/get/update/patch/delete with uid, generateName, generation,
// optimistic concurrency, status separation, no-op updates, finalizers, namespaces and garbage collection.
import { describe, expect, it } from 'vitest';
import { remove, removeCollection } from '../../../src/apiserver/rest/delete.js';
import { patch } from '../../../src/apiserver/rest/patch.js';
import { get, list } from '../../../src/apiserver/rest/read.js';
import { create, update } from '../../../src/apiserver/rest/write.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { CORE, makeEngine, metaOf, scope, thrown } from './fixture.js';

const cm = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { a: '1' },
  ...extra,
});
const pool = (name: string, addresses = ['192.0.2.0/28']): KubeObject => ({
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name, namespace: 'metallb-system' },
  spec: { addresses },
});
const POOLS = 'metallb.io/v1beta1/ipaddresspools';

describe('create and get', () => {
  it('sets uid, creationTimestamp, generation, namespace and a new resourceVersion', () => {
    const e = makeEngine();
    const before = e.store.resourceVersion;
    const out = create(e, scope(e, CORE('configmaps')), cm('a')).object;
    expect(metaOf(out)).toEqual({
      name: 'a',
      namespace: 'default',
      uid: expect.stringMatching(/^uid-\d+$/),
      creationTimestamp: '2025-01-02T03:04:05Z',
      generation: 1,
      resourceVersion: String(before + 1),
    });
    expect(get(e, scope(e, CORE('configmaps'), { name: 'a' }))).toEqual(out);
  });

  it('generates names from generateName', () => {
    const e = makeEngine();
    const out = create(e, scope(e, POOLS, { namespace: 'metallb-system' }), {
      ...pool(''),
      metadata: { generateName: 'l2-', namespace: 'metallb-system' },
    }).object;
    expect(metaOf(out).name).toMatch(/^l2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects duplicates (409 AlreadyExists), missing namespaces (404) and bad names (422)', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a'));
    expect(thrown(() => create(e, scope(e, CORE('configmaps')), cm('a'))).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "a" already exists',
      reason: 'AlreadyExists',
      details: { name: 'a', kind: 'configmaps' },
      code: 409,
    });
    expect(
      thrown(() => create(e, scope(e, CORE('configmaps'), { namespace: 'nope' }), cm('a'))).message,
    ).toBe('namespaces "nope" not found');
    const bad = thrown(() => create(e, scope(e, CORE('configmaps')), cm('Bad_Name')));
    expect(bad.code).toBe(422);
    expect(bad.message).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
  });

  it('rejects a create that carries a resourceVersion (400)', () => {
    const e = makeEngine();
    const err = thrown(() =>
      create(e, scope(e, CORE('configmaps')), cm('a', { metadata: { name: 'a', resourceVersion: '5' } })),
    );
    expect([err.code, err.message]).toEqual([
      400,
      'resourceVersion should not be set on objects to be created',
    ]);
  });

  it('rejects a body whose kind, apiVersion or namespace disagrees with the URL (400)', () => {
    const e = makeEngine();
    const s = scope(e, CORE('configmaps'));
    expect(thrown(() => create(e, s, { ...cm('a'), kind: 'Secret' })).message).toBe(
      'the kind in the data (Secret) does not match the expected kind (ConfigMap)',
    );
    expect(thrown(() => create(e, s, { ...cm('a'), apiVersion: 'v2' })).code).toBe(400);
    expect(
      thrown(() => create(e, s, { ...cm('a'), metadata: { name: 'a', namespace: 'kube-system' } })).message,
    ).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('answers NotFound with a Status naming the group for custom resources', () => {
    const e = makeEngine();
    expect(
      thrown(() => get(e, scope(e, POOLS, { namespace: 'metallb-system', name: 'x' }))).toStatus(),
    ).toMatchObject({
      message: 'ipaddresspools.metallb.io "x" not found',
      reason: 'NotFound',
      code: 404,
      details: { name: 'x', group: 'metallb.io', kind: 'ipaddresspools' },
    });
  });
});

describe('update', () => {
  it('enforces optimistic concurrency: a stale resourceVersion is a 409 Conflict', () => {
    const e = makeEngine();
    const first = create(e, scope(e, CORE('configmaps')), cm('a')).object;
    const s = scope(e, CORE('configmaps'), { name: 'a' });
    update(e, s, { ...first, data: { a: '2' } });
    const err = thrown(() => update(e, s, { ...first, data: { a: '3' } }));
    expect(err.code).toBe(409);
    expect(err.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('requires a resourceVersion for custom resources but not for core kinds', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a'));
    expect(
      update(e, scope(e, CORE('configmaps'), { name: 'a' }), cm('a', { data: { b: '2' } })).object.data,
    ).toEqual({ b: '2' });
    const s = scope(e, POOLS, { namespace: 'metallb-system', name: 'p' });
    create(e, { ...s, name: undefined }, pool('p'));
    expect(thrown(() => update(e, s, pool('p', ['198.51.100.0/28']))).message).toBe(
      'IPAddressPool.metallb.io "p" is invalid: metadata.resourceVersion: Invalid value: "0x0": must be specified for an update',
    );
  });

  it('bumps generation on spec changes only, and keeps system fields', () => {
    const e = makeEngine();
    const ps = scope(e, POOLS, { namespace: 'metallb-system' });
    const p = create(e, ps, pool('p')).object;
    const s = { ...ps, name: 'p' };
    const labelled = update(e, s, {
      ...p,
      metadata: { ...metaOf(p), labels: { a: 'b' }, uid: '', creationTimestamp: 'x' },
    }).object;
    expect(metaOf(labelled)).toMatchObject({
      generation: 1,
      uid: metaOf(p).uid,
      creationTimestamp: metaOf(p).creationTimestamp,
    });
    const changed = update(e, s, { ...labelled, spec: { addresses: ['198.51.100.0/28'] } }).object;
    expect(metaOf(changed).generation).toBe(2);
  });

  it('does not write (no new resourceVersion, no event) when nothing changes', () => {
    const e = makeEngine();
    const a = create(e, scope(e, CORE('configmaps')), cm('a')).object;
    const rv = e.store.resourceVersion;
    const same = update(e, scope(e, CORE('configmaps'), { name: 'a' }), a).object;
    expect(e.store.resourceVersion).toBe(rv);
    expect(metaOf(same).resourceVersion).toBe(metaOf(a).resourceVersion);
  });

  it('keeps status apart: the main resource ignores status, /status ignores everything else', () => {
    const e = makeEngine();
    const ps = scope(e, POOLS, { namespace: 'metallb-system' });
    const created = create(e, ps, { ...pool('p'), status: { assignedIPv4: 9 } }).object;
    expect(created.status).toBeUndefined();
    const st = update(
      e,
      { ...ps, name: 'p', subresource: 'status' },
      { ...created, spec: { addresses: [] }, status: { assignedIPv4: 1 } },
    ).object;
    expect(st).toMatchObject({ spec: { addresses: ['192.0.2.0/28'] }, status: { assignedIPv4: 1 } });
    expect(metaOf(st).generation).toBe(1);
    const main = update(
      e,
      { ...ps, name: 'p' },
      { ...st, spec: { addresses: ['198.51.100.0/28'] }, status: { assignedIPv4: 5 } },
    ).object;
    expect(main).toMatchObject({ spec: { addresses: ['198.51.100.0/28'] }, status: { assignedIPv4: 1 } });
  });

  it('rejects a different uid as a failed precondition', () => {
    const e = makeEngine();
    const a = create(e, scope(e, CORE('configmaps')), cm('a')).object;
    const err = thrown(() =>
      update(e, scope(e, CORE('configmaps'), { name: 'a' }), {
        ...a,
        metadata: { ...metaOf(a), uid: 'other' },
      }),
    );
    expect(err.message).toMatch(/Precondition failed: UID in precondition: other/);
  });

  it('dry run validates and answers without storing', () => {
    const e = makeEngine();
    const rv = e.store.resourceVersion;
    const out = create(e, scope(e, CORE('services'), { dryRun: true }), {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    }).object;
    expect((out.spec as KubeObject).clusterIP).toBe('10.96.0.1');
    expect(e.store.resourceVersion).toBe(rv);
    expect(e.store.list('/services')).toEqual([]);
    expect(e.allocators.ips.get('IPv4')!.allocatedCount).toBe(0);
  });
});

describe('patch', () => {
  it('applies merge, JSON and strategic patches and checks a resourceVersion the patch sets', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a'));
    const s = scope(e, CORE('configmaps'), { name: 'a' });
    expect(patch(e, s, 'application/merge-patch+json', { data: { b: '2' } }).object.data).toEqual({
      a: '1',
      b: '2',
    });
    expect(
      patch(e, s, 'application/json-patch+json', [{ op: 'remove', path: '/data/a' }]).object.data,
    ).toEqual({ b: '2' });
    expect(patch(e, s, 'application/strategic-merge-patch+json', { data: { c: '3' } }).object.data).toEqual({
      b: '2',
      c: '3',
    });
    expect(
      thrown(() =>
        patch(e, s, 'application/merge-patch+json', { metadata: { resourceVersion: '1' }, data: {} }),
      ).code,
    ).toBe(409);
  });

  it('maps patch errors to Status codes: 415 for unknown types and strategic patches of custom resources, 422 for failing JSON patches', () => {
    const e = makeEngine();
    const ps = scope(e, POOLS, { namespace: 'metallb-system' });
    create(e, ps, pool('p'));
    expect(
      thrown(() => patch(e, { ...ps, name: 'p' }, 'application/strategic-merge-patch+json', { spec: {} }))
        .code,
    ).toBe(415);
    expect(thrown(() => patch(e, { ...ps, name: 'p' }, 'text/plain', {})).reason).toBe(
      'UnsupportedMediaType',
    );
    expect(
      thrown(() =>
        patch(e, { ...ps, name: 'p' }, 'application/json-patch+json', [{ op: 'remove', path: '/nope' }]),
      ).code,
    ).toBe(422);
    expect(thrown(() => patch(e, { ...ps, name: 'nope' }, 'application/merge-patch+json', {})).code).toBe(
      404,
    );
  });
});

describe('delete', () => {
  it('deletes, checks preconditions and keeps objects with finalizers until they are removed', () => {
    const e = makeEngine();
    const a = create(
      e,
      scope(e, CORE('configmaps')),
      cm('a', { metadata: { name: 'a', finalizers: ['example.com/f'] } }),
    ).object;
    const s = scope(e, CORE('configmaps'), { name: 'a' });
    expect(thrown(() => remove(e, s, { preconditions: { uid: 'x' } })).message).toMatch(
      /Precondition failed: UID in precondition: x/,
    );
    const pending = remove(e, s);
    expect(pending.gone).toBe(false);
    expect(metaOf(pending.object).deletionTimestamp).toBe('2025-01-02T03:04:05Z');
    const current = get(e, s);
    expect(
      thrown(() =>
        update(e, s, { ...current, metadata: { ...metaOf(current), finalizers: ['example.com/f', 'x'] } }),
      ).code,
    ).toBe(403);
    update(e, s, { ...current, metadata: { ...metaOf(current), finalizers: [] } });
    expect(thrown(() => get(e, s)).code).toBe(404);
    expect(metaOf(a).uid).toBeDefined();
  });

  it('refuses to delete protected namespaces and cascades a namespace deletion to its objects', () => {
    const e = makeEngine();
    expect(thrown(() => remove(e, scope(e, CORE('namespaces'), { name: 'default' }))).message).toBe(
      'namespaces "default" is forbidden: this namespace may not be deleted',
    );
    create(e, scope(e, CORE('namespaces')), { metadata: { name: 'team' } });
    create(e, scope(e, CORE('configmaps'), { namespace: 'team' }), cm('a'));
    create(e, scope(e, CORE('services'), { namespace: 'team' }), {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    });
    remove(e, scope(e, CORE('namespaces'), { name: 'team' }));
    expect(e.store.list('/configmaps', 'team')).toEqual([]);
    expect(e.store.list('/services', 'team')).toEqual([]);
    expect(e.allocators.ips.get('IPv4')!.allocatedCount).toBe(0);
  });

  it('garbage-collects objects whose owners are all gone', () => {
    const e = makeEngine();
    const owner = create(e, scope(e, CORE('configmaps')), cm('owner')).object;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: metaOf(owner).uid! };
    const child = create(
      e,
      scope(e, CORE('configmaps')),
      cm('child', { metadata: { name: 'child', ownerReferences: [ref] } }),
    ).object;
    create(
      e,
      scope(e, CORE('configmaps')),
      cm('grandchild', {
        metadata: {
          name: 'grandchild',
          ownerReferences: [{ ...ref, name: 'child', uid: metaOf(child).uid! }],
        },
      }),
    );
    create(
      e,
      scope(e, CORE('configmaps')),
      cm('two-owners', {
        metadata: { name: 'two-owners', ownerReferences: [ref, { ...ref, uid: 'elsewhere' }] },
      }),
    );
    const keeper = create(e, scope(e, CORE('configmaps')), cm('keeper')).object;
    create(
      e,
      scope(e, CORE('configmaps')),
      cm('kept', {
        metadata: {
          name: 'kept',
          ownerReferences: [ref, { ...ref, name: 'keeper', uid: metaOf(keeper).uid! }],
        },
      }),
    );
    remove(e, scope(e, CORE('configmaps'), { name: 'owner' }));
    expect(e.store.list('/configmaps').map((o) => metaOf(o).name)).toEqual(['keeper', 'kept']);
  });

  it('deletes a collection by label selector', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a', { metadata: { name: 'a', labels: { x: '1' } } }));
    create(e, scope(e, CORE('configmaps')), cm('b'));
    const out = removeCollection(e, scope(e, CORE('configmaps')), { labelSelector: 'x=1' });
    expect((out.items as KubeObject[]).map((o) => metaOf(o).name)).toEqual(['a']);
    expect(list(e, scope(e, CORE('configmaps'))).items).toHaveLength(1);
  });
});

describe('list', () => {
  it('filters by label and field selectors and paginates with limit/continue', () => {
    const e = makeEngine();
    for (const n of ['a', 'b', 'c', 'd'])
      create(
        e,
        scope(e, CORE('configmaps')),
        cm(n, { metadata: { name: n, labels: { even: String(n === 'b' || n === 'd') } } }),
      );
    const s = scope(e, CORE('configmaps'));
    expect(
      (list(e, s, { labelSelector: 'even=true' }).items as KubeObject[]).map((o) => metaOf(o).name),
    ).toEqual(['b', 'd']);
    expect((list(e, s, { fieldSelector: 'metadata.name!=a' }).items as KubeObject[]).length).toBe(3);
    const page1 = list(e, s, { limit: 3 });
    expect(page1.metadata).toMatchObject({
      resourceVersion: String(e.store.resourceVersion),
      remainingItemCount: 1,
    });
    const page2 = list(e, s, { limit: 3, continueToken: String((page1.metadata as KubeObject).continue) });
    expect((page2.items as KubeObject[]).map((o) => metaOf(o).name)).toEqual(['d']);
    expect((page2.metadata as KubeObject).continue).toBeUndefined();
    expect(thrown(() => list(e, s, { continueToken: 'garbage' })).code).toBe(400);
    expect(page1).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
  });

  it('lists across namespaces when the scope has none', () => {
    const e = makeEngine();
    expect(
      (list(e, { ...scope(e, CORE('namespaces')) }).items as KubeObject[]).map((o) => metaOf(o).name),
    ).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'metallb-system']);
  });
});

describe('per-kind strategies', () => {
  it('folds Secret stringData into base64 data, defaults the type and rejects non-base64 data', () => {
    const e = makeEngine();
    const s = create(e, scope(e, CORE('secrets')), {
      metadata: { name: 's' },
      stringData: { password: 'pw' },
      data: { a: 'YQ==' },
    }).object;
    expect(s).toMatchObject({
      type: 'Opaque',
      data: { a: 'YQ==', password: Buffer.from('pw').toString('base64') },
    });
    expect(s.stringData).toBeUndefined();
    expect(
      thrown(() =>
        create(e, scope(e, CORE('secrets')), { metadata: { name: 'bad' }, data: { a: 'not base64!' } }),
      ).message,
    ).toMatch(/data\[a\]: Invalid value: "<redacted>": must be base64-encoded/);
  });

  it('requires an EndpointSlice addressType and keeps it immutable', () => {
    const e = makeEngine();
    const s = scope(e, 'discovery.k8s.io/v1/endpointslices');
    expect(thrown(() => create(e, s, { metadata: { name: 'x' }, endpoints: [] })).message).toMatch(
      /addressType: Required value/,
    );
    const es = create(e, s, { metadata: { name: 'x' }, addressType: 'IPv4', endpoints: [] }).object;
    expect(thrown(() => update(e, { ...s, name: 'x' }, { ...es, addressType: 'IPv6' })).message).toMatch(
      /addressType: Invalid value: "IPv6": field is immutable/,
    );
  });

  it('gives Namespaces phase Active and Pods phase Pending on create, whatever the client sent', () => {
    const e = makeEngine();
    expect(
      create(e, scope(e, CORE('namespaces')), { metadata: { name: 'n' }, status: { phase: 'Terminating' } })
        .object.status,
    ).toEqual({ phase: 'Active' });
    expect(
      create(e, scope(e, CORE('pods')), { metadata: { name: 'p' }, spec: {}, status: { phase: 'Running' } })
        .object.status,
    ).toEqual({ phase: 'Pending' });
    expect(
      create(e, scope(e, CORE('nodes')), { metadata: { name: 'n' }, status: { phase: 'Running' } }).object
        .status,
    ).toEqual({ phase: 'Running' });
  });
});
