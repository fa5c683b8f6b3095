import { describe, expect, it } from 'vitest';
import { interfaceNameProblem } from '../../../src/config/l2.js';
import { configOf, errorsOf, l2, pool, warningsOf, type ErrorRow } from './helpers.js';

const A = 'L2Advertisement metallb-system/a';
const POOLS = [
  pool('p', { addresses: ['192.0.2.0/24'] }, { tier: 'public' }),
  pool('q', { addresses: ['198.51.100.0/24'] }, { tier: 'private' }),
];

const ROWS: ErrorRow[] = [
  {
    name: 'ipAddressPools duplicate',
    snapshot: { ipAddressPools: POOLS, l2Advertisements: [l2('a', { ipAddressPools: ['p', 'q', 'p'] })] },
    want: [`${A}: spec.ipAddressPools[2]: duplicate ipAddressPools entry "p" (same as [0])`],
  },
  {
    name: 'ipAddressPools entry not a string',
    snapshot: { l2Advertisements: [l2('a', { ipAddressPools: [{ name: 'p' }] })] },
    want: [`${A}: spec.ipAddressPools[0]: must be a non-empty string, got an object`],
  },
  {
    name: 'ipAddressPoolSelectors duplicate',
    snapshot: {
      l2Advertisements: [
        l2('a', { ipAddressPoolSelectors: [{ matchLabels: { t: 'x' } }, { matchLabels: { t: 'x' } }] }),
      ],
    },
    want: [
      `${A}: spec.ipAddressPoolSelectors[1]: duplicate ipAddressPoolSelectors entry "t=x" (same as [0])`,
    ],
  },
  {
    name: 'nodeSelectors invalid (unknown selector field)',
    snapshot: { l2Advertisements: [l2('a', { nodeSelectors: [{ matchLabel: { a: 'b' } }] })] },
    want: [
      `${A}: spec.nodeSelectors[0].matchLabel: unknown field (expected matchLabels or matchExpressions)`,
    ],
  },
  {
    name: 'nodeSelectors duplicate (empty selectors)',
    snapshot: { l2Advertisements: [l2('a', { nodeSelectors: [{}, {}] })] },
    want: [`${A}: spec.nodeSelectors[1]: duplicate nodeSelectors entry "{}" (same as [0])`],
  },
  {
    name: 'serviceSelectors not a list',
    snapshot: { l2Advertisements: [l2('a', { serviceSelectors: { matchLabels: { a: 'b' } } })] },
    want: [`${A}: spec.serviceSelectors: must be a list, got an object`],
  },
  {
    name: 'serviceSelectors In without values',
    snapshot: {
      l2Advertisements: [
        l2('a', { serviceSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] }),
      ],
    },
    want: [`${A}: spec.serviceSelectors[0].matchExpressions[0].values: must be non-empty for operator In`],
  },
  {
    name: 'interfaces duplicate',
    snapshot: { l2Advertisements: [l2('a', { interfaces: ['eth0', 'eth0'] })] },
    want: [`${A}: spec.interfaces[1]: duplicate interface "eth0" (same as [0])`],
  },
  {
    name: 'interfaces name too long',
    snapshot: { l2Advertisements: [l2('a', { interfaces: ['a-very-long-interface'] })] },
    want: [
      `${A}: spec.interfaces[0]: "a-very-long-interface" is not a valid interface name (1-15 bytes, no "/", ":" or whitespace)`,
    ],
  },
  {
    name: 'preferredNodeSelectors weight out of range',
    snapshot: { l2Advertisements: [l2('a', { preferredNodeSelectors: [{ weight: 101, preference: {} }] })] },
    want: [`${A}: spec.preferredNodeSelectors[0].weight: must be an integer in 1..100, got 101`],
  },
  {
    name: 'preferredNodeSelectors weight missing',
    snapshot: {
      l2Advertisements: [l2('a', { preferredNodeSelectors: [{ preference: { matchLabels: { a: 'b' } } }] })],
    },
    want: [`${A}: spec.preferredNodeSelectors[0].weight: is required`],
  },
  {
    name: 'preferredNodeSelectors bad preference',
    snapshot: {
      l2Advertisements: [l2('a', { preferredNodeSelectors: [{ weight: 1, preference: 'rack=r1' }] })],
    },
    want: [`${A}: spec.preferredNodeSelectors[0].preference: must be a label selector object`],
  },
  {
    name: 'preferredNodeSelectors entry not an object',
    snapshot: { l2Advertisements: [l2('a', { preferredNodeSelectors: [3] })] },
    want: [`${A}: spec.preferredNodeSelectors[0]: must be an object with weight and preference, got 3`],
  },
  {
    name: 'unknown field',
    snapshot: { l2Advertisements: [l2('a', { interface: ['eth0'] })] },
    want: [
      `${A}: spec.interface: unknown field (known fields: ipAddressPools, ipAddressPoolSelectors, nodeSelectors, interfaces, serviceSelectors, preferredNodeSelectors)`,
    ],
  },
  {
    name: 'duplicate name',
    snapshot: { l2Advertisements: [l2('a', {}), l2('a', {})] },
    want: [`${A}: metadata.name: duplicate L2Advertisement name "a"`],
  },
];

