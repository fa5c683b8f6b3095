/**
 * Per-resource write strategies (the registry "strategy" of the real apiserver): defaulting, validation
 * and allocation on create and update, status handling on create, and clean-up after delete. Resources
 * without an entry get the generic behaviour (status dropped on create when a status subresource exists).
 */
import type { FieldError } from '../errors.js';
import { isObject, type JsonObject, type KubeObject } from '../types.js';
import type { AllocationTxn, ServiceAllocators } from './allocators.js';
import { prepareServiceCreate, prepareServiceUpdate, releaseService } from './service.js';

export interface StrategyContext {
  readonly allocators: ServiceAllocators;
  readonly txn: AllocationTxn;
}

export interface Strategy {
  /** Whether a create keeps the status the client sent (Nodes: kubelets register with status). */
  readonly keepStatusOnCreate?: boolean;
  prepareCreate?(obj: KubeObject, ctx: StrategyContext): FieldError[];
  prepareUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
  afterDelete?(obj: KubeObject, ctx: StrategyContext): void;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function secretWrite(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  obj.type ??= 'Opaque';
  const data: JsonObject = isObject(obj.data) ? obj.data : {};
  if (isObject(obj.stringData)) {
    for (const [k, v] of Object.entries(obj.stringData)) {
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
  }
  delete obj.stringData;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `data[${k}]`,
        value: '<redacted>',
        detail: 'must be base64-encoded',
      });
    }
  }
  if (Object.keys(data).length > 0 || obj.data !== undefined) obj.data = data;
  return errors;
}

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];

function endpointSliceWrite(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof obj.addressType !== 'string' || !ADDRESS_TYPES.includes(obj.addressType)) {
    errors.push(
      obj.addressType === undefined
        ? { type: 'FieldValueRequired', field: 'addressType', detail: '' }
        : {
            type: 'FieldValueNotSupported',
            field: 'addressType',
            value: obj.addressType,
            detail: 'supported values: "FQDN", "IPv4", "IPv6"',
          },
    );
  }
  if (old && old.addressType !== obj.addressType) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'addressType',
      value: obj.addressType,
      detail: 'field is immutable',
    });
  }
  if (obj.endpoints !== undefined && !Array.isArray(obj.endpoints)) {
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: 'endpoints',
      value: obj.endpoints,
      detail: 'must be a list',
    });
  }
  return errors;
}

const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>([
  [
    '/services',
    {
      prepareCreate: prepareServiceCreate,
      prepareUpdate: prepareServiceUpdate,
      afterDelete: (obj, ctx) => releaseService(obj, ctx.allocators),
    },
  ],
  ['/nodes', { keepStatusOnCreate: true }],
  [
    '/namespaces',
    {
      prepareCreate: (obj) => {
        obj.status = { phase: 'Active' };
        return [];
      },
    },
  ],
  [
    '/pods',
    {
      prepareCreate: (obj) => {
        obj.status = { phase: 'Pending' };
        return [];
      },
    },
  ],
  ['/secrets', { prepareCreate: secretWrite, prepareUpdate: secretWrite }],
  [
    'discovery.k8s.io/endpointslices',
    { prepareCreate: (o) => endpointSliceWrite(o), prepareUpdate: (o, old) => endpointSliceWrite(o, old) },
  ],
]);

const GENERIC: Strategy = {};

export function strategyFor(storage: string): Strategy {
  return STRATEGIES.get(storage) ?? GENERIC;
}
