/**
 * deploy/rbac: what each ServiceAccount may do, computed from its bindings the way the RBAC authorizer
 * does (ClusterRoleBindings grant everywhere, RoleBindings only in their namespace; `*` matches all;
 * rules restricted by resourceNames do not count as general access). The grants must cover what the
 * controller and the speaker do, and nothing broader than listed below.
 */
import { describe, expect, it } from 'vitest';
import { manifestsUnder, NAMESPACE } from './helpers/manifests.js';

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}
interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}
interface Doc {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly rules?: readonly Rule[];
  readonly roleRef?: { readonly apiGroup: string; readonly kind: string; readonly name: string };
  readonly subjects?: readonly Subject[];
}

const docs = manifestsUnder('rbac').map((m) => m.doc as unknown as Doc);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const CONFIG_KINDS = [
  'ipaddresspools',
  'l2advertisements',
  'bgpadvertisements',
  'bgppeers',
  'bfdprofiles',
  'communities',
];

function role(kind: string, name: string, namespace?: string): Doc {
  const found = docs.find(
    (d) => d.kind === kind && d.metadata.name === name && d.metadata.namespace === namespace,
  );
  if (!found) throw new Error(`${kind} ${namespace ?? ''}/${name} not found`);
  return found;
}

/** Rules granted to a ServiceAccount, with the namespace they apply in ('*' for cluster-wide). */
function grants(sa: string): { scope: string; rule: Rule }[] {
  const out: { scope: string; rule: Rule }[] = [];
  for (const b of [...byKind('ClusterRoleBinding'), ...byKind('RoleBinding')]) {
    const bound = b.subjects?.some(
      (s) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === NAMESPACE,
    );
    if (!bound) continue;
    const scope = b.kind === 'ClusterRoleBinding' ? '*' : b.metadata.namespace!;
    const ref = b.roleRef!;
    const r = role(ref.kind, ref.name, ref.kind === 'Role' ? b.metadata.namespace : undefined);
    for (const rule of r.rules ?? []) out.push({ scope, rule });
  }
  return out;
}

const has = (list: readonly string[], x: string) => list.includes(x) || list.includes('*');

function can(sa: string, verb: string, group: string, resource: string, namespace: string): boolean {
  return grants(sa).some(
    ({ scope, rule }) =>
      (scope === '*' || scope === namespace) &&
      rule.resourceNames === undefined &&
      has(rule.apiGroups, group) &&
      has(rule.resources, resource) &&
      has(rule.verbs, verb),
  );
}

type Need = [verbs: string[], group: string, resources: string[], where: 'cluster' | 'namespace'];

const CONTROLLER_NEEDS: Need[] = [
  [['get', 'list', 'watch', 'update', 'patch'], '', ['services'], 'cluster'],
  [['get', 'update', 'patch'], '', ['services/status'], 'cluster'],
  [['create', 'patch'], '', ['events'], 'cluster'],
  [['get', 'list', 'watch'], '', ['namespaces', 'nodes'], 'cluster'],
  [['list', 'watch'], 'discovery.k8s.io', ['endpointslices'], 'cluster'],
  [['get', 'list', 'watch'], 'metallb.io', CONFIG_KINDS, 'namespace'],
  [['update', 'patch'], 'metallb.io', ['ipaddresspools/status'], 'namespace'],
  [['get', 'list', 'watch', 'create', 'update', 'patch'], 'metallb.io', ['configurationstates'], 'namespace'],
  [['update', 'patch'], 'metallb.io', ['configurationstates/status'], 'namespace'],
  [['get', 'list', 'watch', 'create'], '', ['secrets'], 'namespace'],
  [['get', 'create', 'update'], 'coordination.k8s.io', ['leases'], 'namespace'],
];

const SPEAKER_NEEDS: Need[] = [
  [['get', 'list', 'watch'], '', ['nodes', 'services'], 'cluster'],
  [['list', 'watch'], 'discovery.k8s.io', ['endpointslices'], 'cluster'],
  [['create', 'patch'], '', ['events'], 'cluster'],
  [['get', 'list', 'watch'], 'metallb.io', CONFIG_KINDS, 'namespace'],
  [
    ['create', 'update', 'delete', 'list'],
    'metallb.io',
    ['servicel2statuses', 'servicebgpstatuses'],
    'namespace',
  ],
  [['update'], 'metallb.io', ['servicel2statuses/status', 'servicebgpstatuses/status'], 'namespace'],
  [['get'], '', ['secrets'], 'namespace'],
  [['get', 'watch'], '', ['configmaps'], 'namespace'],
];

