/**
 * Every YAML file under deploy/ parses and holds well-formed Kubernetes objects in the right namespace;
 * deploy/kustomization.yaml installs every manifest (and no sample); the metallb-excludel2 ConfigMap
 * carries valid regular expressions; the README lists every file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, NAMESPACE, readDocuments, REPO_ROOT, yamlFiles } from './helpers/manifests.js';

const files = yamlFiles();
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
]);
const kustomization = readDocuments(join(DEPLOY_DIR, 'kustomization.yaml'))[0]!.doc as {
  resources: string[];
  images: { name: string; newName: string; newTag: string }[];
};

describe('deploy/*.yaml', () => {
  it('finds the manifests', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files.map((f) => [relative(REPO_ROOT, f), f]))('%s parses as YAML', (_name, file) => {
    expect(readDocuments(file).length).toBeGreaterThan(0);
  });

  it('reports a YAML error with the file and document', () => {
    const bad = join(REPO_ROOT, 'test/unit/deploy/helpers/manifests.ts'); // TypeScript is not YAML
    expect(() => readDocuments(bad)).toThrow(/manifests\.ts: document 1/);
  });

  it.each(
    files
      .filter((f) => !f.endsWith('kustomization.yaml'))
      .flatMap(readDocuments)
      .map((m) => [`${m.file} #${m.index + 1} ${String(m.doc.kind)}`, m.doc] as const),
  )('%s is a Kubernetes object in the right namespace', (_name, doc) => {
    expect(typeof doc.apiVersion).toBe('string');
    expect(typeof doc.kind).toBe('string');
    const meta = doc.metadata as { name?: unknown; namespace?: unknown };
    expect(meta.name).toMatch(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/);
    if (CLUSTER_SCOPED.has(String(doc.kind))) expect(meta.namespace).toBeUndefined();
    else if (doc.kind !== 'Service') expect(meta.namespace).toBe(NAMESPACE);
  });

  it('kustomization.yaml installs every manifest except the samples, each once', () => {
    const expected = files
      .map((f) => relative(DEPLOY_DIR, f))
      .filter((f) => !f.startsWith('samples/') && f !== 'kustomization.yaml')
      .sort();
    expect([...kustomization.resources].sort()).toEqual(expected);
    expect(new Set(kustomization.resources).size).toBe(kustomization.resources.length);
    expect(kustomization.resources[0]).toBe('namespace.yaml');
    for (const r of kustomization.resources) expect(existsSync(join(DEPLOY_DIR, r)), r).toBe(true);
  });

  it('every container uses the image kustomization.yaml sets', () => {
    const [image] = kustomization.images;
    const containers = ['controller.yaml', 'speaker.yaml'].flatMap((f) =>
      readDocuments(join(DEPLOY_DIR, f)).flatMap(
        (m) =>
          (m.doc.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
            .containers,
      ),
    );
    expect(containers.length).toBe(2);
    for (const c of containers) expect(c.image).toBe(`${image!.name}:${image!.newTag}`);
  });

  it('metallb-excludel2 holds MetalLB default exclusions as valid regular expressions', () => {
    const [cm] = readDocuments(join(DEPLOY_DIR, 'excludel2.yaml'));
    expect(cm!.doc).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'metallb-excludel2' } });
    const data = (cm!.doc.data as Record<string, string>)['excludel2.yaml']!;
    const patterns = (parse(data) as { announcedInterfacesToExclude: string[] }).announcedInterfacesToExclude;
    const excluded = (name: string) => patterns.some((p) => new RegExp(p).test(name));
    expect(patterns).toHaveLength(14);
    for (const name of ['lo', 'docker0', 'veth1234', 'cali0a', 'flannel.1', 'kube-ipvs0', 'cni0', 'lxc99']) {
      expect(excluded(name), name).toBe(true);
    }
    for (const name of ['eth0', 'bond0', 'bond0.100', 'ens3', 'lo0x'])
      expect(excluded(name), name).toBe(false);
  });
});

describe('deploy documentation', () => {
  const readme = readFileSync(join(DEPLOY_DIR, 'README.md'), 'utf8');

  it('deploy/README.md names every file under deploy/', () => {
    const all = readdirSync(DEPLOY_DIR, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'README.md')
      .map((e) => relative(DEPLOY_DIR, join(e.parentPath, e.name)));
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((f) => !readme.includes(f))).toEqual([]);
  });

  it('docs/deploy.md exists and points to deploy/README.md', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    expect(guide).toContain('../deploy/README.md');
    expect(guide).toContain('kubectl apply -k deploy/');
  });
});

describe('deploy/speaker.yaml command line', () => {
  it('is accepted by `herald speaker` and selects the DaemonSet’s own Pods as the roster', async () => {
    const { parseSpeakerArgs } = await import('../../../src/cli/speaker.js');
    const [ds] = readDocuments(join(DEPLOY_DIR, 'speaker.yaml'));
    const spec = ds!.doc.spec as {
      template: { metadata: { labels: Record<string, string> }; spec: { containers: { args: string[] }[] } };
    };
    const env: Record<string, string> = { NODE_NAME: 'node-a', POD_IP: '192.0.2.10' };
    const args = spec.template.spec.containers[0]!.args.map((a) =>
      a.replace(/\$\(([A-Z_]+)\)/g, (_m, name: string) => env[name] ?? ''),
    );
    expect(args[0]).toBe('speaker');
    const options = parseSpeakerArgs(args.slice(1));
    expect(options).toMatchObject({ node: 'node-a', namespace: NAMESPACE, memberlistBind: '192.0.2.10' });
    const selector = Object.fromEntries(options.speakerSelector.split(',').map((kv) => kv.split('=')));
    expect(spec.template.metadata.labels).toMatchObject(selector);
  });
});
