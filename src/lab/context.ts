/**
 * What the scenario modules (pods, VMs) need from a running lab cluster, kept apart from cluster.ts so
 * the scenarios and the harness do not import each other: the namespace Lab, the topology, the API
 * client, a temp dir, the abort signal and the progress log. Also `until`, the lab's bounded wait that
 * stops early when the lab is aborted (Ctrl-C).
 */
import type { LabApi } from './api.js';
import { waitFor, type Lab } from './netns.js';
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

/** Polls fn until it returns a value (not undefined/false), at most timeoutMs; rejects on abort. */
export function until<T>(
  ctx: { signal: AbortSignal },
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  return waitFor(
    async () => {
      if (ctx.signal.aborted) throw new LabAborted('the lab was interrupted');
      return fn();
    },
    { timeoutMs, intervalMs, what },
  ).catch((err: unknown) => {
    throw ctx.signal.aborted ? new LabAborted('the lab was interrupted') : err;
  });
}

/** The LoadBalancer ingress IPs in a Service's status. */
export async function serviceIps(api: LabApi, namespace: string, name: string): Promise<string[]> {
  const svc = await api.find(`/api/v1/namespaces/${namespace}/services/${name}`);
  const status = svc?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined;
  return (status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}
