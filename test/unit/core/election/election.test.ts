import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EXCLUDE_FROM_EXTERNAL_LB_LABEL,
  electOwner,
  goIpString,
  rankCandidates,
  shouldAnnounce,
  type ElectionInput,
  type ElectionNode,
} from '../../../../src/core/election/index.js';
import { parseLabelSelector, type LabelSelector } from '../../../../src/core/labels.js';

function selector(raw: unknown): LabelSelector {
  const parsed = parseLabelSelector(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.selector;
}

function node(name: string, extra: Partial<ElectionNode> = {}): ElectionNode {
  return { name, labels: {}, conditions: [], live: true, ...extra };
}

function input(extra: Partial<ElectionInput> = {}): ElectionInput {
  return {
    ip: '192.0.2.10',
    nodes: ['n1', 'n2', 'n3', 'n4'].map((n) => node(n)),
    advertisements: [{ nodeSelectors: [] }],
    externalTrafficPolicy: 'Cluster',
    anyReadyEndpoint: true,
    readyEndpointNodes: new Set(['n2']),
    ignoreExcludeLb: false,
    ...extra,
  };
}

/** The reference ranking, computed with node:crypto exactly as MetalLB's sort.Slice comparator does. */
function referenceOrder(names: readonly string[], ip: string): string[] {
  const digest = (n: string): Buffer => createHash('sha256').update(`${n}#${ip}`).digest();
  return [...names].sort((a, b) => Buffer.compare(digest(a), digest(b)));
}

describe('goIpString (Go net.IP.String form)', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:1:0:1:0:1:1', '2001:db8:1:0:1:0:1:1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0000', '2001:db8:0:0:1::'],
    ['::', '::'],
    ['nonsense', undefined],
  ])('%s -> %s', (text, want) => {
    expect(goIpString(text)).toBe(want);
  });
});

