// The versioned store: one monotonic resourceVersion across storages, change events replayed to watches
// from a resourceVersion, a bounded window (StoreGone beyond it) and snapshots that continue the counter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store, StoreGone, type StoreEvent } from '../../../src/apiserver/store.js';
import type { KubeObject } from '../../../src/apiserver/types.js';

const cm = (name: string, ns = 'default', data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});

describe('Store', () => {
  it('issues strictly increasing resourceVersions across storages and stamps them on objects', () => {
    const s = new Store(100, 7);
    const a = s.create('/configmaps', cm('a'));
    const b = s.create('/secrets', cm('b'));
    const a2 = s.update('/configmaps', { ...a, data: { x: '1' } });
    const gone = s.delete('/configmaps', 'default', 'a');
    expect([a, b, a2, gone].map((o) => (o.metadata as { resourceVersion: string }).resourceVersion)).toEqual([
      '8',
      '9',
      '10',
      '11',
    ]);
    expect(s.resourceVersion).toBe(11);
    expect(s.get('/configmaps', 'default', 'a')).toBeUndefined();
  });

  it('returns copies: mutating a result does not change the store', () => {
    const s = new Store();
    const a = s.create('/configmaps', cm('a'));
    (a.metadata as { name: string }).name = 'changed';
    expect(s.get('/configmaps', 'default', 'a')).toBeDefined();
    const listed = s.list('/configmaps');
    listed[0]!.data = { evil: 'yes' };
    expect(s.get('/configmaps', 'default', 'a')!.data).toEqual({});
  });

  it('lists one namespace or all, sorted by namespace then name', () => {
    const s = new Store();
    for (const [n, ns] of [
      ['b', 'x'],
      ['a', 'y'],
      ['c', 'x'],
      ['a', 'xy'],
    ] as const)
      s.create('/configmaps', cm(n, ns));
    expect(
      s
        .list('/configmaps')
        .map(
          (o) => `${String((o.metadata as KubeObject).namespace)}/${String((o.metadata as KubeObject).name)}`,
        ),
    ).toEqual(['x/b', 'x/c', 'xy/a', 'y/a']);
    expect(s.list('/configmaps', 'x')).toHaveLength(2);
  });

  it('refuses to create an existing object or update a missing one', () => {
    const s = new Store();
    s.create('/configmaps', cm('a'));
    expect(() => s.create('/configmaps', cm('a'))).toThrow(/exists: true/);
    expect(() => s.update('/configmaps', cm('b'))).toThrow(/exists: false/);
    expect(() => s.delete('/configmaps', 'default', 'b')).toThrow(/does not exist/);
  });

  it('replays events after a resourceVersion, then delivers live ones, filtered by storage and namespace', () => {
    const s = new Store();
    s.create('/configmaps', cm('a'));
    const from = s.resourceVersion;
    s.create('/configmaps', cm('b', 'other'));
    s.create('/secrets', cm('s'));
    s.update('/configmaps', cm('a', 'default', { k: 'v' }));
    const seen: StoreEvent[] = [];
    const cancel = s.watch('/configmaps', 'default', from, (e) => seen.push(e));
    s.delete('/configmaps', 'default', 'a');
    cancel();
    s.create('/configmaps', cm('late'));
    expect(seen.map((e) => `${e.type} ${e.name} ${e.rv}`)).toEqual(['MODIFIED a 5', 'DELETED a 6']);
    expect(seen[0]!.previous?.data).toEqual({});
  });

  it('fails a watch from a resourceVersion older than the window with StoreGone', () => {
    const s = new Store(3);
    for (let i = 0; i < 6; i++) s.create('/configmaps', cm(`c${i}`));
    expect(s.oldestWatchable).toBe(4);
    expect(() => s.watch('/configmaps', undefined, 3, () => {})).toThrow(StoreGone);
    const seen: number[] = [];
    s.watch('/configmaps', undefined, 4, (e) => seen.push(e.rv));
    expect(seen).toEqual([5, 6, 7]);
  });

  it('continues the resourceVersion after a snapshot round trip and only watches from there', () => {
    const s = new Store();
    s.create('/configmaps', cm('a'));
    s.create('/configmaps', cm('b'));
    const restored = Store.fromSnapshot(JSON.parse(JSON.stringify(s.snapshot())), 10);
    expect(restored.resourceVersion).toBe(3);
    expect(restored.list('/configmaps')).toEqual(s.list('/configmaps'));
    expect(() => restored.watch('/configmaps', undefined, 2, () => {})).toThrow(StoreGone);
    expect((restored.create('/configmaps', cm('c')).metadata as KubeObject).resourceVersion).toBe('4');
  });

  it('drops a watcher that throws instead of failing the write', () => {
    const s = new Store();
    s.watch('/configmaps', undefined, s.resourceVersion, () => {
      throw new Error('broken sink');
    });
    expect(s.watcherCount).toBe(1);
    expect(() => s.create('/configmaps', cm('a'))).not.toThrow();
    expect(s.watcherCount).toBe(0);
    expect(s.has('/configmaps', 'default', 'a')).toBe(true);
  });

  it('notifies change listeners after every commit', () => {
    const s = new Store();
    let n = 0;
    const off = s.onChange(() => n++);
    s.create('/configmaps', cm('a'));
    s.delete('/configmaps', 'default', 'a');
    off();
    s.create('/configmaps', cm('b'));
    expect(n).toBe(2);
  });

  it('property: a watch from any retained resourceVersion sees exactly the later events, in order', () => {
    type Op = { kind: 'put' | 'del'; name: string };
    const op = fc.record({
      kind: fc.constantFrom<'put' | 'del'>('put', 'del'),
      name: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat(),
        (ops: Op[], window, pick) => {
          const s = new Store(window);
          const all: number[] = [];
          for (const o of ops) {
            const exists = s.has('/configmaps', 'default', o.name);
            let out: KubeObject | undefined;
            if (o.kind === 'put')
              out = exists ? s.update('/configmaps', cm(o.name)) : s.create('/configmaps', cm(o.name));
            else if (exists) out = s.delete('/configmaps', 'default', o.name);
            if (out) all.push(Number((out.metadata as KubeObject).resourceVersion));
          }
          const from = s.oldestWatchable + (pick % (s.resourceVersion - s.oldestWatchable + 1));
          const seen: number[] = [];
          s.watch('/configmaps', undefined, from, (e) => seen.push(e.rv));
          expect(seen).toEqual(all.filter((rv) => rv > from));
          for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
        },
      ),
      { numRuns: 200 },
    );
  });
});
