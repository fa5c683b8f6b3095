/**
 * deploy/crds: one valid apiextensions.k8s.io/v1 CustomResourceDefinition per metallb.io kind, with the
 * names, versions, status subresources and printer columns MetalLB has, and structural schemas that an
 * API server accepts (every node typed, descriptions for kubectl explain, defaults that validate, CEL
 * rules that type-check against their node).
 */
import { describe, expect, it } from 'vitest';
import { checkRule } from './helpers/cel-check.js';
import { loadCrds, manifestsUnder, type Crd, type CrdVersion } from './helpers/manifests.js';
import { validateObject, walkSchema, type SchemaNode } from './helpers/openapi.js';

const crds = loadCrds();

/** Kind → [plural, served versions, storage version], as MetalLB defines them (metallb.md §1). */
const EXPECTED: Record<string, [string, string[], string]> = {
  IPAddressPool: ['ipaddresspools', ['v1beta1'], 'v1beta1'],
  L2Advertisement: ['l2advertisements', ['v1beta1'], 'v1beta1'],
  BGPAdvertisement: ['bgpadvertisements', ['v1beta1'], 'v1beta1'],
  BGPPeer: ['bgppeers', ['v1beta1', 'v1beta2'], 'v1beta2'],
  BFDProfile: ['bfdprofiles', ['v1beta1'], 'v1beta1'],
  Community: ['communities', ['v1beta1'], 'v1beta1'],
  ServiceL2Status: ['servicel2statuses', ['v1beta1'], 'v1beta1'],
  ServiceBGPStatus: ['servicebgpstatuses', ['v1beta1'], 'v1beta1'],
  ConfigurationState: ['configurationstates', ['v1beta1'], 'v1beta1'],
};

/** Printer columns as `kubectl get` shows them for MetalLB (name, type, jsonPath[, priority]). */
const COLUMNS: Record<string, string[]> = {
  IPAddressPool: [
    'Auto Assign boolean .spec.autoAssign',
    'Avoid Buggy IPs boolean .spec.avoidBuggyIPs',
    'Addresses string .spec.addresses',
  ],
  L2Advertisement: [
    'IPAddressPools string .spec.ipAddressPools',
    'IPAddressPool Selectors string .spec.ipAddressPoolSelectors',
    'Interfaces string .spec.interfaces',
    'Node Selectors string .spec.nodeSelectors 10',
  ],
  BGPAdvertisement: [
    'IPAddressPools string .spec.ipAddressPools',
    'IPAddressPool Selectors string .spec.ipAddressPoolSelectors',
    'Peers string .spec.peers',
    'Node Selectors string .spec.nodeSelectors 10',
  ],
  BGPPeer: [
    'Address string .spec.peerAddress',
    'ASN string .spec.peerASN',
    'BFD Profile string .spec.bfdProfile',
    'Multi Hops string .spec.ebgpMultiHop',
  ],
  BFDProfile: [
    'Passive Mode boolean .spec.passiveMode',
    'Transmit Interval integer .spec.transmitInterval',
    'Receive Interval integer .spec.receiveInterval',
    'Multiplier integer .spec.detectMultiplier',
  ],
  Community: [],
  ServiceL2Status: [
    'Allocated Node string .status.node',
    'Service Name string .status.serviceName',
    'Service Namespace string .status.serviceNamespace',
  ],
  ServiceBGPStatus: [
    'Node string .status.node',
    'Service Name string .status.serviceName',
    'Service Namespace string .status.serviceNamespace',
  ],
  ConfigurationState: [
    'Result string .status.result',
    'ErrorSummary string .status.errorSummary',
    'Age date .metadata.creationTimestamp',
  ],
};

const entries = [...crds.entries()].sort(([a], [b]) => a.localeCompare(b));
const versions = entries.flatMap(([kind, crd]) => crd.spec.versions.map((v) => [kind, crd, v] as const));
const STRUCTURAL_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function schemaOfVersion(v: CrdVersion): SchemaNode {
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`version ${v.name} has no schema`);
  return schema;
}

