import { describe, expect, it } from 'vitest';
import type { ResourceSnapshot } from '../../../src/config/index.js';
import { bfd, bgpAdv, configOf, errorsOf, node, PEER, peer, pool, type ErrorRow } from './helpers.js';

const V4 = pool('p', { addresses: ['192.0.2.0/24'] });
const DUAL = pool('p', { addresses: ['192.0.2.0/24', '2001:db8::/64'] });
const CONFLICT = (b: number, a: number) =>
  `BGPAdvertisement metallb-system/b: spec.localPref: ${b} conflicts with localPref ${a} of BGPAdvertisement metallb-system/a: both advertise IPAddressPool p with the same aggregation length to a common peer from a common node`;
const rack = (value: string) => [{ matchLabels: { rack: value } }];

function twoAds(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  extra: ResourceSnapshot = {},
): ResourceSnapshot {
  return {
    ipAddressPools: [V4],
    bgpAdvertisements: [bgpAdv('b', { localPref: 200, ...b }), bgpAdv('a', { localPref: 100, ...a })],
    ...extra,
  };
}

const LOCAL_PREF_ROWS: ErrorRow[] = [
  { name: 'same pool, all peers, all nodes: conflict', snapshot: twoAds({}, {}), want: [CONFLICT(200, 100)] },
  { name: 'equal localPref: no conflict', snapshot: twoAds({}, { localPref: 100 }), want: [] },
  {
    name: 'localPref 0 (unset) against 100: conflict, as in MetalLB',
    snapshot: twoAds({}, { localPref: 0 }),
    want: [CONFLICT(0, 100)],
  },
  {
    name: 'different aggregation length on an IPv4-only pool: different updates',
    snapshot: twoAds({}, { aggregationLength: 28 }),
    want: [],
  },
  {
    name: 'dual-stack pool, only the IPv4 aggregation differs: conflict',
    snapshot: { ...twoAds({}, { aggregationLength: 28 }), ipAddressPools: [DUAL] },
    want: [CONFLICT(200, 100)],
  },
  {
    name: 'dual-stack pool, both aggregations differ: no conflict',
    snapshot: { ...twoAds({}, { aggregationLength: 28, aggregationLengthV6: 96 }), ipAddressPools: [DUAL] },
    want: [],
  },
  {
    name: 'disjoint peer lists: no conflict',
    snapshot: twoAds({ peers: ['x'] }, { peers: ['y'] }),
    want: [],
  },
  {
    name: 'overlapping peer lists: conflict',
    snapshot: twoAds({ peers: ['x', 'y'] }, { peers: ['y'] }),
    want: [CONFLICT(200, 100)],
  },
  {
    name: 'one list of peers, one for all peers: conflict',
    snapshot: twoAds({ peers: ['x'] }, {}),
    want: [CONFLICT(200, 100)],
  },
  {
    name: 'node selectors that cannot select a common node (no Node list): no conflict',
    snapshot: twoAds({ nodeSelectors: rack('a') }, { nodeSelectors: rack('b') }),
    want: [],
  },
  {
    name: 'node selectors that could select a common node (no Node list): conflict',
    snapshot: twoAds({ nodeSelectors: rack('a') }, { nodeSelectors: [{ matchLabels: { zone: 'z' } }] }),
    want: [CONFLICT(200, 100)],
  },
  {
    name: 'with a Node list, no node matches both: no conflict',
    snapshot: twoAds(
      { nodeSelectors: rack('a') },
      { nodeSelectors: [{ matchLabels: { zone: 'z' } }] },
      { nodes: [node('n1', { rack: 'a' }), node('n2', { zone: 'z' })] },
    ),
    want: [],
  },
  {
    name: 'with a Node list, one node matches both: conflict',
    snapshot: twoAds(
      { nodeSelectors: rack('a') },
      { nodeSelectors: [{ matchLabels: { zone: 'z' } }] },
      { nodes: [node('n1', { rack: 'a', zone: 'z' })] },
    ),
    want: [CONFLICT(200, 100)],
  },
  {
    name: 'one advertisement with serviceSelectors: not compared',
    snapshot: twoAds({}, { serviceSelectors: [{ matchLabels: { a: 'b' } }] }),
    want: [],
  },
  {
    name: 'different pools: not compared',
    snapshot: {
      ...twoAds({ ipAddressPools: ['p'] }, { ipAddressPools: ['q'] }),
      ipAddressPools: [V4, pool('q', { addresses: ['198.51.100.0/24'] })],
    },
    want: [],
  },
  {
    name: 'a pair sharing two pools is reported once',
    snapshot: { ...twoAds({}, {}), ipAddressPools: [V4, pool('q', { addresses: ['198.51.100.0/24'] })] },
    want: [CONFLICT(200, 100)],
  },
];

