/**
 * SupervisedInformer against a scripted list/watch source and a fake clock: events only after the
 * initial list, cache semantics, 410 → relist (with diff), backoff on errors and resume from the last
 * resourceVersion, stalled and instantly-closing watches, decode and handler errors, and a loop that
 * keeps going until stop().
 */
import { describe, expect, it } from 'vitest';
import { SupervisedInformer, type InformerError, type KubeObject } from '../../../src/k8s/index.js';
import { FakeClock } from '../../fakes/clock.js';
import { FakeSource, flush, gone, obj, refused } from './helpers.js';

function setup(options: { jitter?: number; random?: () => number } = {}) {
  const clock = new FakeClock();
  const source = new FakeSource();
  const informer = new SupervisedInformer<KubeObject>(source, {
    clock,
    random: options.random ?? (() => 0),
    backoff: { initialMs: 100, maxMs: 1000, jitter: options.jitter ?? 0 },
    watchTimeoutSeconds: 10,
    stallGraceMs: 1000,
    shortWatchMs: 500,
  });
  const log: string[] = [];
  const errors: InformerError[] = [];
  informer.on('add', (o) => log.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`));
  informer.on('update', (o, old) =>
    log.push(`update ${o.metadata?.name}@${old.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`),
  );
  informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`));
  informer.on('relist', () => log.push('relist'));
  informer.on('error', (e) => errors.push(e));
  return { clock, source, informer, log, errors };
}

describe('SupervisedInformer initial sync', () => {
  it('dispatches adds only once the whole list is cached, then resolves synced', async () => {
    const { source, informer, log } = setup();
    const seen: number[] = [];
    informer.on('add', () => seen.push(informer.list().length));
    source.lists.push({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '10' });
    expect(informer.isSynced).toBe(false);
    informer.start();
    await informer.synced;
    expect(log).toEqual(['add a@1', 'add b@2']);
    expect(seen).toEqual([2, 2]);
    expect(informer.isSynced).toBe(true);
    expect(informer.get('a', 'default')?.metadata?.resourceVersion).toBe('1');
    expect(informer.getByKey('default/b')?.metadata?.name).toBe('b');
    expect(informer.keys().sort()).toEqual(['default/a', 'default/b']);
    await flush();
    expect(source.current.request.resourceVersion).toBe('10');
    await informer.stop();
  });

  it('waitForSync resolves false when stopped before the first list', async () => {
    const { informer } = setup();
    informer.start();
    const waiting = informer.waitForSync();
    await informer.stop();
    expect(await waiting).toBe(false);
  });
});

