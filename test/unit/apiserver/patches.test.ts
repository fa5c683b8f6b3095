// Patch engines: JSON merge patch (RFC 7386 Appendix A), JSON patch (RFC 6902 Appendix A) and strategic
// merge patch with the directives kubectl sends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError } from '../../../src/apiserver/patch/json-patch.js';
import { applyMergePatch, createMergePatch } from '../../../src/apiserver/patch/merge-patch.js';
import { applyStrategicMergePatch, SmpError } from '../../../src/apiserver/patch/strategic.js';
import type { Json, JsonObject } from '../../../src/apiserver/types.js';

describe('JSON merge patch (RFC 7386 Appendix A)', () => {
  it.each<{ target: Json; patch: Json; result: Json }>([
    { target: { a: 'b' }, patch: { a: 'c' }, result: { a: 'c' } },
    { target: { a: 'b' }, patch: { b: 'c' }, result: { a: 'b', b: 'c' } },
    { target: { a: 'b' }, patch: { a: null }, result: {} },
    { target: { a: 'b', b: 'c' }, patch: { a: null }, result: { b: 'c' } },
    { target: { a: ['b'] }, patch: { a: 'c' }, result: { a: 'c' } },
    { target: { a: 'c' }, patch: { a: ['b'] }, result: { a: ['b'] } },
    { target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, result: { a: { b: 'd' } } },
    { target: { a: [{ b: 'c' }] }, patch: { a: [1] }, result: { a: [1] } },
    { target: ['a', 'b'], patch: ['c', 'd'], result: ['c', 'd'] },
    { target: { a: 'b' }, patch: ['c'], result: ['c'] },
    { target: { a: 'foo' }, patch: null, result: null },
    { target: { a: 'foo' }, patch: 'bar', result: 'bar' },
    { target: { e: null }, patch: { a: 1 }, result: { e: null, a: 1 } },
    { target: [1, 2], patch: { a: 'b', c: null }, result: { a: 'b' } },
    { target: {}, patch: { a: { bb: { ccc: null } } }, result: { a: { bb: {} } } },
  ])('$#: %j', ({ target, patch, result }) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });

  it('does not modify its inputs', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });

  it('property: applying createMergePatch(a, b) to a gives b (for null-free objects)', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    const obj = fc.dictionary(
      fc.constantFrom('a', 'b', 'c'),
      fc.oneof(leaf, fc.dictionary(fc.constantFrom('x', 'y'), leaf), fc.array(leaf)),
    );
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        expect(applyMergePatch(a as Json, createMergePatch(a as Json, b as Json))).toEqual(b);
      }),
    );
  });
});

