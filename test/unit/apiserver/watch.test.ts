// Watch semantics at the engine level: synthetic ADDED for "now" starts, replay from a resourceVersion,
// selector transitions (MODIFIED into or out of a selector become ADDED/DELETED), sendInitialEvents with
// the initial-events-end BOOKMARK, conversion to the watched version, and StoreGone outside the window.
import { describe, expect, it } from 'vitest';
import { StoreGone } from '../../../src/apiserver/store.js';
import { INITIAL_EVENTS_END, watch, type WatchEventType } from '../../../src/apiserver/rest/read.js';
import { create, update } from '../../../src/apiserver/rest/write.js';
import { remove } from '../../../src/apiserver/rest/delete.js';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { CORE, makeEngine, metaOf, scope } from './fixture.js';

type Seen = Array<[WatchEventType, string]>;

function collect(seen: Seen) {
  return (type: WatchEventType, o: KubeObject) =>
    seen.push([type, String(metaOf(o).name ?? metaOf(o).resourceVersion)]);
}

const cm = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, labels },
  data: {},
});

describe('watch', () => {
  it('starts "now" with ADDED for existing objects, then live events', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a'));
    const seen: Seen = [];
    const stop = watch(e, scope(e, CORE('configmaps')), {}, collect(seen));
    create(e, scope(e, CORE('configmaps')), cm('b'));
    remove(e, scope(e, CORE('configmaps'), { name: 'a' }));
    stop();
    create(e, scope(e, CORE('configmaps')), cm('c'));
    expect(seen).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
  });

  it('replays from a resourceVersion without synthetic events', () => {
    const e = makeEngine();
    const a = create(e, scope(e, CORE('configmaps')), cm('a')).object;
    create(e, scope(e, CORE('configmaps')), cm('b'));
    const seen: Seen = [];
    watch(
      e,
      scope(e, CORE('configmaps')),
      { resourceVersion: String(metaOf(a).resourceVersion) },
      collect(seen),
    );
    expect(seen).toEqual([['ADDED', 'b']]);
  });

  it('turns label changes into ADDED/DELETED for a selector', () => {
    const e = makeEngine();
    const s = scope(e, CORE('configmaps'));
    const a = create(e, s, cm('a')).object;
    const seen: Seen = [];
    watch(e, s, { labelSelector: 'x=1', resourceVersion: String(e.store.resourceVersion) }, collect(seen));
    const a1 = update(
      e,
      { ...s, name: 'a' },
      { ...a, metadata: { ...metaOf(a), labels: { x: '1' } } },
    ).object;
    const a2 = update(e, { ...s, name: 'a' }, { ...a1, data: { k: 'v' } }).object;
    update(e, { ...s, name: 'a' }, { ...a2, metadata: { ...metaOf(a2), labels: {} } });
    expect(seen).toEqual([
      ['ADDED', 'a'],
      ['MODIFIED', 'a'],
      ['DELETED', 'a'],
    ]);
  });

  it('sends the initial-events-end BOOKMARK after sendInitialEvents', () => {
    const e = makeEngine();
    create(e, scope(e, CORE('configmaps')), cm('a'));
    const events: Array<[WatchEventType, KubeObject]> = [];
    watch(e, scope(e, CORE('configmaps')), { sendInitialEvents: true, allowBookmarks: true }, (t, o) =>
      events.push([t, o]),
    );
    expect(events.map(([t]) => t)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1]![1]).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: String(e.store.resourceVersion),
        annotations: { [INITIAL_EVENTS_END]: 'true' },
      },
    });
  });

  it('limits a watch to one namespace and to a field selector', () => {
    const e = makeEngine();
    const seen: Seen = [];
    watch(
      e,
      scope(e, CORE('configmaps'), { namespace: 'kube-system' }),
      { fieldSelector: 'metadata.name=b' },
      collect(seen),
    );
    create(e, scope(e, CORE('configmaps')), cm('b'));
    create(e, scope(e, CORE('configmaps'), { namespace: 'kube-system' }), cm('a'));
    create(e, scope(e, CORE('configmaps'), { namespace: 'kube-system' }), cm('b'));
    expect(seen).toEqual([['ADDED', 'b']]);
  });

  it('delivers objects converted to the watched version (BGPPeer v1beta1 watch of a v1beta2 write)', () => {
    const e = makeEngine();
    const objs: KubeObject[] = [];
    watch(e, scope(e, 'metallb.io/v1beta1/bgppeers', { namespace: 'metallb-system' }), {}, (_t, o) =>
      objs.push(o),
    );
    create(e, scope(e, 'metallb.io/v1beta2/bgppeers', { namespace: 'metallb-system' }), {
      metadata: { name: 'p' },
      spec: { myASN: 1, peerASN: 2, peerAddress: '192.0.2.1', dynamicASN: 'external' },
    });
    expect(objs[0]).toMatchObject({ apiVersion: 'metallb.io/v1beta1', spec: { myASN: 1 } });
    expect((objs[0]!.spec as KubeObject).dynamicASN).toBeUndefined();
  });

  it('throws StoreGone for a resourceVersion older than the window, and BadRequest for a malformed one', () => {
    const e = makeEngine({ window: 2 });
    for (const n of ['a', 'b', 'c']) create(e, scope(e, CORE('configmaps')), cm(n));
    expect(() => watch(e, scope(e, CORE('configmaps')), { resourceVersion: '1' }, () => {})).toThrow(
      StoreGone,
    );
    expect(() => watch(e, scope(e, CORE('configmaps')), { resourceVersion: 'abc' }, () => {})).toThrow(
      'invalid resource version: "abc"',
    );
  });
});
