import { describe, expect, it } from 'vitest';
import { configOf, loadFixture, NS, parse } from './helpers.js';

const v4 = (value: bigint) => ({ family: 'IPv4', value });
const v6 = (value: bigint) => ({ family: 'IPv6', value });
const sel = (...requirements: Array<[string, string, string[]]>) => ({
  requirements: requirements.map(([key, operator, values]) => ({ key, operator, values })),
});
const ROUTER_ID = v4(0x0a000001n);

describe('valid-full.yaml: every field of every kind', () => {
  const snapshot = loadFixture('valid-full.yaml');
  const config = configOf(snapshot);

  it('has no warnings', () => {
    const result = parse(snapshot);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('parses IPAddressPools into core Pools', () => {
    expect([...config.pools.keys()]).toEqual(['pool-a', 'pool-b']);
    expect(config.pools.get('pool-a')).toEqual({
      name: 'pool-a',
      labels: { tier: 'public' },
      ranges: [
        { family: 'IPv4', first: 0xc0000200n, last: 0xc000023fn },
        { family: 'IPv4', first: 0xc0000264n, last: 0xc000026en },
        {
          family: 'IPv6',
          first: 0x20010db8000100000000000000000000n,
          last: 0x20010db80001000000000000000000ffn,
        },
      ],
      autoAssign: false,
      avoidBuggyIPs: true,
      serviceAllocation: {
        priority: 10,
        namespaces: ['team-a', 'team-b'],
        namespaceSelectors: [sel(['env', 'In', ['prod']])],
        serviceSelectors: [sel(['app', 'In', ['web', 'api']], ['legacy', 'DoesNotExist', []])],
      },
    });
    expect(config.pools.get('pool-b')).toEqual({
      name: 'pool-b',
      labels: {},
      ranges: [{ family: 'IPv4', first: 0xc6336400n, last: 0xc63364ffn }],
      autoAssign: true,
      avoidBuggyIPs: false,
    });
    expect(config.pools.get('pool-b')).not.toHaveProperty('serviceAllocation');
  });

  it('parses L2Advertisements with pools resolved by name and by selector', () => {
    expect([...config.l2Advertisements.values()]).toEqual([
      {
        name: 'l2-public',
        pools: ['pool-a', 'pool-b'],
        nodeSelectors: [sel(['node-role.kubernetes.io/edge', 'Exists', []])],
        interfaces: ['eth0', 'bond0.100'],
        serviceSelectors: [sel(['app', 'NotIn', ['internal']])],
        preferredNodeSelectors: [{ weight: 50, preference: sel(['rack', 'In', ['r1']]) }],
      },
    ]);
  });

  it('parses BGPAdvertisements with communities resolved to numbers', () => {
    expect([...config.bgpAdvertisements.values()]).toEqual([
      {
        name: 'bgp-a',
        pools: ['pool-a'],
        aggregationLength: 30,
        aggregationLengthV6: 120,
        localPref: 100,
        communities: [
          { kind: 'standard', value: 65000 * 65536 + 100 },
          { kind: 'standard', value: 65535 * 65536 + 666 },
          { kind: 'standard', value: 0xffffff01 },
          { kind: 'large', globalAdmin: 64500, localData1: 1, localData2: 2 },
        ],
        peers: ['router-v6'],
        nodeSelectors: [sel(['rack', 'In', ['r1']])],
        serviceSelectors: [],
      },
      {
        name: 'bgp-b',
        pools: ['pool-a'],
        aggregationLength: 32,
        aggregationLengthV6: 128,
        localPref: 0,
        communities: [],
        peers: ['legacy', 'router-v6'],
        nodeSelectors: [],
        serviceSelectors: [sel(['announce', 'In', ['bgp']])],
      },
    ]);
  });

  it('parses BGPPeers (v1beta2, and v1beta1 converted) with timers and passwords resolved', () => {
    expect([...config.bgpPeers.keys()]).toEqual(['legacy', 'router-v4', 'router-v6']);
    expect(config.bgpPeers.get('legacy')).toEqual({
      name: 'legacy',
      myASN: 64512,
      peerASN: 64501,
      peerAddress: v4(0xcb007101n),
      peerPort: 179,
      holdTimeMs: 60_000,
      keepaliveTimeMs: 20_000,
      connectTimeMs: 120_000,
      routerID: ROUTER_ID,
      nodeSelectors: [sel(['kubernetes.io/hostname', 'In', ['node-1']])],
      enableGracefulRestart: false,
      ebgpMultiHop: false,
      dualStackAddressFamily: false,
    });
    expect(config.bgpPeers.get('router-v4')).toEqual({
      name: 'router-v4',
      myASN: 64512,
      peerASN: 64500,
      localASN: 64999,
      peerAddress: v4(0xc00002fen),
      sourceAddress: v4(0xc00002fdn),
      peerPort: 1179,
      holdTimeMs: 30_000,
      keepaliveTimeMs: 5_000,
      connectTimeMs: 10_000,
      routerID: ROUTER_ID,
      nodeSelectors: [sel(['rack', 'In', ['r1']])],
      password: 'hunter2',
      passwordSecret: { name: 'bgp-password', namespace: NS },
      bfdProfile: 'fast',
      enableGracefulRestart: true,
      ebgpMultiHop: true,
      dualStackAddressFamily: true,
    });
    expect(config.bgpPeers.get('router-v6')).toEqual({
      name: 'router-v6',
      myASN: 64512,
      dynamicASN: 'internal',
      peerAddress: v6(0x20010db80000000000000000000000fen),
      peerPort: 179,
      holdTimeMs: 9_000,
      keepaliveTimeMs: 3_000,
      connectTimeMs: 120_000,
      routerID: ROUTER_ID,
      nodeSelectors: [],
      password: 's3cret',
      enableGracefulRestart: false,
      ebgpMultiHop: false,
      dualStackAddressFamily: false,
    });
  });

  it('parses BFDProfiles with FRR defaults for absent fields', () => {
    expect([...config.bfdProfiles.values()]).toEqual([
      {
        name: 'defaults',
        receiveIntervalMs: 300,
        transmitIntervalMs: 300,
        detectMultiplier: 3,
        echoIntervalMs: 50,
        echoMode: false,
        passiveMode: false,
        minimumTtl: 254,
      },
      {
        name: 'fast',
        receiveIntervalMs: 100,
        transmitIntervalMs: 120,
        detectMultiplier: 5,
        echoIntervalMs: 40,
        echoMode: true,
        passiveMode: true,
        minimumTtl: 200,
      },
    ]);
  });

  it('parses Community aliases into a table keyed by alias name', () => {
    expect([...config.communities.entries()]).toEqual([
      ['big', { kind: 'large', globalAdmin: 1, localData1: 2, localData2: 3 }],
      ['blackhole-alias', { kind: 'standard', value: 65535 * 65536 + 666 }],
    ]);
  });

  it('gives the same Config whatever the snapshot order', () => {
    const reversed = Object.fromEntries(
      Object.entries(snapshot).map(([k, v]) => [k, [...(v as unknown[])].reverse()]),
    );
    const other = configOf(reversed);
    expect([...other.pools.keys()]).toEqual([...config.pools.keys()]);
    expect(other).toEqual(config);
  });
});