function missing(sa: string, needs: Need[]): string[] {
  const out: string[] = [];
  for (const [verbs, group, resources, where] of needs) {
    for (const resource of resources) {
      for (const verb of verbs) {
        const ns = where === 'cluster' ? 'default' : NAMESPACE;
        if (!can(sa, verb, group, resource, ns)) out.push(`${verb} ${group || 'core'}/${resource} in ${ns}`);
      }
    }
  }
  return out;
}

describe('deploy/rbac', () => {
  it('defines the two ServiceAccounts in metallb-system', () => {
    expect(byKind('ServiceAccount').map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'metallb-system/herald-controller',
      'metallb-system/herald-speaker',
    ]);
  });

  it('binds only roles and accounts that exist, with the right roleRef kinds', () => {
    const accounts = new Set(byKind('ServiceAccount').map((d) => d.metadata.name));
    for (const b of [...byKind('ClusterRoleBinding'), ...byKind('RoleBinding')]) {
      expect(b.roleRef?.apiGroup).toBe('rbac.authorization.k8s.io');
      if (b.kind === 'ClusterRoleBinding') expect(b.roleRef?.kind).toBe('ClusterRole');
      expect(() =>
        role(b.roleRef!.kind, b.roleRef!.name, b.roleRef!.kind === 'Role' ? b.metadata.namespace : undefined),
      ).not.toThrow();
      for (const s of b.subjects ?? []) {
        expect(s.kind).toBe('ServiceAccount');
        expect(s.namespace).toBe(NAMESPACE);
        expect(accounts.has(s.name), s.name).toBe(true);
      }
    }
    for (const r of byKind('Role')) expect(r.metadata.namespace).toBe(NAMESPACE);
  });

  it('lets the controller do everything it does', () => {
    expect(missing('herald-controller', CONTROLLER_NEEDS)).toEqual([]);
  });

  it('lets the speaker do everything it does', () => {
    expect(missing('herald-speaker', SPEAKER_NEEDS)).toEqual([]);
  });

  it('grants nothing through wildcards or to unbound accounts', () => {
    for (const r of [...byKind('ClusterRole'), ...byKind('Role')]) {
      for (const rule of r.rules ?? []) {
        for (const list of [rule.apiGroups, rule.resources, rule.verbs])
          expect(list, r.metadata.name).not.toContain('*');
      }
    }
    expect(grants('default')).toEqual([]);
  });

  it('keeps each account to its job (least privilege)', () => {
    const forbidden: [sa: string, verb: string, group: string, resource: string, ns: string][] = [
      ['herald-controller', 'update', 'metallb.io', 'ipaddresspools', NAMESPACE],
      ['herald-controller', 'delete', '', 'secrets', NAMESPACE],
      ['herald-controller', 'get', '', 'secrets', 'default'],
      ['herald-controller', 'create', 'metallb.io', 'servicel2statuses', NAMESPACE],
      ['herald-controller', 'get', 'metallb.io', 'ipaddresspools', 'default'],
      ['herald-controller', 'delete', 'coordination.k8s.io', 'leases', NAMESPACE],
      ['herald-speaker', 'update', '', 'services', 'default'],
      ['herald-speaker', 'update', '', 'services/status', 'default'],
      ['herald-speaker', 'create', '', 'secrets', NAMESPACE],
      ['herald-speaker', 'get', '', 'secrets', 'default'],
      ['herald-speaker', 'update', 'metallb.io', 'ipaddresspools/status', NAMESPACE],
      ['herald-speaker', 'create', 'coordination.k8s.io', 'leases', NAMESPACE],
      ['herald-speaker', 'get', 'apiextensions.k8s.io', 'customresourcedefinitions', 'default'],
    ];
    for (const [sa, verb, group, resource, ns] of forbidden) {
      expect(can(sa, verb, group, resource, ns), `${sa} ${verb} ${group}/${resource} in ${ns}`).toBe(false);
    }
  });
});
