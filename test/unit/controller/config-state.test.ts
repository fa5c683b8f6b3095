/**
 * Configuration handling: a bad snapshot is rejected whole (an Event per offending object, a summary
 * naming every error, config_stale), the last good Config keeps serving, nothing is withdrawn; without
 * any good Config the controller touches no Service and is not ready; events and summaries are produced
 * only when they change.
 */
import { describe, expect, it } from 'vitest';
import { ConfigState, samePools } from '../../../src/controller/config-state.js';
import { CONFIG_KEY } from '../../../src/controller/term.js';
import { parseConfig } from '../../../src/config/index.js';
import { FakeCluster, NS, poolObject } from './fake-cluster.js';
import { makeHarness } from './harness.js';

const GOOD = [poolObject('a', ['192.0.2.0/29'])];
const BAD = [
  poolObject('a', ['192.0.2.0/29']),
  poolObject('b', ['nonsense']),
  poolObject('c', ['192.0.2.4/30']),
];

describe('ConfigState', () => {
  it('rejects a bad snapshot whole and keeps the last good Config', () => {
    const state = new ConfigState(NS);
    const first = state.evaluate({ ipAddressPools: GOOD });
    expect(first.outcome).toMatchObject({ kind: 'valid', poolsChanged: true });
    expect(first.report).toMatchObject({ result: 'Valid' });
    const good = state.config;

    const bad = state.evaluate({ ipAddressPools: BAD });
    expect(bad.outcome).toMatchObject({ kind: 'invalid', stale: true });
    expect(state.config).toBe(good);
    expect(state.stale).toBe(true);
    const errors = bad.outcome.kind === 'invalid' ? bad.outcome.errors : [];
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(bad.report?.result).toBe('Invalid');
    expect(bad.report?.errors).toHaveLength(errors.length);
    for (const e of errors) expect(bad.report?.summary).toContain(e.name);
    expect(bad.events.map((e) => e.ref.name).sort()).toEqual([...new Set(errors.map((e) => e.name))].sort());
    expect(
      bad.events.every((e) => e.event.type === 'Warning' && e.event.reason === 'InvalidConfiguration'),
    ).toBe(true);
  });

  it('repeats neither events nor the summary while nothing changes', () => {
    const state = new ConfigState(NS);
    state.evaluate({ ipAddressPools: BAD });
    const again = state.evaluate({ ipAddressPools: BAD });
    expect(again.events).toEqual([]);
    expect(again.report).toBeUndefined();
    state.unpublish();
    expect(state.evaluate({ ipAddressPools: BAD }).report?.result).toBe('Invalid');
  });

  it('says "no configuration is loaded" when nothing good was ever seen', () => {
    const state = new ConfigState(NS);
    const bad = state.evaluate({ ipAddressPools: BAD });
    expect(bad.outcome).toMatchObject({ kind: 'invalid', stale: false });
    expect(bad.events[0]?.event.message).toContain('no configuration is loaded');
    expect(state.loaded).toBe(false);
  });

  it('reports unchanged pools as unchanged (a peer edit does not re-evaluate addresses)', () => {
    const state = new ConfigState(NS);
    state.evaluate({ ipAddressPools: GOOD });
    const same = state.evaluate({ ipAddressPools: structuredClone(GOOD) });
    expect(same.outcome).toMatchObject({ kind: 'valid', poolsChanged: false });
  });

  it('samePools compares ranges and flags', () => {
    const parse = (pools: unknown[]): ReturnType<typeof parseConfig> =>
      parseConfig({ ipAddressPools: pools }, { namespace: NS });
    const a = parse(GOOD);
    const b = parse([poolObject('a', ['192.0.2.0/29'], { autoAssign: false })]);
    const c = parse([poolObject('a', ['192.0.2.0/28'])]);
    if (!a.ok || !b.ok || !c.ok) throw new Error('fixtures must parse');
    expect(samePools(a.config.pools, a.config.pools)).toBe(true);
    expect(samePools(a.config.pools, b.config.pools)).toBe(false);
    expect(samePools(a.config.pools, c.config.pools)).toBe(false);
  });
});

describe('configuration in a leadership term', () => {
  it('without any good Config nothing is touched and the term is not ready', async () => {
    const c = new FakeCluster();
    c.setPools(...BAD);
    c.apply('ns/held', {}, { ips: ['192.0.2.1'], pool: 'a', condition: undefined });
    c.apply('ns/new');
    const h = makeHarness(c);
    h.queue.add(CONFIG_KEY);
    h.queue.add('ns/new');
    await h.drain();
    expect(h.term.ready).toBe(false);
    expect(c.recorded.writes).toEqual([]);
    expect(c.recorded.events).toEqual([]);
    expect(c.recorded.reports.at(-1)?.result).toBe('Invalid');
    expect((await h.metrics.configLoaded.get()).values[0]?.value).toBe(0);

    c.setPools(...GOOD);
    h.queue.add(CONFIG_KEY);
    await h.drain();
    expect(h.term.ready).toBe(true);
    expect(c.current('ns/held')?.ips).toEqual(['192.0.2.1']);
    expect(c.current('ns/new')?.ips).toEqual(['192.0.2.0']);
    expect((await h.metrics.configLoaded.get()).values[0]?.value).toBe(1);
  });

  it('a term that starts while the config is bad serves the last good Config it knows', async () => {
    const c = new FakeCluster();
    const state = new ConfigState(NS);
    state.evaluate({ ipAddressPools: GOOD });
    c.setPools(...BAD);
    c.apply('ns/svc');
    const h = makeHarness(c, state);
    h.queue.add(CONFIG_KEY);
    await h.drain();
    expect(h.term.ready).toBe(true);
    expect(c.current('ns/svc')?.ips).toEqual(['192.0.2.0']);
    expect((await h.metrics.configStale.get()).values[0]?.value).toBe(1);
  });

  it('a failed summary write is retried', async () => {
    const c = new FakeCluster();
    c.setPools(...GOOD);
    const h = makeHarness(c);
    let failures = 1;
    const report = c.writers.config.report;
    c.writers.config.report = async (r, s) => {
      if (failures-- > 0) throw new Error('injected');
      return report(r, s);
    };
    h.queue.add(CONFIG_KEY);
    const results = await h.drain();
    expect(results.map((r) => r.result)).toEqual(['retry', 'ok']);
    expect(c.recorded.reports.map((r) => r.result)).toEqual(['Valid']);
  });
});