const P2 = 'BGPPeer metallb-system/b';
const PEER_ROWS: ErrorRow[] = [
  {
    name: 'different routerID on a shared node',
    snapshot: {
      bgpPeers: [
        peer('a', { ...PEER, routerID: '10.0.0.1' }),
        peer('b', { ...PEER, peerAddress: '192.0.2.2', routerID: '10.0.0.2' }),
      ],
    },
    want: [
      `${P2}: spec.routerID: 10.0.0.2 differs from routerID 10.0.0.1 of BGPPeer metallb-system/a; peers that can run on the same node must use the same routerID`,
    ],
  },
  {
    name: 'routerID set on one peer only',
    snapshot: {
      bgpPeers: [
        peer('a', { ...PEER, routerID: '10.0.0.1' }),
        peer('b', { ...PEER, peerAddress: '192.0.2.2' }),
      ],
    },
    want: [
      `${P2}: spec.routerID: (unset) differs from routerID 10.0.0.1 of BGPPeer metallb-system/a; peers that can run on the same node must use the same routerID`,
    ],
  },
  {
    name: 'different myASN on a shared node',
    snapshot: { bgpPeers: [peer('a', PEER), peer('b', { ...PEER, peerAddress: '192.0.2.2', myASN: 64513 })] },
    want: [
      `${P2}: spec.myASN: 64513 differs from myASN 64512 of BGPPeer metallb-system/a; peers that can run on the same node must use the same myASN`,
    ],
  },
  {
    name: 'same peerAddress on a shared node',
    snapshot: { bgpPeers: [peer('a', PEER), peer('b', { ...PEER, peerASN: 64501 })] },
    want: [
      `${P2}: spec.peerAddress: 192.0.2.1 duplicates BGPPeer metallb-system/a, which peers with the same address from a node this peer also selects`,
    ],
  },
  {
    name: 'disjoint nodeSelectors (no Node list): no conflict',
    snapshot: {
      bgpPeers: [
        peer('a', { ...PEER, nodeSelectors: rack('a') }),
        peer('b', { ...PEER, myASN: 1, routerID: '10.0.0.9', nodeSelectors: rack('b') }),
      ],
    },
    want: [],
  },
  {
    name: 'selectors could overlap but no listed node matches both: no conflict',
    snapshot: {
      bgpPeers: [
        peer('a', { ...PEER, nodeSelectors: rack('a') }),
        peer('b', { ...PEER, myASN: 1, nodeSelectors: [{ matchLabels: { zone: 'z' } }] }),
      ],
      nodes: [node('n1', { rack: 'a' }), node('n2', { zone: 'z' })],
    },
    want: [],
  },
  {
    name: 'a listed node matches both: conflict',
    snapshot: {
      bgpPeers: [
        peer('a', { ...PEER, nodeSelectors: rack('a') }),
        peer('b', {
          ...PEER,
          peerAddress: '192.0.2.2',
          myASN: 1,
          nodeSelectors: [{ matchLabels: { zone: 'z' } }],
        }),
      ],
      nodes: [node('n1', { rack: 'a', zone: 'z' })],
    },
    want: [
      `${P2}: spec.myASN: 1 differs from myASN 64512 of BGPPeer metallb-system/a; peers that can run on the same node must use the same myASN`,
    ],
  },
  {
    name: 'an empty Node list: no node is shared',
    snapshot: { bgpPeers: [peer('a', PEER), peer('b', { ...PEER, myASN: 1 })], nodes: [] },
    want: [],
  },
];

const ECHO = bfd('echo', { echoMode: true });
const ECHO_ROWS: ErrorRow[] = [
  {
    name: 'echo profile on a peer with an IPv6 address',
    snapshot: {
      bfdProfiles: [ECHO],
      bgpPeers: [peer('a', { ...PEER, peerAddress: '2001:db8::1', bfdProfile: 'echo' })],
    },
    want: [
      'BGPPeer metallb-system/a: spec.bfdProfile: BFDProfile echo has echoMode enabled, which is not supported on a session to an IPv6 peerAddress',
    ],
  },
  {
    name: 'IPv6 pool advertised to a peer with an echo profile',
    snapshot: {
      bfdProfiles: [ECHO],
      ipAddressPools: [DUAL],
      bgpPeers: [peer('a', { ...PEER, bfdProfile: 'echo' })],
      bgpAdvertisements: [bgpAdv('adv', {})],
    },
    want: [
      'BGPAdvertisement metallb-system/adv: spec.peers: announces IPv6 IPAddressPool p to BGPPeer a, whose BFDProfile echo has echoMode enabled (echo mode is not supported for IPv6)',
    ],
  },
  {
    name: 'IPv4 pool advertised to a peer with an echo profile: fine',
    snapshot: {
      bfdProfiles: [ECHO],
      ipAddressPools: [V4],
      bgpPeers: [peer('a', { ...PEER, bfdProfile: 'echo' })],
      bgpAdvertisements: [bgpAdv('adv', {})],
    },
    want: [],
  },
  {
    name: 'IPv6 pool advertised only to other peers: fine',
    snapshot: {
      bfdProfiles: [ECHO],
      ipAddressPools: [DUAL],
      bgpPeers: [
        peer('a', { ...PEER, bfdProfile: 'echo' }),
        peer('b', { ...PEER, peerAddress: '192.0.2.2' }),
      ],
      bgpAdvertisements: [bgpAdv('adv', { peers: ['b'] })],
    },
    want: [],
  },
  {
    name: 'IPv6 pool and an echo-less profile: fine',
    snapshot: {
      bfdProfiles: [bfd('slow')],
      ipAddressPools: [DUAL],
      bgpPeers: [peer('a', { ...PEER, peerAddress: '2001:db8::1', bfdProfile: 'slow' })],
      bgpAdvertisements: [bgpAdv('adv', {})],
    },
    want: [],
  },
];

describe('conflicting LOCAL_PREF', () => {
  it.each(LOCAL_PREF_ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});

describe('peers that can share a node', () => {
  it.each(PEER_ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });

  it('accepts many consistent peers on the same nodes', () => {
    const peers = Array.from({ length: 5 }, (_, i) =>
      peer(`p${i}`, { ...PEER, peerAddress: `192.0.2.${i + 1}`, routerID: '10.0.0.1' }),
    );
    expect(configOf({ bgpPeers: peers }).bgpPeers.size).toBe(5);
  });
});

describe('BFD echo mode and IPv6', () => {
  it.each(ECHO_ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});
