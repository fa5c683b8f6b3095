/**
 * deploy/controller.yaml against the real `herald controller` command line (src/cli/controller.ts): the
 * Deployment's arguments parse, name the MetalLB namespace, and listen on the port the probes use; the
 * POD_NAME it injects becomes the leader-election identity.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIdentity, parseControllerArgs } from '../../../src/cli/controller.js';
import { DEPLOY_DIR, NAMESPACE, readDocuments } from './helpers/manifests.js';

interface Container {
  args: string[];
  ports: { name: string; containerPort: number }[];
}
const [deployment] = readDocuments(join(DEPLOY_DIR, 'controller.yaml'));
const container = (deployment!.doc.spec as { template: { spec: { containers: Container[] } } }).template.spec
  .containers[0]!;

describe('deploy/controller.yaml and herald controller', () => {
  it('passes arguments the controller accepts', () => {
    expect(container.args[0]).toBe('controller');
    const options = parseControllerArgs(container.args.slice(1), 'identity');
    expect(options.namespace).toBe(NAMESPACE);
    const monitoring = container.ports.find((p) => p.name === 'monitoring');
    expect(options.metricsListen.port).toBe(monitoring?.containerPort);
  });

  it('uses the injected pod name in the leader-election identity', () => {
    expect(defaultIdentity({ POD_NAME: 'herald-controller-abc12' })).toMatch(/^herald-controller-abc12_/);
  });
});
