/**
 * Field validation of core/v1 Services (a subset of k8s.io/kubernetes pkg/apis/core/validation
 * ValidateService): type, ports (range, protocol, names, duplicates, nodePort use), IP family fields,
 * sessionAffinity, ExternalName and loadBalancerClass rules, on an already-defaulted object.
 */
import type { FieldError } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../types.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
const MAX_PORT = 65535;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL = 63;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function oneOf(errors: FieldError[], field: string, v: Json | undefined, allowed: readonly string[]): void {
  if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) {
    errors.push({
      type: 'FieldValueNotSupported',
      field,
      value: v,
      detail: `supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    });
  }
}

function validPort(v: Json | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_PORT;
}

function validatePort(p: JsonObject, i: number, type: string, errors: FieldError[]): void {
  const f = `spec.ports[${i}]`;
  if (!validPort(p.port)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: `${f}.port`,
      value: p.port,
      detail: `must be between 1 and ${MAX_PORT}, inclusive`,
    });
  }
  oneOf(errors, `${f}.protocol`, p.protocol, PROTOCOLS);
  const tp = p.targetPort;
  if (
    tp !== undefined &&
    !(validPort(tp) || (typeof tp === 'string' && IANA_SVC_NAME.test(tp) && tp.length <= 15))
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      field: `${f}.targetPort`,
      value: tp,
      detail: 'must be a port number between 1 and 65535 or an IANA service name',
    });
  }
  if (
    p.name !== undefined &&
    (typeof p.name !== 'string' ||
      (p.name !== '' && (!DNS1123_LABEL.test(p.name) || p.name.length > MAX_LABEL)))
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      field: `${f}.name`,
      value: p.name,
      detail: 'must be a DNS-1123 label',
    });
  }
  if (p.nodePort !== undefined && p.nodePort !== 0) {
    if (type === 'ClusterIP' || type === 'ExternalName') {
      errors.push({
        type: 'FieldValueForbidden',
        field: `${f}.nodePort`,
        detail: `may not be used when \`type\` is '${type}'`,
      });
    } else if (!validPort(p.nodePort)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `${f}.nodePort`,
        value: p.nodePort,
        detail: `must be between 1 and ${MAX_PORT}, inclusive`,
      });
    }
  }
}

function validatePorts(spec: JsonObject, type: string, errors: FieldError[]): void {
  const ports = spec.ports;
  const headless = spec.clusterIP === 'None';
  if (ports === undefined || (Array.isArray(ports) && ports.length === 0)) {
    if (type !== 'ExternalName' && !headless)
      errors.push({ type: 'FieldValueRequired', field: 'spec.ports', detail: '' });
    return;
  }
  if (!Array.isArray(ports)) {
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: 'spec.ports',
      value: ports,
      detail: 'must be a list',
    });
    return;
  }
  const seenNames = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObject(p)) {
      errors.push({
        type: 'FieldValueTypeInvalid',
        field: `spec.ports[${i}]`,
        value: p,
        detail: 'must be an object',
      });
      return;
    }
    validatePort(p, i, type, errors);
    const name = typeof p.name === 'string' ? p.name : '';
    if (ports.length > 1 && name === '')
      errors.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name`, detail: '' });
    else if (name !== '' && seenNames.has(name))
      errors.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].name`, value: name, detail: '' });
    seenNames.add(name);
    const key = `${String(p.port)}/${String(p.protocol)}`;
    if (seenPorts.has(key)) {
      errors.push({
        type: 'FieldValueDuplicate',
        field: `spec.ports[${i}]`,
        value: `${String(p.port)}/${String(p.protocol)}`,
        detail: '',
      });
    }
    seenPorts.add(key);
  });
}

function validateFamilies(spec: JsonObject, errors: FieldError[]): void {
  oneOf(errors, 'spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES);
  const fams = spec.ipFamilies;
  if (fams === undefined) return;
  if (!Array.isArray(fams) || fams.length > 2) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.ipFamilies',
      value: fams,
      detail: 'must be a list of at most two IP families',
    });
    return;
  }
  fams.forEach((f, i) => oneOf(errors, `spec.ipFamilies[${i}]`, f, IP_FAMILIES));
  if (fams.length === 2 && fams[0] === fams[1]) {
    errors.push({ type: 'FieldValueDuplicate', field: 'spec.ipFamilies[1]', value: fams[1], detail: '' });
  }
  if (fams.length === 2 && spec.ipFamilyPolicy === 'SingleStack') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.ipFamilyPolicy',
      value: 'SingleStack',
      detail: 'must be RequireDualStack or PreferDualStack when multiple IP families are specified',
    });
  }
}

/** Validates a defaulted Service spec (allocation-independent checks). */
export function validateServiceSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  oneOf(errors, 'spec.type', spec.type, SERVICE_TYPES);
  oneOf(errors, 'spec.sessionAffinity', spec.sessionAffinity, ['None', 'ClientIP']);
  oneOf(errors, 'spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']);
  oneOf(errors, 'spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']);
  validatePorts(spec, type, errors);
  validateFamilies(spec, errors);
  if (type === 'ExternalName' && (typeof spec.externalName !== 'string' || spec.externalName === '')) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.externalName', detail: '' });
  }
  if (spec.loadBalancerClass !== undefined && type !== 'LoadBalancer') {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'spec.loadBalancerClass',
      detail: "may only be used when `type` is 'LoadBalancer'",
    });
  }
  if (spec.selector !== undefined && !isObject(spec.selector)) {
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: 'spec.selector',
      value: spec.selector,
      detail: 'must be a map of strings',
    });
  }
  return errors;
}

/** Update-only rules: loadBalancerClass may not change once set on a LoadBalancer Service. */
export function validateServiceUpdate(spec: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (
    old.type === 'LoadBalancer' &&
    spec.type === 'LoadBalancer' &&
    old.loadBalancerClass !== spec.loadBalancerClass
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.loadBalancerClass',
      value: spec.loadBalancerClass ?? null,
      detail: 'may not change once set',
    });
  }
  return errors;
}
