/**
 * Builders shared by the Layer 2 speaker tests (plan, split brain, Layer2Controller): real Config objects
 * from metallb.io objects through parseConfig, SpeakerService/SpeakerNode/EndpointReadiness values, and
 * the MetalLB ranking computed independently with node:crypto (sha256(node + "#" + ip), byte order).
 */
import { createHash } from 'node:crypto';
import { parseConfig, formatConfigError, type Config } from '../../../src/config/index.js';
import type { EndpointReadiness, SpeakerNode, SpeakerService } from '../../../src/k8s/index.js';
import type { PlanInput } from '../../../src/speaker/plan.js';

export const NS = 'metallb-system';
export const NODES = ['node-1', 'node-2', 'node-3'] as const;

export interface AdSpec {
  readonly pools?: readonly string[];
  readonly interfaces?: readonly string[];
  readonly nodeSelectors?: readonly unknown[];
  readonly serviceSelectors?: readonly unknown[];
}

/** A Config with the given pools (name → CIDRs) and L2Advertisements (name → spec). */
export function configWith(
  pools: Readonly<Record<string, readonly string[]>>,
  ads: Readonly<Record<string, AdSpec>>,
): Config {
  const meta = (name: string) => ({ name, namespace: NS });
  const result = parseConfig(
    {
      ipAddressPools: Object.entries(pools).map(([name, addresses]) => ({
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: meta(name),
        spec: { addresses },
      })),
      l2Advertisements: Object.entries(ads).map(([name, ad]) => ({
        apiVersion: 'metallb.io/v1beta1',
        kind: 'L2Advertisement',
        metadata: meta(name),
        spec: {
          ...(ad.pools && { ipAddressPools: ad.pools }),
          ...(ad.interfaces && { interfaces: ad.interfaces }),
          ...(ad.nodeSelectors && { nodeSelectors: ad.nodeSelectors }),
          ...(ad.serviceSelectors && { serviceSelectors: ad.serviceSelectors }),
        },
      })),
    },
    { namespace: NS },
  );
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.config;
}

/** One pool `p` (192.0.2.0/24 and 2001:db8::/64) and one L2Advertisement for every pool. */
export const BASIC = (): Config => configWith({ p: ['192.0.2.0/24', '2001:db8::/64'] }, { all: {} });

export function service(
  name: string,
  ips: readonly string[],
  extra: Partial<Pick<SpeakerService, 'labels' | 'externalTrafficPolicy' | 'namespace' | 'sharingKey'>> = {},
): SpeakerService {
  const namespace = extra.namespace ?? 'default';
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: `uid-${name}`,
    labels: extra.labels ?? {},
    ips,
    externalTrafficPolicy: extra.externalTrafficPolicy ?? 'Cluster',
    sharingKey: extra.sharingKey,
  };
}

export function node(
  name: string,
  labels: Readonly<Record<string, string>> = {},
  ready: boolean = true,
): SpeakerNode {
  return { name, labels, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
}

export const threeNodes = (): SpeakerNode[] => NODES.map((n) => node(n));

/** Every service given has a ready endpoint on each of `nodes` (none: ready, no node named). */
export function readyOn(
  services: readonly SpeakerService[],
  nodes: readonly string[] = [],
): Map<string, EndpointReadiness> {
  return new Map(services.map((s) => [s.key, { anyReady: true, readyNodes: new Set(nodes) }]));
}

/** MetalLB's ranking of `nodes` for `ip` (already in Go String() form), computed with node:crypto. */
export function metallbRanking(nodes: readonly string[], ip: string): string[] {
  const digest = (n: string) => createHash('sha256').update(`${n}#${ip}`).digest();
  return [...nodes].sort((a, b) => Buffer.compare(digest(a), digest(b)));
}

/** An IP of 192.0.2.0/24 whose MetalLB ranking over NODES starts with `first` (and then `second`). */
export function ipRankedFor(first: string, second?: string): string {
  for (let i = 1; i < 255; i++) {
    const ip = `192.0.2.${i}`;
    const ranking = metallbRanking(NODES, ip);
    if (ranking[0] === first && (second === undefined || ranking[1] === second)) return ip;
  }
  throw new Error(`no address ranks ${first} first`);
}

export function planInput(overrides: Partial<PlanInput> & Pick<PlanInput, 'services'>): PlanInput {
  return {
    myNode: 'node-1',
    config: BASIC(),
    endpoints: readyOn(overrides.services),
    nodes: threeNodes(),
    live: undefined,
    myInterfacesUp: true,
    ignoreExcludeLb: false,
    yields: new Map(),
    ...overrides,
  };
}
