import { describe, expect, it } from 'vitest';
import {
  bgpAdv,
  community,
  configOf,
  errorsOf,
  PEER,
  peer,
  pool,
  warningsOf,
  type ErrorRow,
} from './helpers.js';

const A = 'BGPAdvertisement metallb-system/a';
const POOL = pool('p', { addresses: ['192.0.2.0/24'] });

const ROWS: ErrorRow[] = [
  {
    name: 'aggregationLength above 32',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { aggregationLength: 33 })] },
    want: [`${A}: spec.aggregationLength: must be an integer in 1..32, got 33`],
  },
  {
    name: 'aggregationLength 0',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { aggregationLength: 0 })] },
    want: [`${A}: spec.aggregationLength: must be an integer in 1..32, got 0`],
  },
  {
    name: 'aggregationLengthV6 above 128',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { aggregationLengthV6: 129 })] },
    want: [`${A}: spec.aggregationLengthV6: must be an integer in 0..128, got 129`],
  },
  {
    name: 'localPref above uint32',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { localPref: 4294967296 })] },
    want: [`${A}: spec.localPref: must be an integer in 0..4294967295, got 4294967296`],
  },
  {
    name: 'localPref negative',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { localPref: -1 })] },
    want: [`${A}: spec.localPref: must be an integer in 0..4294967295, got -1`],
  },
  {
    name: 'community with a standard part above 65535',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['65536:1'] })] },
    want: [`${A}: spec.communities[0]: part "65536" of community "65536:1" is out of range 0..65535`],
  },
  {
    name: 'community with a large part above uint32',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['large:1:4294967296:3'] })] },
    want: [
      `${A}: spec.communities[0]: part "4294967296" of community "large:1:4294967296:3" is out of range 0..4294967295`,
    ],
  },
  {
    name: 'community with four parts but no large marker',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['big:1:2:3'] })] },
    want: [`${A}: spec.communities[0]: community "big:1:2:3" has 4 parts but does not start with "large:"`],
  },
  {
    name: 'community with a non-numeric part',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['65000:x'] })] },
    want: [`${A}: spec.communities[0]: part "x" of community "65000:x" is not a decimal number`],
  },
  {
    name: 'community that is neither a value nor an alias (transient)',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['gold'] })] },
    want: [
      `${A}: spec.communities[0]: "gold" is neither a Community alias nor a community value ("AA:NN", "large:GA:LD1:LD2" or a well-known name) (transient: may resolve once the referenced object exists)`,
    ],
  },
  {
    name: 'communities duplicate',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { communities: ['1:1', '1:1'] })] },
    want: [`${A}: spec.communities[1]: duplicate community "1:1" (same as [0])`],
  },
  {
    name: 'peers duplicate',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { peers: ['r', 'r'] })] },
    want: [`${A}: spec.peers[1]: duplicate peer "r" (same as [0])`],
  },
  {
    name: 'ipAddressPools duplicate',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { ipAddressPools: ['p', 'p'] })] },
    want: [`${A}: spec.ipAddressPools[1]: duplicate ipAddressPools entry "p" (same as [0])`],
  },
  {
    name: 'ipAddressPoolSelectors invalid',
    snapshot: {
      bgpAdvertisements: [bgpAdv('a', { ipAddressPoolSelectors: [{ matchLabels: { a: 'b c' } }] })],
    },
    want: [
      `${A}: spec.ipAddressPoolSelectors[0].matchLabels["a"]: label value "b c" is invalid (at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)`,
    ],
  },
  {
    name: 'nodeSelectors duplicate',
    snapshot: {
      bgpAdvertisements: [
        bgpAdv('a', { nodeSelectors: [{ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' } }] }),
      ],
    },
    want: [`${A}: spec.nodeSelectors[1]: duplicate nodeSelectors entry "a=b" (same as [0])`],
  },
  {
    name: 'serviceSelectors with a non-default aggregationLength',
    snapshot: {
      bgpAdvertisements: [
        bgpAdv('a', { aggregationLength: 24, serviceSelectors: [{ matchLabels: { a: 'b' } }] }),
      ],
    },
    want: [
      `${A}: spec.serviceSelectors: cannot be combined with a non-default aggregation length; serviceSelectors need aggregationLength 32 and aggregationLengthV6 128`,
    ],
  },
  {
    name: 'serviceSelectors with a non-default aggregationLengthV6',
    snapshot: {
      bgpAdvertisements: [
        bgpAdv('a', { aggregationLengthV6: 64, serviceSelectors: [{ matchLabels: { a: 'b' } }] }),
      ],
    },
    want: [
      `${A}: spec.serviceSelectors: cannot be combined with a non-default aggregation length; serviceSelectors need aggregationLength 32 and aggregationLengthV6 128`,
    ],
  },
  {
    name: 'aggregationLength shorter than a pool CIDR prefix',
    snapshot: { ipAddressPools: [POOL], bgpAdvertisements: [bgpAdv('a', { aggregationLength: 16 })] },
    want: [
      `${A}: spec.aggregationLength: 16 is invalid for IPAddressPool p: prefix /24 of "192.0.2.0/24" is more specific than the aggregation length (the aggregate would cover addresses outside the pool)`,
    ],
  },
  {
    name: 'aggregationLength shorter than every block of a range',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['192.0.2.100-192.0.2.110'] })],
      bgpAdvertisements: [bgpAdv('a', { aggregationLength: 28, ipAddressPools: ['p'] })],
    },
    want: [
      `${A}: spec.aggregationLength: 28 is invalid for IPAddressPool p: prefix /30 of "192.0.2.100-192.0.2.110" is more specific than the aggregation length (the aggregate would cover addresses outside the pool)`,
    ],
  },
  {
    name: 'aggregationLengthV6 shorter than a pool prefix',
    snapshot: {
      ipAddressPools: [pool('p', { addresses: ['2001:db8::/64'] })],
      bgpAdvertisements: [bgpAdv('a', { aggregationLengthV6: 48 })],
    },
    want: [
      `${A}: spec.aggregationLengthV6: 48 is invalid for IPAddressPool p: prefix /64 of "2001:db8::/64" is more specific than the aggregation length (the aggregate would cover addresses outside the pool)`,
    ],
  },
  {
    name: 'unknown field',
    snapshot: { bgpAdvertisements: [bgpAdv('a', { localpref: 1 })] },
    want: [
      `${A}: spec.localpref: unknown field (known fields: aggregationLength, aggregationLengthV6, localPref, communities, ipAddressPools, ipAddressPoolSelectors, peers, nodeSelectors, serviceSelectors)`,
    ],
  },
  {
    name: 'duplicate name',
    snapshot: { bgpAdvertisements: [bgpAdv('a', {}), bgpAdv('a', { localPref: 1 })] },
    want: [`${A}: metadata.name: duplicate BGPAdvertisement name "a"`],
  },
];

