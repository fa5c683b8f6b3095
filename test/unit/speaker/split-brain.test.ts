/**
 * Split-brain policy: decideConflict ranks both claimants with every node live (the healed view) and
 * makes only the lower-ranked one yield; unknown MACs and non-candidates never make a node yield.
 * activeYields keeps a yield only while the winner is still out of membership, Ready, and announcing.
 * The announcing-MACs annotation round-trips and tolerates garbage.
 */
import { describe, expect, it } from 'vitest';
import { electionNodes, serviceElection, type PlanInput } from '../../../src/speaker/plan.js';
import {
  activeYields,
  decideConflict,
  formatAnnouncingMacs,
  parseAnnouncingMacs,
} from '../../../src/speaker/split-brain.js';
import { configWith, ipRankedFor, node, planInput, readyOn, service } from './l2-fixtures.js';

/** The healed-view election for `svc` as Layer2Controller builds it. */
function healed(input: PlanInput, svcIndex = 0) {
  const svc = input.services[svcIndex];
  if (svc === undefined) throw new Error('no service');
  const elected = serviceElection(input, electionNodes(input, true), svc);
  if (elected === undefined) throw new Error('no pool');
  return elected.election;
}

describe('decideConflict', () => {
  // node-1 ranks first, node-2 second, node-3 last for this address.
  const ip = ipRankedFor('node-1', 'node-2');

  it('the lower-ranked node yields to the higher-ranked claimant', () => {
    // node-2 only sees itself live (partition), so it announces; it then sees node-1's MAC.
    const input = planInput({ services: [service('w', [ip])], myNode: 'node-2', live: new Set(['node-2']) });
    expect(decideConflict({ myNode: 'node-2', claimant: 'node-1', election: healed(input) })).toEqual({
      action: 'yield',
      winner: 'node-1',
    });
    expect(decideConflict({ myNode: 'node-3', claimant: 'node-2', election: healed(input) })).toEqual({
      action: 'yield',
      winner: 'node-2',
    });
  });

  it('the higher-ranked node keeps the address', () => {
    const input = planInput({ services: [service('w', [ip])], live: new Set(['node-1']) });
    expect(decideConflict({ myNode: 'node-1', claimant: 'node-2', election: healed(input) })).toEqual({
      action: 'keep',
      reason: 'claimant-ranks-lower',
      claimant: 'node-2',
    });
  });

  it('an unknown MAC (or this node’s own) never makes it yield', () => {
    const input = planInput({ services: [service('w', [ip])], myNode: 'node-3' });
    const election = healed(input);
    expect(decideConflict({ myNode: 'node-3', claimant: undefined, election })).toEqual({
      action: 'keep',
      reason: 'unknown-claimant',
      claimant: undefined,
    });
    expect(decideConflict({ myNode: 'node-3', claimant: 'node-3', election })).toMatchObject({
      action: 'keep',
      reason: 'unknown-claimant',
    });
  });

  it('a claimant that is not a candidate (not selected, no local endpoint) does not win', () => {
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      { a: { nodeSelectors: [{ matchLabels: { l2: 'yes' } }] } },
    );
    const nodes = [node('node-1'), node('node-2', { l2: 'yes' }), node('node-3', { l2: 'yes' })];
    const input = planInput({ services: [service('w', [ip])], myNode: 'node-2', config, nodes });
    expect(decideConflict({ myNode: 'node-2', claimant: 'node-1', election: healed(input) })).toEqual({
      action: 'keep',
      reason: 'claimant-not-candidate',
      claimant: 'node-1',
    });
    const local = service('l', [ip], { externalTrafficPolicy: 'Local' });
    const etp = planInput({ services: [local], myNode: 'node-2', endpoints: readyOn([local], ['node-2']) });
    expect(decideConflict({ myNode: 'node-2', claimant: 'node-1', election: healed(etp) })).toMatchObject({
      action: 'keep',
      reason: 'claimant-not-candidate',
    });
  });

  it('keeps when nobody would announce in the healed view (the ranking is skipped)', () => {
    const svc = service('w', [ip]);
    const input = planInput({
      services: [svc],
      myNode: 'node-2',
      endpoints: new Map([[svc.key, { anyReady: false, readyNodes: new Set<string>() }]]),
    });
    expect(decideConflict({ myNode: 'node-2', claimant: 'node-1', election: healed(input) })).toMatchObject({
      action: 'keep',
      reason: 'claimant-not-candidate',
    });
  });

  it('yields when this node is not a candidate itself (its interfaces are gone)', () => {
    const input = planInput({ services: [service('w', [ip])], myNode: 'node-1', myInterfacesUp: false });
    expect(decideConflict({ myNode: 'node-1', claimant: 'node-3', election: healed(input) })).toEqual({
      action: 'yield',
      winner: 'node-3',
    });
  });
});

