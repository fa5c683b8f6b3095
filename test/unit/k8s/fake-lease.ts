/**
 * An in-memory Lease "API server" for leader-election unit tests: one stored record with a
 * resourceVersion (optimistic concurrency: stale updates and duplicate creates get 409), and per-caller
 * clients whose connection can be made to fail (reject at once) or hang (never answer until aborted).
 */
import {
  KubeApiError,
  type LeaseClient,
  type LeaseRecord,
  type StoredLease,
} from '../../../src/k8s/index.js';

export type Link = 'ok' | 'fail' | 'hang';

export class FakeLeaseServer {
  stored: StoredLease | undefined;
  #rv = 0;
  readonly writes: { by: string; record: LeaseRecord }[] = [];

  /** Writes a record directly (another actor, or a malformed object). */
  put(record: LeaseRecord): StoredLease {
    this.stored = { record, resourceVersion: String(++this.#rv) };
    return this.stored;
  }

  client(name: string): LeaseClient & { link: Link; calls: number } {
    const call = <T>(signal: AbortSignal, op: () => T): Promise<T> => {
      client.calls++;
      if (client.link === 'fail')
        return Promise.reject(new KubeApiError('connection refused', { reason: 'NetworkError' }));
      if (client.link === 'hang') {
        return new Promise<T>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new KubeApiError('aborted', { reason: 'Aborted' })), {
            once: true,
          });
        });
      }
      try {
        return Promise.resolve(op());
      } catch (err) {
        return Promise.reject(err);
      }
    };
    const client = {
      link: 'ok' as Link,
      calls: 0,
      get: (signal: AbortSignal) => call(signal, () => this.stored),
      create: (record: LeaseRecord, signal: AbortSignal) =>
        call(signal, () => {
          if (this.stored !== undefined)
            throw new KubeApiError('exists', { code: 409, reason: 'AlreadyExists' });
          this.writes.push({ by: name, record });
          return this.put(record);
        }),
      update: (record: LeaseRecord, resourceVersion: string, signal: AbortSignal) =>
        call(signal, () => {
          if (this.stored === undefined)
            throw new KubeApiError('not found', { code: 404, reason: 'NotFound' });
          if (this.stored.resourceVersion !== resourceVersion) {
            throw new KubeApiError('conflict', { code: 409, reason: 'Conflict' });
          }
          this.writes.push({ by: name, record });
          return this.put(record);
        }),
    };
    return client;
  }
}
