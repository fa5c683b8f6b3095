/**
 * The CEL rules of the CRDs (x-kubernetes-validations), evaluated on objects the way an API server
 * evaluates them on create and update, and compared with parseConfig where the parser has the same rule.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, object } from './helpers/config.js';
import { loadCrds, NAMESPACE, schemaOf } from './helpers/manifests.js';
import { validateObject } from './helpers/openapi.js';

const crds = loadCrds();
const reasons = (kind: string, version: string, obj: unknown, old?: unknown) =>
  validateObject(schemaOf(crds, kind, version), obj, old).errors.map((e) => `${e.path}: ${e.reason}`);

describe('BGPAdvertisement: serviceSelectors need the default aggregation lengths', () => {
  const adv = (spec: object) => object('BGPAdvertisement', 'v1beta1', spec);
  const selectors = { serviceSelectors: [{ matchLabels: { app: 'web' } }] };
  const cases: [spec: object, valid: boolean][] = [
    [selectors, true],
    [{ ...selectors, aggregationLength: 32, aggregationLengthV6: 128 }, true],
    [{ aggregationLength: 24, aggregationLengthV6: 64 }, true],
    [{ serviceSelectors: [], aggregationLength: 24 }, true],
    [{ ...selectors, aggregationLength: 24 }, false],
    [{ ...selectors, aggregationLengthV6: 120 }, false],
  ];

  it.each(cases)('%j: valid=%s for the CRD and for parseConfig', (spec, valid) => {
    const schemaErrors = reasons('BGPAdvertisement', 'v1beta1', adv(spec));
    expect(schemaErrors).toEqual(
      valid
        ? []
        : [
            'spec: serviceSelectors can only be used with the default aggregation lengths (aggregationLength 32, aggregationLengthV6 128)',
          ],
    );
    expect(errorsOf([adv(spec)]).map((e) => e.path)).toEqual(valid ? [] : ['spec.serviceSelectors']);
  });
});

describe('BGPPeer v1beta2: connectTime is whole seconds from 1s to 65535s', () => {
  const peer = (connectTime: string) =>
    object('BGPPeer', 'v1beta2', { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', connectTime });

  it.each(['1s', '120s', '2m', '1000ms', '65535s', '18h12m15s'])('%s is accepted by both', (t) => {
    expect(reasons('BGPPeer', 'v1beta2', peer(t))).toEqual([]);
    expect(errorsOf([peer(t)])).toEqual([]);
  });

  it.each([
    ['0s', 'connectTime must be between 1s and 65535s'],
    ['-1s', 'connectTime must be between 1s and 65535s'],
    ['65536s', 'connectTime must be between 1s and 65535s'],
    ['1500ms', 'connectTime must be a whole number of seconds'],
  ])('%s is rejected by both: %s', (t, message) => {
    expect(reasons('BGPPeer', 'v1beta2', peer(t))).toEqual([`spec.connectTime: ${message}`]);
    expect(errorsOf([peer(t)]).map((e) => e.path)).toEqual(['spec.connectTime']);
  });
});

describe('BGPPeer v1beta2: enableGracefulRestart is fixed at creation', () => {
  const peer = (gr: boolean) =>
    object('BGPPeer', 'v1beta2', {
      myASN: 64512,
      peerASN: 64500,
      peerAddress: '192.0.2.1',
      enableGracefulRestart: gr,
    });

  it('may be set on create and kept on update', () => {
    expect(reasons('BGPPeer', 'v1beta2', peer(true))).toEqual([]);
    expect(reasons('BGPPeer', 'v1beta2', peer(true), peer(true))).toEqual([]);
  });

  it('cannot be changed by an update', () => {
    expect(reasons('BGPPeer', 'v1beta2', peer(false), peer(true))).toEqual([
      'spec.enableGracefulRestart: enableGracefulRestart cannot change after the BGPPeer is created; delete and create the peer again',
    ]);
  });
});

describe.each(['ServiceL2Status', 'ServiceBGPStatus'])(
  '%s: the announcing node and the Service are fixed',
  (kind) => {
    const status = (extra: object) => ({
      apiVersion: 'metallb.io/v1beta1',
      kind,
      metadata: { generateName: 'l2-', namespace: NAMESPACE },
      status: { node: 'node-1', serviceName: 'web', serviceNamespace: 'default', ...extra },
    });
    const list = kind === 'ServiceL2Status' ? { interfaces: [{ name: 'eth0' }] } : { peers: ['router-v4'] };
    const changed = kind === 'ServiceL2Status' ? { interfaces: [{ name: 'eth1' }] } : { peers: [] };

    it('accepts a new object and an update of the announcement list', () => {
      expect(reasons(kind, 'v1beta1', status(list))).toEqual([]);
      expect(reasons(kind, 'v1beta1', status(changed), status(list))).toEqual([]);
    });

    it('rejects changing node, serviceName or serviceNamespace', () => {
      const moved = status({ node: 'node-2', serviceName: 'api', serviceNamespace: 'prod' });
      expect(reasons(kind, 'v1beta1', moved, status({}))).toEqual([
        'status.node: cannot change once set',
        'status.serviceName: cannot change once set',
        'status.serviceNamespace: cannot change once set',
      ]);
    });
  },
);

describe('ConfigurationState', () => {
  const state = (status: object) => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'ConfigurationState',
    metadata: {
      name: 'controller',
      namespace: NAMESPACE,
      labels: { 'metallb.io/component-type': 'controller' },
    },
    status,
  });
  const condition = (type: string) => ({
    type,
    status: 'False',
    reason: 'InvalidConfiguration',
    message: 'IPAddressPool metallb-system/a: spec.addresses[0]: ...',
    lastTransitionTime: '2026-01-02T03:04:05Z',
  });

  it('accepts a report with a result, a summary and conditions', () => {
    expect(
      reasons(
        'ConfigurationState',
        'v1beta1',
        state({ result: 'Invalid', errorSummary: 'x', conditions: [condition('Valid')] }),
      ),
    ).toEqual([]);
  });

  it('rejects an unknown result, a repeated condition type and a condition without its required fields', () => {
    expect(
      reasons(
        'ConfigurationState',
        'v1beta1',
        state({ result: 'Broken', conditions: [condition('Valid'), condition('Valid'), { type: 'X' }] }),
      ),
    ).toEqual([
      'status.result: must be one of "Valid", "Invalid", "Unknown"',
      'status.conditions: must not repeat map keys',
      'status.conditions[2]: status: required',
      'status.conditions[2]: lastTransitionTime: required',
      'status.conditions[2]: reason: required',
      'status.conditions[2]: message: required',
    ]);
  });
});
