import { describe, expect, it } from 'vitest';
import { configOf, errorsOf, pool, type ErrorRow } from './helpers.js';

const P = 'IPAddressPool metallb-system/p';
const Q = 'IPAddressPool metallb-system/q';

const ROWS: ErrorRow[] = [
  {
    name: 'spec.addresses missing',
    snapshot: { ipAddressPools: [pool('p', {})] },
    want: [`${P}: spec.addresses: is required: a pool needs at least one CIDR or range`],
  },
  {
    name: 'spec missing altogether',
    snapshot: { ipAddressPools: [pool('p', undefined)] },
    want: [`${P}: spec.addresses: is required: a pool needs at least one CIDR or range`],
  },
  {
    name: 'spec.addresses empty',
    snapshot: { ipAddressPools: [pool('p', { addresses: [] })] },
    want: [`${P}: spec.addresses: must not be empty: a pool needs at least one CIDR or range`],
  },
  {
    name: 'spec.addresses not a list',
    snapshot: { ipAddressPools: [pool('p', { addresses: '192.0.2.0/24' })] },
    want: [`${P}: spec.addresses: must be a list, got "192.0.2.0/24"`],
  },
  {
    name: 'address entry not a string',
    snapshot: { ipAddressPools: [pool('p', { addresses: [5] })] },
    want: [`${P}: spec.addresses[0]: must be a string (a CIDR or a range "first-last"), got 5`],
  },
  {
    name: 'CIDR with a bad address',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['192.0.2.0/25', '198.51.100.0/24', '192.0.2.300/24'] })],
    },
    want: [`${P}: spec.addresses[2]: "192.0.2.300/24": "192.0.2.300" is not an IP address`],
  },
  {
    name: 'CIDR with a bad prefix length',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['2001:db8::/129'] })] },
    want: [`${P}: spec.addresses[0]: "2001:db8::/129": prefix length "129" is not an integer in 0..128`],
  },
  {
    name: 'range whose start is after its end',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.20-192.0.2.10'] })] },
    want: [
      `${P}: spec.addresses[0]: "192.0.2.20-192.0.2.10": range start 192.0.2.20 is after range end 192.0.2.10`,
    ],
  },
  {
    name: 'range mixing families',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.1-2001:db8::1'] })] },
    want: [
      `${P}: spec.addresses[0]: "192.0.2.1-2001:db8::1": range "192.0.2.1-2001:db8::1" mixes IPv4 and IPv6`,
    ],
  },
  {
    name: 'range with a bad end',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.1-192.0.2.x'] })] },
    want: [`${P}: spec.addresses[0]: "192.0.2.1-192.0.2.x": range end "192.0.2.x" is not an IP address`],
  },
  {
    name: 'bare address (neither CIDR nor range)',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.1'] })] },
    want: [`${P}: spec.addresses[0]: "192.0.2.1": "192.0.2.1" is neither a CIDR nor a range "first-last"`],
  },
  {
    name: 'spec.autoAssign not a boolean',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], autoAssign: 'yes' })] },
    want: [`${P}: spec.autoAssign: must be true or false, got "yes"`],
  },
  {
    name: 'spec.avoidBuggyIPs not a boolean',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], avoidBuggyIPs: 1 })] },
    want: [`${P}: spec.avoidBuggyIPs: must be true or false, got 1`],
  },
  {
    name: 'unknown spec field (a typo is not silently ignored)',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], autoassign: false })] },
    want: [
      `${P}: spec.autoassign: unknown field (known fields: addresses, autoAssign, avoidBuggyIPs, serviceAllocation)`,
    ],
  },
  {
    name: 'spec.serviceAllocation not an object',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: [] })] },
    want: [`${P}: spec.serviceAllocation: must be an object, got a list`],
  },
  {
    name: 'serviceAllocation unknown field',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: { prio: 1 } })],
    },
    want: [
      `${P}: spec.serviceAllocation.prio: unknown field (known fields: priority, namespaces, namespaceSelectors, serviceSelectors)`,
    ],
  },
  {
    name: 'serviceAllocation.priority not an integer',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: { priority: 1.5 } })],
    },
    want: [`${P}: spec.serviceAllocation.priority: must be an integer in -2147483648..2147483647, got 1.5`],
  },
  {
    name: 'serviceAllocation.namespaces duplicate',
    snapshot: {
      ipAddressPools: [
        pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: { namespaces: ['a', 'b', 'a'] } }),
      ],
    },
    want: [`${P}: spec.serviceAllocation.namespaces[2]: duplicate namespace "a" (same as [0])`],
  },
  {
    name: 'serviceAllocation.namespaces invalid name',
    snapshot: {
      ipAddressPools: [
        pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: { namespaces: ['Team_A'] } }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.namespaces[0]: "Team_A" is not a valid namespace name (lower-case RFC 1123 label, at most 63 characters)`,
    ],
  },
  {
    name: 'serviceAllocation.namespaces entry not a string',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: { namespaces: [''] } })],
    },
    want: [`${P}: spec.serviceAllocation.namespaces[0]: must be a non-empty string, got ""`],
  },
  {
    name: 'serviceAllocation.namespaceSelectors invalid operator',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: {
            namespaceSelectors: [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }],
          },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.namespaceSelectors[0].matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist`,
    ],
  },
  {
    name: 'serviceAllocation.namespaceSelectors duplicate',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: {
            namespaceSelectors: [{ matchLabels: { env: 'prod' } }, { matchLabels: { env: 'prod' } }],
          },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.namespaceSelectors[1]: duplicate namespaceSelectors entry "env=prod" (same as [0])`,
    ],
  },
  {
    name: 'serviceAllocation.serviceSelectors duplicate (value order does not matter)',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: {
            serviceSelectors: [
              { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] },
              { matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] },
            ],
          },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.serviceSelectors[1]: duplicate serviceSelectors entry "app in (a,b)" (same as [0])`,
    ],
  },
  {
    name: 'duplicate value inside one match expression',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: {
            serviceSelectors: [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'a'] }] }],
          },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.serviceSelectors[0].matchExpressions[0].values[1]: duplicate match expression value "a" (same as [0])`,
    ],
  },
  {
    name: 'duplicate match expression inside one selector',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: {
            serviceSelectors: [
              {
                matchExpressions: [
                  { key: 'app', operator: 'Exists' },
                  { key: 'app', operator: 'Exists' },
                ],
              },
            ],
          },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.serviceSelectors[0].matchExpressions[1]: duplicate match expression (same as matchExpressions[0])`,
    ],
  },
  {
    name: 'label key invalid in a selector',
    snapshot: {
      ipAddressPools: [
        pool('p', {
          addresses: ['192.0.2.0/24'],
          serviceAllocation: { serviceSelectors: [{ matchLabels: { '-a': 'x' } }] },
        }),
      ],
    },
    want: [
      `${P}: spec.serviceAllocation.serviceSelectors[0].matchLabels["-a"]: label key "-a" is invalid (name part must be 1-63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)`,
    ],
  },
  {
    name: 'overlapping CIDRs across pools (names both)',
    snapshot: {
      ipAddressPools: [
        pool('p', { addresses: ['192.0.2.0/24'] }),
        pool('q', { addresses: ['192.0.2.128/25'] }),
      ],
    },
    want: [
      `${Q}: spec.addresses[0]: "192.0.2.128/25" overlaps "192.0.2.0/24" (spec.addresses[0]) of IPAddressPool metallb-system/p`,
    ],
  },
  {
    name: 'a range overlapping a CIDR of another pool',
    snapshot: {
      ipAddressPools: [
        pool('p', { addresses: ['198.51.100.0/24', '192.0.2.0/28'] }),
        pool('q', { addresses: ['192.0.2.15-192.0.2.20'] }),
      ],
    },
    want: [
      `${Q}: spec.addresses[0]: "192.0.2.15-192.0.2.20" overlaps "192.0.2.0/28" (spec.addresses[1]) of IPAddressPool metallb-system/p`,
    ],
  },
  {
    name: 'overlapping IPv6 entries inside one pool',
    snapshot: { ipAddressPools: [pool('p', { addresses: ['2001:db8::/64', '2001:db8::10-2001:db8::20'] })] },
    want: [
      `${P}: spec.addresses[1]: "2001:db8::10-2001:db8::20" overlaps "2001:db8::/64" (spec.addresses[0]) in this pool`,
    ],
  },
  {
    name: 'identical entries in two pools',
    snapshot: {
      ipAddressPools: [
        pool('q', { addresses: ['192.0.2.0/24'] }),
        pool('p', { addresses: ['192.0.2.0/24'] }),
      ],
    },
    want: [
      `${Q}: spec.addresses[0]: "192.0.2.0/24" overlaps "192.0.2.0/24" (spec.addresses[0]) of IPAddressPool metallb-system/p`,
    ],
  },
  {
    name: 'duplicate pool name',
    snapshot: {
      ipAddressPools: [
        pool('p', { addresses: ['192.0.2.0/24'] }),
        pool('p', { addresses: ['198.51.100.0/24'] }),
      ],
    },
    want: [`${P}: metadata.name: duplicate IPAddressPool name "p"`],
  },
];