describe('ranking matches sha256(node#ip) computed with node:crypto', () => {
  it.each([
    { ip: '192.0.2.10', names: ['n1', 'n2', 'n3', 'n4'] },
    { ip: '2001:db8::10', names: ['worker-a', 'worker-b', 'worker-c', 'control-plane'] },
    { ip: '203.0.113.7', names: ['kind-worker', 'kind-worker2', 'kind-worker3', 'kind-control-plane'] },
  ])('$ip over $names', ({ ip, names }) => {
    const ranking = rankCandidates(input({ ip, nodes: names.map((n) => node(n)) }));
    if ('skip' in ranking) throw new Error('unexpected skip');
    expect(ranking.candidates.map((c) => c.name)).toEqual(referenceOrder(names, ip));
    const first = ranking.candidates[0]!;
    expect(first.hash).toBe(createHash('sha256').update(`${first.name}#${ip}`).digest('hex'));
  });

  it('hashes the Go form of the IP, not the text as written', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const ranking = rankCandidates(input({ ip: '2001:DB8:0::0:10', nodes: names.map((n) => node(n)) }));
    if ('skip' in ranking) throw new Error('unexpected skip');
    expect(ranking.ip).toBe('2001:db8::10');
    expect(ranking.candidates.map((c) => c.name)).toEqual(referenceOrder(names, '2001:db8::10'));
  });

  it('agrees with the reference for arbitrary node sets and IPv4 addresses (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { minLength: 1, maxLength: 12 }),
        fc.ipV4(),
        (names, ip) => {
          const r = rankCandidates(input({ ip, nodes: names.map((n) => node(n)) }));
          return (
            !('skip' in r) && r.candidates.map((c) => c.name).join() === referenceOrder(names, ip).join()
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

const zone = (z: string): Record<string, string> => ({ zone: z });

describe('electOwner scenarios', () => {
  const best = (names: string[], ip = '192.0.2.10'): string => referenceOrder(names, ip)[0]!;
  it.each([
    { name: 'all four eligible', in: input(), want: { owner: best(['n1', 'n2', 'n3', 'n4']) } },
    {
      name: 'dead speaker is not a candidate',
      in: input({
        nodes: ['n1', 'n2', 'n3', 'n4'].map((n) => node(n, { live: n !== best(['n1', 'n2', 'n3', 'n4']) })),
      }),
      want: { owner: referenceOrder(['n1', 'n2', 'n3', 'n4'], '192.0.2.10')[1]! },
    },
    {
      name: 'NetworkUnavailable=True excludes, False does not',
      in: input({
        nodes: [
          node('n1', { conditions: [{ type: 'NetworkUnavailable', status: 'True' }] }),
          node('n2', { conditions: [{ type: 'NetworkUnavailable', status: 'False' }] }),
        ],
      }),
      want: { owner: 'n2' },
    },
    {
      name: 'exclude-from-external-load-balancers label excludes',
      in: input({ nodes: [node('n1', { labels: { [EXCLUDE_FROM_EXTERNAL_LB_LABEL]: '' } }), node('n2')] }),
      want: { owner: 'n2' },
    },
    {
      name: 'ignoreExcludeLb keeps the labelled node',
      in: input({
        ignoreExcludeLb: true,
        nodes: ['n1', 'n2', 'n3', 'n4'].map((n) =>
          node(n, { labels: { [EXCLUDE_FROM_EXTERNAL_LB_LABEL]: 'x' } }),
        ),
      }),
      want: { owner: best(['n1', 'n2', 'n3', 'n4']) },
    },
    {
      name: 'node selectors restrict candidates (ORed across ads)',
      in: input({
        nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') }), node('n3')],
        advertisements: [
          { nodeSelectors: [selector({ matchLabels: { zone: 'a' } })] },
          { nodeSelectors: [selector({ matchLabels: { zone: 'b' } })] },
        ],
      }),
      want: { owner: best(['n1', 'n2']) },
    },
    {
      name: 'no applicable advertisement',
      in: input({ advertisements: [] }),
      want: { skip: 'no-advertisement' },
    },
    {
      name: 'ETP=Local keeps only nodes with a ready endpoint',
      in: input({ externalTrafficPolicy: 'Local', readyEndpointNodes: new Set(['n3', 'n4']) }),
      want: { owner: best(['n3', 'n4']) },
    },
    {
      name: 'ETP=Local with the endpoint only on a dead node',
      in: input({
        externalTrafficPolicy: 'Local',
        readyEndpointNodes: new Set(['n3']),
        nodes: [node('n1'), node('n3', { live: false })],
      }),
      want: { skip: 'no-candidate' },
    },
    {
      name: 'no ready endpoint anywhere (Cluster)',
      in: input({ anyReadyEndpoint: false, readyEndpointNodes: new Set() }),
      want: { skip: 'no-ready-endpoint' },
    },
    {
      name: 'no ready endpoint anywhere (Local)',
      in: input({ externalTrafficPolicy: 'Local', anyReadyEndpoint: false, readyEndpointNodes: new Set() }),
      want: { skip: 'no-ready-endpoint' },
    },
    { name: 'no nodes', in: input({ nodes: [] }), want: { skip: 'no-candidate' } },
    { name: 'invalid IP', in: input({ ip: '192.0.2.300' }), want: { skip: 'invalid-ip' } },
  ])('$name', ({ in: given, want }) => {
    expect(electOwner(given)).toEqual(want);
  });

  it('reports why each non-candidate was dropped', () => {
    const r = rankCandidates(
      input({
        externalTrafficPolicy: 'Local',
        readyEndpointNodes: new Set(['ok', 'dup']),
        nodes: [
          node('ok'),
          node('dup'),
          node('dup'),
          node('dead', { live: false }),
          node('sel', { labels: zone('z') }),
          node('local'),
        ],
        advertisements: [
          { nodeSelectors: [selector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] })] },
        ],
      }),
    );
    if ('skip' in r) throw new Error('unexpected skip');
    expect(r.ineligible).toEqual([
      { name: 'dup', reason: 'duplicate-name' },
      { name: 'dead', reason: 'not-live' },
      { name: 'sel', reason: 'node-not-selected' },
      { name: 'local', reason: 'no-local-endpoint' },
    ]);
  });

  it('services sharing an IP get the same owner, and a different IP can move', () => {
    const owners = new Set(
      ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'].map((ip) =>
        electOwner(input({ ip })),
      ),
    );
    expect(electOwner(input({ ip: '192.0.2.1' }))).toEqual(electOwner(input({ ip: '192.0.2.1' })));
    expect(owners.size).toBeGreaterThan(1);
  });

  it('does not mutate its input', () => {
    const given = input();
    const snapshot = JSON.stringify({ ...given, readyEndpointNodes: [...given.readyEndpointNodes] });
    electOwner(given);
    expect(JSON.stringify({ ...given, readyEndpointNodes: [...given.readyEndpointNodes] })).toBe(snapshot);
  });
});

describe('shouldAnnounce: independent speakers agree (MetalLB TestL2ElectionConsistentButAdsPerNode)', () => {
  it('exactly one of N speakers announces, for many IPs, with ads selecting a subset', () => {
    const names = Array.from({ length: 12 }, (_, i) => `iris${i + 1}`);
    const nodes = names.map((n, i) => node(n, { labels: zone(i % 3 === 0 ? 'dmz' : 'core') }));
    const ads = [{ nodeSelectors: [selector({ matchLabels: { zone: 'core' } })] }];
    for (let i = 0; i < 50; i++) {
      const shared = input({ ip: `198.51.100.${i}`, nodes, advertisements: ads });
      const decisions = names.map((n) => ({ n, d: shouldAnnounce(shared, n) }));
      const winners = decisions.filter((x) => x.d.announce).map((x) => x.n);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toBe((electOwner(shared) as { owner: string }).owner);
      for (const { n, d } of decisions) {
        if (n === winners[0]) continue;
        const outside = nodes.find((x) => x.name === n)!.labels.zone === 'dmz';
        expect(d).toEqual({ announce: false, reason: outside ? 'node-not-selected' : 'not-owner' });
      }
    }
  });

  it('a speaker that is not in the node list is not selected; skips are reported to every speaker', () => {
    expect(shouldAnnounce(input(), 'stranger')).toEqual({ announce: false, reason: 'node-not-selected' });
    expect(shouldAnnounce(input({ anyReadyEndpoint: false, readyEndpointNodes: new Set() }), 'n1')).toEqual({
      announce: false,
      reason: 'no-ready-endpoint',
    });
    expect(shouldAnnounce(input({ ip: 'bad' }), 'n1')).toEqual({ announce: false, reason: 'invalid-ip' });
  });
});
