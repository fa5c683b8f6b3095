/**
 * deploy/samples: MetalLB-compatible examples. Each file, and all of them together, must be valid for
 * Herald's parser (parseConfig and `herald validate`) and for the CRD schemas (nothing pruned), use only
 * documentation address ranges, and the Services' annotations must point at pools and addresses the
 * samples define. The config-test fixture with every field of every kind must pass the schemas too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { dispatch } from '../../../src/cli/registry.js';
import { parseIp, type IpAddress } from '../../../src/core/ip/index.js';
import type { Config } from '../../../src/config/index.js';
import { parseObjects } from './helpers/config.js';
import {
  DEPLOY_DIR,
  loadCrds,
  manifestsUnder,
  readDocuments,
  REPO_ROOT,
  schemaForObject,
  type Manifest,
} from './helpers/manifests.js';
import { validateObject } from './helpers/openapi.js';

const crds = loadCrds();
const samples = manifestsUnder('samples');
const SAMPLE_FILES = ['bgp.yaml', 'l2.yaml', 'service.yaml'];
const isMetallb = (m: Manifest) => String(m.doc.apiVersion).startsWith('metallb.io/');
const docsOf = (file: string) => samples.filter((m) => m.file === `deploy/samples/${file}`).map((m) => m.doc);

function configOf(docs: readonly unknown[]): Config {
  const result = parseObjects(docs);
  if (!result.ok)
    throw new Error(result.errors.map((e) => `${e.kind} ${e.name}: ${e.path}: ${e.reason}`).join('\n'));
  expect(result.warnings).toEqual([]);
  return result.config;
}

async function heraldValidate(...files: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await dispatch(
    COMMANDS,
    ['validate', ...files.flatMap((f) => ['-f', join(DEPLOY_DIR, 'samples', f)])],
    {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      signal: new AbortController().signal,
    },
  );
  return { code, out: out.join(''), err: err.join('') };
}

const DOC_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'].map((cidr) => {
  const [ip, len] = cidr.split('/');
  const addr = parseIp(ip!)!;
  const bits = addr.family === 'IPv4' ? 32n : 128n;
  return { family: addr.family, first: addr.value, last: addr.value | ((1n << (bits - BigInt(len!))) - 1n) };
});
const inDocRange = (ip: IpAddress) =>
  DOC_RANGES.some((r) => r.family === ip.family && ip.value >= r.first && ip.value <= r.last);

function inPool(config: Config, pool: string, ip: IpAddress): boolean {
  return (config.pools.get(pool)?.ranges ?? []).some(
    (r) => r.family === ip.family && ip.value >= r.first && ip.value <= r.last,
  );
}

describe('deploy/samples', () => {
  it('has an L2 setup, a BGP setup and Services', () => {
    expect([...new Set(samples.map((m) => m.file))]).toEqual(SAMPLE_FILES.map((f) => `deploy/samples/${f}`));
    expect(docsOf('l2.yaml').map((d) => d.kind)).toEqual(['IPAddressPool', 'L2Advertisement']);
    expect(new Set(docsOf('bgp.yaml').map((d) => d.kind))).toEqual(
      new Set(['IPAddressPool', 'BGPPeer', 'BGPAdvertisement', 'Community', 'BFDProfile', 'Secret']),
    );
    expect(docsOf('service.yaml').every((d) => d.kind === 'Service')).toBe(true);
  });

  it.each(SAMPLE_FILES)('%s parses with parseConfig without errors or warnings', (file) => {
    configOf(docsOf(file));
  });

  it('all samples together are one valid configuration', () => {
    const config = configOf(samples.map((m) => m.doc));
    expect([...config.pools.keys()]).toEqual(['lan', 'public', 'reserved']);
    expect([...config.bgpPeers.keys()]).toEqual(['router-v4', 'router-v6']);
    expect(config.bgpPeers.get('router-v4')).toMatchObject({
      holdTimeMs: 9000,
      keepaliveTimeMs: 3000,
      bfdProfile: 'fast',
      password: 'change-me',
      enableGracefulRestart: true,
    });
    const publicAdv = config.bgpAdvertisements.get('public')!;
    expect(publicAdv.pools).toEqual(['public', 'reserved']);
    expect(publicAdv.communities).toHaveLength(4);
    expect(config.bgpAdvertisements.get('public-aggregate')).toMatchObject({
      aggregationLength: 24,
      aggregationLengthV6: 120,
    });
  });

  it('herald validate accepts each file and all of them together', async () => {
    expect(await heraldValidate('l2.yaml')).toEqual({
      code: 0,
      out: 'valid: 1 pool, 1 L2 advertisement, 0 BGP advertisements, 0 BGP peers, 0 BFD profiles, 0 community aliases\n',
      err: '',
    });
    expect(await heraldValidate('bgp.yaml')).toEqual({
      code: 0,
      out: 'valid: 2 pools, 0 L2 advertisements, 2 BGP advertisements, 2 BGP peers, 1 BFD profile, 2 community aliases\n',
      err: '',
    });
    const all = await heraldValidate(...SAMPLE_FILES);
    expect(all.code).toBe(0);
    expect(all.out).toBe(
      'valid: 3 pools, 1 L2 advertisement, 2 BGP advertisements, 2 BGP peers, 1 BFD profile, 2 community aliases\n',
    );
    expect(all.err).toBe('herald validate: ignored 4 objects of other kinds: Service\n');
  });

  it.each(samples.filter(isMetallb).map((m) => [`${m.file} ${String(m.doc.kind)}`, m] as const))(
    '%s validates against its CRD schema, nothing pruned',
    (_name, m) => {
      const result = validateObject(schemaForObject(crds, m.doc), m.doc);
      expect(result.errors).toEqual([]);
      expect(result.pruned).toEqual([]);
    },
  );

  it('uses documentation address ranges only', () => {
    const config = configOf(samples.map((m) => m.doc));
    const addresses: IpAddress[] = [];
    for (const pool of config.pools.values()) {
      for (const r of pool.ranges)
        addresses.push({ family: r.family, value: r.first }, { family: r.family, value: r.last });
    }
    for (const peer of config.bgpPeers.values()) addresses.push(peer.peerAddress);
    for (const m of samples.filter((x) => x.doc.kind === 'Service')) {
      const ann = (m.doc.metadata as { annotations?: Record<string, string> }).annotations ?? {};
      for (const ip of (ann['metallb.io/loadBalancerIPs'] ?? '').split(',').filter(Boolean))
        addresses.push(parseIp(ip)!);
    }
    expect(addresses.length).toBeGreaterThan(10);
    expect(addresses.filter((a) => !inDocRange(a))).toEqual([]);
  });

  it('the Services request existing pools and addresses inside them, and share only compatibly', () => {
    const config = configOf(samples.map((m) => m.doc));
    const services = samples.filter((m) => m.doc.kind === 'Service').map((m) => m.doc);
    const byKey = new Map<string, string[]>();
    for (const svc of services) {
      const meta = svc.metadata as { name: string; annotations: Record<string, string> };
      const spec = svc.spec as { type: string; ports: { port: number; protocol: string }[] };
      expect(spec.type, meta.name).toBe('LoadBalancer');
      const pool = meta.annotations['metallb.io/address-pool']!;
      expect(config.pools.has(pool), `${meta.name}: pool ${pool}`).toBe(true);
      const ips = (meta.annotations['metallb.io/loadBalancerIPs'] ?? '').split(',').filter(Boolean);
      for (const ip of ips)
        expect(inPool(config, pool, parseIp(ip)!), `${meta.name}: ${ip} in ${pool}`).toBe(true);
      if (!config.pools.get(pool)!.autoAssign)
        expect(ips.length, `${meta.name} must request an address`).toBeGreaterThan(0);
      const key = meta.annotations['metallb.io/allow-shared-ip'];
      if (key)
        byKey.set(`${key} ${ips.join(',')}`, [
          ...(byKey.get(`${key} ${ips.join(',')}`) ?? []),
          ...spec.ports.map((p) => `${p.protocol}/${p.port}`),
        ]);
    }
    expect([...byKey.keys()]).toEqual(['dns 203.0.113.130']);
    const ports = byKey.get('dns 203.0.113.130')!;
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('the config fixture with every field of every kind validates against the CRD schemas', () => {
    const fixture = readDocuments(join(REPO_ROOT, 'test/fixtures/config/valid-full.yaml')).filter(isMetallb);
    expect(new Set(fixture.map((m) => m.doc.kind)).size).toBe(6);
    for (const m of fixture) {
      const result = validateObject(schemaForObject(crds, m.doc), m.doc);
      expect(result.errors, `${String(m.doc.kind)}`).toEqual([]);
      expect(result.pruned, `${String(m.doc.kind)}`).toEqual([]);
    }
  });
});