describe('JSON patch (RFC 6902 Appendix A)', () => {
  it.each<{ name: string; doc: Json; patch: Json; result: Json }>([
    {
      name: 'A.1 add object member',
      doc: { foo: 'bar' },
      patch: [{ op: 'add', path: '/baz', value: 'qux' }],
      result: { foo: 'bar', baz: 'qux' },
    },
    {
      name: 'A.2 add array element',
      doc: { foo: ['bar', 'baz'] },
      patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
      result: { foo: ['bar', 'qux', 'baz'] },
    },
    {
      name: 'A.3 remove member',
      doc: { baz: 'qux', foo: 'bar' },
      patch: [{ op: 'remove', path: '/baz' }],
      result: { foo: 'bar' },
    },
    {
      name: 'A.4 remove element',
      doc: { foo: ['bar', 'qux', 'baz'] },
      patch: [{ op: 'remove', path: '/foo/1' }],
      result: { foo: ['bar', 'baz'] },
    },
    {
      name: 'A.5 replace',
      doc: { baz: 'qux', foo: 'bar' },
      patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
      result: { baz: 'boo', foo: 'bar' },
    },
    {
      name: 'A.6 move member',
      doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      result: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    },
    {
      name: 'A.7 move element',
      doc: { foo: ['all', 'grass', 'cows', 'eat'] },
      patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      result: { foo: ['all', 'cows', 'eat', 'grass'] },
    },
    {
      name: 'A.8 test success',
      doc: { baz: 'qux', foo: ['a', 2, 'c'] },
      patch: [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      result: { baz: 'qux', foo: ['a', 2, 'c'] },
    },
    {
      name: 'A.10 add nested member',
      doc: { foo: 'bar' },
      patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      result: { foo: 'bar', child: { grandchild: {} } },
    },
    {
      name: 'A.14 ~ escapes',
      doc: { '/': 9, '~1': 10 },
      patch: [{ op: 'test', path: '/~01', value: 10 }],
      result: { '/': 9, '~1': 10 },
    },
    {
      name: 'A.16 append with -',
      doc: { foo: ['bar'] },
      patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      result: { foo: ['bar', ['abc', 'def']] },
    },
    {
      name: 'copy',
      doc: { a: { b: 1 } },
      patch: [{ op: 'copy', from: '/a', path: '/c' }],
      result: { a: { b: 1 }, c: { b: 1 } },
    },
    {
      name: 'replace root',
      doc: { a: 1 },
      patch: [{ op: 'replace', path: '', value: { b: 2 } }],
      result: { b: 2 },
    },
  ])('$name', ({ doc, patch, result }) => {
    expect(applyJsonPatch(doc, patch)).toEqual(result);
  });

  it.each<{ name: string; doc: Json; patch: Json; why: RegExp }>([
    {
      name: 'A.9 test failure',
      doc: { baz: 'qux' },
      patch: [{ op: 'test', path: '/baz', value: 'bar' }],
      why: /test failed/,
    },
    {
      name: 'A.12 add to nonexistent target',
      doc: { foo: 'bar' },
      patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      why: /does not exist/,
    },
    { name: 'A.13 invalid op', doc: {}, patch: [{ op: 'frob', path: '/a' }], why: /unknown op "frob"/ },
    { name: 'remove missing', doc: {}, patch: [{ op: 'remove', path: '/a' }], why: /does not exist/ },
    {
      name: 'index out of range',
      doc: { a: [1] },
      patch: [{ op: 'add', path: '/a/5', value: 1 }],
      why: /out of range/,
    },
    { name: 'bad pointer', doc: {}, patch: [{ op: 'add', path: 'a', value: 1 }], why: /must start with/ },
    { name: 'missing value', doc: {}, patch: [{ op: 'add', path: '/a' }], why: /needs "value"/ },
    { name: 'not a list', doc: {}, patch: { op: 'add' }, why: /array of operations/ },
    {
      name: 'move into itself',
      doc: { a: { b: 1 } },
      patch: [{ op: 'move', from: '/a', path: '/a/b/c' }],
      why: /into itself/,
    },
  ])('rejects $name', ({ doc, patch, why }) => {
    expect(() => applyJsonPatch(doc, patch)).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, patch)).toThrow(why);
  });

  it('is atomic: a failing operation leaves the input untouched', () => {
    const doc = { a: 1 };
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'add', path: '/b', value: 2 },
        { op: 'remove', path: '/zzz' },
      ]),
    ).toThrow();
    expect(doc).toEqual({ a: 1 });
  });
});

const svc: JsonObject = {
  metadata: { name: 'web', finalizers: ['a'], ownerReferences: [{ uid: 'u1', name: 'o1' }] },
  spec: {
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
    ],
    externalIPs: ['192.0.2.1', '192.0.2.2'],
    selector: { app: 'web' },
  },
  status: {
    conditions: [
      { type: 'A', status: 'True' },
      { type: 'B', status: 'False' },
    ],
  },
};

const pod: JsonObject = {
  spec: {
    containers: [
      {
        name: 'app',
        image: 'app:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
      },
      { name: 'side', image: 'side:1' },
    ],
    volumes: [
      { name: 'v1', emptyDir: {} },
      { name: 'v2', configMap: { name: 'c' } },
    ],
  },
};

