/**
 * The `--state` file: a JSON snapshot of every object and the resourceVersion counter, written
 * atomically (temporary file, then rename) shortly after changes and on stop, and read at start so
 * a restarted server continues from the persisted resourceVersion.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { StoreSnapshot } from './store.js';
import { isObject, type KubeObject } from './types.js';

export const STATE_FORMAT_VERSION = 1;

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** Reads a state file; a missing file yields undefined (a fresh start). */
export async function readState(file: string): Promise<StoreSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (
    !isObject(raw as never) ||
    (raw as { formatVersion?: unknown }).formatVersion !== STATE_FORMAT_VERSION
  ) {
    throw new StateFileError(
      `${file}: not a herald apiserver state file (formatVersion ${STATE_FORMAT_VERSION} expected)`,
    );
  }
  const r = raw as { resourceVersion?: unknown; objects?: unknown };
  if (
    typeof r.resourceVersion !== 'number' ||
    !Number.isInteger(r.resourceVersion) ||
    r.resourceVersion < 1
  ) {
    throw new StateFileError(`${file}: resourceVersion must be a positive integer`);
  }
  if (!Array.isArray(r.objects)) throw new StateFileError(`${file}: objects must be a list`);
  const objects = r.objects.map((o: unknown, i: number) => {
    const e = o as { storage?: unknown; object?: unknown };
    if (typeof e?.storage !== 'string' || !isObject(e.object as never)) {
      throw new StateFileError(`${file}: objects[${i}] must have a storage string and an object`);
    }
    return { storage: e.storage, object: e.object as KubeObject };
  });
  return { resourceVersion: r.resourceVersion, objects };
}

export async function writeState(file: string, snapshot: StoreSnapshot): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify({ formatVersion: STATE_FORMAT_VERSION, ...snapshot }), 'utf8');
  await rename(tmp, file);
}

/** Coalesces change notifications into at most one write per `debounceMs`; flush() writes now. */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StoreSnapshot,
    private readonly debounceMs = 50,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = writeState(this.file, this.snapshot()).catch(this.onError);
    await this.writing;
  }
}