describe('IPAddressPool errors', () => {
  it.each(ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});

describe('IPAddressPool valid forms', () => {
  it('accepts mixed IPv4/IPv6 CIDRs and ranges, adjacent but not overlapping', () => {
    const config = configOf({
      ipAddressPools: [
        pool('p', { addresses: ['192.0.2.0/25', '192.0.2.128 - 192.0.2.255', '2001:db8::/127'] }),
        pool('q', { addresses: ['198.51.100.0/24', '2001:db8::2-2001:db8::3'] }),
      ],
    });
    expect(config.pools.get('p')!.ranges).toEqual([
      { family: 'IPv4', first: 0xc0000200n, last: 0xc000027fn },
      { family: 'IPv4', first: 0xc0000280n, last: 0xc00002ffn },
      {
        family: 'IPv6',
        first: 0x20010db8000000000000000000000000n,
        last: 0x20010db8000000000000000000000001n,
      },
    ]);
  });

  it('defaults autoAssign to true and avoidBuggyIPs to false; empty serviceAllocation kept', () => {
    const p = configOf({
      ipAddressPools: [pool('p', { addresses: ['192.0.2.0/24'], serviceAllocation: {} })],
    }).pools.get('p')!;
    expect(p.autoAssign).toBe(true);
    expect(p.avoidBuggyIPs).toBe(false);
    expect(p.serviceAllocation).toEqual({
      priority: 0,
      namespaces: [],
      namespaceSelectors: [],
      serviceSelectors: [],
    });
  });

  it('reports every error of every pool, not only the first', () => {
    const errors = errorsOf({
      ipAddressPools: [
        pool('p', { addresses: ['x', 'y'], autoAssign: 'no' }),
        pool('q', { addresses: ['192.0.2.0/33'] }),
      ],
    });
    expect(errors).toHaveLength(4);
  });
});