describe('BGPAdvertisement errors', () => {
  it.each(ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});

describe('BGPAdvertisement valid forms', () => {
  it('applies defaults: aggregation 32/128, localPref 0, every pool, every peer', () => {
    const config = configOf({
      ipAddressPools: [POOL],
      bgpPeers: [peer('r2', { ...PEER, peerAddress: '192.0.2.2' }), peer('r1', PEER)],
      bgpAdvertisements: [bgpAdv('a', {})],
    });
    expect(config.bgpAdvertisements.get('a')).toEqual({
      name: 'a',
      pools: ['p'],
      aggregationLength: 32,
      aggregationLengthV6: 128,
      localPref: 0,
      communities: [],
      peers: ['r1', 'r2'],
      nodeSelectors: [],
      serviceSelectors: [],
    });
  });

  it('accepts an aggregation length equal to or longer than the pool prefix, and serviceSelectors with defaults', () => {
    const config = configOf({
      ipAddressPools: [POOL],
      bgpAdvertisements: [
        bgpAdv('a', { aggregationLength: 24 }),
        bgpAdv('b', {
          aggregationLength: 32,
          aggregationLengthV6: 128,
          serviceSelectors: [{ matchLabels: { a: 'b' } }],
        }),
      ],
    });
    expect(config.bgpAdvertisements.get('a')!.aggregationLength).toBe(24);
  });

  it('resolves every kind of community, de-duplicating equal values', () => {
    const config = configOf({
      communities: [community('c', [{ name: 'gold', value: '65000:1' }])],
      bgpAdvertisements: [
        bgpAdv('a', {
          communities: [
            'gold',
            '65000:1',
            'no-advertise',
            'no-export-subconfed',
            'no-peer',
            'graceful-shutdown',
            'large:0:0:0',
          ],
        }),
      ],
    });
    expect(config.bgpAdvertisements.get('a')!.communities).toEqual([
      { kind: 'standard', value: 65000 * 65536 + 1 },
      { kind: 'standard', value: 0xffff0000 },
      { kind: 'standard', value: 0xffffff02 },
      { kind: 'standard', value: 0xffffff03 },
      { kind: 'standard', value: 0xffffff04 },
      { kind: 'large', globalAdmin: 0, localData1: 0, localData2: 0 },
    ]);
  });

  it('prefers a Community alias over the literal reading of the same text', () => {
    const config = configOf({
      communities: [community('c', [{ name: 'no-export', value: '1:2' }])],
      bgpAdvertisements: [bgpAdv('a', { communities: ['no-export'] })],
    });
    expect(config.bgpAdvertisements.get('a')!.communities).toEqual([{ kind: 'standard', value: 65538 }]);
  });

  it('keeps missing peers out and warns; a list of only missing peers announces to none', () => {
    const snapshot = { bgpPeers: [peer('r1', PEER)], bgpAdvertisements: [bgpAdv('a', { peers: ['gone'] })] };
    expect(configOf(snapshot).bgpAdvertisements.get('a')!.peers).toEqual([]);
    expect(warningsOf(snapshot)).toEqual([
      `${A}: spec.peers[0]: BGPPeer "gone" does not exist; nothing is announced to it`,
    ]);
  });
});
