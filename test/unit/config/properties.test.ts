import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseConfig,
  type Config,
  type ConfigError,
  type ResourceSnapshot,
} from '../../../src/config/index.js';
import { rangesOverlap } from '../../../src/core/ip/index.js';
import { loadFixture, NS } from './helpers.js';

const KINDS = [
  'ResourceSnapshot',
  'IPAddressPool',
  'L2Advertisement',
  'BGPAdvertisement',
  'BGPPeer',
  'BFDProfile',
  'Community',
  'Node',
];
const LISTS = [
  'ipAddressPools',
  'l2Advertisements',
  'bgpAdvertisements',
  'bgpPeers',
  'bfdProfiles',
  'communities',
  'secrets',
  'nodes',
] as const;
const FIELDS = [
  'addresses',
  'autoAssign',
  'serviceAllocation',
  'ipAddressPools',
  'ipAddressPoolSelectors',
  'nodeSelectors',
  'interfaces',
  'serviceSelectors',
  'preferredNodeSelectors',
  'aggregationLength',
  'aggregationLengthV6',
  'localPref',
  'communities',
  'peers',
  'myASN',
  'peerASN',
  'dynamicASN',
  'peerAddress',
  'sourceAddress',
  'peerPort',
  'holdTime',
  'keepaliveTime',
  'connectTime',
  'routerID',
  'password',
  'passwordSecret',
  'bfdProfile',
  'ebgpMultiHop',
  'echoMode',
  'detectMultiplier',
];
const PLAUSIBLE: unknown[] = [
  '192.0.2.0/24',
  '192.0.2.10-192.0.2.20',
  '2001:db8::/64',
  '192.0.2.1',
  '2001:db8::1',
  '10.0.0.1',
  '0s',
  '3s',
  '90s',
  '1500ms',
  0,
  1,
  32,
  128,
  64512,
  65535,
  4294967295,
  -1,
  1.5,
  true,
  false,
  null,
  [],
  {},
  'internal',
  'pool-a',
  'fast',
  ['pool-a'],
  ['pool-a', 'pool-b'],
  ['router-v4'],
  [{ matchLabels: { tier: 'public' } }],
  [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }],
  [{ matchLabels: { rack: 'r1' } }, {}],
  ['no-export', 'large:1:2:3', '1:1'],
  { name: 'bgp-password' },
];

