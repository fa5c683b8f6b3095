/**
 * A Service fixture for the translation tests: a valid LoadBalancer Service (single-stack IPv4, one TCP
 * port, ETP Cluster) that each row edits, plus small accessors for the translation result.
 */
import { formatIp } from '../../../src/core/ip/index.js';
import type { ServiceTranslation } from '../../../src/k8s/index.js';

export type Json = Record<string, unknown>;

export function service(
  edit: (s: { metadata: Json; spec: Json; status: Json }) => void = () => undefined,
): Json {
  const s = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-1',
      labels: { app: 'web' },
      annotations: {} as Record<string, string>,
      creationTimestamp: '2024-01-01T00:00:00Z',
    } as Json,
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' },
      externalTrafficPolicy: 'Cluster',
    } as Json,
    status: {} as Json,
  };
  edit(s);
  return s;
}

export const annotate = (entries: Record<string, string | undefined>) => (s: { metadata: Json }) => {
  s.metadata.annotations = entries;
};

export function request(t: ServiceTranslation) {
  if (t.kind !== 'request') throw new Error(`expected a request, got ${t.kind}: ${JSON.stringify(t)}`);
  return t;
}

export const ipsOf = (t: ServiceTranslation) => request(t).request.requestedIps.map(formatIp);
