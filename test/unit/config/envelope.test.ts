import { describe, expect, it } from 'vitest';
import { formatConfigError, parseConfig, type ResourceSnapshot } from '../../../src/config/index.js';
import { bfd, configOf, errorsOf, NS, pool, type ErrorRow } from './helpers.js';

const ADDR = { addresses: ['192.0.2.0/24'] };

const ROWS: ErrorRow[] = [
  {
    name: 'object in another namespace (MetalLB webhooks reject it)',
    snapshot: { ipAddressPools: [{ ...pool('p', ADDR), metadata: { name: 'p', namespace: 'default' } }] },
    want: [
      'IPAddressPool default/p: metadata.namespace: must be "metallb-system": MetalLB accepts metallb.io objects only in its own namespace',
    ],
  },
  {
    name: 'metadata.name missing',
    snapshot: { bfdProfiles: [{ metadata: { namespace: NS } }] },
    want: [
      'BFDProfile metallb-system/<item 0>: metadata.name: is required and must be a non-empty string, got undefined',
    ],
  },
  {
    name: 'metadata.name invalid',
    snapshot: { bfdProfiles: [bfd('ok'), { metadata: { name: 'Bad_Name' } }] },
    want: [
      'BFDProfile metallb-system/<item 1>: metadata.name: "Bad_Name" is not a valid name (lower-case RFC 1123 subdomain, at most 253 characters)',
    ],
  },
  {
    name: 'metadata not an object',
    snapshot: { bfdProfiles: [{ metadata: 'x' }] },
    want: [
      'BFDProfile metallb-system/<item 0>: metadata: must be an object',
      'BFDProfile metallb-system/<item 0>: metadata.name: is required and must be a non-empty string, got undefined',
    ],
  },
  {
    name: 'metadata.namespace not a string',
    snapshot: { bfdProfiles: [{ metadata: { name: 'b', namespace: 7 } }] },
    want: ['BFDProfile metallb-system/b: metadata.namespace: must be a string'],
  },
  {
    name: 'metadata.labels not a map',
    snapshot: { ipAddressPools: [{ ...pool('p', ADDR), metadata: { name: 'p', labels: ['a'] } }] },
    want: [
      'IPAddressPool metallb-system/p: metadata.labels: must be a map of label key to string value, got a list',
    ],
  },
  {
    name: 'metadata.labels value not a string',
    snapshot: { ipAddressPools: [{ ...pool('p', ADDR), metadata: { name: 'p', labels: { a: 1 } } }] },
    want: ['IPAddressPool metallb-system/p: metadata.labels["a"]: label value must be a string, got 1'],
  },
  {
    name: 'item not an object',
    snapshot: { bfdProfiles: ['fast'] },
    want: ['BFDProfile metallb-system/<item 0>: must be a BFDProfile object, got "fast"'],
  },
  {
    name: 'kind does not match the list',
    snapshot: { bfdProfiles: [{ ...bfd('b'), kind: 'Community' }] },
    want: ['BFDProfile metallb-system/b: kind: must be BFDProfile in this list, got "Community"'],
  },
  {
    name: 'apiVersion not served',
    snapshot: { bfdProfiles: [{ ...bfd('b'), apiVersion: 'metallb.io/v1alpha1' }] },
    want: [
      'BFDProfile metallb-system/b: apiVersion: must be one of metallb.io/v1beta1, got "metallb.io/v1alpha1"',
    ],
  },
  {
    name: 'spec not an object',
    snapshot: { bfdProfiles: [{ ...bfd('b'), spec: 'fast' }] },
    want: ['BFDProfile metallb-system/b: spec: must be an object, got "fast"'],
  },
  {
    name: 'snapshot list not a list',
    snapshot: { ipAddressPools: { p: 1 } } as unknown as ResourceSnapshot,
    want: ['ResourceSnapshot metallb-system/<snapshot>: ipAddressPools: must be a list, got an object'],
  },
  {
    name: 'snapshot not an object',
    snapshot: 42 as unknown as ResourceSnapshot,
    want: ['ResourceSnapshot metallb-system/<snapshot>: must be an object with lists of resources, got 42'],
  },
  {
    name: 'duplicate Node name',
    snapshot: {
      nodes: [
        { metadata: { name: 'n' }, kind: 'Node' },
        { metadata: { name: 'n' }, kind: 'Node' },
      ],
    },
    want: ['Node n: metadata.name: duplicate Node name "n"'],
  },
];

describe('object envelope and snapshot shape', () => {
  it.each(ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });

  it('takes a missing namespace, kind and apiVersion as the MetalLB namespace and the native version', () => {
    const config = configOf({ ipAddressPools: [{ metadata: { name: 'p' }, spec: ADDR }] });
    expect([...config.pools.keys()]).toEqual(['p']);
  });

  it('accepts an empty snapshot as an empty Config', () => {
    const config = configOf({});
    expect(config.pools.size + config.bgpPeers.size + config.communities.size).toBe(0);
  });

  it('uses the namespace from the options', () => {
    const result = parseConfig({ bfdProfiles: [bfd('b')] }, { namespace: 'lb' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map(formatConfigError)[0]).toContain('must be "lb"');
  });

  it('orders errors by kind, then object name, keeping field order within an object', () => {
    const errors = errorsOf({
      bfdProfiles: [bfd('z', { detectMultiplier: 1 }), bfd('a', { echoInterval: 1 })],
      ipAddressPools: [pool('y', { addresses: ['x'] })],
    });
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      'IPAddressPool metallb-system/y',
      'BFDProfile metallb-system/a',
      'BFDProfile metallb-system/z',
    ]);
  });

  it('formats a transient error with its marker', () => {
    expect(
      formatConfigError({
        kind: 'BGPPeer',
        namespace: NS,
        name: 'p',
        path: 'spec.bfdProfile',
        reason: 'x',
        transient: true,
      }),
    ).toBe(
      'BGPPeer metallb-system/p: spec.bfdProfile: x (transient: may resolve once the referenced object exists)',
    );
    expect(formatConfigError({ kind: 'Node', namespace: '', name: 'n', path: '', reason: 'r' })).toBe(
      'Node n: r',
    );
  });
});
