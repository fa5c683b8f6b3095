/**
 * The speaker's ports, declared by their consumer (layer2.ts): the announcer it drives, where it writes
 * ServiceL2Status objects and Events, and its log. main.ts satisfies them with src/l2's Announcer,
 * src/k8s writers and pino; unit tests with recording fakes.
 */
import type { AnnouncerConflict, AnnouncerInterface } from '../l2/index.js';
import type { L2StatusDesired } from '../k8s/index.js';

export interface AnnouncerPort {
  setInterfaces(list: readonly AnnouncerInterface[]): void;
  /** Takes over the address (gratuitous burst); calling it again re-sends the burst. */
  announce(ip: string, interfaces?: readonly string[]): void;
  withdraw(ip: string): void;
  on(event: 'conflict', listener: (conflict: AnnouncerConflict) => void): unknown;
}

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

export interface SpeakerEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface StatusPort {
  /**
   * Makes this node's ServiceL2Status objects equal to `desired` (keyed namespace/name), and deletes the
   * named objects `stale` that dead nodes left behind.
   */
  syncL2Statuses(desired: ReadonlyMap<string, L2StatusDesired>, stale: readonly string[]): Promise<void>;
  event(service: ServiceRef, event: SpeakerEvent): Promise<void>;
}

export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
