/**
 * WorkQueue semantics with a fake clock: coalescing, FIFO, one in-flight item per key, concurrency,
 * SyncResult handling (retry backoff and its reset, no-retry, reprocess-all, throws), forget, addAfter,
 * idle and shutdown with and without draining.
 */
import { describe, expect, it } from 'vitest';
import { WorkQueue, type SyncResult } from '../../../src/k8s/index.js';
import { FakeClock } from '../../fakes/clock.js';
import { deferred, flush } from './helpers.js';

function recorder(results: Record<string, SyncResult[]> = {}) {
  const calls: string[] = [];
  const handler = (key: string): SyncResult => {
    calls.push(key);
    return results[key]?.shift() ?? 'ok';
  };
  return { calls, handler };
}

describe('WorkQueue coalescing and order', () => {
  it('merges repeated adds of a waiting key and keeps FIFO order', async () => {
    const { calls, handler } = recorder();
    const q = new WorkQueue({ handler, clock: new FakeClock() });
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) q.add(k);
    expect(q.length).toBe(3);
    q.start();
    await q.idle();
    expect(calls).toEqual(['a', 'b', 'c']);
  });

  it('does not process before start()', async () => {
    const { calls, handler } = recorder();
    const q = new WorkQueue({ handler, clock: new FakeClock() });
    q.add('a');
    await flush();
    expect(calls).toEqual([]);
    q.start();
    await q.idle();
    expect(calls).toEqual(['a']);
  });
});

describe('WorkQueue one in-flight item per key', () => {
  it('an add during processing re-queues the key once, after the handler returns', async () => {
    const gate = deferred<SyncResult>();
    let running = 0;
    let maxRunning = 0;
    const calls: string[] = [];
    const q = new WorkQueue({
      clock: new FakeClock(),
      concurrency: 4,
      handler: async (key) => {
        calls.push(key);
        running++;
        maxRunning = Math.max(maxRunning, running);
        const result = calls.length === 1 ? await gate.promise : 'ok';
        running--;
        return result;
      },
    });
    q.start();
    q.add('a');
    await flush();
    q.add('a');
    q.add('a');
    await flush();
    expect(calls).toEqual(['a']);
    expect(q.stats().inFlight).toBe(1);
    gate.resolve('ok');
    await q.idle();
    expect(calls).toEqual(['a', 'a']);
    expect(maxRunning).toBe(1);
  });

  it('processes different keys concurrently up to the limit', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<SyncResult>>>();
    const started: string[] = [];
    const q = new WorkQueue({
      clock: new FakeClock(),
      concurrency: 2,
      handler: (key) => {
        started.push(key);
        const d = deferred<SyncResult>();
        gates.set(key, d);
        return d.promise;
      },
    });
    q.start();
    ['a', 'b', 'c'].forEach((k) => q.add(k));
    await flush();
    expect(started).toEqual(['a', 'b']);
    gates.get('b')!.resolve('ok');
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('a')!.resolve('ok');
    gates.get('c')!.resolve('ok');
    await q.idle();
  });

  it('rejects a concurrency below 1', () => {
    expect(() => new WorkQueue({ handler: () => 'ok', concurrency: 0 })).toThrow(RangeError);
  });
});