describe('strategic merge patch', () => {
  const ports = (o: JsonObject) =>
    ((o.spec as JsonObject).ports as JsonObject[]).map((p) => `${p.port}/${p.protocol}:${p.targetPort}`);

  it.each<{ name: string; patch: JsonObject; check: (o: JsonObject) => unknown; want: unknown }>([
    {
      name: 'merges Service ports by port and protocol',
      patch: { spec: { ports: [{ port: 53, protocol: 'TCP', targetPort: 5353 }] } },
      check: ports,
      want: ['53/UDP:53', '53/TCP:5353', '80/TCP:8080'],
    },
    {
      name: 'a port without protocol matches the first with that port',
      patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      check: ports,
      want: ['53/UDP:53', '53/TCP:53', '80/TCP:9090'],
    },
    {
      name: 'appends a new port',
      patch: { spec: { ports: [{ port: 443, protocol: 'TCP' }] } },
      check: ports,
      want: ['53/UDP:53', '53/TCP:53', '80/TCP:8080', '443/TCP:undefined'],
    },
    {
      name: '$patch: delete removes a port',
      patch: { spec: { ports: [{ port: 53, protocol: 'UDP', $patch: 'delete' }] } },
      check: ports,
      want: ['53/TCP:53', '80/TCP:8080'],
    },
    {
      name: '$patch: replace on the list replaces it',
      patch: { spec: { ports: [{ $patch: 'replace' }, { port: 1, protocol: 'TCP' }] } },
      check: ports,
      want: ['1/TCP:undefined'],
    },
    {
      name: '$setElementOrder reorders',
      patch: {
        spec: {
          '$setElementOrder/ports': [
            { port: 80 },
            { port: 53, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        },
      },
      check: ports,
      want: ['80/TCP:8080', '53/TCP:53', '53/UDP:53'],
    },
    {
      name: 'atomic lists (externalIPs) are replaced',
      patch: { spec: { externalIPs: ['192.0.2.9'] } },
      check: (o) => (o.spec as JsonObject).externalIPs,
      want: ['192.0.2.9'],
    },
    {
      name: 'null deletes a map key',
      patch: { spec: { selector: { app: null, tier: 'x' } } },
      check: (o) => (o.spec as JsonObject).selector,
      want: { tier: 'x' },
    },
    {
      name: 'finalizers merge as a set',
      patch: { metadata: { finalizers: ['b', 'a'] } },
      check: (o) => (o.metadata as JsonObject).finalizers,
      want: ['a', 'b'],
    },
    {
      name: '$deleteFromPrimitiveList removes finalizers',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      check: (o) => (o.metadata as JsonObject).finalizers,
      want: [],
    },
    {
      name: 'ownerReferences merge by uid',
      patch: {
        metadata: {
          ownerReferences: [
            { uid: 'u1', name: 'renamed' },
            { uid: 'u2', name: 'o2' },
          ],
        },
      },
      check: (o) => (o.metadata as JsonObject).ownerReferences,
      want: [
        { uid: 'u1', name: 'renamed' },
        { uid: 'u2', name: 'o2' },
      ],
    },
    {
      name: 'conditions merge by type',
      patch: { status: { conditions: [{ type: 'B', status: 'True' }] } },
      check: (o) => (o.status as JsonObject).conditions,
      want: [
        { type: 'A', status: 'True' },
        { type: 'B', status: 'True' },
      ],
    },
    {
      name: '$retainKeys drops other keys',
      patch: { spec: { $retainKeys: ['ports', 'selector'], selector: { app: 'web' } } },
      check: (o) => Object.keys(o.spec as JsonObject).sort(),
      want: ['ports', 'selector'],
    },
    {
      name: '$patch: replace on a map replaces it',
      patch: { spec: { selector: { $patch: 'replace', only: 'this' } } },
      check: (o) => (o.spec as JsonObject).selector,
      want: { only: 'this' },
    },
    {
      name: '$patch: delete on a map removes it',
      patch: { spec: { selector: { $patch: 'delete' } } },
      check: (o) => (o.spec as JsonObject).selector,
      want: undefined,
    },
  ])('$name', ({ patch, check, want }) => {
    expect(check(applyStrategicMergePatch(svc, patch, 'Service'))).toEqual(want);
  });

  it('merges Pod containers by name, their env by name and ports by containerPort, volumes by name', () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'app:2',
              env: [
                { name: 'B', value: '3' },
                { name: 'C', value: '4' },
              ],
            },
          ],
          volumes: [{ name: 'v1', $patch: 'delete' }],
        },
      },
      'Pod',
    );
    const containers = (out.spec as JsonObject).containers as JsonObject[];
    expect(containers.map((c) => c.image)).toEqual(['app:2', 'side:1']);
    expect(containers[0]!.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(containers[0]!.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(((out.spec as JsonObject).volumes as JsonObject[]).map((v) => v.name)).toEqual(['v2']);
  });

  it('does not modify the original and strips directives from added elements', () => {
    const before = JSON.stringify(svc);
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 9, protocol: 'TCP', $patch: 'merge' }] } },
      'Service',
    );
    expect(JSON.stringify(svc)).toBe(before);
    expect(((out.spec as JsonObject).ports as JsonObject[])[3]).toEqual({ port: 9, protocol: 'TCP' });
  });

  it.each<{ name: string; patch: Json; why: RegExp }>([
    {
      name: 'a merge key is missing',
      patch: { spec: { ports: [{ name: 'x' }] } },
      why: /does not contain declared merge key: port/,
    },
    { name: 'an unknown $patch', patch: { spec: { $patch: 'frob' } }, why: /unknown patch type: frob/ },
    { name: 'the patch is not an object', patch: [1], why: /must be a JSON object/ },
    { name: '$retainKeys is not a list', patch: { spec: { $retainKeys: 'x' } }, why: /\$retainKeys/ },
  ])('rejects a patch where $name', ({ patch, why }) => {
    expect(() => applyStrategicMergePatch(svc, patch, 'Service')).toThrow(SmpError);
    expect(() => applyStrategicMergePatch(svc, patch, 'Service')).toThrow(why);
  });
});
