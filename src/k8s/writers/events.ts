/**
 * EventRecorder: core/v1 Events in the manner of client-go's legacy recorder (tools/record).
 *
 * - An Event is named `<object>.<hex timestamp>` in the object's namespace (`default` for cluster-scoped
 *   objects), with involvedObject, type (Normal / Warning), reason, message (cut to 1024 characters),
 *   source.component, reportingComponent / reportingInstance, first/lastTimestamp and count.
 * - Aggregation: the same (object, type, reason, message) again within the window (default 10 min, as
 *   the real correlator) does not create a new Event; it patches the existing one's count and
 *   lastTimestamp. If that Event has meanwhile expired (404), a new one is created.
 * - Recording never rejects: events are best effort, failures go to onError. Writes for one
 *   aggregation key are serialised, so a burst of repeats yields one Event with the right count.
 */
import { systemClock, systemWallClock, type Clock, type WallClock } from '../clock.js';
import { isNotFound } from '../errors.js';
import { objectPath, collectionPath, RESOURCES } from '../resources.js';
import { CONTENT_MERGE_PATCH, type RestClient } from '../rest.js';
import { formatTime } from '../time.js';

export type EventType = 'Normal' | 'Warning';

/** core/v1 ObjectReference of the object an Event is about. */
export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface EventRecorderOptions {
  readonly rest: RestClient;
  /** source.component and reportingComponent, e.g. `herald-controller`. */
  readonly component: string;
  /** reportingInstance and source.host, e.g. the pod or host name. */
  readonly instance?: string;
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  /** Repeats within this many ms are aggregated into one Event (default 600 000). */
  readonly aggregationWindowMs?: number;
  /** Aggregation entries kept (default 4096; the oldest is dropped first). */
  readonly maxEntries?: number;
  readonly onError?: (error: unknown) => void;
}

interface Entry {
  readonly namespace: string;
  readonly name: string;
  count: number;
  lastSeen: number;
}

export const EVENT_MESSAGE_MAX = 1024;
const DEFAULT_WINDOW_MS = 600_000;
const DEFAULT_MAX_ENTRIES = 4096;
const NS_PER_MS = 1_000_000n;
const HEX = 16;

export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #clock: Clock;
  readonly #wall: WallClock;
  readonly #entries = new Map<string, Entry>();
  readonly #chains = new Map<string, Promise<void>>();
  #sequence = 0n;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#wall = options.wallClock ?? systemWallClock;
  }

  /** Records an event; resolves when it was written (or the failure reported). Never rejects. */
  event(
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const text = message.length > EVENT_MESSAGE_MAX ? message.slice(0, EVENT_MESSAGE_MAX) : message;
    const key = [
      object.apiVersion,
      object.kind,
      object.namespace ?? '',
      object.name,
      object.uid ?? '',
      type,
      reason,
      text,
    ].join('\u0000');
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#record(key, object, type, reason, text, signal));
    const tracked = next.finally(() => {
      if (this.#chains.get(key) === tracked) this.#chains.delete(key);
    });
    this.#chains.set(key, tracked);
    return tracked;
  }

  async #record(
    key: string,
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const now = this.#wall();
    const entry = this.#entries.get(key);
    const windowMs = this.#o.aggregationWindowMs ?? DEFAULT_WINDOW_MS;
    try {
      if (entry !== undefined && this.#clock.now() - entry.lastSeen < windowMs) {
        const count = entry.count + 1;
        const path = objectPath(RESOURCES.events, entry.namespace, entry.name);
        const body = { count, lastTimestamp: formatTime(now) };
        try {
          await this.#o.rest.request({
            method: 'PATCH',
            path,
            body,
            contentType: CONTENT_MERGE_PATCH,
            signal,
          });
          entry.count = count;
          entry.lastSeen = this.#clock.now();
          this.#touch(key, entry);
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      await this.#create(key, object, type, reason, message, now, signal);
    } catch (err) {
      this.#o.onError?.(err);
    }
  }

  async #create(
    key: string,
    object: InvolvedObject,
    type: EventType,
    reason: string,
    message: string,
    now: Date,
    signal?: AbortSignal,
  ): Promise<void> {
    const namespace =
      object.namespace !== undefined && object.namespace !== '' ? object.namespace : 'default';
    const stamp = BigInt(now.getTime()) * NS_PER_MS + (this.#sequence++ % NS_PER_MS);
    const name = `${object.name}.${stamp.toString(HEX)}`;
    const time = formatTime(now);
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { ...object },
      type,
      reason,
      message,
      source: { component: this.#o.component, ...(this.#o.instance ? { host: this.#o.instance } : {}) },
      reportingComponent: this.#o.component,
      reportingInstance: this.#o.instance ?? '',
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    await this.#o.rest.request({
      method: 'POST',
      path: collectionPath(RESOURCES.events, namespace),
      body,
      signal,
    });
    this.#touch(key, { namespace, name, count: 1, lastSeen: this.#clock.now() });
  }

  /** Inserts or refreshes an entry as the most recent; drops the oldest beyond maxEntries. */
  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const max = this.#o.maxEntries ?? DEFAULT_MAX_ENTRIES;
    while (this.#entries.size > max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/** The InvolvedObject of a cached object (apiVersion/kind from the object, else the given defaults). */
export function involvedObject(
  object: {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
  },
  defaults: { apiVersion: string; kind: string },
): InvolvedObject {
  const meta = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion ?? defaults.apiVersion,
    kind: object.kind ?? defaults.kind,
    name: meta.name ?? '',
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    ...(meta.uid ? { uid: meta.uid } : {}),
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
  };
}
