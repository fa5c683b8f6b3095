// Wire formats: Status bodies, Kubernetes protobuf request bodies, JSON/YAML body decoding, Tables and
// the JSONPath subset printer columns use.
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  badRequest,
  conflict,
  expired,
  fieldErrorText,
  invalid,
  methodNotAllowed,
  notFound,
} from '../../../src/apiserver/errors.js';
import { decodeBody } from '../../../src/apiserver/http/body.js';
import { evaluate } from '../../../src/apiserver/http/jsonpath.js';
import { decodeProtobuf } from '../../../src/apiserver/http/protobuf.js';
import { acceptsTable, toTable } from '../../../src/apiserver/http/table.js';
import type { JsonObject } from '../../../src/apiserver/types.js';
import { makeEngine, NOW } from './fixture.js';

const SVC = { group: '', resource: 'services', kind: 'Service' };
const POOL = { group: 'metallb.io', resource: 'ipaddresspools', kind: 'IPAddressPool' };

describe('Status bodies', () => {
  it.each<{ err: ApiError; status: JsonObject }>([
    {
      err: notFound(SVC, 'a'),
      status: {
        message: 'services "a" not found',
        reason: 'NotFound',
        code: 404,
        details: { name: 'a', kind: 'services' },
      },
    },
    {
      err: notFound(POOL, 'p'),
      status: {
        message: 'ipaddresspools.metallb.io "p" not found',
        code: 404,
        details: { name: 'p', group: 'metallb.io', kind: 'ipaddresspools' },
      },
    },
    { err: conflict(SVC, 'a'), status: { reason: 'Conflict', code: 409 } },
    { err: badRequest('nope'), status: { message: 'nope', reason: 'BadRequest', code: 400 } },
    { err: methodNotAllowed('POST'), status: { reason: 'MethodNotAllowed', code: 405 } },
    { err: expired('old'), status: { reason: 'Expired', code: 410 } },
    {
      err: invalid(POOL, 'p', [
        { type: 'FieldValueRequired', field: 'spec.addresses', detail: '' },
        { type: 'FieldValueInvalid', field: 'spec.x', value: 3, detail: 'too big' },
      ]),
      status: {
        message:
          'IPAddressPool.metallb.io "p" is invalid: [spec.addresses: Required value, spec.x: Invalid value: 3: too big]',
        reason: 'Invalid',
        code: 422,
        details: {
          name: 'p',
          group: 'metallb.io',
          kind: 'IPAddressPool',
          causes: [
            { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.addresses' },
            { reason: 'FieldValueInvalid', message: 'Invalid value: 3: too big', field: 'spec.x' },
          ],
        },
      },
    },
  ])('$err.reason: $err.message', ({ err, status }) => {
    expect(err.toStatus()).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      ...status,
    });
  });

  it('formats field errors as validation.field.Error does', () => {
    expect(
      fieldErrorText({
        type: 'FieldValueNotSupported',
        field: 'f',
        value: 'x',
        detail: 'supported values: "a"',
      }),
    ).toBe('Unsupported value: "x": supported values: "a"');
    expect(fieldErrorText({ type: 'FieldValueForbidden', field: 'f', detail: 'no' })).toBe('Forbidden: no');
  });
});

/** Encodes a protobuf message from [field, wireType, value] triples (tests only). */
function pb(fields: Array<[number, 'str' | 'int' | 'msg', string | number | Buffer]>): Buffer {
  const varint = (n: number): Buffer => {
    const out: number[] = [];
    let v = n;
    do {
      out.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v = Math.floor(v / 128);
    } while (v > 0);
    return Buffer.from(out);
  };
  return Buffer.concat(
    fields.map(([no, kind, v]) => {
      if (kind === 'int') return Buffer.concat([varint((no << 3) | 0), varint(v as number)]);
      const bytes = typeof v === 'string' ? Buffer.from(v) : (v as Buffer);
      return Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
    }),
  );
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0'),
    pb([
      [
        1,
        'msg',
        pb([
          [1, 'str', apiVersion],
          [2, 'str', kind],
        ]),
      ],
      [2, 'msg', raw],
    ]),
  ]);
}

