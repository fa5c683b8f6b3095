/**
 * The CRD schemas and Herald's parser (src/config parseConfig) describe the same objects:
 * - the same fields, at every level (read from parseConfig's own unknown-field errors), and every
 *   `spec.*` field docs/configuration.md documents exists in the schema;
 * - soundness: any value parseConfig accepts, the schema accepts too (a property over every scalar field),
 *   apart from the documented EXCEPTIONS;
 * - schema defaults are the parser's defaults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASES,
  errorsOf,
  knownFields,
  object,
  parseObjects,
  setAt,
  type KubeObject,
} from './helpers/config.js';
import { loadCrds, REPO_ROOT, schemaOf } from './helpers/manifests.js';
import { validateObject, walkSchema, type SchemaNode } from './helpers/openapi.js';

const crds = loadCrds();
const schemaFor = (kind: string, version: string) => schemaOf(crds, kind, version);

/** The schema node at a path such as `spec.communities[].name`. */
function nodeAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const raw of path.split('.')) {
    const list = raw.endsWith('[]');
    node = node?.properties?.[list ? raw.slice(0, -2) : raw];
    if (list) node = node?.items;
  }
  return node;
}

const schemaAccepts = (schema: SchemaNode, obj: KubeObject) =>
  validateObject(schema, obj).errors.length === 0;
const parserAccepts = (obj: KubeObject) => errorsOf([obj]).length === 0;

/**
 * Values parseConfig accepts that the schema rejects, on purpose. Each is unreachable through an API
 * server (which never stores them) and matches MetalLB's CRD.
 */
const EXCEPTIONS: readonly { kind: string; path: string; value: unknown; why: string }[] = [
  {
    kind: 'BGPPeer',
    path: 'spec.dynamicASN',
    value: '',
    why: 'the enum has only internal and external (as MetalLB); the parser reads "" as unset, as Go omitempty writes it',
  },
  {
    kind: '*',
    path: 'spec.*Selectors[]',
    value: null,
    why: 'a null entry in a selector list is not an object; the parser reads it as the empty selector',
  },
];

function isException(kind: string, path: string, value: unknown): boolean {
  return EXCEPTIONS.some(
    (e) =>
      (e.kind === kind || e.kind === '*') &&
      (e.path === path || (e.path === 'spec.*Selectors[]' && /Selectors\[\]$/.test(path))) &&
      e.value === value,
  );
}

const PROBES: readonly [kind: string, version: string, path: string][] = [
  ['IPAddressPool', 'v1beta1', 'spec'],
  ['IPAddressPool', 'v1beta1', 'spec.serviceAllocation'],
  ['IPAddressPool', 'v1beta1', 'spec.serviceAllocation.namespaceSelectors[]'],
  ['IPAddressPool', 'v1beta1', 'spec.serviceAllocation.serviceSelectors[]'],
  ['L2Advertisement', 'v1beta1', 'spec'],
  ['L2Advertisement', 'v1beta1', 'spec.preferredNodeSelectors[]'],
  ['L2Advertisement', 'v1beta1', 'spec.preferredNodeSelectors[].preference'],
  ['L2Advertisement', 'v1beta1', 'spec.nodeSelectors[]'],
  ['L2Advertisement', 'v1beta1', 'spec.ipAddressPoolSelectors[]'],
  ['L2Advertisement', 'v1beta1', 'spec.serviceSelectors[]'],
  ['BGPAdvertisement', 'v1beta1', 'spec'],
  ['BGPAdvertisement', 'v1beta1', 'spec.nodeSelectors[]'],
  ['BGPAdvertisement', 'v1beta1', 'spec.ipAddressPoolSelectors[]'],
  ['BGPAdvertisement', 'v1beta1', 'spec.serviceSelectors[]'],
  ['BGPPeer', 'v1beta2', 'spec'],
  ['BGPPeer', 'v1beta2', 'spec.passwordSecret'],
  ['BGPPeer', 'v1beta2', 'spec.nodeSelectors[]'],
  ['BGPPeer', 'v1beta1', 'spec'],
  ['BGPPeer', 'v1beta1', 'spec.nodeSelectors[]'],
  ['BFDProfile', 'v1beta1', 'spec'],
  ['Community', 'v1beta1', 'spec'],
  ['Community', 'v1beta1', 'spec.communities[]'],
];

function base(kind: string, version: string): KubeObject {
  const b = BASES.find((x) => x.kind === kind && x.version === version);
  if (!b) throw new Error(`no base object for ${kind} ${version}`);
  return object(kind, version, b.spec);
}

