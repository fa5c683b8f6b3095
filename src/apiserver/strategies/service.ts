/**
 * core/v1 Service semantics of the real apiserver: defaulting (type, protocol, targetPort, affinity,
 * traffic policies, ipFamilyPolicy/ipFamilies), cluster IP allocation per family from the service CIDRs
 * (dual-stack honours ipFamilyPolicy), node ports for NodePort/LoadBalancer Services, keeping allocated
 * values across updates that omit them, releasing what a type change drops, and validation.
 */
import type { FieldError } from '../errors.js';
import type { Json, JsonObject, KubeObject } from '../types.js';
import {
  assignClusterIps,
  assignNodePorts,
  clusterIpsOf,
  needsClusterIp,
  needsNodePorts,
  nodePortsOf,
  portsOf,
  releaseIp,
  specOf,
  type Ctx,
} from './service-alloc.js';
import { validateServiceSpec, validateServiceUpdate } from './service-validation.js';

export { releaseService, reserveService } from './service-alloc.js';

export function defaultService(obj: KubeObject): void {
  const spec = specOf(obj);
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  else delete spec.externalTrafficPolicy;
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  else delete spec.allocateLoadBalancerNodePorts;
  for (const p of portsOf(spec)) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0) p.targetPort = p.port ?? 0;
  }
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
}

export function prepareServiceCreate(obj: KubeObject, ctx: Ctx): FieldError[] {
  defaultService(obj);
  obj.status = { loadBalancer: {} };
  const spec = specOf(obj);
  const errors = validateServiceSpec(spec);
  if (errors.length > 0) return errors;
  if (needsClusterIp(spec)) assignClusterIps(spec, ctx, errors, []);
  assignNodePorts(spec, ctx, errors, new Set());
  return errors;
}

function carryAllocated(spec: JsonObject, old: JsonObject, errors: FieldError[]): void {
  if (!needsClusterIp(spec) || !needsClusterIp(old)) return;
  if ((spec.clusterIP === undefined || spec.clusterIP === '') && old.clusterIP !== undefined)
    spec.clusterIP = old.clusterIP;
  if (spec.clusterIPs === undefined || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 0)) {
    const oldIps = Array.isArray(old.clusterIPs) ? old.clusterIPs : [];
    spec.clusterIPs = spec.clusterIP === old.clusterIP ? [...oldIps] : [spec.clusterIP as Json];
  }
  if (spec.ipFamilies === undefined && Array.isArray(old.ipFamilies)) spec.ipFamilies = [...old.ipFamilies];
  if (spec.ipFamilyPolicy === undefined && old.ipFamilyPolicy !== undefined)
    spec.ipFamilyPolicy = old.ipFamilyPolicy;
  const before = Array.isArray(old.clusterIPs) ? old.clusterIPs : [];
  const after = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (before[0] !== undefined && after[0] !== before[0]) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.clusterIPs[0]',
      value: after[0] ?? null,
      detail: 'may not change once set',
    });
  }
  if (spec.clusterIP !== after[0]) spec.clusterIP = after[0] ?? '';
  if (needsNodePorts(spec) && needsNodePorts(old)) {
    const oldPorts = portsOf(old);
    for (const p of portsOf(spec)) {
      if (p.nodePort !== undefined && p.nodePort !== 0) continue;
      const match = oldPorts.find(
        (o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
      );
      if (match?.nodePort !== undefined) p.nodePort = match.nodePort;
    }
  }
}

/** trimFieldsForDualStackDowngrade: lowering the policy to SingleStack keeps only the primary family. */
function trimForDowngrade(spec: JsonObject, old: JsonObject): void {
  const wasDual = Array.isArray(old.ipFamilies) && old.ipFamilies.length > 1;
  if (spec.ipFamilyPolicy !== 'SingleStack' || !wasDual) return;
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 1)
    spec.clusterIPs = spec.clusterIPs.slice(0, 1);
  if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 1)
    spec.ipFamilies = spec.ipFamilies.slice(0, 1);
}

/** A type change away from NodePort/LoadBalancer drops the node ports the old type had allocated. */
function dropTypeDependentNodePorts(spec: JsonObject, old: JsonObject): void {
  if (!needsNodePorts(old) || needsNodePorts(spec)) return;
  const oldPorts = new Set(nodePortsOf(old));
  for (const p of portsOf(spec))
    if (typeof p.nodePort === 'number' && oldPorts.has(p.nodePort)) delete p.nodePort;
}

/** Defaults, validates and re-allocates an updated Service; schedules releases of dropped values. */
export function prepareServiceUpdate(obj: KubeObject, oldObj: KubeObject, ctx: Ctx): FieldError[] {
  defaultService(obj);
  const spec = specOf(obj);
  const old = specOf(oldObj);
  dropTypeDependentNodePorts(spec, old);
  trimForDowngrade(spec, old);
  const errors = [...validateServiceSpec(spec), ...validateServiceUpdate(spec, old)];
  if (errors.length > 0) return errors;
  carryAllocated(spec, old, errors);
  if (errors.length > 0) return errors;
  const oldIps = clusterIpsOf(old);
  const oldPorts = new Set(nodePortsOf(old));
  if (needsClusterIp(spec)) assignClusterIps(spec, ctx, errors, oldIps);
  assignNodePorts(spec, ctx, errors, oldPorts);
  const newIps = new Set(clusterIpsOf(spec));
  const newPorts = new Set(nodePortsOf(spec));
  for (const ip of oldIps) if (!newIps.has(ip)) ctx.txn.releaseOnCommit(() => releaseIp(ctx.allocators, ip));
  for (const p of oldPorts)
    if (!newPorts.has(p)) ctx.txn.releaseOnCommit(() => ctx.allocators.nodePorts.release(p));
  return errors;
}
