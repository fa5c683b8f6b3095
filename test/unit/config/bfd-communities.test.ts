import { describe, expect, it } from 'vitest';
import { bfd, community, configOf, errorsOf, type ErrorRow } from './helpers.js';

const B = 'BFDProfile metallb-system/b';
const C = 'Community metallb-system/c';

const BFD_ROWS: ErrorRow[] = [
  ...(
    [
      ['receiveInterval', 9, '10..60000'],
      ['receiveInterval', 60001, '10..60000'],
      ['transmitInterval', 9, '10..60000'],
      ['transmitInterval', 60001, '10..60000'],
      ['echoInterval', 9, '10..60000'],
      ['echoInterval', 60001, '10..60000'],
      ['detectMultiplier', 1, '2..255'],
      ['detectMultiplier', 256, '2..255'],
      ['minimumTtl', 0, '1..254'],
      ['minimumTtl', 255, '1..254'],
      ['receiveInterval', 300.5, '10..60000'],
    ] as const
  ).map(([field, value, range]) => ({
    name: `${field} = ${value}`,
    snapshot: { bfdProfiles: [bfd('b', { [field]: value })] },
    want: [`${B}: spec.${field}: must be an integer in ${range}, got ${value}`],
  })),
  {
    name: 'echoMode not a boolean',
    snapshot: { bfdProfiles: [bfd('b', { echoMode: 'on' })] },
    want: [`${B}: spec.echoMode: must be true or false, got "on"`],
  },
  {
    name: 'passiveMode not a boolean',
    snapshot: { bfdProfiles: [bfd('b', { passiveMode: null, echoMode: [] })] },
    want: [`${B}: spec.echoMode: must be true or false, got a list`],
  },
  {
    name: 'unknown field',
    snapshot: { bfdProfiles: [bfd('b', { multiplier: 3 })] },
    want: [
      `${B}: spec.multiplier: unknown field (known fields: receiveInterval, transmitInterval, detectMultiplier, echoInterval, echoMode, passiveMode, minimumTtl)`,
    ],
  },
  {
    name: 'duplicate name',
    snapshot: { bfdProfiles: [bfd('b'), bfd('b', { echoMode: true })] },
    want: [`${B}: metadata.name: duplicate BFDProfile name "b"`],
  },
];

const COMMUNITY_ROWS: ErrorRow[] = [
  {
    name: 'alias value invalid',
    snapshot: { communities: [community('c', [{ name: 'x', value: '1:65536' }])] },
    want: [`${C}: spec.communities[0].value: part "65536" of community "1:65536" is out of range 0..65535`],
  },
  {
    name: 'alias value not a community at all',
    snapshot: { communities: [community('c', [{ name: 'x', value: 'gold' }])] },
    want: [
      `${C}: spec.communities[0].value: "gold" is not a community: expected "AA:NN", "large:GA:LD1:LD2" or a well-known name (no-export, no-advertise, no-export-subconfed, no-peer, blackhole, graceful-shutdown, accept-own, llgr-stale, no-llgr)`,
    ],
  },
  {
    name: 'alias name missing',
    snapshot: { communities: [community('c', [{ value: '1:1' }])] },
    want: [`${C}: spec.communities[0].name: is required and must be a non-empty string, got undefined`],
  },
  {
    name: 'alias value missing',
    snapshot: { communities: [community('c', [{ name: 'x' }])] },
    want: [`${C}: spec.communities[0].value: is required and must be a non-empty string, got undefined`],
  },
  {
    name: 'alias entry not an object',
    snapshot: { communities: [community('c', ['x=1:1'])] },
    want: [`${C}: spec.communities[0]: must be an object with name and value, got "x=1:1"`],
  },
  {
    name: 'alias unknown field',
    snapshot: { communities: [community('c', [{ name: 'x', value: '1:1', type: 'standard' }])] },
    want: [`${C}: spec.communities[0].type: unknown field (known fields: name, value)`],
  },
  {
    name: 'duplicate alias name in one object',
    snapshot: {
      communities: [
        community('c', [
          { name: 'x', value: '1:1' },
          { name: 'x', value: '1:2' },
        ]),
      ],
    },
    want: [
      `${C}: spec.communities[1].name: duplicate community alias "x" (also defined in Community metallb-system/c at spec.communities[0])`,
    ],
  },
  {
    name: 'duplicate alias name across objects',
    snapshot: {
      communities: [
        community('d', [{ name: 'x', value: '1:1' }]),
        community('c', [{ name: 'x', value: '1:2' }]),
      ],
    },
    want: [
      `Community metallb-system/d: spec.communities[0].name: duplicate community alias "x" (also defined in Community metallb-system/c at spec.communities[0])`,
    ],
  },
  {
    name: 'communities not a list',
    snapshot: { communities: [community('c', { x: '1:1' })] },
    want: [`${C}: spec.communities: must be a list, got an object`],
  },
];

describe('BFDProfile errors', () => {
  it.each(BFD_ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });

  it('accepts the range bounds', () => {
    const p = configOf({
      bfdProfiles: [
        bfd('b', {
          receiveInterval: 10,
          transmitInterval: 60000,
          detectMultiplier: 255,
          echoInterval: 10,
          minimumTtl: 1,
        }),
      ],
    }).bfdProfiles.get('b')!;
    expect(p).toMatchObject({
      receiveIntervalMs: 10,
      transmitIntervalMs: 60000,
      detectMultiplier: 255,
      minimumTtl: 1,
    });
  });
});

describe('Community errors', () => {
  it.each(COMMUNITY_ROWS)('$name', ({ snapshot, want }) => {
    expect(errorsOf(snapshot)).toEqual(want);
  });

  it('merges aliases of every Community object into one table', () => {
    const config = configOf({
      communities: [
        community('c', [{ name: 'a', value: 'no-export' }]),
        community('d', [{ name: 'b', value: 'large:1:1:1' }]),
      ],
    });
    expect([...config.communities.keys()]).toEqual(['a', 'b']);
    expect(config.communities.get('a')).toEqual({ kind: 'standard', value: 0xffffff01 });
  });
});
