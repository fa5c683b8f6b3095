/**
 * Readers for the Service fields the allocator needs, each returning a value or a typed
 * TranslationError naming the field: IP family policy and families (with the API server's defaults),
 * ports with protocols, the backend key (MetalLB k8salloc.BackendKey), the requested addresses
 * (metallb.io/loadBalancerIPs or spec.loadBalancerIP, MetalLB getDesiredLbIPs) and the addresses
 * currently in status.loadBalancer.ingress. Pure; input is plain JSON of unknown shape.
 */
import type { IpFamilyPolicy, Protocol, ServicePort } from '../../core/allocator/index.js';
import { parseIp, type IpAddress, type IpFamily } from '../../core/ip/index.js';
import { asRecord } from '../objects.js';
import { annotationField } from './annotations.js';
import { translationError, type TranslationError, type TranslationWarning } from './types.js';

export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TranslationError };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(error: TranslationError): Read<T> => ({ ok: false, error });

const POLICIES: readonly IpFamilyPolicy[] = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PORT_MAX = 65535;
const MAX_LB_IPS = 2;

function other(family: IpFamily): IpFamily {
  return family === 'IPv4' ? 'IPv6' : 'IPv4';
}

/** A Readonly<Record<string,string>> of the string entries of a map field; error for a non-map. */
export function readStringMap(value: unknown, field: string): Read<Readonly<Record<string, string>>> {
  if (value === undefined || value === null) return ok({});
  const map = asRecord(value);
  if (map === undefined)
    return fail(translationError('bad-field', field, 'must be a map of strings', 'InvalidService'));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string')
      return fail(translationError('bad-field', `${field}["${k}"]`, 'must be a string', 'InvalidService'));
    out[k] = v;
  }
  return ok(out);
}

export function readPolicy(spec: Readonly<Record<string, unknown>>): Read<IpFamilyPolicy> {
  const value = spec.ipFamilyPolicy;
  if (value === undefined || value === null) return ok('SingleStack');
  if (POLICIES.includes(value as IpFamilyPolicy)) return ok(value as IpFamilyPolicy);
  return fail(
    translationError(
      'bad-field',
      'spec.ipFamilyPolicy',
      `must be one of ${POLICIES.join(', ')}`,
      'InvalidService',
    ),
  );
}

function clusterIpTexts(spec: Readonly<Record<string, unknown>>): string[] | undefined {
  if (Array.isArray(spec.clusterIPs))
    return spec.clusterIPs.filter((ip): ip is string => typeof ip === 'string');
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : undefined;
}

/**
 * spec.ipFamilies, else the families of spec.clusterIPs, else the API server's defaults for the policy
 * on a cluster with `clusterFamilies`. RequireDualStack with fewer than two clusterIPs is MetalLB's
 * "not enough clusterips" error.
 */
export function readFamilies(
  spec: Readonly<Record<string, unknown>>,
  policy: IpFamilyPolicy,
  clusterFamilies: readonly IpFamily[],
): Read<IpFamily[]> {
  const clusterIps = clusterIpTexts(spec);
  if (
    policy === 'RequireDualStack' &&
    clusterIps !== undefined &&
    clusterIps.filter((ip) => ip !== 'None').length < MAX_LB_IPS
  ) {
    const reason = `service requires dual stack but has not enough clusterIPs [${clusterIps.join(', ')}]`;
    return fail(
      translationError('not-enough-cluster-ips', 'spec.clusterIPs', reason, 'not enough clusterips'),
    );
  }
  const declared = spec.ipFamilies;
  if (Array.isArray(declared) && declared.length > 0) {
    const bad = declared.findIndex((f, i) => !FAMILIES.includes(f as IpFamily) || declared.indexOf(f) !== i);
    if (bad >= 0 || declared.length > MAX_LB_IPS) {
      const field = bad >= 0 ? `spec.ipFamilies[${bad}]` : 'spec.ipFamilies';
      return fail(
        translationError(
          'bad-field',
          field,
          'must list IPv4 and/or IPv6, each at most once',
          'InvalidService',
        ),
      );
    }
    return ok(declared as IpFamily[]);
  }
  const fromClusterIps = [
    ...new Set((clusterIps ?? []).map((t) => parseIp(t)?.family).filter((f) => f !== undefined)),
  ];
  if (fromClusterIps.length > 0) return ok(fromClusterIps);
  const primary = clusterFamilies[0] ?? 'IPv4';
  if (policy === 'SingleStack') return ok([primary]);
  if (policy === 'RequireDualStack') return ok([primary, other(primary)]);
  return ok(clusterFamilies.length > 1 ? [primary, other(primary)] : [primary]);
}