/** The schema node a printer-column or field path (.a.b) leads to, or undefined. */
function nodeAt(schema: SchemaNode, jsonPath: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const part of jsonPath.split('.').slice(1)) {
    if (part === 'metadata' && node === schema) return { type: 'object' };
    node = node?.properties?.[part];
  }
  return node;
}

describe('deploy/crds', () => {
  it('has exactly one CRD per metallb.io kind, one document per file', () => {
    const docs = manifestsUnder('crds');
    expect(docs.map((d) => d.file)).toEqual(
      Object.values(EXPECTED)
        .map(([plural]) => `deploy/crds/metallb.io_${plural}.yaml`)
        .sort(),
    );
    expect([...crds.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(entries)(
    '%s: apiextensions.k8s.io/v1, group metallb.io, namespaced, MetalLB names',
    (kind, crd) => {
      const [plural] = EXPECTED[kind]!;
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      expect(crd.kind).toBe('CustomResourceDefinition');
      expect(crd.metadata.name).toBe(`${plural}.metallb.io`);
      expect(crd.spec.group).toBe('metallb.io');
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names).toEqual({ kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() });
      // Explicit where there are two versions, so applying it over MetalLB's CRD drops the conversion webhook.
      if (crd.spec.versions.length > 1) expect(crd.spec.conversion).toEqual({ strategy: 'None' });
      else expect(crd.spec.conversion).toBeUndefined();
    },
  );

  it.each(entries)(
    '%s: served versions, exactly one storage version, every version has a schema',
    (kind, crd) => {
      const [, served, storage] = EXPECTED[kind]!;
      const vs = crd.spec.versions;
      expect(vs.map((v) => v.name)).toEqual(served);
      expect(vs.every((v) => v.served)).toBe(true);
      expect(vs.filter((v) => v.storage).map((v) => v.name)).toEqual([storage]);
      for (const v of vs) expect(schemaOfVersion(v).type).toBe('object');
    },
  );

  it('serves BGPPeer v1beta1 as deprecated, with a warning', () => {
    const [v1beta1, v1beta2] = crds.get('BGPPeer')!.spec.versions;
    expect(v1beta1).toMatchObject({ name: 'v1beta1', deprecated: true, storage: false });
    expect(v1beta1!.deprecationWarning).toMatch(/v1beta2/);
    expect(v1beta2!.deprecated ?? false).toBe(false);
  });

  it.each(entries)('%s: has the status subresource on every version, as MetalLB', (_kind, crd: Crd) => {
    for (const v of crd.spec.versions) {
      expect(v.subresources).toEqual({ status: {} });
      expect(schemaOfVersion(v).properties?.status?.type).toBe('object');
    }
  });

  it.each(entries)(
    '%s: printer columns as MetalLB shows them, each pointing at a schema field',
    (kind, crd) => {
      for (const v of crd.spec.versions) {
        const columns = (v.additionalPrinterColumns ?? []).map((c) =>
          [c.name, c.type, c.jsonPath, ...(c.priority === undefined ? [] : [c.priority])].join(' '),
        );
        expect(columns).toEqual(COLUMNS[kind]);
        for (const c of v.additionalPrinterColumns ?? []) {
          expect(['integer', 'number', 'string', 'boolean', 'date'], c.name).toContain(c.type);
          expect(nodeAt(schemaOfVersion(v), c.jsonPath), `${kind} column ${c.name}`).toBeDefined();
        }
      }
    },
  );

  it.each(versions)(
    '%s %#: the root schema has only apiVersion, kind, metadata, spec and status',
    (_k, _c, v) => {
      const schema = schemaOfVersion(v);
      expect(['apiVersion', 'kind', 'metadata', 'spec', 'status']).toEqual(
        expect.arrayContaining(Object.keys(schema.properties ?? {})),
      );
      expect(schema.properties?.apiVersion?.type).toBe('string');
      expect(schema.properties?.kind?.type).toBe('string');
      expect(schema.properties?.metadata).toEqual({ type: 'object' });
    },
  );

  it.each(versions)('%s %#: every schema node is structural and documented', (kind, _c, v) => {
    const problems: string[] = [];
    walkSchema(schemaOfVersion(v), (node, path) => {
      const where = `${kind}/${v.name} ${path || '<root>'}`;
      const untyped = node['x-kubernetes-int-or-string'] || node['x-kubernetes-preserve-unknown-fields'];
      if (!untyped && !STRUCTURAL_TYPES.has(node.type ?? '')) problems.push(`${where}: no valid type`);
      if (node.properties && node.additionalProperties)
        problems.push(`${where}: properties with additionalProperties`);
      if (node.properties && node.type !== 'object') problems.push(`${where}: properties on a ${node.type}`);
      if (node.type === 'array' && !node.items) problems.push(`${where}: array without items`);
      for (const r of node.required ?? [])
        if (!node.properties?.[r]) problems.push(`${where}: required ${r} is not a property`);
      const named = !path.endsWith('[]') && !path.endsWith('{}') && path !== 'metadata';
      if (
        named &&
        !node.description &&
        !/matchExpressions\[\]\.values$/.test(path) &&
        !path.endsWith('[].values')
      ) {
        problems.push(`${where}: no description`);
      }
    });
    expect(problems).toEqual([]);
  });

  it.each(versions)('%s %#: enums, defaults and list-map keys agree with their own schema', (kind, _c, v) => {
    const problems: string[] = [];
    walkSchema(schemaOfVersion(v), (node, path) => {
      const where = `${kind}/${v.name} ${path}`;
      const wrap = { type: 'object', properties: { v: node } } as SchemaNode;
      for (const e of node.enum ?? []) {
        const { errors } = validateObject(wrap, { v: e });
        if (errors.length > 0) problems.push(`${where}: enum value ${JSON.stringify(e)} is invalid`);
      }
      if (node.default !== undefined) {
        const { errors } = validateObject(wrap, { v: node.default });
        if (errors.length > 0) problems.push(`${where}: default ${JSON.stringify(node.default)} is invalid`);
      }
      const keys = node['x-kubernetes-list-map-keys'];
      if (
        keys &&
        (node['x-kubernetes-list-type'] !== 'map' || keys.some((k) => !node.items?.required?.includes(k)))
      ) {
        problems.push(`${where}: list-map keys must be required fields of a map list`);
      }
      if (node.minimum !== undefined && node.maximum !== undefined && node.minimum > node.maximum) {
        problems.push(`${where}: minimum above maximum`);
      }
    });
    expect(problems).toEqual([]);
  });

  it.each(versions)('%s %#: every CEL rule parses and type-checks against its node', (kind, _c, v) => {
    const rules: string[] = [];
    walkSchema(schemaOfVersion(v), (node, path) => {
      for (const { rule, message } of node['x-kubernetes-validations'] ?? []) {
        expect(message, `${kind} ${path}: a rule needs a message`).toBeTruthy();
        expect(() => checkRule(rule, node), `${kind} ${path}: ${rule}`).not.toThrow();
        rules.push(path);
      }
    });
    const expected: Record<string, string[]> = {
      BGPAdvertisement: ['spec'],
      BGPPeer:
        v.name === 'v1beta2' ? ['spec.connectTime', 'spec.connectTime', 'spec.enableGracefulRestart'] : [],
      ServiceL2Status: ['status.node', 'status.serviceName', 'status.serviceNamespace'],
      ServiceBGPStatus: ['status.node', 'status.serviceName', 'status.serviceNamespace'],
    };
    expect(rules).toEqual(expected[kind] ?? []);
  });

  it('gives every label selector the same metav1.LabelSelector shape', () => {
    const selectors: SchemaNode[] = [];
    for (const [, , v] of versions) {
      walkSchema(schemaOfVersion(v), (node, path) => {
        if (/(?<!preferredNode)Selectors\[\]$|\.preference$/.test(path)) selectors.push(node);
      });
    }
    // pools 2, L2 3 + preference, BGP advertisements 3, BGPPeer 1 per version
    expect(selectors.length).toBe(11);
    const shape = (n: SchemaNode) => JSON.stringify({ ...n, description: undefined });
    expect(new Set(selectors.map(shape)).size).toBe(1);
    expect(selectors[0]!['x-kubernetes-map-type']).toBe('atomic');
    expect(Object.keys(selectors[0]!.properties ?? {}).sort()).toEqual(['matchExpressions', 'matchLabels']);
  });
});
