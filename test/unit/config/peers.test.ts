import { describe, expect, it } from 'vitest';
import type { ResourceSnapshot } from '../../../src/config/index.js';
import { bfd, configOf, errorsOf, PEER, peer, secret, warningsOf, type ErrorRow } from './helpers.js';

const R = 'BGPPeer metallb-system/r';
const BASIC = 'kubernetes.io/basic-auth';
const one = (spec: Record<string, unknown>, extra: ResourceSnapshot = {}): ResourceSnapshot => ({
  bgpPeers: [peer('r', spec)],
  ...extra,
});
const without = (key: keyof typeof PEER) =>
  Object.fromEntries(Object.entries(PEER).filter(([k]) => k !== key));

const ROWS: ErrorRow[] = [
  { name: 'myASN missing', snapshot: one(without('myASN')), want: [`${R}: spec.myASN: is required`] },
  {
    name: 'myASN 0',
    snapshot: one({ ...PEER, myASN: 0 }),
    want: [`${R}: spec.myASN: must not be 0 (AS 0 is reserved, RFC 7607)`],
  },
  {
    name: 'myASN above uint32',
    snapshot: one({ ...PEER, myASN: 4294967296 }),
    want: [`${R}: spec.myASN: must be an integer in 0..4294967295, got 4294967296`],
  },
  {
    name: 'neither peerASN nor dynamicASN',
    snapshot: one(without('peerASN')),
    want: [`${R}: spec.peerASN: one of peerASN and dynamicASN is required`],
  },
  {
    name: 'both peerASN and dynamicASN',
    snapshot: one({ ...PEER, dynamicASN: 'external' }),
    want: [`${R}: spec.dynamicASN: peerASN and dynamicASN are mutually exclusive; set exactly one`],
  },
  {
    name: 'dynamicASN not internal/external',
    snapshot: one({ ...without('peerASN'), dynamicASN: 'both' }),
    want: [`${R}: spec.dynamicASN: must be "internal" or "external", got "both"`],
  },
  {
    name: 'localASN 0',
    snapshot: one({ ...PEER, localASN: 0 }),
    want: [`${R}: spec.localASN: must be an integer in 1..4294967295, got 0`],
  },
  {
    name: 'ebgpMultiHop on an iBGP peer',
    snapshot: one({ ...PEER, peerASN: 64512, ebgpMultiHop: true }),
    want: [
      `${R}: spec.ebgpMultiHop: cannot be set on an iBGP peer (peerASN equals myASN, or dynamicASN is internal)`,
    ],
  },
  {
    name: 'ebgpMultiHop with dynamicASN internal',
    snapshot: one({ ...without('peerASN'), dynamicASN: 'internal', ebgpMultiHop: true }),
    want: [
      `${R}: spec.ebgpMultiHop: cannot be set on an iBGP peer (peerASN equals myASN, or dynamicASN is internal)`,
    ],
  },
  {
    name: 'peerAddress missing',
    snapshot: one(without('peerAddress')),
    want: [`${R}: spec.peerAddress: is required`],
  },
  {
    name: 'peerAddress not an IP',
    snapshot: one({ ...PEER, peerAddress: '192.0.2.999' }),
    want: [`${R}: spec.peerAddress: "192.0.2.999" is not an IP address`],
  },
  {
    name: 'interface (unnumbered BGP) is not supported',
    snapshot: one({ ...without('peerAddress'), interface: 'eth1' }),
    want: [
      `${R}: spec.interface: not supported by Herald: Herald peers by address only (no unnumbered BGP over an interface); set peerAddress instead`,
    ],
  },
  {
    name: 'vrf is not supported',
    snapshot: one({ ...PEER, vrf: 'red' }),
    want: [
      `${R}: spec.vrf: not supported by Herald: Herald has no sessions from a Linux VRF; peer from the default VRF`,
    ],
  },
  {
    name: 'sourceAddress not an IP',
    snapshot: one({ ...PEER, sourceAddress: 'eth0' }),
    want: [`${R}: spec.sourceAddress: "eth0" is not an IP address`],
  },
  {
    name: 'sourceAddress of the other family',
    snapshot: one({ ...PEER, sourceAddress: '2001:db8::1' }),
    want: [`${R}: spec.sourceAddress: 2001:db8::1 is IPv6 but peerAddress 192.0.2.1 is IPv4`],
  },
  {
    name: 'routerID not an IP',
    snapshot: one({ ...PEER, routerID: '1.2.3' }),
    want: [`${R}: spec.routerID: "1.2.3" is not an IP address`],
  },
  {
    name: 'routerID IPv6',
    snapshot: one({ ...PEER, routerID: '2001:db8::1' }),
    want: [`${R}: spec.routerID: 2001:db8::1 is not IPv4; the BGP Identifier is 32 bits (RFC 4271 §4.2)`],
  },
  {
    name: 'peerPort 0 in v1beta2',
    snapshot: one({ ...PEER, peerPort: 0 }),
    want: [`${R}: spec.peerPort: must be an integer in 1..16384, got 0`],
  },
  {
    name: 'peerPort above 16384',
    snapshot: one({ ...PEER, peerPort: 20000 }),
    want: [`${R}: spec.peerPort: must be an integer in 1..16384, got 20000`],
  },
  {
    name: 'holdTime under 3s',
    snapshot: one({ ...PEER, holdTime: '2s' }),
    want: [`${R}: spec.holdTime: hold time 2s must be 0 or at least 3s (RFC 4271 §4.2)`],
  },
  {
    name: 'holdTime 2.9s (whole seconds count, as MetalLB rounds)',
    snapshot: one({ ...PEER, holdTime: '2s900ms' }),
    want: [`${R}: spec.holdTime: hold time 2.9s must be 0 or at least 3s (RFC 4271 §4.2)`],
  },
  {
    name: 'keepaliveTime alone deriving a hold time under 3s',
    snapshot: one({ ...PEER, keepaliveTime: '500ms' }),
    want: [
      `${R}: spec.keepaliveTime: hold time 1.5s (derived as 3 × keepaliveTime 500ms) must be 0 or at least 3s (RFC 4271 §4.2)`,
    ],
  },
  {
    name: 'keepaliveTime greater than holdTime',
    snapshot: one({ ...PEER, holdTime: '10s', keepaliveTime: '20s' }),
    want: [`${R}: spec.keepaliveTime: keepaliveTime 20s must not exceed holdTime 10s`],
  },
  {
    name: 'holdTime not a string',
    snapshot: one({ ...PEER, holdTime: 90 }),
    want: [`${R}: spec.holdTime: must be a duration string such as "90s", got 90`],
  },
  {
    name: 'holdTime without unit',
    snapshot: one({ ...PEER, holdTime: '90' }),
    want: [
      `${R}: spec.holdTime: "90" is not a duration: expected a number and a unit, such as "90s" or "1m30s"`,
    ],
  },
  {
    name: 'keepaliveTime with an unknown unit',
    snapshot: one({ ...PEER, keepaliveTime: '3d' }),
    want: [`${R}: spec.keepaliveTime: "3d" is not a duration: unknown unit "d" (use ns, us, ms, s, m or h)`],
  },
  {
    name: 'negative holdTime',
    snapshot: one({ ...PEER, holdTime: '-5s' }),
    want: [`${R}: spec.holdTime: "-5s" must not be negative`],
  },
  {
    name: 'connectTime not whole seconds',
    snapshot: one({ ...PEER, connectTime: '1500ms' }),
    want: [`${R}: spec.connectTime: connect time 1.5s must be a whole number of seconds`],
  },
  {
    name: 'connectTime 0',
    snapshot: one({ ...PEER, connectTime: '0s' }),
    want: [`${R}: spec.connectTime: connect time 0s must be between 1s and 65535s`],
  },
  {
    name: 'connectTime above 65535s',
    snapshot: one({ ...PEER, connectTime: '65536s' }),
    want: [`${R}: spec.connectTime: connect time 65536s must be between 1s and 65535s`],
  },
  {
    name: 'both password and passwordSecret',
    snapshot: one({ ...PEER, password: 'a', passwordSecret: { name: 's' } }),
    want: [`${R}: spec.passwordSecret: password and passwordSecret are mutually exclusive; set at most one`],
  },
  {
    name: 'passwordSecret not in the snapshot (transient)',
    snapshot: one({ ...PEER, passwordSecret: { name: 's', namespace: 'metallb-system' } }),
    want: [
      `${R}: spec.passwordSecret.name: Secret metallb-system/s not found (transient: may resolve once the referenced object exists)`,
    ],
  },
  {
    name: 'passwordSecret only in another namespace (transient)',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's' } },
      {
        secrets: [
          { ...secret('s', BASIC, { password: 'eA==' }), metadata: { name: 's', namespace: 'default' } },
        ],
      },
    ),
    want: [
      `${R}: spec.passwordSecret.name: Secret metallb-system/s not found (transient: may resolve once the referenced object exists)`,
    ],
  },
  {
    name: 'passwordSecret of the wrong type',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's' } },
      { secrets: [secret('s', 'Opaque', { password: 'eA==' })] },
    ),
    want: [
      `${R}: spec.passwordSecret: Secret metallb-system/s has type "Opaque"; type "kubernetes.io/basic-auth" is required`,
    ],
  },
  {
    name: 'passwordSecret without a password key',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's' } },
      { secrets: [secret('s', BASIC, { username: 'eA==' })] },
    ),
    want: [`${R}: spec.passwordSecret: Secret metallb-system/s has no "password" key`],
  },
  {
    name: 'passwordSecret with data that is not base64',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's' } },
      { secrets: [secret('s', BASIC, { password: 'not base64!' })] },
    ),
    want: [
      `${R}: spec.passwordSecret: Secret metallb-system/s: data.password is not base64-encoded UTF-8 text`,
    ],
  },
  {
    name: 'passwordSecret pointing to another namespace',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's', namespace: 'default' } },
      { secrets: [secret('s', BASIC, { password: 'eA==' })] },
    ),
    want: [
      `${R}: spec.passwordSecret.namespace: must be "metallb-system": the Secret must be in the MetalLB namespace`,
    ],
  },
  {
    name: 'passwordSecret unknown field',
    snapshot: one(
      { ...PEER, passwordSecret: { name: 's', key: 'pw' } },
      { secrets: [secret('s', BASIC, { password: 'eA==' })] },
    ),
    want: [`${R}: spec.passwordSecret.key: unknown field (known fields: name, namespace)`],
  },
  {
    name: 'password longer than a TCP MD5 key',
    snapshot: one({ ...PEER, password: 'x'.repeat(81) }),
    want: [`${R}: spec.password: password is 81 bytes; TCP MD5 keys are at most 80 bytes`],
  },
  {
    name: 'password not a string',
    snapshot: one({ ...PEER, password: 1234 }),
    want: [`${R}: spec.password: must be a string, got 1234`],
  },
  {
    name: 'bfdProfile that does not exist (transient)',
    snapshot: one({ ...PEER, bfdProfile: 'fast' }),
    want: [
      `${R}: spec.bfdProfile: BFDProfile metallb-system/fast not found (transient: may resolve once the referenced object exists)`,
    ],
  },
  {
    name: 'enableGracefulRestart not a boolean',
    snapshot: one({ ...PEER, enableGracefulRestart: 'true' }),
    want: [`${R}: spec.enableGracefulRestart: must be true or false, got "true"`],
  },
  {
    name: 'dualStackAddressFamily not a boolean',
    snapshot: one({ ...PEER, dualStackAddressFamily: 0 }),
    want: [`${R}: spec.dualStackAddressFamily: must be true or false, got 0`],
  },
  {
    name: 'nodeSelectors duplicate',
    snapshot: one({ ...PEER, nodeSelectors: [{ matchLabels: { a: 'b' } }, { matchLabels: { a: 'b' } }] }),
    want: [`${R}: spec.nodeSelectors[1]: duplicate nodeSelectors entry "a=b" (same as [0])`],
  },
  {
    name: 'nodeSelectors with Exists and values',
    snapshot: one({
      ...PEER,
      nodeSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }],
    }),
    want: [`${R}: spec.nodeSelectors[0].matchExpressions[0].values: must be empty for operator Exists`],
  },
  {
    name: 'unknown field',
    snapshot: one({ ...PEER, holdtime: '3s' }),
    want: [
      expect.stringContaining(
        `${R}: spec.holdtime: unknown field (known fields: myASN, peerASN,`,
      ) as unknown as string,
    ],
  },
  {
    name: 'duplicate peer name',
    snapshot: { bgpPeers: [peer('r', PEER), peer('r', { ...PEER, peerAddress: '192.0.2.2' })] },
    want: [`${R}: metadata.name: duplicate BGPPeer name "r"`],
  },
  {
    name: 'v1beta1 with a v1beta2-only field',
    snapshot: { bgpPeers: [peer('r', { ...PEER, connectTime: '5s' }, 'v1beta1')] },
    want: [
      `${R}: spec.connectTime: unknown field in BGPPeer metallb.io/v1beta1 (known fields: myASN, peerASN, peerAddress, sourceAddress, peerPort, holdTime, keepaliveTime, routerID, nodeSelectors, password, bfdProfile, ebgpMultiHop); use metallb.io/v1beta2 for newer fields`,
    ],
  },
];

