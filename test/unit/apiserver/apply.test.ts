// Server-side apply (subset): create-on-apply, merge into live objects, managedFields per manager, and
// removal of fields a manager applied before but no longer applies (unless another Apply manager owns them).
import { describe, expect, it } from 'vitest';
import { patch } from '../../../src/apiserver/rest/patch.js';
import { get } from '../../../src/apiserver/rest/read.js';
import { update } from '../../../src/apiserver/rest/write.js';
import type { JsonObject, KubeObject } from '../../../src/apiserver/types.js';
import { makeEngine, metaOf, scope, thrown } from './fixture.js';

const APPLY = 'application/apply-patch+yaml';
const svc = (spec: JsonObject, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', labels },
  spec,
});

describe('server-side apply', () => {
  it('creates on first apply (201), records managedFields, and is idempotent', () => {
    const e = makeEngine();
    const s = scope(e, '/v1/services', { name: 'web', fieldManager: 'a' });
    const first = patch(e, s, APPLY, svc({ ports: [{ port: 80 }] }, { app: 'web' }));
    expect(first.created).toBe(true);
    expect(metaOf(first.object).managedFields).toEqual([
      {
        manager: 'a',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2025-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:ports': { 'k:{"port":80}': { 'f:port': {} } } },
        },
      },
    ]);
    const rv = e.store.resourceVersion;
    expect(patch(e, s, APPLY, svc({ ports: [{ port: 80 }] }, { app: 'web' })).created).toBe(false);
    expect(e.store.resourceVersion).toBe(rv);
  });

  it('merges keyed lists, removes fields the manager dropped, and keeps fields of other managers', () => {
    const e = makeEngine();
    const a = scope(e, '/v1/services', { name: 'web', fieldManager: 'a' });
    const b = { ...a, fieldManager: 'b' };
    patch(
      e,
      a,
      APPLY,
      svc({ ports: [{ name: 'http', port: 80 }], selector: { app: 'web' } }, { one: '1', two: '2' }),
    );
    patch(e, b, APPLY, svc({ ports: [{ name: 'https', port: 443 }] }, { two: '2' }));
    const out = patch(e, a, APPLY, svc({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, {})).object;
    expect(metaOf(out).labels).toEqual({ two: '2' });
    expect(
      ((out.spec as JsonObject).ports as JsonObject[]).map((p) => `${p.name}:${p.port}:${p.targetPort}`),
    ).toEqual(['http:80:8080', 'https:443:443']);
    expect((out.spec as JsonObject).selector).toBeUndefined();
    expect((metaOf(out).managedFields as JsonObject[]).map((m) => m.manager)).toEqual(['b', 'a']);
  });

  it('keeps managedFields across updates that do not send them, and needs a fieldManager', () => {
    const e = makeEngine();
    const s = scope(e, '/v1/services', { name: 'web', fieldManager: 'a' });
    patch(e, s, APPLY, svc({ ports: [{ port: 80 }] }));
    const live = get(e, s);
    delete metaOf(live).managedFields;
    const after = update(e, s, { ...live, metadata: { ...metaOf(live), labels: { x: 'y' } } }).object;
    expect(metaOf(after).managedFields).toHaveLength(1);
    expect(thrown(() => patch(e, { ...s, fieldManager: undefined }, APPLY, svc({}))).message).toBe(
      'fieldManager is required for apply requests',
    );
  });

  it('applies to custom resources, using x-kubernetes-list-type sets from the schema', () => {
    const e = makeEngine();
    const s = scope(e, 'metallb.io/v1beta1/ipaddresspools', {
      namespace: 'metallb-system',
      name: 'p',
      fieldManager: 'm',
    });
    const pool = (addresses: string[]): KubeObject => ({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'p', namespace: 'metallb-system' },
      spec: { addresses },
    });
    patch(e, s, APPLY, pool(['192.0.2.0/28']));
    const out = patch(e, s, APPLY, pool(['198.51.100.0/28'])).object;
    expect((out.spec as JsonObject).addresses).toEqual(['198.51.100.0/28']);
  });
});
