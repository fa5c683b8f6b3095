/**
 * What the scenario modules (pods, VMs) need from a running lab cluster, kept apart from cluster.ts so
 * the scenarios and the harness do not import each other: the namespace Lab, the topology, the API
 * client, a temp dir, the abort signal and the progress log. Also `until`, the lab's bounded wait that
 * stops early when the lab is aborted (Ctrl-C).
 */
import type { LabApi } from './api.js';
import { sleep, type Lab } from './netns.js';
import type { Topology } from './topology.js';

export interface LabContext {
  readonly lab: Lab;
  readonly topology: Topology;
  readonly api: LabApi;
  readonly dir: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

export class LabAborted extends Error {
  override readonly name = 'LabAborted';
}

/** Thrown inside an `until` check to stop waiting at once (e.g. the awaited process exited). */
export class LabFatal extends Error {
  override readonly name = 'LabFatal';
}

/**
 * Polls fn every intervalMs until it returns a value (not undefined/false), at most timeoutMs. Errors
 * thrown by fn count as "not yet" (the last one is reported on timeout), except LabFatal, which ends
 * the wait at once; the lab's abort (Ctrl-C) ends it with LabAborted.
 */
export async function until<T>(
  ctx: { signal: AbortSignal },
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (ctx.signal.aborted) throw new LabAborted('the lab was interrupted');
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof LabFatal) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/** A catch handler for an optional wait: gives up quietly on a timeout, but an interruption propagates. */
export function unlessAborted<T>(fallback: () => T): (err: unknown) => T {
  return (err) => {
    if (err instanceof LabAborted) throw err;
    return fallback();
  };
}

/** The LoadBalancer ingress IPs in a Service's status. */
export async function serviceIps(api: LabApi, namespace: string, name: string): Promise<string[]> {
  const svc = await api.find(`/api/v1/namespaces/${namespace}/services/${name}`);
  const status = svc?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined;
  return (status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}
