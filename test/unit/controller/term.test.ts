/**
 * The leadership term's write discipline and side outputs: once the term's signal is aborted nothing more
 * is written; a Service that vanished before its write gets no events; IPAddressPool status counters are
 * coalesced and written only when they change; the pool gauges and k8s client counters follow the work.
 */
import { describe, expect, it } from 'vitest';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { PoolStatusReporter } from '../../../src/controller/pool-status.js';
import { CONFIG_KEY } from '../../../src/controller/term.js';
import { FakeCluster, poolObject, silentLog } from './fake-cluster.js';
import { makeHarness } from './harness.js';

function cluster(): FakeCluster {
  const c = new FakeCluster();
  c.setPools(poolObject('a', ['192.0.2.0/30']), poolObject('v6', ['2001:db8::/126']));
  return c;
}

async function readyHarness(c = cluster()): Promise<ReturnType<typeof makeHarness>> {
  const h = makeHarness(c);
  h.queue.add(CONFIG_KEY);
  await h.drain();
  return h;
}

describe('leadership term', () => {
  it('writes nothing once its signal is aborted', async () => {
    const h = await readyHarness();
    h.cluster.apply('ns/late');
    h.abort.abort();
    expect(await h.term.sync('ns/late', h.abort.signal)).toBe('no-retry');
    expect(await h.term.sync(CONFIG_KEY, h.abort.signal)).toBe('no-retry');
    expect(h.cluster.recorded.writes).toEqual([]);
    expect(h.cluster.recorded.events).toEqual([]);
  });

  it('stops between the status write and its events when the term ends mid-item', async () => {
    const h = await readyHarness();
    h.cluster.apply('ns/svc');
    const patch = h.cluster.writers.services.patchStatus;
    h.cluster.writers.services.patchStatus = async (ref, update, signal) => {
      const outcome = await patch(ref, update, signal);
      h.abort.abort();
      return outcome;
    };
    expect(await h.term.sync('ns/svc', h.abort.signal)).toBe('no-retry');
    await h.term.eventsIdle();
    expect(h.cluster.recorded.writes).toHaveLength(1);
    expect(h.cluster.recorded.events).toEqual([]);
  });

  it('records no event for a Service deleted before its status write', async () => {
    const h = await readyHarness();
    h.cluster.apply('ns/gone');
    h.cluster.writers.services.patchStatus = async () => 'not-found';
    expect(await h.term.sync('ns/gone', h.abort.signal)).toBe('ok');
    await h.term.eventsIdle();
    expect(h.cluster.recorded.events).toEqual([]);
  });

  it('counts processed and failed items (metallb_k8s_client_update*)', async () => {
    const h = await readyHarness();
    h.cluster.apply('ns/a');
    h.cluster.failWrites = 2;
    h.queue.add('ns/a');
    await h.drain();
    expect((await h.metrics.updateErrors.get()).values[0]?.value).toBe(2);
    expect((await h.metrics.updates.get()).values[0]?.value).toBe(2); // the config item and ns/a
  });

  it('exposes per-pool gauges under MetalLB names', async () => {
    const h = await readyHarness();
    h.cluster.apply('ns/a');
    h.cluster.apply('ns/b', { families: ['IPv6'] });
    h.queue.add('ns/a');
    h.queue.add('ns/b');
    await h.drain();
    h.metrics.setPoolSource(() => h.term.poolCounters());
    const text = await h.metrics.registry.metrics();
    expect(text).toContain('metallb_allocator_addresses_in_use_total{pool="a"} 1');
    expect(text).toContain('metallb_allocator_ipv4_addresses_total{pool="a"} 4');
    expect(text).toContain('metallb_allocator_ipv6_addresses_in_use_total{pool="v6"} 1');
    expect(text).toContain('metallb_allocator_addresses_total{pool="v6"} 4');
    h.metrics.setPoolSource(undefined);
    expect(await h.metrics.registry.metrics()).not.toContain('pool="a"');
  });
});

describe('PoolStatusReporter', () => {
  it('writes each pool once per change of its counters', async () => {
    const h = await readyHarness();
    const signal = new AbortController().signal;
    const reporter = new PoolStatusReporter(
      () => h.term.poolCounters(),
      h.cluster.writers.pools,
      silentLog,
      0,
    );
    await reporter.flush(signal);
    expect(h.cluster.recorded.poolStatus.map((p) => p.name)).toEqual(['a', 'v6']);
    await reporter.flush(signal);
    expect(h.cluster.recorded.poolStatus).toHaveLength(2);

    h.cluster.apply('ns/a');
    h.queue.add('ns/a');
    await h.drain();
    await reporter.flush(signal);
    expect(h.cluster.recorded.poolStatus.slice(2)).toEqual([
      { name: 'a', status: { assignedIPv4: 1n, assignedIPv6: 0n, availableIPv4: 3n, availableIPv6: 0n } },
    ]);
  });

  it('run() coalesces marks and stops when aborted', async () => {
    const c = cluster();
    const h = await readyHarness(c);
    const abort = new AbortController();
    let delays = 0;
    const reporter = new PoolStatusReporter(
      () => h.term.poolCounters(),
      c.writers.pools,
      silentLog,
      10,
      async () => {
        delays++;
        return !abort.signal.aborted;
      },
    );
    const running = reporter.run(abort.signal);
    reporter.markDirty();
    reporter.markDirty();
    await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await running;
    expect(delays).toBe(1);
    expect(c.recorded.poolStatus.map((p) => p.name)).toEqual(['a', 'v6']);
  });

  it('keeps a pool dirty when its write fails', async () => {
    const h = await readyHarness();
    let fail = true;
    const reporter = new PoolStatusReporter(
      () => h.term.poolCounters(),
      {
        patchPoolStatus: async (name, status, s) => {
          if (fail && name === 'a') throw new Error('injected');
          return h.cluster.writers.pools.patchPoolStatus(name, status, s);
        },
      },
      silentLog,
      0,
    );
    const signal = new AbortController().signal;
    expect(await reporter.flush(signal)).toBe(false);
    fail = false;
    expect(await reporter.flush(signal)).toBe(true);
    expect(h.cluster.recorded.poolStatus.map((p) => p.name)).toEqual(['v6', 'a']);
  });
});

describe('ControllerMetrics', () => {
  it('uses its own registry, not the global one', async () => {
    const a = new ControllerMetrics({ processMetrics: false });
    const b = new ControllerMetrics({ processMetrics: false });
    a.updates.inc();
    expect((await b.updates.get()).values[0]?.value).toBe(0);
    expect(await a.registry.metrics()).toContain('metallb_k8s_client_updates_total 1');
  });
});
