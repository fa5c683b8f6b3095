/**
 * planLayer2 against real Config objects (parseConfig): the owner is MetalLB's (sha256(node#firstIP),
 * checked against node:crypto and against electOwner), services sharing an IP are merged on one node,
 * ETP=Local, liveness, interfaces, advertisements' service and node selectors, the pool of the first IP,
 * interface unions and 'all', no-pool, and split-brain yields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { electOwner } from '../../../src/core/election/index.js';
import { electionNodes, planLayer2, serviceElection, type PlanInput } from '../../../src/speaker/plan.js';
import {
  BASIC,
  NODES,
  configWith,
  ipRankedFor,
  metallbRanking,
  node,
  planInput,
  readyOn,
  service,
} from './l2-fixtures.js';

/** The plan of every node for the same inputs. */
function plansOfAll(base: Omit<PlanInput, 'myNode'>) {
  return Object.fromEntries(NODES.map((n) => [n, planLayer2({ ...base, myNode: n })]));
}

function announcers(base: Omit<PlanInput, 'myNode'>, ip: string): string[] {
  const plans = plansOfAll(base);
  return NODES.filter((n) => plans[n]?.announce.has(ip));
}

describe('planLayer2: the owner is MetalLB’s', () => {
  it('is the first of sha256(node#ip) (node:crypto) and electOwner, and exactly one node announces', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: 254 }).map((i) => `192.0.2.${i}`),
          fc.integer({ min: 1, max: 0xffff }).map((i) => `2001:db8::${i.toString(16)}`),
        ),
        (ip) => {
          const svc = service('web', [ip]);
          const base = planInput({ services: [svc] });
          const want = metallbRanking(NODES, ip)[0];
          const plan = planLayer2(base);
          expect(plan.services.get('default/web')?.owner).toBe(want);
          const input = serviceElection(base, electionNodes(base, false), svc);
          expect(input && electOwner(input.election)).toEqual({ owner: want });
          expect(announcers(base, ip)).toEqual([want]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hashes only the first IP: a dual-stack service announces both families from one node', () => {
    const v4 = ipRankedFor('node-3');
    const svc = service('dual', [v4, '2001:db8::99']);
    const base = planInput({ services: [svc] });
    expect(announcers(base, v4)).toEqual(['node-3']);
    expect(announcers(base, '2001:db8::99')).toEqual(['node-3']);
  });

  it('ranks by the first IP whatever the second is', () => {
    const first = ipRankedFor('node-2');
    const base = planInput({ services: [service('a', [first, '2001:db8::1'])] });
    const other = planInput({ services: [service('a', [first, '2001:db8::2'])] });
    expect(planLayer2({ ...base, myNode: 'node-2' }).services.get('default/a')?.owner).toBe('node-2');
    expect(planLayer2({ ...other, myNode: 'node-2' }).services.get('default/a')?.owner).toBe('node-2');
  });
});

describe('planLayer2: shared IPs', () => {
  it('lands every service sharing an IP on one node and merges them into one announcement', () => {
    const ip = ipRankedFor('node-1');
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      {
        a: { interfaces: ['eth1'], serviceSelectors: [{ matchLabels: { app: 'a' } }] },
        b: { interfaces: ['eth0'], serviceSelectors: [{ matchLabels: { app: 'b' } }] },
      },
    );
    const services = [
      service('b', [ip], { labels: { app: 'b' } }),
      service('a', [ip], { labels: { app: 'a' } }),
    ];
    const base = planInput({ services, config });
    const plans = plansOfAll(base);
    for (const n of NODES) {
      expect(plans[n]?.services.get('default/a')?.owner).toBe('node-1');
      expect(plans[n]?.services.get('default/b')?.owner).toBe('node-1');
    }
    expect(plans['node-1']?.announce.get(ip)).toEqual({
      interfaces: ['eth0', 'eth1'],
      services: ['default/a', 'default/b'],
    });
    expect(plans['node-1']?.announce.size).toBe(1);
    expect(plans['node-2']?.announce.size).toBe(0);
  });

  it("merges to 'all' when one sharing service announces on every interface", () => {
    const ip = ipRankedFor('node-1');
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      {
        a: { interfaces: ['eth1'], serviceSelectors: [{ matchLabels: { app: 'a' } }] },
        b: { serviceSelectors: [{ matchLabels: { app: 'b' } }] },
      },
    );
    const services = [
      service('a', [ip], { labels: { app: 'a' } }),
      service('b', [ip], { labels: { app: 'b' } }),
    ];
    const plan = planLayer2(planInput({ services, config }));
    expect(plan.announce.get(ip)?.interfaces).toBe('all');
  });

  it('does not depend on the order of the services', () => {
    const ip = ipRankedFor('node-1');
    const services = [service('z', [ip]), service('m', [ip]), service('a', [ip])];
    const one = planLayer2(planInput({ services }));
    const two = planLayer2(planInput({ services: [...services].reverse() }));
    expect(one.announce.get(ip)?.services).toEqual(['default/a', 'default/m', 'default/z']);
    expect(two.announce).toEqual(one.announce);
  });
});

