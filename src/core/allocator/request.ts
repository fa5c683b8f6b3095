/**
 * Validation and normalisation of an AllocationRequest: the service key, the families it needs (primary
 * first), whether it is dual-stack, and the sharing inputs.
 * Also the family checks on a list of addresses (MetalLB ipfamily.ForAddresses). Pure.
 */
import type { IpAddress, IpFamily } from '../ip/index.js';
import { errors, type IpsRole } from './errors.js';
import type { AllocationError, AllocationRequest, Protocol, ServicePort } from './types.js';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];
const PORT_MAX = 65535;

export interface NormalizedRequest {
  readonly key: string;
  readonly request: AllocationRequest;
  /** The service's families, primary first: one, or both for a dual-stack service. */
  readonly families: readonly IpFamily[];
  /** PreferDualStack with two families: a single family is acceptable. */
  readonly preferDual: boolean;
  /** metallb.io/address-pool; undefined when absent or empty. */
  readonly requestedPool: string | undefined;
  readonly sharingKey: string;
  readonly backendKey: string;
  readonly ports: readonly ServicePort[];
}

export type Normalized = { ok: true; value: NormalizedRequest } | { ok: false; error: AllocationError };

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function familiesProblem(req: AllocationRequest): AllocationError | undefined {
  const fams = req.ipFamilies;
  if (!POLICIES.includes(req.ipFamilyPolicy)) {
    return errors.invalidRequest('spec.ipFamilyPolicy', `must be one of ${POLICIES.join(', ')}`);
  }
  if (fams.length < 1 || fams.length > 2 || fams.some((f) => !FAMILIES.includes(f)) || fams[0] === fams[1]) {
    return errors.invalidRequest('spec.ipFamilies', 'must list IPv4 and/or IPv6, each at most once');
  }
  if (req.ipFamilyPolicy === 'SingleStack' && fams.length !== 1) {
    return errors.invalidRequest('spec.ipFamilies', 'SingleStack allows exactly one IP family');
  }
  if (req.ipFamilyPolicy === 'RequireDualStack' && fams.length !== 2) {
    return errors.invalidRequest(
      'spec.ipFamilies',
      `service requires dual stack but has only ${fams.join('')} cluster IPs`,
    );
  }
  return undefined;
}

function portsProblem(ports: readonly ServicePort[]): AllocationError | undefined {
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (!PROTOCOLS.includes(p.protocol)) {
      return errors.invalidRequest(`spec.ports[${i}].protocol`, `must be one of ${PROTOCOLS.join(', ')}`);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > PORT_MAX) {
      return errors.invalidRequest(`spec.ports[${i}].port`, `must be an integer in 1..${PORT_MAX}`);
    }
  }
  return undefined;
}

export function normalizeRequest(request: AllocationRequest): Normalized {
  if (request.namespace.length === 0) {
    return { ok: false, error: errors.invalidRequest('metadata.namespace', 'must not be empty') };
  }
  if (request.name.length === 0) {
    return { ok: false, error: errors.invalidRequest('metadata.name', 'must not be empty') };
  }
  const problem = familiesProblem(request) ?? portsProblem(request.ports);
  if (problem) return { ok: false, error: problem };
  return {
    ok: true,
    value: {
      key: serviceKey(request.namespace, request.name),
      request,
      families: request.ipFamilies,
      preferDual: request.ipFamilyPolicy === 'PreferDualStack' && request.ipFamilies.length === 2,
      requestedPool: request.requestedPool === '' ? undefined : request.requestedPool,
      sharingKey: request.sharingKey ?? '',
      backendKey: request.backendKey,
      ports: request.ports,
    },
  };
}

/**
 * Checks a list of addresses against the service's families: at most two, not the same family twice, and
 * exactly the service's families, or (PreferDualStack, when allowSingle) one of them.
 */
export function ipsFamilyProblem(
  ips: readonly IpAddress[],
  n: NormalizedRequest,
  role: IpsRole,
  allowSingle: boolean,
): AllocationError | undefined {
  if (ips.length > 2) return errors.tooManyIps([...ips], role);
  if (ips.length === 2 && ips[0]!.family === ips[1]!.family) {
    return ips[0]!.value === ips[1]!.value
      ? errors.tooManyIps([...ips], role)
      : errors.familyMismatch([...ips], [...n.families], role);
  }
  const matches = ips.length === n.families.length && ips.every((ip) => n.families.includes(ip.family));
  const singleOk = allowSingle && n.preferDual && ips.length === 1;
  if (!matches && !singleOk) return errors.familyMismatch([...ips], [...n.families], role);
  return undefined;
}