describe('CRD schemas and parseConfig know the same fields', () => {
  it.each(PROBES)('%s %s %s', (kind, version, path) => {
    const parser = knownFields(base(kind, version), path);
    const node = nodeAt(schemaFor(kind, version), path);
    expect(Object.keys(node?.properties ?? {}).sort()).toEqual(parser);
  });

  it('every object field of every spec schema is covered by a probe', () => {
    const probed = new Set(PROBES.map(([k, v, p]) => `${k} ${v} ${p}`));
    const missing: string[] = [];
    for (const { kind, version } of BASES) {
      walkSchema(schemaFor(kind, version).properties!.spec!, (node, path) => {
        const full = path === '' ? 'spec' : `spec.${path}`;
        // matchExpressions items: the parser checks key/operator/values, not unknown keys (as apimachinery).
        if (
          node.properties &&
          !full.endsWith('matchExpressions[]') &&
          !probed.has(`${kind} ${version} ${full}`)
        ) {
          missing.push(`${kind} ${version} ${full}`);
        }
      });
    }
    expect(missing).toEqual([]);
  });

  it('every spec field docs/configuration.md documents is in the schema of its kind', () => {
    const text = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const sections = text.split(/^## /m).slice(1);
    const checked: string[] = [];
    for (const section of sections) {
      const kind = /^(IPAddressPool|L2Advertisement|BGPAdvertisement|BGPPeer|BFDProfile|Community)\b/.exec(
        section,
      )?.[1];
      if (!kind) continue;
      const version = kind === 'BGPPeer' ? 'v1beta2' : 'v1beta1';
      for (const [, token] of section.matchAll(/`(spec\.[^`]+)`/g)) {
        const expanded = token!.replace(/\[(i)?\]/g, '[]');
        if (/[*<]/.test(expanded)) continue; // patterns such as spec.*Selectors
        const paths = expanded.includes('(V6)')
          ? [expanded.replace('(V6)', ''), expanded.replace('(V6)', 'V6')]
          : [expanded];
        for (const p of paths) {
          const path = p.replace(/\[\]$/, '');
          expect(nodeAt(schemaFor(kind, version), path), `${kind}: ${token}`).toBeDefined();
          checked.push(`${kind} ${path}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(50);
  });
});

/** Every scalar field under spec (and scalar list items), with its schema path. */
function scalarFields(kind: string, version: string): { path: string; node: SchemaNode }[] {
  const out: { path: string; node: SchemaNode }[] = [];
  walkSchema(schemaFor(kind, version).properties!.spec!, (node, path) => {
    if (path !== '' && node.type !== 'object' && node.type !== 'array' && !path.endsWith('{}')) {
      out.push({ path: `spec.${path}`, node });
    }
  });
  return out;
}

const DURATION_TEXT = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '+0',
    '0s',
    '90s',
    '1m30s',
    '1.5s',
    '.5s',
    '1.s',
    '500ms',
    '2h',
    '10µs',
    '10μs',
    '1ns',
  ),
  fc.constantFrom('', '90', '-5s', '1.5', 's', '1x', '1hm', '00', ' 1s', '1s ', '1e3s', '1,5s', '0x10s'),
  fc
    .array(
      fc.tuple(
        fc.nat(100_000),
        fc.constantFrom('', '.', '.5'),
        fc.constantFrom('ns', 'us', 'ms', 's', 'm', 'h', 'd', ''),
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    )
    .map((terms) => terms.map(([n, frac, unit]) => `${n}${frac}${unit}`).join('')),
);

function valuesFor(node: SchemaNode): fc.Arbitrary<unknown> {
  const bounds = [node.minimum, node.maximum].filter((x): x is number => x !== undefined);
  const near = bounds.flatMap((b) => [b - 1, b, b + 1]);
  return fc.oneof(
    fc.constantFrom(0, 1, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 32 - 1, ...near),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.boolean(),
    fc.constantFrom(
      null,
      '',
      'internal',
      'external',
      '192.0.2.1',
      '2001:db8::1',
      '192.0.2.0/24',
      '65000:1',
      'eth0',
    ),
    fc.string({ maxLength: 20 }),
    DURATION_TEXT,
  );
}

describe('soundness: whatever parseConfig accepts, the CRD schema accepts', () => {
  for (const { kind, version } of BASES) {
    for (const { path, node } of scalarFields(kind, version)) {
      it(`${kind} ${version} ${path}`, () => {
        fc.assert(
          fc.property(valuesFor(node), (value) => {
            const obj = setAt(base(kind, version), path, value);
            if (!parserAccepts(obj) || isException(kind, path, value)) return;
            const { errors } = validateObject(schemaFor(kind, version), obj);
            expect(errors, `${path} = ${JSON.stringify(value)}`).toEqual([]);
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('each documented exception is still an exception (the parser accepts it, the schema rejects it)', () => {
    const peer = base('BGPPeer', 'v1beta2');
    const emptyDynamic = setAt(peer, 'spec.dynamicASN', '');
    expect(parserAccepts(emptyDynamic)).toBe(true);
    expect(schemaAccepts(schemaFor('BGPPeer', 'v1beta2'), emptyDynamic)).toBe(false);
    const nullSelector = setAt(base('L2Advertisement', 'v1beta1'), 'spec.nodeSelectors[]', null);
    expect(parserAccepts(nullSelector)).toBe(true);
    expect(schemaAccepts(schemaFor('L2Advertisement', 'v1beta1'), nullSelector)).toBe(false);
  });

  it('the bounds Herald adds beyond MetalLB are ones parseConfig enforces too', () => {
    const cases: [kind: string, version: string, path: string, value: unknown][] = [
      ['BGPAdvertisement', 'v1beta1', 'spec.aggregationLength', 33],
      ['BGPAdvertisement', 'v1beta1', 'spec.aggregationLengthV6', 129],
      ['BGPAdvertisement', 'v1beta1', 'spec.aggregationLengthV6', -1],
      ['BGPAdvertisement', 'v1beta1', 'spec.localPref', 2 ** 32],
      ['BGPAdvertisement', 'v1beta1', 'spec.communities[]', ''],
      ['IPAddressPool', 'v1beta1', 'spec.addresses', []],
      ['IPAddressPool', 'v1beta1', 'spec.serviceAllocation.priority', 2 ** 31],
      ['L2Advertisement', 'v1beta1', 'spec.interfaces[]', 'a-very-long-interface-name'],
      [
        'L2Advertisement',
        'v1beta1',
        'spec.nodeSelectors[].matchExpressions[]',
        { key: 'a', operator: 'Matches' },
      ],
      ['BGPPeer', 'v1beta2', 'spec.holdTime', '90'],
      ['BGPPeer', 'v1beta2', 'spec.keepaliveTime', '3 s'],
      ['Community', 'v1beta1', 'spec.communities[].value', ''],
    ];
    for (const [kind, version, path, value] of cases) {
      const obj = setAt(base(kind, version), path, value);
      expect(schemaAccepts(schemaFor(kind, version), obj), `schema: ${path} = ${JSON.stringify(value)}`).toBe(
        false,
      );
      expect(parserAccepts(obj), `parser: ${path} = ${JSON.stringify(value)}`).toBe(false);
    }
  });
});

describe('schema defaults are the parser defaults', () => {
  const defaults: { kind: string; version: string; path: string; value: unknown }[] = [];
  for (const { kind, version } of BASES) {
    for (const { path, node } of scalarFields(kind, version)) {
      if (node.default !== undefined) defaults.push({ kind, version, path, value: node.default });
    }
  }

  it('lists the defaults MetalLB declares', () => {
    expect(defaults.map((d) => `${d.kind} ${d.version} ${d.path}=${JSON.stringify(d.value)}`)).toEqual([
      'IPAddressPool v1beta1 spec.autoAssign=true',
      'IPAddressPool v1beta1 spec.avoidBuggyIPs=false',
      'BGPAdvertisement v1beta1 spec.aggregationLength=32',
      'BGPAdvertisement v1beta1 spec.aggregationLengthV6=128',
      'BGPPeer v1beta2 spec.peerPort=179',
      'BGPPeer v1beta2 spec.disableMP=false',
      'BGPPeer v1beta2 spec.dualStackAddressFamily=false',
    ]);
  });

  it.each(defaults)('$kind $path: setting the default changes nothing', ({ kind, version, path, value }) => {
    const without = parseObjects([base(kind, version)]);
    const withDefault = parseObjects([setAt(base(kind, version), path, value)]);
    expect(without.ok && withDefault.ok).toBe(true);
    expect(withDefault).toEqual(without);
  });

  it('an object as the API server stores it (defaults filled in) parses to the same Config', () => {
    for (const { kind, version } of BASES) {
      const obj = base(kind, version);
      const stored = validateObject(schemaFor(kind, version), obj).value as KubeObject;
      expect(parseObjects([stored]), kind).toEqual(parseObjects([obj]));
    }
  });
});