const value = fc.oneof(fc.constantFrom(...PLAUSIBLE), fc.jsonValue({ maxDepth: 3 }));
const field = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 }));
const object = fc.record(
  {
    apiVersion: fc.constantFrom('metallb.io/v1beta1', 'metallb.io/v1beta2', 'v1', 'x'),
    metadata: fc.record(
      {
        name: fc.oneof(fc.constantFrom('pool-a', 'pool-b', 'router-v4', 'fast', 'a'), fc.jsonValue()),
        namespace: fc.constantFrom(NS, 'default', ''),
        labels: fc.oneof(fc.constant({ tier: 'public' }), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    ),
    spec: fc.oneof(fc.dictionary(field, value, { maxKeys: 6 }), fc.jsonValue({ maxDepth: 2 })),
    type: fc.constantFrom('kubernetes.io/basic-auth', 'Opaque'),
    data: fc.oneof(fc.constant({ password: 'aHVudGVyMg==' }), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);
const structured = fc.record(
  Object.fromEntries(
    LISTS.map((k) => [k, fc.array(fc.oneof(object, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 })]),
  ),
  { requiredKeys: [] },
) as fc.Arbitrary<ResourceSnapshot>;

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

function checkErrorShape(errors: readonly ConfigError[]): void {
  for (const e of errors) {
    expect(KINDS).toContain(e.kind);
    expect(typeof e.namespace).toBe('string');
    expect(e.name.length).toBeGreaterThan(0);
    expect(typeof e.path).toBe('string');
    expect(e.reason.length).toBeGreaterThan(0);
  }
}

/** The documented invariants of Config (src/config/types.ts), checked on every valid result. */
function checkInvariants(config: Config): void {
  const ranges = [...config.pools.values()].flatMap((p) => {
    expect(p.ranges.length).toBeGreaterThan(0);
    return p.ranges;
  });
  ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => expect(rangesOverlap(a, b)).toBe(false)));
  for (const adv of [...config.l2Advertisements.values(), ...config.bgpAdvertisements.values()]) {
    expect([...new Set(adv.pools)].sort()).toEqual(adv.pools);
    for (const p of adv.pools) expect(config.pools.has(p)).toBe(true);
  }
  for (const adv of config.bgpAdvertisements.values()) {
    for (const p of adv.peers) expect(config.bgpPeers.has(p)).toBe(true);
    if (adv.serviceSelectors.length > 0)
      expect([adv.aggregationLength, adv.aggregationLengthV6]).toEqual([32, 128]);
  }
  for (const peer of config.bgpPeers.values()) {
    expect(peer.holdTimeMs === 0 || peer.holdTimeMs >= 3000).toBe(true);
    expect(peer.holdTimeMs % 1000).toBe(0);
    expect(peer.keepaliveTimeMs).toBeLessThanOrEqual(peer.holdTimeMs);
    expect((peer.peerASN === undefined) !== (peer.dynamicASN === undefined)).toBe(true);
    expect(peer.peerPort).toBeGreaterThanOrEqual(1);
    if (peer.bfdProfile !== undefined) expect(config.bfdProfiles.has(peer.bfdProfile)).toBe(true);
  }
}

/** Returns whether the snapshot parsed as valid, after checking the result's shape and invariants. */
function checkResult(snapshot: ResourceSnapshot): boolean {
  const before = structuredClone(snapshot);
  const result = parseConfig(deepFreeze(snapshot), { namespace: NS });
  expect(snapshot).toEqual(before);
  if (result.ok) {
    checkErrorShape(result.warnings);
    checkInvariants(result.config);
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    checkErrorShape(result.errors);
  }
  return result.ok;
}

describe('parseConfig properties', () => {
  it('never throws on arbitrary JSON, and every error names kind, object, path and reason', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (snapshot) => {
        checkResult(snapshot as ResourceSnapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on structured snapshots of random objects; valid results keep every invariant', () => {
    fc.assert(
      fc.property(structured, (snapshot) => {
        checkResult(snapshot);
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on the full valid fixture with one field replaced; valid results keep every invariant', () => {
    const base = loadFixture('valid-full.yaml') as Record<string, unknown[]>;
    const keys = Object.keys(base).filter((k) => base[k]!.length > 0);
    const mutation = fc.record({
      list: fc.constantFrom(...keys),
      index: fc.nat(20),
      where: fc.constantFrom('spec', 'metadata', 'top'),
      key: fc.oneof(
        fc.constantFrom(...FIELDS, 'name', 'namespace', 'labels', 'apiVersion', 'kind'),
        fc.string({ maxLength: 6 }),
      ),
      value,
    });
    const outcomes = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const snapshot = structuredClone(base);
        for (const m of mutations) {
          const list = snapshot[m.list]!;
          const obj = list[m.index % list.length] as Record<string, Record<string, unknown>>;
          const target = m.where === 'top' ? obj : (obj[m.where] ??= {});
          target[m.key] = m.value;
        }
        outcomes[checkResult(snapshot) ? 'valid' : 'invalid']++;
      }),
      { numRuns: 600 },
    );
    // Both outcomes must occur, or the invariant checks above would be vacuous.
    expect(outcomes.valid).toBeGreaterThan(20);
    expect(outcomes.invalid).toBeGreaterThan(20);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(structured, (snapshot) => {
        expect(parseConfig(snapshot, { namespace: NS })).toEqual(parseConfig(snapshot, { namespace: NS }));
      }),
      { numRuns: 200 },
    );
  });
});
