import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MEMBERSHIP_CONFIG,
  Simulation,
  liveMembers,
  simNodeName,
  type Observation,
} from '../../../../src/core/membership/index.js';

const C = DEFAULT_MEMBERSHIP_CONFIG;
/**
 * Worst case with the ring: probed within two periods of the death (the prober of the current period may
 * have probed just before it; the next one may have the largest phase), then both probe timeouts, then
 * the suspicion timeout.
 */
const DETECTION_BOUND = 2 * C.probeIntervalMs + C.probeTimeoutMs + C.indirectTimeoutMs + C.suspicionTimeoutMs;

function about(sim: Simulation, victim: string, type: Observation['action']['type']): Observation[] {
  return sim.observations.filter((o) => o.action.type === type && o.action.name === victim);
}

describe('membership simulation (N reducers, simulated network and clock)', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'a killed node is declared down by every live node, once each, within the bound (seed %i)',
    (seed) => {
      const sim = new Simulation({ nodes: 8, seed, encode: true });
      sim.runUntil(2000);
      expect(sim.observations).toEqual([]);
      const victim = simNodeName(seed % 8);
      sim.kill(victim);
      sim.runUntil(5000);
      const downs = about(sim, victim, 'memberDown');
      expect(downs.map((o) => o.node).sort()).toEqual(
        Array.from({ length: 8 }, (_, i) => simNodeName(i)).filter((n) => n !== victim),
      );
      for (const o of downs) expect(o.at - 2000).toBeLessThanOrEqual(DETECTION_BOUND + 20);
      expect(sim.observations.filter((o) => o.action.type !== 'memberDown')).toEqual([]);
      for (const [name, node] of sim.nodes) {
        if (name !== victim) expect(liveMembers(node.state)).not.toContain(victim);
      }
    },
  );

  it('a graceful leave is known everywhere within a few milliseconds, with no memberDown', () => {
    const sim = new Simulation({ nodes: 8, seed: 2 });
    sim.runUntil(1000);
    sim.leave(simNodeName(5));
    sim.runUntil(1010);
    expect(about(sim, simNodeName(5), 'memberLeft')).toHaveLength(7);
    sim.runUntil(4000);
    expect(about(sim, simNodeName(5), 'memberDown')).toEqual([]);
  });

  it('no false memberDown under 2% loss and jittery latency', () => {
    const sim = new Simulation({ nodes: 10, seed: 3, lossRate: 0.02, latencyMs: { min: 0.2, max: 20 } });
    sim.runUntil(30_000);
    expect(sim.observations.filter((o) => o.action.type === 'memberDown')).toEqual([]);
  });

  it('a node that restarts with a higher incarnation is up again everywhere', () => {
    const sim = new Simulation({ nodes: 6, seed: 4 });
    sim.runUntil(1000);
    const victim = simNodeName(2);
    sim.kill(victim);
    sim.runUntil(3000);
    expect(about(sim, victim, 'memberDown')).toHaveLength(5);
    sim.restart(victim, 1_000);
    sim.runUntil(5000);
    expect(about(sim, victim, 'memberUp')).toHaveLength(5);
    for (const node of sim.nodes.values()) expect(liveMembers(node.state)).toHaveLength(6);
  });

  it('two simultaneous deaths (including a ring neighbour) are both detected', () => {
    const sim = new Simulation({ nodes: 12, seed: 5 });
    sim.runUntil(1000);
    const ring = sim.nodes.get(simNodeName(0))!.state.ring;
    const [x, y] = [ring[3]!, ring[4]!];
    sim.kill(x);
    sim.kill(y);
    sim.runUntil(4000);
    expect(about(sim, x, 'memberDown')).toHaveLength(10);
    expect(about(sim, y, 'memberDown')).toHaveLength(10);
  });

  it('steady-state message rate per node is about two per probe period', () => {
    const sim = new Simulation({ nodes: 50, seed: 6 });
    sim.runUntil(1000);
    const before = sim.totalSent();
    sim.runUntil(11_000);
    const perNodePerSecond = (sim.totalSent() - before) / 50 / 10;
    const expected = 2 * (1000 / C.probeIntervalMs);
    expect(perNodePerSecond).toBeGreaterThan(expected * 0.9);
    expect(perNodePerSecond).toBeLessThan(expected * 1.1);
  });

  it('after a partition heals, both sides see everyone up again', () => {
    const sim = new Simulation({ nodes: 10, seed: 7 });
    sim.runUntil(1000);
    const left = [0, 1, 2, 3].map(simNodeName);
    sim.split(left);
    sim.runUntil(4000);
    for (const [name, node] of sim.nodes)
      expect(liveMembers(node.state)).toHaveLength(left.includes(name) ? 4 : 6);
    sim.heal();
    sim.runUntil(4000 + 3 * C.deadProbeIntervalMs);
    for (const node of sim.nodes.values()) expect(liveMembers(node.state)).toHaveLength(10);
  });
});