describe('planLayer2: endpoints and externalTrafficPolicy', () => {
  it('ETP=Local elects only among nodes with a ready endpoint', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const svc = service('local', [ip], { externalTrafficPolicy: 'Local' });
    const onlyThree = planInput({ services: [svc], endpoints: readyOn([svc], ['node-3']) });
    expect(announcers(onlyThree, ip)).toEqual(['node-3']);
    const twoAndThree = planInput({ services: [svc], endpoints: readyOn([svc], ['node-2', 'node-3']) });
    expect(announcers(twoAndThree, ip)).toEqual(['node-2']);
    const all = planInput({ services: [svc], endpoints: readyOn([svc], [...NODES]) });
    expect(announcers(all, ip)).toEqual(['node-1']);
  });

  it('ETP=Local with no ready endpoint announces nothing', () => {
    const ip = ipRankedFor('node-1');
    const svc = service('local', [ip], { externalTrafficPolicy: 'Local' });
    const none = planInput({
      services: [svc],
      endpoints: new Map([[svc.key, { anyReady: false, readyNodes: new Set<string>() }]]),
    });
    expect(announcers(none, ip)).toEqual([]);
    expect(planLayer2(none).services.get(svc.key)?.skip).toBe('no-ready-endpoint');
    // Ready somewhere, but on no node: nobody is a candidate.
    const nameless = planInput({ services: [svc], endpoints: readyOn([svc], []) });
    expect(announcers(nameless, ip)).toEqual([]);
    expect(planLayer2(nameless).services.get(svc.key)?.skip).toBe('no-candidate');
  });

  it('ETP=Cluster announces from the hash winner wherever the endpoint is, and nothing without one', () => {
    const ip = ipRankedFor('node-1');
    const svc = service('c', [ip]);
    expect(announcers(planInput({ services: [svc], endpoints: readyOn([svc], ['node-3']) }), ip)).toEqual([
      'node-1',
    ]);
    const missing = planInput({ services: [svc], endpoints: new Map() });
    expect(announcers(missing, ip)).toEqual([]);
    expect(planLayer2(missing).services.get(svc.key)?.skip).toBe('no-ready-endpoint');
  });
});

describe('planLayer2: which nodes are candidates', () => {
  it('a node without interfaces is not eligible: the next one in the ranking owns it in its own view', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const base = planInput({ services: [service('w', [ip])] });
    const down = planLayer2({ ...base, myInterfacesUp: false });
    expect(down.announce.size).toBe(0);
    expect(down.services.get('default/w')?.owner).toBe('node-2');
    expect(
      planLayer2({ ...base, myNode: 'node-2', myInterfacesUp: false }).services.get('default/w')?.owner,
    ).toBe('node-1');
  });

  it('a node missing from the live set is not a candidate; live=undefined counts every node', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const svc = service('w', [ip]);
    expect(announcers(planInput({ services: [svc], live: undefined }), ip)).toEqual(['node-1']);
    expect(announcers(planInput({ services: [svc], live: new Set(['node-2', 'node-3']) }), ip)).toEqual([
      'node-2',
    ]);
    const alone = planInput({ services: [svc], live: new Set(['node-3']) });
    expect(announcers(alone, ip)).toEqual(['node-3']);
    const nobody = planInput({ services: [svc], live: new Set<string>() });
    expect(announcers(nobody, ip)).toEqual([]);
    expect(planLayer2({ ...nobody, myNode: 'node-1' }).services.get(svc.key)?.skip).toBe('no-candidate');
  });

  it('a node labelled exclude-from-external-load-balancers is skipped unless ignoreExcludeLb', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const nodes = [
      node('node-1', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }),
      node('node-2'),
      node('node-3'),
    ];
    const svc = service('w', [ip]);
    expect(announcers(planInput({ services: [svc], nodes }), ip)).toEqual(['node-2']);
    expect(announcers(planInput({ services: [svc], nodes, ignoreExcludeLb: true }), ip)).toEqual(['node-1']);
  });

  it('a node without a Node object never announces', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const nodes = [node('node-2'), node('node-3')];
    const plan = planLayer2(planInput({ services: [service('w', [ip])], nodes }));
    expect(plan.announce.size).toBe(0);
    expect(plan.services.get('default/w')?.owner).toBe('node-2');
  });
});

