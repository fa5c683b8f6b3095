/**
 * deploy/crds as the embedded API server (src/apiserver) loads them at startup: the directory loads, each
 * served version becomes a resource with its status subresource, storage version and printer columns,
 * and the API server's own schema code (prune, default, validate) accepts the samples unchanged and
 * rejects what the CRD schemas reject.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crdToResources, loadCrdDir } from '../../../src/apiserver/resources/crd.js';
import { applySchema } from '../../../src/apiserver/schema/structural.js';
import type { JsonObject } from '../../../src/apiserver/types.js';
import { object } from './helpers/config.js';
import { DEPLOY_DIR, manifestsUnder } from './helpers/manifests.js';

const crds = await loadCrdDir(join(DEPLOY_DIR, 'crds'));
const resources = crds.flatMap(crdToResources);
const resourceFor = (kind: string, version: string) => {
  const r = resources.find((x) => x.kind === kind && x.version === version);
  if (!r?.schema) throw new Error(`no resource with a schema for ${kind} ${version}`);
  return r;
};

describe('deploy/crds in the embedded API server', () => {
  it('loads all nine CRDs as ten served resources with a status subresource', () => {
    expect(crds).toHaveLength(9);
    expect(resources.map((r) => `${r.kind}/${r.version}`).sort()).toEqual([
      'BFDProfile/v1beta1',
      'BGPAdvertisement/v1beta1',
      'BGPPeer/v1beta1',
      'BGPPeer/v1beta2',
      'Community/v1beta1',
      'ConfigurationState/v1beta1',
      'IPAddressPool/v1beta1',
      'L2Advertisement/v1beta1',
      'ServiceBGPStatus/v1beta1',
      'ServiceL2Status/v1beta1',
    ]);
    for (const r of resources) {
      expect(r).toMatchObject({
        group: 'metallb.io',
        namespaced: true,
        statusSubresource: true,
        custom: true,
      });
      expect(r.schema).toBeDefined();
    }
    expect(resourceFor('BGPPeer', 'v1beta1').storageVersion).toBe('v1beta2');
    expect(resourceFor('IPAddressPool', 'v1beta1').printerColumns.map((c) => c.name)).toEqual([
      'Auto Assign',
      'Avoid Buggy IPs',
      'Addresses',
    ]);
  });

  it('accepts every sample object without errors or pruned fields', () => {
    const samples = manifestsUnder('samples').filter((m) =>
      String(m.doc.apiVersion).startsWith('metallb.io/'),
    );
    expect(samples.length).toBe(10);
    for (const m of samples) {
      const version = String(m.doc.apiVersion).split('/')[1]!;
      const outcome = applySchema(m.doc as JsonObject, resourceFor(String(m.doc.kind), version).schema!);
      expect(outcome.errors, `${m.file} ${String(m.doc.kind)}`).toEqual([]);
      expect(outcome.unknownFields, `${m.file} ${String(m.doc.kind)}`).toEqual([]);
    }
  });

  it('fills in the CRD defaults and rejects out-of-range values', () => {
    const adv = applySchema(
      object('BGPAdvertisement', 'v1beta1', {}) as JsonObject,
      resourceFor('BGPAdvertisement', 'v1beta1').schema!,
    );
    expect(adv.object.spec).toEqual({ aggregationLength: 32, aggregationLengthV6: 128 });
    const peer = object('BGPPeer', 'v1beta2', {
      myASN: 64512,
      peerASN: 64500,
      peerAddress: '192.0.2.1',
      peerPort: 0,
    });
    const outcome = applySchema(peer as JsonObject, resourceFor('BGPPeer', 'v1beta2').schema!);
    expect(outcome.errors.map((e) => e.field)).toEqual(['spec.peerPort']);
  });
});