describe('SupervisedInformer watch events', () => {
  it('applies ADDED / MODIFIED / DELETED / BOOKMARK and skips same-version updates', async () => {
    const { source, informer, log } = setup();
    source.lists.push({ items: [obj('a', '1')], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    const s = source.current;
    s.send('ADDED', obj('b', '2'));
    s.send('MODIFIED', obj('a', '3'));
    s.send('MODIFIED', obj('a', '3'));
    s.send('DELETED', obj('b', '4'));
    s.send('BOOKMARK', { kind: 'Service', metadata: { resourceVersion: '9' } });
    expect(log).toEqual(['add a@1', 'add b@2', 'update a@1->3', 'delete b']);
    expect(informer.resourceVersion).toBe('9');
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['a']);
    await informer.stop();
  });

  it('reports malformed objects and unknown event types, and keeps going', async () => {
    const { source, informer, log, errors } = setup();
    source.lists.push({ items: [{ metadata: {} }, obj('a', '1')], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    source.current.send('ADDED', { metadata: { namespace: 'x' } });
    source.current.send('WEIRD', obj('z', '5'));
    source.current.send('ADDED', obj('b', '2'));
    expect(log).toEqual(['add a@1', 'add b@2']);
    expect(errors.map((e) => e.phase)).toEqual(['decode', 'decode', 'decode']);
    expect(informer.isRunning).toBe(true);
    await informer.stop();
  });

  it('a throwing handler is reported; other handlers and the loop carry on', async () => {
    const { source, informer, log, errors } = setup();
    informer.on('add', () => {
      throw new Error('handler bug');
    });
    source.lists.push({ items: [], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    source.current.send('ADDED', obj('a', '2'));
    source.current.send('ADDED', obj('b', '3'));
    expect(log).toEqual(['add a@2', 'add b@3']);
    expect(errors.map((e) => e.phase)).toEqual(['handler', 'handler']);
    await informer.stop();
  });
});

describe('SupervisedInformer supervision', () => {
  it('410 Gone relists at once and diffs the new list into adds, updates and deletes', async () => {
    const { source, informer, log } = setup();
    source.lists.push({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '2' });
    source.lists.push({ items: [obj('a', '5'), obj('c', '6')], resourceVersion: '7' });
    informer.start();
    await informer.synced;
    await flush();
    source.current.fail(gone());
    await flush();
    expect(source.listCalls).toBe(2);
    expect(log).toEqual(['add a@1', 'add b@2', 'relist', 'delete b', 'update a@1->5', 'add c@6']);
    expect(source.current.request.resourceVersion).toBe('7');
    expect(informer.stats().relists).toBe(1);
    await informer.stop();
  });

  it('a 410 right after a relist waits out the backoff instead of spinning', async () => {
    const { clock, source, informer, errors } = setup();
    source.lists.push(
      { items: [], resourceVersion: '1' },
      { items: [], resourceVersion: '2' },
      { items: [], resourceVersion: '3' },
    );
    source.watchErrors.push(gone(), gone());
    informer.start();
    await flush();
    expect(source.listCalls).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.retryInMs).toBe(100);
    await clock.advanceAsync(99);
    expect(source.listCalls).toBe(2);
    await clock.advanceAsync(1);
    await flush();
    expect(source.listCalls).toBe(3);
    expect(source.current.request.resourceVersion).toBe('3');
    await informer.stop();
  });

  it('an error on the watch backs off, then resumes from the last resourceVersion without relisting', async () => {
    const { clock, source, informer, errors } = setup();
    source.lists.push({ items: [obj('a', '1')], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    source.current.send('MODIFIED', obj('a', '4'));
    source.current.fail(refused());
    source.watchErrors.push(refused());
    await flush();
    expect(errors.map((e) => [e.phase, e.retryInMs])).toEqual([['watch', 100]]);
    await clock.advanceAsync(100);
    await flush();
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200]);
    await clock.advanceAsync(200);
    await flush();
    expect(source.listCalls).toBe(1);
    expect(source.current.request.resourceVersion).toBe('4');
    expect(informer.get('a', 'default')?.metadata?.resourceVersion).toBe('4');
    // progress (an event) resets the backoff: the next failure waits the first delay again
    source.current.send('MODIFIED', obj('a', '5'));
    source.current.fail(refused());
    await flush();
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200, 100]);
    await informer.stop();
  });

  it('never stops: list failures back off up to the cap until the server answers', async () => {
    const { clock, source, informer, errors } = setup();
    for (let i = 0; i < 30; i++) source.lists.push(refused());
    source.lists.push({ items: [obj('a', '1')], resourceVersion: '1' });
    informer.start();
    for (let i = 0; i < 30; i++) {
      await flush(2);
      await clock.advanceAsync(clock.nextDueIn() ?? 0);
    }
    await informer.synced;
    const delays = errors.map((e) => e.retryInMs);
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1000]);
    expect(Math.max(...(delays as number[]))).toBe(1000);
    expect(errors).toHaveLength(30);
    expect(errors.every((e) => e.phase === 'list')).toBe(true);
    expect(informer.list()).toHaveLength(1);
    await informer.stop();
  });

  it('jitter shortens the delay by up to the jitter fraction', async () => {
    const { source, informer, errors } = setup({ jitter: 0.5, random: () => 0.5 });
    source.lists.push(refused());
    informer.start();
    await flush();
    expect(errors[0]!.retryInMs).toBe(75);
    await informer.stop();
  });

  it('a watch the server closes at once without events counts as a failure', async () => {
    const { clock, source, informer, errors } = setup();
    source.lists.push({ items: [], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    source.current.end();
    await flush();
    expect(errors).toHaveLength(1);
    expect(source.streams).toHaveLength(1);
    await clock.advanceAsync(100);
    await flush();
    expect(source.streams).toHaveLength(2);
    // a long, quiet watch that ends normally is reopened at once
    await clock.advanceAsync(600);
    source.current.end();
    await flush();
    expect(source.streams).toHaveLength(3);
    expect(errors).toHaveLength(1);
    await informer.stop();
  });

  it('a stalled watch (no event for 2×timeout + grace) is aborted and reopened', async () => {
    const { clock, source, informer, errors } = setup();
    source.lists.push({ items: [], resourceVersion: '1' });
    informer.start();
    await informer.synced;
    await flush();
    expect(source.current.request.timeoutSeconds).toBe(10);
    await clock.advanceAsync(20_000);
    expect(errors).toHaveLength(0);
    await clock.advanceAsync(1_000);
    await flush();
    expect(errors).toHaveLength(1);
    expect(String((errors[0]!.error as Error).message)).toMatch(/no event for 21000 ms/);
    await clock.advanceAsync(100);
    await flush();
    expect(source.streams).toHaveLength(2);
    await informer.stop();
  });

  it('stop() ends the loop and the open stream; start() again relists', async () => {
    const { source, informer } = setup();
    source.lists.push({ items: [obj('a', '1')], resourceVersion: '1' }, { items: [], resourceVersion: '2' });
    const ac = new AbortController();
    informer.start(ac.signal);
    await informer.synced;
    await flush();
    const stream = source.current;
    ac.abort();
    await informer.stop();
    expect(stream.request.signal.aborted).toBe(true);
    expect(informer.isRunning).toBe(false);
    expect(informer.list()).toHaveLength(1);
    informer.start();
    await flush();
    expect(source.listCalls).toBe(2);
    expect(informer.list()).toHaveLength(0);
    await informer.stop();
  });
});