describe('planLayer2: L2Advertisements', () => {
  it('serviceSelectors: only matching services are announced', () => {
    const ip = ipRankedFor('node-1');
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      { web: { serviceSelectors: [{ matchLabels: { tier: 'web' } }] } },
    );
    const web = service('web', [ip], { labels: { tier: 'web' } });
    const db = service('db', [ipRankedFor('node-1', 'node-3')], { labels: { tier: 'db' } });
    const plan = planLayer2(planInput({ services: [web, db], config }));
    expect([...plan.announce.keys()]).toEqual([ip]);
    expect(plan.services.get(db.key)?.skip).toBe('no-advertisement');
  });

  it('serviceSelectors never apply to a Service that shares its IP (MetalLB)', () => {
    const ip = ipRankedFor('node-1');
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      { web: { serviceSelectors: [{ matchLabels: { tier: 'web' } }] } },
    );
    const shared = service('web', [ip], { labels: { tier: 'web' }, sharingKey: 'k' });
    const plan = planLayer2(planInput({ services: [shared], config }));
    expect(plan.announce.size).toBe(0);
    expect(plan.services.get(shared.key)?.skip).toBe('no-advertisement');
    const open = configWith({ p: ['192.0.2.0/24'] }, { all: {} });
    expect(planLayer2(planInput({ services: [shared], config: open })).announce.has(ip)).toBe(true);
  });

  it('nodeSelectors: only selected nodes are candidates; the others announce nothing', () => {
    const ip = ipRankedFor('node-1', 'node-2');
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      { b: { nodeSelectors: [{ matchLabels: { zone: 'b' } }] } },
    );
    const nodes = [
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      node('node-3', { zone: 'b' }),
    ];
    const base = planInput({ services: [service('w', [ip])], config, nodes });
    expect(announcers(base, ip)).toEqual(['node-2']);
    expect(planLayer2(base).services.get('default/w')?.owner).toBe('node-2');
  });

  it('only advertisements covering the pool of the first IP count', () => {
    const config = configWith(
      { p: ['192.0.2.0/24'], q: ['198.51.100.0/24'] },
      { 'only-p': { pools: ['p'], interfaces: ['eth0'] } },
    );
    const inQ = planInput({
      services: [service('q', ['198.51.100.9'])],
      config,
      nodes: [node('node-1')],
    });
    expect(planLayer2(inQ).services.get('default/q')?.skip).toBe('no-advertisement');
    const inP = planInput({ services: [service('p', ['192.0.2.9'])], config, nodes: [node('node-1')] });
    expect(planLayer2(inP).announce.get('192.0.2.9')?.interfaces).toEqual(['eth0']);
  });

  it('an IP in no pool is skipped as no-pool', () => {
    const plan = planLayer2(
      planInput({ services: [service('x', ['203.0.113.5'])], nodes: [node('node-1')] }),
    );
    expect(plan.services.get('default/x')).toMatchObject({ skip: 'no-pool', owner: undefined });
    expect(plan.announce.size).toBe(0);
  });

  it('unions the interfaces of the advertisements that select this node', () => {
    const config = configWith(
      { p: ['192.0.2.0/24'] },
      {
        a: { interfaces: ['eth1'] },
        b: { interfaces: ['eth0', 'eth1'] },
        other: { interfaces: ['eth9'], nodeSelectors: [{ matchLabels: { zone: 'z' } }] },
      },
    );
    const plan = planLayer2(
      planInput({ services: [service('w', ['192.0.2.5'])], config, nodes: [node('node-1')] }),
    );
    expect(plan.announce.get('192.0.2.5')?.interfaces).toEqual(['eth0', 'eth1']);
    expect(plan.services.get('default/w')?.interfaces).toEqual(['eth0', 'eth1']);
  });

  it("is 'all' when an advertisement selecting this node lists no interface", () => {
    const config = configWith({ p: ['192.0.2.0/24'] }, { a: { interfaces: ['eth1'] }, every: {} });
    const plan = planLayer2(
      planInput({ services: [service('w', ['192.0.2.5'])], config, nodes: [node('node-1')] }),
    );
    expect(plan.announce.get('192.0.2.5')?.interfaces).toBe('all');
  });
});

describe('planLayer2: split-brain yields', () => {
  it('a yielded address is not announced by its owner, and only that one', () => {
    const ip = ipRankedFor('node-1');
    const other = ipRankedFor('node-1', 'node-3');
    const services = [service('a', [ip]), service('b', [other])];
    const yields = new Map([[ip, 'node-2']]);
    const plan = planLayer2(planInput({ services, yields }));
    expect(plan.services.get('default/a')).toMatchObject({
      owner: 'node-1',
      skip: 'yielded',
      interfaces: undefined,
    });
    expect([...plan.announce.keys()]).toEqual([other]);
  });

  it('the yielding owner stays silent, and the winner it yielded to still follows the election', () => {
    const ip = ipRankedFor('node-2');
    const yields = new Map([[ip, 'node-3']]);
    const plan = planLayer2(planInput({ services: [service('a', [ip])], yields, myNode: 'node-2' }));
    expect(plan.announce.has(ip)).toBe(false);
    const mine = planLayer2(planInput({ services: [service('a', [ip])], yields, myNode: 'node-3' }));
    expect(mine.announce.has(ip)).toBe(false);
    expect(mine.services.get('default/a')?.owner).toBe('node-2');
  });
});

describe('planLayer2: basics', () => {
  it('BASIC covers IPv6 too', () => {
    const ip = '2001:db8::42';
    const owner = metallbRanking(NODES, ip)[0];
    const plan = planLayer2(planInput({ services: [service('v6', [ip])], config: BASIC(), myNode: owner }));
    expect(plan.announce.get(ip)).toEqual({ interfaces: 'all', services: ['default/v6'] });
  });
});
