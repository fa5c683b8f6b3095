/**
 * Cluster IP and node port allocation for Services: the IP families a Service gets (ipFamilies,
 * clusterIPs, ipFamilyPolicy and the cluster's service CIDRs), cluster IPs per family, node ports for
 * NodePort/LoadBalancer Services, and returning or re-reserving them on delete and restart. Every value
 * taken is recorded in the request's AllocationTxn so a failed or dry-run request gives it back.
 */
import type { IpFamily } from '../../core/ip/index.js';
import { parseIp } from '../../core/ip/index.js';
import type { FieldError } from '../errors.js';
import { isObject, type Json, type JsonObject, type KubeObject } from '../types.js';
import type { AllocationTxn, ServiceAllocators } from './allocators.js';

export function specOf(obj: KubeObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

export function portsOf(spec: JsonObject): JsonObject[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
}

export function needsNodePorts(spec: JsonObject): boolean {
  return (
    spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
  );
}

export function needsClusterIp(spec: JsonObject): boolean {
  return spec.type !== 'ExternalName';
}

/** SetDefaults_Service plus the type-dependent clean-ups of the registry strategy. */
export type Ctx = { readonly allocators: ServiceAllocators; readonly txn: AllocationTxn };

export function familyOf(ip: string): IpFamily | undefined {
  return parseIp(ip)?.family;
}

/** The families a Service gets, from ipFamilies, clusterIPs, ipFamilyPolicy and the cluster's families. */
function resolveFamilies(spec: JsonObject, ctx: Ctx, errors: FieldError[]): IpFamily[] {
  const ips = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : []).filter(
    (x): x is string => typeof x === 'string' && x !== 'None',
  );
  const given = Array.isArray(spec.ipFamilies)
    ? spec.ipFamilies.filter((f): f is IpFamily => f === 'IPv4' || f === 'IPv6')
    : [];
  if (spec.ipFamilyPolicy === undefined)
    spec.ipFamilyPolicy = given.length > 1 || ips.length > 1 ? 'RequireDualStack' : 'SingleStack';
  const policy = spec.ipFamilyPolicy;
  const fromIps = ips.map(familyOf).filter((f): f is IpFamily => f !== undefined);
  const families: IpFamily[] =
    given.length > 0 ? [...given] : fromIps.length > 0 ? fromIps : [ctx.allocators.primaryFamily];
  if (policy !== 'SingleStack' && families.length === 1 && ctx.allocators.dualStack) {
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  }
  if (policy === 'RequireDualStack' && !ctx.allocators.dualStack) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.ipFamilyPolicy',
      value: policy,
      detail: 'this cluster is not configured for dual-stack services',
    });
  }
  for (const [i, f] of families.entries()) {
    if (!ctx.allocators.ips.has(f)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `spec.ipFamilies[${i}]`,
        value: f,
        detail: `not configured on this cluster`,
      });
    }
  }
  return policy === 'SingleStack' ? families.slice(0, 1) : families;
}

/** The cluster IP of family index `i`: the requested one (checked and reserved) or a new one. */
function clusterIpFor(
  family: IpFamily,
  i: number,
  want: Json | undefined,
  ctx: Ctx,
  errors: FieldError[],
  kept: readonly string[],
): string | undefined {
  const allocator = ctx.allocators.ips.get(family);
  if (!allocator) return undefined;
  const field = `spec.clusterIPs[${i}]`;
  if (typeof want !== 'string' || want === '') {
    const ip = allocator.allocate();
    if (ip === undefined)
      errors.push({
        type: 'FieldValueInvalid',
        field,
        value: null,
        detail: `no addresses left in ${allocator.cidr}`,
      });
    else ctx.txn.took(() => allocator.release(ip));
    return ip;
  }
  if (familyOf(want) !== family) {
    errors.push({ type: 'FieldValueInvalid', field, value: want, detail: `expected an ${family} address` });
    return undefined;
  }
  if (kept.includes(want)) return want;
  const r = allocator.reserve(want);
  if (r === 'ok') {
    ctx.txn.took(() => allocator.release(want));
    return want;
  }
  const detail =
    r === 'taken'
      ? 'provided IP is already allocated'
      : `provided IP is not in the valid range. The range of valid IPs is ${allocator.cidr}`;
  errors.push({ type: 'FieldValueInvalid', field, value: want, detail });
  return undefined;
}