/** spec.ports[].protocol (default TCP) and .port. */
export function readPorts(spec: Readonly<Record<string, unknown>>): Read<ServicePort[]> {
  const ports = spec.ports;
  if (ports === undefined || ports === null) return ok([]);
  if (!Array.isArray(ports))
    return fail(translationError('bad-field', 'spec.ports', 'must be a list', 'InvalidService'));
  const out: ServicePort[] = [];
  for (let i = 0; i < ports.length; i++) {
    const entry = asRecord(ports[i]);
    const protocol = entry?.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(protocol as Protocol)) {
      return fail(
        translationError(
          'bad-field',
          `spec.ports[${i}].protocol`,
          `must be one of ${PROTOCOLS.join(', ')}`,
          'InvalidService',
        ),
      );
    }
    const port = entry?.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > PORT_MAX) {
      return fail(
        translationError(
          'bad-field',
          `spec.ports[${i}].port`,
          `must be an integer in 1..${PORT_MAX}`,
          'InvalidService',
        ),
      );
    }
    out.push({ protocol: protocol as Protocol, port });
  }
  return ok(out);
}

/** '' for externalTrafficPolicy Cluster; for Local the selector as sorted `k=v` pairs joined by ','. */
export function readBackendKey(spec: Readonly<Record<string, unknown>>): Read<string> {
  const policy = spec.externalTrafficPolicy ?? 'Cluster';
  if (policy === 'Cluster') return ok('');
  if (policy !== 'Local') {
    return fail(
      translationError(
        'bad-field',
        'spec.externalTrafficPolicy',
        'must be Cluster or Local',
        'InvalidService',
      ),
    );
  }
  const selector = readStringMap(spec.selector, 'spec.selector');
  if (!selector.ok) return selector;
  const pairs = Object.entries(selector.value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return ok(pairs.map(([k, v]) => `${k}=${v}`).join(','));
}

function checkFamilies(ips: IpAddress[], field: string, text: string): Read<IpAddress[]> {
  if (ips.length > MAX_LB_IPS) {
    return fail(
      translationError('too-many-lb-ips', field, `"${text}": at most one address per IP family (two in all)`),
    );
  }
  if (ips.length === MAX_LB_IPS && ips[0]!.family === ips[1]!.family) {
    return fail(
      translationError(
        'lb-ips-same-family',
        field,
        `"${text}": two addresses of the same family (${ips[0]!.family})`,
      ),
    );
  }
  return ok(ips);
}

/**
 * The requested addresses: the loadBalancerIPs annotation (comma list, every entry must parse, at most
 * one per family) or spec.loadBalancerIP; both at once is an error. Empty values mean "none".
 */
export function readRequestedIps(
  annotation: { value: string | undefined; key: string },
  spec: Readonly<Record<string, unknown>>,
): Read<IpAddress[]> {
  const listText = annotation.value ?? '';
  const single = typeof spec.loadBalancerIP === 'string' ? spec.loadBalancerIP : '';
  const field = annotationField(annotation.key);
  if (listText !== '' && single !== '') {
    return fail(
      translationError('lb-ips-and-lb-ip', field, 'cannot be set together with spec.loadBalancerIP'),
    );
  }
  if (listText !== '') {
    const ips: IpAddress[] = [];
    for (const entry of listText.split(',')) {
      const ip = parseIp(entry.trim());
      if (ip === undefined)
        return fail(translationError('bad-lb-ips', field, `"${entry.trim()}" is not an IP address`));
      ips.push(ip);
    }
    return checkFamilies(ips, field, listText);
  }
  if (single === '') return ok([]);
  const ip = parseIp(single.trim());
  return ip === undefined
    ? fail(translationError('bad-lb-ip', 'spec.loadBalancerIP', `"${single}" is not an IP address`))
    : ok([ip]);
}

/** status.loadBalancer.ingress[].ip; any unparsable entry drops them all (MetalLB clears and reallocates). */
export function readCurrentIps(status: unknown): { ips: IpAddress[]; warning?: TranslationWarning } {
  const ingress = asRecord(asRecord(status)?.loadBalancer)?.ingress;
  if (!Array.isArray(ingress)) return { ips: [] };
  const ips: IpAddress[] = [];
  for (const entry of ingress) {
    const text = asRecord(entry)?.ip;
    if (text === undefined || text === '') continue;
    const ip = typeof text === 'string' ? parseIp(text) : undefined;
    if (ip === undefined) {
      const message = `status.loadBalancer.ingress has an invalid address ${JSON.stringify(text)}; the assignment will be replaced`;
      return { ips: [], warning: { eventReason: 'nolbIPsIPFamily', message } };
    }
    ips.push(ip);
  }
  return { ips };
}
