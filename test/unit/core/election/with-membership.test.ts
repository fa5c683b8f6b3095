import { describe, expect, it } from 'vitest';
import { electOwner, type ElectionInput } from '../../../../src/core/election/index.js';
import { Simulation, liveMembers } from '../../../../src/core/membership/index.js';

/** Each speaker runs the election on its own membership view, as the speaker will. */
function ownersSeenBy(sim: Simulation, ip: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [self, node] of sim.nodes) {
    if (!node.running) continue;
    const live = new Set(liveMembers(node.state));
    const input: ElectionInput = {
      ip,
      nodes: [...sim.nodes.keys()].map((name) => ({
        name,
        labels: {},
        conditions: [],
        live: live.has(name),
      })),
      advertisements: [{ nodeSelectors: [] }],
      externalTrafficPolicy: 'Cluster',
      anyReadyEndpoint: true,
      readyEndpointNodes: new Set(),
      ignoreExcludeLb: false,
    };
    const result = electOwner(input);
    out.set(self, 'owner' in result ? result.owner : undefined);
  }
  return out;
}

describe('election on top of membership', () => {
  it.each(['192.0.2.10', '2001:db8::10', '198.51.100.77'])(
    'every speaker agrees on one owner for %s, before and after the owner dies or leaves',
    (ip) => {
      const sim = new Simulation({ nodes: 9, seed: 11 });
      sim.runUntil(1000);
      const before = new Set(ownersSeenBy(sim, ip).values());
      expect(before.size).toBe(1);
      const [owner] = [...before] as [string];
      sim.kill(owner);
      sim.runUntil(3000);
      const after = new Set(ownersSeenBy(sim, ip).values());
      expect(after.size).toBe(1);
      expect(after.has(owner)).toBe(false);
      const [second] = [...after] as [string];
      sim.leave(second);
      sim.runUntil(3010);
      const third = new Set(ownersSeenBy(sim, ip).values());
      expect(third.size).toBe(1);
      expect(third.has(second)).toBe(false);
    },
  );
});
