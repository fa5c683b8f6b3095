// Structural schemas (prune, default, validate), strict/warn/ignore field validation, and CRDs:
// loading, registration at runtime, and instances checked against their schema.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crdToResources, CrdError, loadCrdDir } from '../../../src/apiserver/resources/crd.js';
import { remove } from '../../../src/apiserver/rest/delete.js';
import { list } from '../../../src/apiserver/rest/read.js';
import { create } from '../../../src/apiserver/rest/write.js';
import { applySchema } from '../../../src/apiserver/schema/structural.js';
import type { JsonObject, KubeObject } from '../../../src/apiserver/types.js';
import { makeEngine, metaOf, scope, thrown } from './fixture.js';

const schema: JsonObject = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['myASN'],
      properties: {
        myASN: { type: 'integer', minimum: 0, maximum: 4294967295 },
        peerPort: { type: 'integer', default: 179, maximum: 16384 },
        mode: { type: 'string', enum: ['a', 'b'] },
        name: { type: 'string', minLength: 1, maxLength: 5, pattern: '^[a-z]+$' },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        port: { 'x-kubernetes-int-or-string': true },
        nested: { type: 'object', properties: { on: { type: 'boolean', default: true } }, default: {} },
        maybe: { type: 'string', nullable: true },
      },
    },
  },
};

describe('structural schema', () => {
  it('prunes unknown fields and nulls, applies defaults (also inside defaulted objects)', () => {
    const out = applySchema(
      {
        apiVersion: 'x/v1',
        kind: 'K',
        metadata: { name: 'n' },
        spec: { myASN: 1, junk: 1, mode: null, maybe: null, extra: { any: [1] } },
        other: 2,
      },
      schema,
    );
    expect(out.object).toEqual({
      apiVersion: 'x/v1',
      kind: 'K',
      metadata: { name: 'n' },
      spec: { myASN: 1, peerPort: 179, maybe: null, extra: { any: [1] }, nested: { on: true } },
    });
    expect(out.unknownFields).toEqual(['spec.junk', 'other']);
    expect(out.errors).toEqual([]);
  });

  it.each([
    { spec: {}, text: 'spec.myASN: Required value' },
    { spec: { myASN: 'x' }, text: 'spec.myASN in body must be of type integer: "string"' },
    { spec: { myASN: -1 }, text: 'spec.myASN in body should be greater than or equal to 0' },
    {
      spec: { myASN: 1, peerPort: 99999 },
      text: 'spec.peerPort in body should be less than or equal to 16384',
    },
    { spec: { myASN: 1, mode: 'c' }, text: 'supported values: "a", "b"' },
    { spec: { myASN: 1, name: 'toolong' }, text: 'spec.name in body should be at most 5 chars long' },
    { spec: { myASN: 1, name: 'AB' }, text: "spec.name in body should match '^[a-z]+$'" },
    { spec: { myASN: 1, tags: [] }, text: 'spec.tags in body should have at least 1 items' },
    { spec: { myASN: 1, labels: { a: 1 } }, text: 'spec.labels.a in body must be of type string' },
    { spec: { myASN: 1, port: true }, text: 'must be of type integer-or-string' },
  ])('reports $text', ({ spec, text }) => {
    const out = applySchema({ spec } as unknown as JsonObject, schema);
    expect(out.errors.map((e) => e.detail || `${e.field}: Required value`).join('\n')).toContain(text);
  });
});

const crd = (group = 'example.com', storageSchema: JsonObject = schema): JsonObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: {
      kind: 'Widget',
      plural: 'widgets',
      singular: 'widget',
      shortNames: ['wd'],
      listKind: 'WidgetList',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: storageSchema },
        additionalPrinterColumns: [{ name: 'ASN', type: 'integer', jsonPath: '.spec.myASN' }],
      },
      { name: 'v1alpha1', served: false, storage: false },
    ],
  },
});

