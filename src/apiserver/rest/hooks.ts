/**
 * Side effects of committed writes that reach beyond one object: registering and unregistering
 * CustomResourceDefinitions (and giving new CRDs their Established status), cascading a Namespace
 * deletion to its contents, and background garbage collection of objects whose owners are all gone.
 */
import { CrdError, crdToResources } from '../resources/crd.js';
import { invalid, type FieldError } from '../errors.js';
import { CRD_RESOURCE } from '../resources/registry.js';
import { strategyFor } from '../strategies/index.js';
import { AllocationTxn } from '../strategies/allocators.js';
import { isObject, meta, metaString, storageKey, type KubeObject } from '../types.js';
import { NAMESPACE_STORAGE, type Engine } from './engine.js';

export const CRD_STORAGE = storageKey(CRD_RESOURCE);
const MAX_GC_ROUNDS = 100;

/** Validates a CRD before it is stored and gives it the status a real server reports. */
export function prepareCrd(obj: KubeObject, isCreate: boolean): void {
  let errors: FieldError[] = [];
  try {
    const defs = crdToResources(obj);
    const name = metaString(obj, 'name');
    const first = defs[0];
    if (first && name !== `${first.resource}.${first.group}`) {
      errors = [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.name',
          value: name,
          detail: `must be spec.names.plural+"."+spec.group`,
        },
      ];
    }
  } catch (err) {
    if (!(err instanceof CrdError)) throw err;
    errors = [{ type: 'FieldValueInvalid', field: 'spec', value: null, detail: err.message }];
  }
  if (errors.length > 0) throw invalid(CRD_RESOURCE, metaString(obj, 'name') ?? '', errors);
  if (isCreate) {
    const spec = obj.spec as { names?: KubeObject; versions?: Array<{ name?: string; storage?: boolean }> };
    const storage = spec.versions?.find((v) => v.storage)?.name ?? spec.versions?.[0]?.name ?? '';
    obj.status = {
      acceptedNames: spec.names ?? {},
      storedVersions: [storage],
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
    };
  }
}

/** Deletes one stored object now, releasing what its strategy allocated, then cascades. */
export function removeObject(engine: Engine, storage: string, obj: KubeObject, gc = true): KubeObject {
  const gone = engine.store.delete(
    storage,
    metaString(obj, 'namespace') ?? '',
    metaString(obj, 'name') ?? '',
    obj,
  );
  const txn = new AllocationTxn();
  strategyFor(storage).afterDelete?.(gone, { allocators: engine.allocators, txn });
  txn.commit();
  afterRemove(engine, storage, gone);
  if (gc) collectGarbage(engine);
  return gone;
}

function afterRemove(engine: Engine, storage: string, obj: KubeObject): void {
  if (storage === NAMESPACE_STORAGE) {
    const ns = metaString(obj, 'name') ?? '';
    for (const s of engine.store.storages()) {
      if (s === NAMESPACE_STORAGE) continue;
      for (const o of engine.store.list(s, ns)) removeObject(engine, s, o, false);
    }
  } else if (storage === CRD_STORAGE && isObject(obj.spec)) {
    const group = String(obj.spec.group);
    const plural = isObject(obj.spec.names) ? String(obj.spec.names.plural) : '';
    const crStorage = `${group}/${plural}`;
    for (const o of engine.store.list(crStorage)) removeObject(engine, crStorage, o, false);
    engine.registry.removeResource(group, plural);
  }
}

/** Registers a committed CRD's resources. */
export function afterCrdWrite(engine: Engine, stored: KubeObject): void {
  engine.registry.setCrd(stored);
}

function ownerUids(obj: KubeObject): string[] {
  const refs = meta(obj).ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isObject).map((r) => String(r.uid ?? ''));
}

/** Deletes, repeatedly, every object whose ownerReferences all point at objects that no longer exist. */
export function collectGarbage(engine: Engine): void {
  for (let round = 0; round < MAX_GC_ROUNDS; round++) {
    const live = new Set<string>();
    const owned: Array<{ storage: string; obj: KubeObject; owners: string[] }> = [];
    for (const s of engine.store.storages()) {
      for (const o of engine.store.scan(s)) {
        live.add(metaString(o, 'uid') ?? '');
        const owners = ownerUids(o);
        if (owners.length > 0) owned.push({ storage: s, obj: o, owners });
      }
    }
    const orphans = owned.filter((x) => x.owners.every((u) => !live.has(u)));
    if (orphans.length === 0) return;
    for (const x of orphans) {
      if (
        engine.store.has(x.storage, metaString(x.obj, 'namespace') ?? '', metaString(x.obj, 'name') ?? '')
      ) {
        removeObject(engine, x.storage, x.obj, false);
      }
    }
  }
}