describe('activeYields', () => {
  const ready = new Set(['node-1', 'node-2', 'node-3']);
  const announcing = new Map([['node-1', new Set(['192.0.2.7'])]]);
  const yields = new Map([['192.0.2.7', 'node-1']]);

  it('holds while the winner is out of membership, Ready and announcing', () => {
    const out = activeYields(yields, {
      live: new Set(['node-2']),
      readyNodes: ready,
      announcedBy: announcing,
    });
    expect([...out]).toEqual([['192.0.2.7', 'node-1']]);
  });

  it('is dropped when the winner is live again (the election decides)', () => {
    const out = activeYields(yields, {
      live: new Set(['node-1', 'node-2']),
      readyNodes: ready,
      announcedBy: announcing,
    });
    expect(out.size).toBe(0);
  });

  it('is dropped without membership (every node counts as live)', () => {
    expect(activeYields(yields, { live: undefined, readyNodes: ready, announcedBy: announcing }).size).toBe(
      0,
    );
  });

  it('is dropped when the winner’s Node is not Ready', () => {
    const out = activeYields(yields, {
      live: new Set(['node-2']),
      readyNodes: new Set(['node-2', 'node-3']),
      announcedBy: announcing,
    });
    expect(out.size).toBe(0);
  });

  it('is dropped when the winner stops announcing that address', () => {
    const live = new Set(['node-2']);
    expect(activeYields(yields, { live, readyNodes: ready, announcedBy: new Map() }).size).toBe(0);
    const elsewhere = new Map([['node-1', new Set(['192.0.2.8'])]]);
    expect(activeYields(yields, { live, readyNodes: ready, announcedBy: elsewhere }).size).toBe(0);
  });

  it('judges every yield on its own', () => {
    const two = new Map([
      ['192.0.2.7', 'node-1'],
      ['192.0.2.9', 'node-3'],
    ]);
    const out = activeYields(two, {
      live: new Set(['node-2', 'node-3']),
      readyNodes: ready,
      announcedBy: new Map([
        ['node-1', new Set(['192.0.2.7'])],
        ['node-3', new Set(['192.0.2.9'])],
      ]),
    });
    expect([...out]).toEqual([['192.0.2.7', 'node-1']]);
  });
});

describe('announcing-MACs annotation', () => {
  it('round-trips, lower-cased', () => {
    const text = formatAnnouncingMacs([
      { name: 'eth0', mac: 'AA:BB:CC:DD:EE:01' },
      { name: 'eth1.100', mac: '02:00:00:00:00:02' },
    ]);
    expect(text).toBe('eth0=aa:bb:cc:dd:ee:01,eth1.100=02:00:00:00:00:02');
    expect(parseAnnouncingMacs(text)).toEqual(['aa:bb:cc:dd:ee:01', '02:00:00:00:00:02']);
    expect(formatAnnouncingMacs([])).toBe('');
  });

  it('skips malformed entries and accepts absence', () => {
    expect(parseAnnouncingMacs(undefined)).toEqual([]);
    expect(parseAnnouncingMacs('')).toEqual([]);
    expect(
      parseAnnouncingMacs('eth0=zz:bb:cc:dd:ee:ff, eth1 = AA:BB:CC:DD:EE:FF ,eth2=aa:bb:cc:dd:ee,eth3=,junk'),
    ).toEqual(['aa:bb:cc:dd:ee:ff']);
  });

  it('reads the MAC after the last "=" (an interface name may contain one)', () => {
    expect(parseAnnouncingMacs('we=ird=aa:bb:cc:dd:ee:ff')).toEqual(['aa:bb:cc:dd:ee:ff']);
  });
});