describe('BGPPeer errors', () => {
  it.each(ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });
});

describe('BGPPeer timers', () => {
  it.each([
    { name: 'neither set: hold 90s, keepalive 30s', spec: {}, hold: 90_000, keepalive: 30_000 },
    { name: 'hold only: keepalive = hold / 3', spec: { holdTime: '1m' }, hold: 60_000, keepalive: 20_000 },
    {
      name: 'keepalive only: hold = 3 × keepalive',
      spec: { keepaliveTime: '10s' },
      hold: 30_000,
      keepalive: 10_000,
    },
    { name: 'both set', spec: { holdTime: '1m30s', keepaliveTime: '45s' }, hold: 90_000, keepalive: 45_000 },
    { name: 'hold 0 disables keepalives', spec: { holdTime: '0' }, hold: 0, keepalive: 0 },
    {
      name: 'fractional hold truncated to seconds',
      spec: { holdTime: '3.7s' },
      hold: 3_000,
      keepalive: 1_233,
    },
    {
      name: 'keepalive equal to hold',
      spec: { holdTime: '3s', keepaliveTime: '3s' },
      hold: 3_000,
      keepalive: 3_000,
    },
  ])('$name', ({ spec, hold, keepalive }) => {
    const p = configOf(one({ ...PEER, ...spec })).bgpPeers.get('r')!;
    expect([p.holdTimeMs, p.keepaliveTimeMs]).toEqual([hold, keepalive]);
  });

  it('reads connectTime in whole seconds, default 120s', () => {
    expect(configOf(one({ ...PEER, connectTime: '1m' })).bgpPeers.get('r')!.connectTimeMs).toBe(60_000);
    expect(configOf(one({ ...PEER, connectTime: '65535s' })).bgpPeers.get('r')!.connectTimeMs).toBe(
      65_535_000,
    );
    expect(configOf(one(PEER)).bgpPeers.get('r')!.connectTimeMs).toBe(120_000);
  });
});

