/**
 * The Kubernetes objects the lab creates, as plain bodies: what kubelets, the scheduler and the endpoint
 * controller would create on a real cluster (there are none here), plus the MetalLB configuration and
 * the Services. endpointSlices() is the lab's endpoint controller: ready Pods matching a Service's
 * selector become one EndpointSlice per address family, with nodeName and targetRef set.
 */
export const METALLB_NS = 'metallb-system';
export const SPEAKER_LABELS = { app: 'metallb', component: 'speaker' } as const;
export const POOL_NAME = 'lab-pool';

export interface LabNode {
  /** node-1, node-2, ... */
  name: string;
  ipv4: string;
  ipv6?: string;
}

export interface LabPod {
  namespace: string;
  name: string;
  nodeName: string;
  labels: Record<string, string>;
  ips: string[];
  ready: boolean;
}

const NOW = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export function nodeBody(node: LabNode): object {
  const ips = [node.ipv4, ...(node.ipv6 ? [node.ipv6] : [])];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux' },
    },
    status: {
      addresses: [
        ...ips.map((address) => ({ type: 'InternalIP', address })),
        { type: 'Hostname', address: node.name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'the lab plays kubelet',
          lastHeartbeatTime: NOW(),
          lastTransitionTime: NOW(),
        },
      ],
    },
  };
}

export function namespaceBody(name: string): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A Pod as created (spec); its status goes through podStatus() on the status subresource. */
export function podBody(pod: LabPod, hostNetwork: boolean): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels },
    spec: {
      nodeName: pod.nodeName,
      hostNetwork,
      containers: [{ name: 'main', image: 'herald-lab' }],
    },
  };
}

export function podStatus(pod: LabPod): object {
  const status = pod.ready ? 'True' : 'False';
  return {
    status: {
      phase: 'Running',
      podIP: pod.ips[0],
      podIPs: pod.ips.map((ip) => ({ ip })),
      hostIP: pod.ips[0],
      conditions: [
        { type: 'Ready', status, lastTransitionTime: NOW() },
        { type: 'ContainersReady', status, lastTransitionTime: NOW() },
      ],
    },
  };
}

export function speakerPod(node: LabNode): LabPod {
  return {
    namespace: METALLB_NS,
    name: `speaker-${node.name}`,
    nodeName: node.name,
    labels: { ...SPEAKER_LABELS },
    ips: [node.ipv4, ...(node.ipv6 ? [node.ipv6] : [])],
    ready: true,
  };
}

export function poolBody(addresses: readonly string[]): object {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: POOL_NAME, namespace: METALLB_NS },
    spec: { addresses },
  };
}

export function l2AdvertisementBody(interfaces: readonly string[]): object {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: { name: 'lab-l2', namespace: METALLB_NS },
    spec: { ipAddressPools: [POOL_NAME], interfaces },
  };
}

export function serviceBody(
  namespace: string,
  name: string,
  selector: Record<string, string>,
  dualStack: boolean,
): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      type: 'LoadBalancer',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
      ipFamilyPolicy: dualStack ? 'RequireDualStack' : 'SingleStack',
      ipFamilies: dualStack ? ['IPv4', 'IPv6'] : ['IPv4'],
      externalTrafficPolicy: 'Cluster',
    },
  };
}

function matches(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The endpoint controller: one EndpointSlice per family for the Pods the selector matches. */
export function endpointSlices(
  namespace: string,
  service: string,
  selector: Record<string, string>,
  pods: readonly LabPod[],
  families: readonly ('IPv4' | 'IPv6')[],
): object[] {
  const selected = pods.filter((p) => p.namespace === namespace && matches(p.labels, selector));
  return families.map((family) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-${family.toLowerCase()}`,
      namespace,
      labels: {
        'kubernetes.io/service-name': service,
        'endpointslice.kubernetes.io/managed-by': 'lab.herald.io',
      },
    },
    addressType: family,
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: selected.flatMap((pod) => {
      const ip = pod.ips.find((a) => a.includes(':') === (family === 'IPv6'));
      if (ip === undefined) return [];
      return [
        {
          addresses: [ip],
          conditions: { ready: pod.ready, serving: pod.ready, terminating: false },
          nodeName: pod.nodeName,
          targetRef: { kind: 'Pod', namespace, name: pod.name },
        },
      ];
    }),
  }));
}

/** REST collection paths. */
export const paths = {
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  pods: (ns: string) => `/api/v1/namespaces/${ns}/pods`,
  services: (ns: string) => `/api/v1/namespaces/${ns}/services`,
  secrets: (ns: string) => `/api/v1/namespaces/${ns}/secrets`,
  endpointSlices: (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  metallb: (kind: string) => `/apis/metallb.io/v1beta1/namespaces/${METALLB_NS}/${kind}`,
};