describe('protobuf bodies', () => {
  it('decodes a Service as kubectl create service sends it (zero values dropped, maps, IntOrString)', () => {
    const meta = pb([
      [1, 'str', 'lb'],
      [3, 'str', ''],
      [
        11,
        'msg',
        pb([
          [1, 'str', 'app'],
          [2, 'str', 'lb'],
        ]),
      ],
    ]);
    const port = pb([
      [1, 'str', '80-8080'],
      [2, 'str', 'TCP'],
      [3, 'int', 80],
      [
        4,
        'msg',
        pb([
          [1, 'int', 0],
          [2, 'int', 8080],
        ]),
      ],
      [5, 'int', 0],
    ]);
    const spec = pb([
      [1, 'msg', port],
      [
        2,
        'msg',
        pb([
          [1, 'str', 'app'],
          [2, 'str', 'lb'],
        ]),
      ],
      [4, 'str', 'LoadBalancer'],
      [7, 'str', ''],
    ]);
    const body = envelope(
      'v1',
      'Service',
      pb([
        [1, 'msg', meta],
        [2, 'msg', spec],
      ]),
    );
    expect(decodeBody(body, 'application/vnd.kubernetes.protobuf')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', labels: { app: 'lb' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }],
        selector: { app: 'lb' },
        type: 'LoadBalancer',
      },
    });
  });

  it('decodes Secret data (bytes) as base64 and string targetPorts', () => {
    const data = pb([
      [1, 'str', 'password'],
      [2, 'msg', Buffer.from('s3cret')],
    ]);
    const body = envelope(
      'v1',
      'Secret',
      pb([
        [1, 'msg', pb([[1, 'str', 's']])],
        [2, 'msg', data],
        [3, 'str', 'Opaque'],
      ]),
    );
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: Buffer.from('s3cret').toString('base64') },
      type: 'Opaque',
    });
  });

  it('answers 415 for kinds it cannot decode and 400 for garbage', () => {
    expect(() => decodeProtobuf(envelope('apps/v1', 'Deployment', Buffer.alloc(0)))).toThrow(
      expect.objectContaining({ code: 415 }),
    );
    expect(() => decodeProtobuf(Buffer.from('nope'))).toThrow(/magic prefix/);
    expect(() =>
      decodeProtobuf(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x05, 0x01])])),
    ).toThrow(/truncated/);
  });
});

describe('body decoding', () => {
  it('decodes JSON and YAML by media type and rejects the rest', () => {
    expect(decodeBody(Buffer.from('{"a":1}'), 'application/json')).toEqual({ a: 1 });
    expect(decodeBody(Buffer.from('a: 1\n'), 'application/apply-patch+yaml')).toEqual({ a: 1 });
    expect(decodeBody(Buffer.alloc(0), 'application/json')).toBeUndefined();
    expect(() => decodeBody(Buffer.from('{'), 'application/json')).toThrow(/not valid JSON/);
    expect(() => decodeBody(Buffer.from('x'), 'text/plain')).toThrow(expect.objectContaining({ code: 415 }));
  });
});

describe('tables', () => {
  it('detects kubectl Table requests', () => {
    expect(
      acceptsTable(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe(true);
    expect(acceptsTable('application/json')).toBe(false);
    expect(acceptsTable(undefined)).toBe(false);
  });

  it('renders Services like kubectl: <pending>, node ports, <none>', () => {
    const e = makeEngine();
    const def = e.registry.lookup('', 'v1', 'services')!;
    const created = new Date(NOW.getTime() - 90_000).toISOString();
    const lb = {
      metadata: { name: 'lb', creationTimestamp: created },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.1',
        ports: [{ port: 80, nodePort: 30000, protocol: 'TCP' }],
      },
    };
    const withIp = {
      ...lb,
      metadata: { name: 'lb2', creationTimestamp: created },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
    };
    const table = toTable(def, { items: [lb, withIp], metadata: { resourceVersion: '5' } }, NOW.getTime());
    expect((table.columnDefinitions as JsonObject[]).map((c) => c.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    expect((table.rows as JsonObject[]).map((r) => r.cells)).toEqual([
      ['lb', 'LoadBalancer', '10.96.0.1', '<pending>', '80:30000/TCP', '90s', '<none>'],
      ['lb2', 'LoadBalancer', '10.96.0.1', '192.0.2.10', '80:30000/TCP', '90s', '<none>'],
    ]);
    expect((table.rows as JsonObject[])[0]!.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: lb.metadata,
    });
  });

  it('uses CRD printer columns', () => {
    const e = makeEngine();
    const def = {
      ...e.registry.lookup('metallb.io', 'v1beta1', 'ipaddresspools')!,
      printerColumns: [{ name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' }],
    };
    const table = toTable(def, { metadata: { name: 'p' }, spec: { addresses: ['192.0.2.0/28'] } });
    expect((table.rows as JsonObject[])[0]!.cells).toEqual(['p', '["192.0.2.0/28"]']);
  });

  it('evaluates the JSONPath subset', () => {
    const node = {
      status: {
        addresses: [
          { type: 'InternalIP', address: '192.0.2.1' },
          { type: 'Hostname', address: 'n' },
        ],
      },
    };
    expect(evaluate(node, '.status.addresses[?(@.type=="InternalIP")].address')).toEqual(['192.0.2.1']);
    expect(evaluate(node, '{.status.addresses[*].type}')).toEqual(['InternalIP', 'Hostname']);
    expect(evaluate(node, '.status.addresses[1].address')).toEqual(['n']);
    expect(evaluate(node, '.status..bad')).toEqual([]);
  });
});
