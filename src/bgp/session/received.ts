/**
 * What the peer announces to us, counted but not kept as routes (Herald installs nothing): the set of
 * prefix keys currently announced, so `count` is exact under re-announcements and withdrawals, plus
 * the number of UPDATEs. Cleared whenever the session leaves Established.
 */
import { endOfRibFamily } from '../messages/end-of-rib.js';
import { prefixKey } from '../nlri/prefix.js';
import type { AfiSafi, Nlri, UpdateMessage } from '../types.js';

export interface ReceivedSummary {
  readonly announced: number;
  readonly withdrawn: number;
  readonly endOfRib?: AfiSafi;
}

function key(n: Nlri): string {
  return n.pathId === undefined ? prefixKey(n.prefix) : `${prefixKey(n.prefix)}#${n.pathId}`;
}

export class ReceivedRoutes {
  readonly #keys = new Set<string>();
  #updates = 0;

  get count(): number {
    return this.#keys.size;
  }

  /** UPDATEs received since the session was created. */
  get updates(): number {
    return this.#updates;
  }

  apply(message: UpdateMessage): ReceivedSummary {
    this.#updates++;
    const withdrawn: Nlri[] = [...message.withdrawn];
    const announced: Nlri[] = [...message.nlri];
    for (const a of message.attributes) {
      if (a.kind === 'mp-unreach-nlri') withdrawn.push(...a.withdrawn);
      else if (a.kind === 'mp-reach-nlri') announced.push(...a.nlri);
    }
    for (const n of withdrawn) this.#keys.delete(key(n));
    for (const n of announced) this.#keys.add(key(n));
    const endOfRib = endOfRibFamily(message);
    return { announced: announced.length, withdrawn: withdrawn.length, ...(endOfRib ? { endOfRib } : {}) };
  }

  clear(): void {
    this.#keys.clear();
  }
}