describe('L2Advertisement errors', () => {
  it.each(ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});

describe('L2Advertisement pool resolution', () => {
  const resolve = (spec: unknown) =>
    configOf({ ipAddressPools: POOLS, l2Advertisements: [l2('a', spec)] }).l2Advertisements.get('a')!;

  it('covers every pool when neither ipAddressPools nor ipAddressPoolSelectors is set', () => {
    expect(resolve({}).pools).toEqual(['p', 'q']);
    expect(resolve({ ipAddressPools: [], ipAddressPoolSelectors: [] }).pools).toEqual(['p', 'q']);
  });

  it('covers pools named or matched by a selector (union, unique)', () => {
    expect(resolve({ ipAddressPools: ['q'] }).pools).toEqual(['q']);
    expect(resolve({ ipAddressPoolSelectors: [{ matchLabels: { tier: 'public' } }] }).pools).toEqual(['p']);
    expect(
      resolve({ ipAddressPools: ['p'], ipAddressPoolSelectors: [{ matchLabels: { tier: 'public' } }] }).pools,
    ).toEqual(['p']);
    expect(
      resolve({
        ipAddressPoolSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['public', 'private'] }] },
        ],
      }).pools,
    ).toEqual(['p', 'q']);
  });

  it('covers no pool when the selector matches none', () => {
    expect(resolve({ ipAddressPoolSelectors: [{ matchLabels: { tier: 'none' } }] }).pools).toEqual([]);
  });

  it('keeps a missing pool name out and warns about it', () => {
    expect(resolve({ ipAddressPools: ['p', 'gone'] }).pools).toEqual(['p']);
    expect(
      warningsOf({ ipAddressPools: POOLS, l2Advertisements: [l2('a', { ipAddressPools: ['p', 'gone'] })] }),
    ).toEqual([
      `${'L2Advertisement metallb-system/a'}: spec.ipAddressPools[1]: IPAddressPool "gone" does not exist; ignored`,
    ]);
  });

  it('defaults to every interface, every node, every service', () => {
    expect(resolve({})).toEqual({
      name: 'a',
      pools: ['p', 'q'],
      nodeSelectors: [],
      interfaces: [],
      serviceSelectors: [],
      preferredNodeSelectors: [],
    });
  });
});

describe('interface names', () => {
  it.each([
    ['eth0', true],
    ['bond0.100', true],
    ['enp0s31f6', true],
    ['123456789012345', true],
    ['1234567890123456', false],
    ['.', false],
    ['..', false],
    ['a/b', false],
    ['a:1', false],
    ['a b', false],
  ])('%s valid=%s', (name, ok) => {
    expect(interfaceNameProblem(name) === undefined).toBe(ok);
  });
});