describe('WorkQueue results', () => {
  it("'retry' requeues after a per-key exponential backoff that resets on success", async () => {
    const clock = new FakeClock();
    const { calls, handler } = recorder({ a: ['retry', 'retry', 'retry', 'ok', 'retry', 'ok'] });
    const q = new WorkQueue({ handler, clock, backoff: { initialMs: 100, maxMs: 300 } });
    q.start();
    q.add('a');
    await flush();
    expect(calls.length).toBe(1);
    expect(q.failures('a')).toBe(1);
    await clock.advanceAsync(99);
    expect(calls.length).toBe(1);
    await clock.advanceAsync(1);
    expect(calls.length).toBe(2);
    await clock.advanceAsync(199);
    expect(calls.length).toBe(2);
    await clock.advanceAsync(1);
    expect(calls.length).toBe(3);
    expect(q.failures('a')).toBe(3);
    // capped at maxMs (would be 400)
    await clock.advanceAsync(299);
    expect(calls.length).toBe(3);
    await clock.advanceAsync(1);
    expect(calls.length).toBe(4);
    expect(q.failures('a')).toBe(0);
    q.add('a');
    await flush();
    expect(calls.length).toBe(5);
    await clock.advanceAsync(100);
    expect(calls.length).toBe(6);
    expect(q.stats().retries).toBe(4);
  });

  it('a throwing handler is reported and retried', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const q = new WorkQueue({
      clock,
      handler: () => {
        if (n++ === 0) throw new Error('boom');
        return 'ok';
      },
      onError: (_key, err) => errors.push(err),
    });
    q.start();
    q.add('a');
    await flush();
    expect(errors).toHaveLength(1);
    expect(q.failures('a')).toBe(1);
    await clock.advanceAsync(100);
    expect(n).toBe(2);
    expect(q.failures('a')).toBe(0);
  });

  it("'no-retry' drops the key and its failures", async () => {
    const clock = new FakeClock();
    const { calls, handler } = recorder({ a: ['retry', 'no-retry'] });
    const q = new WorkQueue({ handler, clock });
    q.start();
    q.add('a');
    await flush();
    await clock.advanceAsync(100);
    expect(calls).toEqual(['a', 'a']);
    expect(q.failures('a')).toBe(0);
    await clock.advanceAsync(100_000);
    expect(calls).toEqual(['a', 'a']);
    expect(clock.pending()).toEqual([]);
  });

  it("'reprocess-all' adds every key from the provider, in its order", async () => {
    const { calls, handler } = recorder({ x: ['reprocess-all'] });
    const q = new WorkQueue({ handler, clock: new FakeClock(), reprocessAll: () => ['c', 'a', 'x', 'b'] });
    q.start();
    q.add('x');
    await q.idle();
    expect(calls).toEqual(['x', 'c', 'a', 'x', 'b']);
  });

  it('an add while retrying runs the key at once and supersedes the delayed retry', async () => {
    const clock = new FakeClock();
    const gate = deferred<SyncResult>();
    const calls: string[] = [];
    const q = new WorkQueue({
      clock,
      handler: (key) => {
        calls.push(key);
        return calls.length === 1 ? gate.promise : 'ok';
      },
    });
    q.start();
    q.add('a');
    await flush();
    q.add('a');
    gate.resolve('retry');
    await q.idle();
    expect(calls).toEqual(['a', 'a']);
    expect(q.stats().delayed).toBe(0);
    await clock.advanceAsync(10_000);
    expect(calls).toEqual(['a', 'a']);
  });
});

describe('WorkQueue delays and forget', () => {
  it('forget cancels a pending retry and resets the failures', async () => {
    const clock = new FakeClock();
    const { calls, handler } = recorder({ a: ['retry'] });
    const q = new WorkQueue({ handler, clock });
    q.start();
    q.add('a');
    await flush();
    expect(q.stats().delayed).toBe(1);
    q.forget('a');
    expect(q.failures('a')).toBe(0);
    await clock.advanceAsync(1000);
    expect(calls).toEqual(['a']);
  });

  it('addAfter keeps the earliest due time for a key', async () => {
    const clock = new FakeClock();
    const { calls, handler } = recorder();
    const q = new WorkQueue({ handler, clock });
    q.start();
    q.addAfter('a', 500);
    q.addAfter('a', 900);
    q.addAfter('a', 200);
    await clock.advanceAsync(199);
    expect(calls).toEqual([]);
    await clock.advanceAsync(1);
    expect(calls).toEqual(['a']);
    await clock.advanceAsync(1000);
    expect(calls).toEqual(['a']);
  });
});

describe('WorkQueue shutdown', () => {
  it('drains queued keys, then ignores adds and cancels delayed retries', async () => {
    const clock = new FakeClock();
    const { calls, handler } = recorder({ r: ['retry'] });
    const q = new WorkQueue({ handler, clock });
    q.add('r');
    q.start();
    await flush();
    q.add('a');
    q.add('b');
    const done = q.shutdown();
    q.add('c');
    await done;
    expect(calls).toEqual(['r', 'a', 'b']);
    expect(q.closed).toBe(true);
    expect(clock.pending()).toEqual([]);
  });

  it('without drain drops the queue and aborts the in-flight handler', async () => {
    const calls: string[] = [];
    let sawAbort = false;
    const q = new WorkQueue({
      clock: new FakeClock(),
      handler: (key, signal) =>
        new Promise<SyncResult>((resolve) => {
          calls.push(key);
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve('ok');
          });
        }),
    });
    q.start();
    q.add('a');
    q.add('b');
    await flush();
    await q.shutdown({ drain: false });
    expect(calls).toEqual(['a']);
    expect(sawAbort).toBe(true);
  });

  it('an aborted drain signal stops draining', async () => {
    const gate = deferred<SyncResult>();
    const calls: string[] = [];
    const q = new WorkQueue({
      clock: new FakeClock(),
      handler: (key, signal) => {
        calls.push(key);
        signal.addEventListener('abort', () => gate.resolve('ok'));
        return gate.promise;
      },
    });
    q.start();
    ['a', 'b', 'c'].forEach((k) => q.add(k));
    await flush();
    const stop = new AbortController();
    const done = q.shutdown({ signal: stop.signal });
    stop.abort();
    await done;
    expect(calls).toEqual(['a']);
  });

  it('start(signal): aborting the signal shuts the queue down', async () => {
    const { handler } = recorder();
    const q = new WorkQueue({ handler, clock: new FakeClock() });
    const ac = new AbortController();
    q.start(ac.signal);
    ac.abort();
    await q.idle();
    q.add('a');
    expect(q.length).toBe(0);
    expect(q.closed).toBe(true);
  });
});