/** Sets clusterIP, clusterIPs and ipFamilies; `kept` are the IPs the Service already holds (updates). */
export function assignClusterIps(
  spec: JsonObject,
  ctx: Ctx,
  errors: FieldError[],
  kept: readonly string[],
): void {
  if (spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None')) {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    spec.ipFamilies = resolveFamilies(spec, ctx, errors);
    return;
  }
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && !Array.isArray(spec.clusterIPs)) {
    spec.clusterIPs = [spec.clusterIP];
  }
  const families = resolveFamilies(spec, ctx, errors);
  const requested = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  const out = families
    .map((family, i) => clusterIpFor(family, i, requested[i], ctx, errors, kept))
    .filter((ip): ip is string => ip !== undefined);
  spec.clusterIPs = out;
  spec.clusterIP = out[0] ?? '';
  spec.ipFamilies = families;
}

export function assignNodePorts(
  spec: JsonObject,
  ctx: Ctx,
  errors: FieldError[],
  kept: ReadonlySet<number>,
): void {
  if (!needsNodePorts(spec)) return;
  const alloc = ctx.allocators.nodePorts;
  portsOf(spec).forEach((p, i) => {
    const want = p.nodePort;
    if (typeof want === 'number' && want !== 0) {
      if (kept.has(want)) return;
      const r = alloc.reserve(want);
      if (r !== 'ok') {
        const detail =
          r === 'taken'
            ? 'provided port is already allocated'
            : `provided port is not in the valid range. The range of valid ports is ${alloc.min}-${alloc.max}`;
        errors.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, value: want, detail });
        return;
      }
      ctx.txn.took(() => alloc.release(want));
      return;
    }
    const port = alloc.allocate();
    if (port === undefined) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `spec.ports[${i}].nodePort`,
        value: null,
        detail: 'no node ports left',
      });
      return;
    }
    ctx.txn.took(() => alloc.release(port));
    p.nodePort = port;
  });
}

/** Defaults, validates and allocates a new Service. */
export function clusterIpsOf(spec: JsonObject): string[] {
  return (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : []).filter(
    (x): x is string => typeof x === 'string' && x !== 'None' && x !== '',
  );
}

export function nodePortsOf(spec: JsonObject): number[] {
  return portsOf(spec)
    .map((p) => p.nodePort)
    .filter((n): n is number => typeof n === 'number' && n !== 0);
}

/** Carries allocated values the update omitted (patchAllocatedValues) and rejects changed cluster IPs. */
export function releaseIp(allocators: ServiceAllocators, ip: string): void {
  const f = familyOf(ip);
  if (f) allocators.ips.get(f)?.release(ip);
}

/** Returns a deleted Service's cluster IPs and node ports. */
export function releaseService(obj: KubeObject, allocators: ServiceAllocators): void {
  const spec = specOf(obj);
  for (const ip of clusterIpsOf(spec)) releaseIp(allocators, ip);
  for (const p of nodePortsOf(spec)) allocators.nodePorts.release(p);
}

/** Marks a stored Service's values as taken (after a restart from a state file). */
export function reserveService(obj: KubeObject, allocators: ServiceAllocators): void {
  const spec = specOf(obj);
  for (const ip of clusterIpsOf(spec)) {
    const f = familyOf(ip);
    if (f) allocators.ips.get(f)?.reserve(ip);
  }
  for (const p of nodePortsOf(spec)) allocators.nodePorts.reserve(p);
}
