/**
 * deploy/controller.yaml and deploy/speaker.yaml: the controller Deployment (2 replicas, leader election
 * identity, probes on the port it listens on, locked-down container) and the speaker DaemonSet (host
 * network, only NET_RAW/NET_ADMIN/NET_BIND_SERVICE, its node name from the downward API).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, manifestsUnder, NAMESPACE, readDocuments } from './helpers/manifests.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args: string[];
  env?: EnvVar[];
  ports: { name: string; containerPort: number; protocol: string }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: {
    runAsUser?: number;
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    capabilities: { drop: string[]; add?: string[] };
  };
}
interface Workload {
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        hostNetwork?: boolean;
        dnsPolicy?: string;
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
        tolerations?: { key: string; operator: string }[];
        containers: Container[];
      };
    };
  };
}

const load = (file: string) => readDocuments(join(DEPLOY_DIR, file)).map((m) => m.doc as unknown as Workload);
const [controller] = load('controller.yaml');
const [speaker] = load('speaker.yaml');
const accounts = manifestsUnder('rbac')
  .filter((m) => m.doc.kind === 'ServiceAccount')
  .map((m) => (m.doc.metadata as { name: string }).name);

function flag(args: readonly string[], name: string): string | undefined {
  const eq = args.find((a) => a.startsWith(`${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 1);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function checkCommon(w: Workload, account: string) {
  expect(w.metadata.namespace).toBe(NAMESPACE);
  expect(w.spec.template.metadata.labels).toMatchObject(w.spec.selector.matchLabels);
  expect(w.spec.template.spec.serviceAccountName).toBe(account);
  expect(accounts).toContain(account);
  expect(w.spec.template.spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
  const [c] = w.spec.template.spec.containers;
  const sc = c!.securityContext;
  expect(sc.allowPrivilegeEscalation).toBe(false);
  expect(sc.readOnlyRootFilesystem).toBe(true);
  expect(sc.capabilities.drop).toEqual(['ALL']);
  expect(Object.keys(c!.resources.requests).sort()).toEqual(['cpu', 'memory']);
  expect(c!.resources.limits.memory).toBeDefined();
  // Probes hit the named port the process serves /healthz and /readyz on.
  const monitoring = c!.ports.find((p) => p.name === 'monitoring');
  expect(monitoring?.protocol).toBe('TCP');
  expect(c!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'monitoring' });
  expect(c!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'monitoring' });
  // Every $(VAR) in the arguments is defined in the container's environment.
  const defined = new Set((c!.env ?? []).map((e) => e.name));
  for (const arg of c!.args)
    for (const [, v] of arg.matchAll(/\$\(([A-Z_]+)\)/g)) expect(defined.has(v!), v).toBe(true);
  return c!;
}

describe('deploy/controller.yaml', () => {
  it('is a Deployment of two replicas that runs herald controller in metallb-system', () => {
    expect(controller!.kind).toBe('Deployment');
    expect(controller!.spec.replicas).toBe(2);
    const c = checkCommon(controller!, 'herald-controller');
    expect(c.args[0]).toBe('controller');
    expect(flag(c.args, '--namespace')).toBe(NAMESPACE);
  });

  it('listens for metrics and probes on the port the probes use', () => {
    const c = controller!.spec.template.spec.containers[0]!;
    const listen = flag(c.args, '--metrics-listen');
    expect(listen).toMatch(/^[^:]*:\d+$/);
    expect(c.ports.find((p) => p.name === 'monitoring')?.containerPort).toBe(
      Number(listen!.split(':').pop()),
    );
  });

  it('gives each replica its pod name for the leader-election identity', () => {
    const env = controller!.spec.template.spec.containers[0]!.env ?? [];
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  });

  it('runs as a non-root user without added capabilities', () => {
    expect(controller!.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(controller!.spec.template.spec.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(controller!.spec.template.spec.containers[0]!.securityContext.capabilities.add).toBeUndefined();
  });
});

describe('deploy/speaker.yaml', () => {
  it('is a host-network DaemonSet running herald speaker for its own node', () => {
    expect(speaker!.kind).toBe('DaemonSet');
    const pod = speaker!.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    const c = checkCommon(speaker!, 'herald-speaker');
    expect(c.args[0]).toBe('speaker');
    expect(flag(c.args, '--node')).toBe('$(NODE_NAME)');
    expect(flag(c.args, '--namespace')).toBe(NAMESPACE);
    expect(c.env?.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
  });

  it('adds only the network capabilities the speaker needs', () => {
    const sc = speaker!.spec.template.spec.containers[0]!.securityContext;
    expect([...(sc.capabilities.add ?? [])].sort()).toEqual(['NET_ADMIN', 'NET_BIND_SERVICE', 'NET_RAW']);
    expect(sc.runAsUser).toBe(0); // capabilities take effect only for root in a container without file caps
  });

  it('runs on control-plane nodes too and uses distinct host ports', () => {
    const pod = speaker!.spec.template.spec;
    expect(pod.tolerations?.map((t) => t.key)).toContain('node-role.kubernetes.io/control-plane');
    const ports = pod.containers[0]!.ports.map((p) => `${p.protocol}/${p.containerPort}`);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