describe('CustomResourceDefinitions', () => {
  it('turns served versions into resources with schema, status and printer columns', () => {
    const [def, ...rest] = crdToResources(crd());
    expect(rest).toEqual([]);
    expect(def).toMatchObject({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
      kind: 'Widget',
      namespaced: true,
      statusSubresource: true,
      shortNames: ['wd'],
      custom: true,
      storageVersion: 'v1',
    });
    expect(def!.printerColumns[0]!.jsonPath).toBe('.spec.myASN');
    expect(() => crdToResources({ metadata: { name: 'x' }, spec: { group: 'g', names: {} } })).toThrow(
      CrdError,
    );
  });

  it('loads CRDs from a directory of multi-document YAML and treats a missing directory as empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hapi-crd-'));
    await writeFile(join(dir, 'a.yaml'), `${JSON.stringify(crd())}\n---\nkind: ConfigMap\napiVersion: v1\n`);
    await writeFile(join(dir, 'ignored.txt'), 'not yaml: [');
    expect((await loadCrdDir(dir)).map((c) => metaOf(c).name)).toEqual(['widgets.example.com']);
    expect(await loadCrdDir(join(dir, 'missing'))).toEqual([]);
    await writeFile(join(dir, 'b.yaml'), 'kind: [');
    await expect(loadCrdDir(dir)).rejects.toThrow(/b\.yaml/);
  });

  it('serves a CRD from startup, validating, defaulting and strictly checking its instances', () => {
    const e = makeEngine({ crds: [crd()] });
    const s = scope(e, 'example.com/v1/widgets');
    const w = create(e, s, { metadata: { name: 'w' }, spec: { myASN: 1 } }).object;
    expect(w).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { myASN: 1, peerPort: 179 },
    });
    expect(
      thrown(() => create(e, s, { metadata: { name: 'x' }, spec: { myASN: 1, bogus: true } })).message,
    ).toBe('strict decoding error: unknown field "spec.bogus"');
    const warned = { ...s, fieldValidation: 'Warn' as const, warnings: [] as string[] };
    const pruned = create(e, warned, {
      metadata: { name: 'y', labelz: {} },
      spec: { myASN: 1, bogus: true },
    }).object;
    expect(warned.warnings).toEqual(['unknown field "metadata.labelz"', 'unknown field "spec.bogus"']);
    expect((pruned.spec as KubeObject).bogus).toBeUndefined();
    expect(thrown(() => create(e, s, { metadata: { name: 'z' }, spec: {} })).message).toBe(
      'Widget.example.com "z" is invalid: spec.myASN: Required value',
    );
  });

  it('registers a CRD created through the API, and deleting it removes its resource and instances', () => {
    const e = makeEngine();
    const crdScope = scope(e, 'apiextensions.k8s.io/v1/customresourcedefinitions');
    const stored = create(e, crdScope, crd('demo.example')).object;
    expect((stored.status as JsonObject).conditions).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
    const s = scope(e, 'demo.example/v1/widgets');
    create(e, s, { metadata: { name: 'w' }, spec: { myASN: 2 } });
    expect(list(e, s).items).toHaveLength(1);
    remove(e, { ...crdScope, name: 'widgets.demo.example' });
    expect(e.registry.lookup('demo.example', 'v1', 'widgets')).toBeUndefined();
    expect(e.store.list('demo.example/widgets')).toEqual([]);
    expect(
      thrown(() => create(e, crdScope, { ...crd('demo.example'), metadata: { name: 'wrong' } })).message,
    ).toMatch(/must be spec.names.plural\+"."\+spec.group/);
  });

  it('checks core kinds strictly against their known fields too', () => {
    const e = makeEngine();
    expect(
      thrown(() =>
        create(e, scope(e, '/v1/services'), {
          metadata: { name: 's' },
          spec: { ports: [{ port: 80, prot: 'TCP' }] },
        }),
      ).message,
    ).toBe('strict decoding error: unknown field "spec.ports[0].prot"');
    expect(
      create(e, scope(e, '/v1/pods'), {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'i', anything: 1 }] },
      }).object.spec,
    ).toBeDefined();
  });
});