describe('BGPPeer valid forms', () => {
  it('reads the password from stringData (manifests) and data (API server)', () => {
    const fromString = configOf(
      one(
        { ...PEER, passwordSecret: { name: 's' } },
        { secrets: [{ ...secret('s', BASIC, {}), stringData: { password: 'pw' } }] },
      ),
    );
    expect(fromString.bgpPeers.get('r')).toMatchObject({
      password: 'pw',
      passwordSecret: { name: 's', namespace: 'metallb-system' },
    });
    const fromData = configOf(
      one(
        { ...PEER, passwordSecret: { name: 's' } },
        { secrets: [secret('s', BASIC, { password: 'cMOkc3M=' })] },
      ),
    );
    expect(fromData.bgpPeers.get('r')!.password).toBe('päss');
  });

  it('treats an empty passwordSecret ({}, as the API server serializes it) as unset', () => {
    const p = configOf(one({ ...PEER, passwordSecret: {} })).bgpPeers.get('r')!;
    expect(p.password).toBeUndefined();
    expect(p.passwordSecret).toBeUndefined();
  });

  it('accepts dynamicASN external with ebgpMultiHop, and IPv6 peers with an IPv6 source', () => {
    const p = configOf(
      one({
        myASN: 65000,
        dynamicASN: 'external',
        ebgpMultiHop: true,
        peerAddress: '2001:db8::1',
        sourceAddress: '2001:db8::2',
      }),
    ).bgpPeers.get('r')!;
    expect(p).toMatchObject({ dynamicASN: 'external', ebgpMultiHop: true, peerAddress: { family: 'IPv6' } });
    expect(p.peerASN).toBeUndefined();
  });

  it('accepts a bfdProfile that exists', () => {
    expect(
      configOf(one({ ...PEER, bfdProfile: 'b' }, { bfdProfiles: [bfd('b')] })).bgpPeers.get('r')!.bfdProfile,
    ).toBe('b');
  });

  it('warns that disableMP is deprecated and has no effect', () => {
    expect(warningsOf(one({ ...PEER, disableMP: true }))).toEqual([
      `${R}: spec.disableMP: deprecated and has no effect`,
    ]);
  });

  it('converts v1beta1: peerPort 0 means 179, legacy nodeSelectors, absent timers take the defaults', () => {
    const p = configOf({
      bgpPeers: [
        peer(
          'r',
          {
            ...PEER,
            peerPort: 0,
            nodeSelectors: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
          },
          'v1beta1',
        ),
      ],
    }).bgpPeers.get('r')!;
    expect(p).toMatchObject({ peerPort: 179, holdTimeMs: 90_000, keepaliveTimeMs: 30_000 });
    expect(p.nodeSelectors).toEqual([{ requirements: [{ key: 'zone', operator: 'In', values: ['a'] }] }]);
  });

  it('converts v1beta1 timers and password', () => {
    const p = configOf({
      bgpPeers: [
        peer('r', { ...PEER, peerPort: 1790, holdTime: '9s', password: 'pw', ebgpMultiHop: true }, 'v1beta1'),
      ],
    }).bgpPeers.get('r')!;
    expect(p).toMatchObject({
      peerPort: 1790,
      holdTimeMs: 9_000,
      keepaliveTimeMs: 3_000,
      password: 'pw',
      ebgpMultiHop: true,
    });
  });

  it('does not reject what MetalLB native mode rejects but Herald supports', () => {
    const p = configOf(
      one(
        {
          ...PEER,
          keepaliveTime: '10s',
          connectTime: '5s',
          enableGracefulRestart: true,
          dualStackAddressFamily: true,
          localASN: 65001,
          bfdProfile: 'b',
          peerAddress: '2001:db8::1',
        },
        { bfdProfiles: [bfd('b')] },
      ),
    ).bgpPeers.get('r')!;
    expect(p).toMatchObject({
      enableGracefulRestart: true,
      dualStackAddressFamily: true,
      localASN: 65001,
      connectTimeMs: 5_000,
    });
  });
});
