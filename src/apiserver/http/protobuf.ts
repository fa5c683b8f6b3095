/**
 * Decoding of Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf), enough for what
 * kubectl's typed clients send: `kubectl create namespace|configmap|secret|service` post protobuf. The
 * body is the "k8s\0" magic plus a runtime.Unknown envelope around the typed message. Supported kinds:
 * Namespace, ConfigMap, Secret and Service (field numbers from k8s.io/api core/v1 generated.proto).
 * Any other kind is answered with 415 so the client can send JSON or YAML instead.
 */
import { badRequest, unsupportedMediaType } from '../errors.js';
import type { Json, JsonObject } from '../types.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const FIXED64_BYTES = 8;
const FIXED32_BYTES = 4;
const MAP_KEY = 1;
const MAP_VALUE = 2;

type Scalar = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'intOrString';
type Kind = Scalar | { readonly msg: Desc } | { readonly map: 'string' | 'bytes' };
interface Field {
  readonly name: string;
  readonly kind: Kind;
  readonly repeated?: boolean;
}
type Desc = Readonly<Record<number, Field>>;

const f = (name: string, kind: Kind, repeated = false): Field => ({ name, kind, repeated });

const OWNER_REFERENCE: Desc = {
  1: f('kind', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: f('controller', 'bool'),
  7: f('blockOwnerDeletion', 'bool'),
};
const OBJECT_META: Desc = {
  1: f('name', 'string'),
  2: f('generateName', 'string'),
  3: f('namespace', 'string'),
  5: f('uid', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('generation', 'int'),
  8: f('creationTimestamp', 'time'),
  11: f('labels', { map: 'string' }),
  12: f('annotations', { map: 'string' }),
  13: f('ownerReferences', { msg: OWNER_REFERENCE }, true),
  14: f('finalizers', 'string', true),
};
const SERVICE_PORT: Desc = {
  1: f('name', 'string'),
  2: f('protocol', 'string'),
  3: f('port', 'int'),
  4: f('targetPort', 'intOrString'),
  5: f('nodePort', 'int'),
  6: f('appProtocol', 'string'),
};
const SERVICE_SPEC: Desc = {
  1: f('ports', { msg: SERVICE_PORT }, true),
  2: f('selector', { map: 'string' }),
  3: f('clusterIP', 'string'),
  4: f('type', 'string'),
  5: f('externalIPs', 'string', true),
  7: f('sessionAffinity', 'string'),
  8: f('loadBalancerIP', 'string'),
  9: f('loadBalancerSourceRanges', 'string', true),
  10: f('externalName', 'string'),
  11: f('externalTrafficPolicy', 'string'),
  12: f('healthCheckNodePort', 'int'),
  13: f('publishNotReadyAddresses', 'bool'),
  17: f('ipFamilyPolicy', 'string'),
  18: f('clusterIPs', 'string', true),
  19: f('ipFamilies', 'string', true),
  20: f('allocateLoadBalancerNodePorts', 'bool'),
  21: f('loadBalancerClass', 'string'),
  22: f('internalTrafficPolicy', 'string'),
  23: f('trafficDistribution', 'string'),
};
const INT_OR_STRING: Desc = { 1: f('type', 'int'), 2: f('intVal', 'int'), 3: f('strVal', 'string') };
const TIME: Desc = { 1: f('seconds', 'int'), 2: f('nanos', 'int') };
const META = f('metadata', { msg: OBJECT_META });

const KINDS: Readonly<Record<string, Desc>> = {
  'v1/Namespace': { 1: META, 2: f('spec', { msg: { 1: f('finalizers', 'string', true) } }) },
  'v1/ConfigMap': {
    1: META,
    2: f('data', { map: 'string' }),
    3: f('binaryData', { map: 'bytes' }),
    4: f('immutable', 'bool'),
  },
  'v1/Secret': {
    1: META,
    2: f('data', { map: 'bytes' }),
    3: f('type', 'string'),
    4: f('stringData', { map: 'string' }),
    5: f('immutable', 'bool'),
  },
  'v1/Service': { 1: META, 2: f('spec', { msg: SERVICE_SPEC }) },
};
const TYPE_META: Desc = { 1: f('apiVersion', 'string'), 2: f('kind', 'string') };
const UNKNOWN: Desc = { 1: f('typeMeta', { msg: TYPE_META }), 2: f('raw', 'bytes') };

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw badRequest('protobuf body is truncated');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw badRequest('protobuf varint is too long');
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw badRequest('protobuf body is truncated');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_LEN) this.bytes();
    else if (wire === WIRE_FIXED64) this.pos += FIXED64_BYTES;
    else if (wire === WIRE_FIXED32) this.pos += FIXED32_BYTES;
    else throw badRequest(`unsupported protobuf wire type ${wire}`);
  }
}

function signed64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function scalar(kind: Scalar, r: Reader, wire: number): Json {
  switch (kind) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'int':
      return signed64(r.varint());
    case 'bool':
      return r.varint() !== 0n;
    case 'time': {
      const t = message(r.bytes(), TIME);
      return `${new Date(Number(t.seconds ?? 0) * 1000).toISOString().slice(0, 19)}Z`;
    }
    case 'intOrString': {
      const v = message(r.bytes(), INT_OR_STRING);
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
  }
  void wire;
}

/** Go writes zero values of non-pointer fields; JSON clients omit them, so they are dropped here too. */
function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false;
}

function message(buf: Buffer, desc: Desc): JsonObject {
  const r = new Reader(buf);
  const out: JsonObject = {};
  while (!r.done) {
    const tag = r.varint();
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    const field = desc[no];
    if (!field) {
      r.skip(wire);
      continue;
    }
    let value: Json;
    if (typeof field.kind === 'string') value = scalar(field.kind, r, wire);
    else if ('msg' in field.kind) value = message(r.bytes(), field.kind.msg);
    else {
      const entry = message(r.bytes(), {
        [MAP_KEY]: f('key', 'string'),
        [MAP_VALUE]: f('value', field.kind.map),
      });
      const map = (out[field.name] as JsonObject | undefined) ?? {};
      map[String(entry.key ?? '')] = entry.value ?? (field.kind.map === 'bytes' ? '' : '');
      out[field.name] = map;
      continue;
    }
    if (field.repeated) out[field.name] = [...((out[field.name] as Json[] | undefined) ?? []), value];
    else if (!isZero(value)) out[field.name] = value;
  }
  return out;
}

/** Decodes a Kubernetes protobuf body into the JSON form of the object. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('protobuf body does not start with the Kubernetes magic prefix');
  }
  const envelope = message(body.subarray(MAGIC.length), UNKNOWN);
  const typeMeta = (envelope.typeMeta ?? {}) as JsonObject;
  const key = `${String(typeMeta.apiVersion)}/${String(typeMeta.kind)}`;
  const desc = KINDS[key];
  if (!desc) throw unsupportedMediaType(PROTOBUF_MEDIA_TYPE, ['application/json', 'application/yaml']);
  const raw = Buffer.from(String(envelope.raw ?? ''), 'base64');
  return { apiVersion: typeMeta.apiVersion!, kind: typeMeta.kind!, ...message(raw, desc) };
}
