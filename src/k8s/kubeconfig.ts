/**
 * Where the adapter's KubeConfig comes from: the file given with `--kubeconfig`, else the in-cluster
 * service account (client-node `loadFromCluster`: KUBERNETES_SERVICE_HOST/PORT plus the mounted token
 * and CA). Every failure is a KubeconfigError that names the file or `in-cluster` and the problem:
 * a missing or unreadable file, YAML that does not parse, no current context, a cluster without a
 * server URL, or a pod without a service account. No request is made here.
 *
 * A cluster served over plain `http://` has no TLS to verify, and kubectl accepts it as it is; client-node
 * 1.4 refuses it unless `insecure-skip-tls-verify` is set. Such clusters get that flag here (it changes
 * nothing on an http connection), so the same kubeconfig works for kubectl and for Herald (e.g. the one
 * written by `herald apiserver`).
 */
import { accessSync, constants } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError } from './errors.js';

export interface KubeconfigOptions {
  /** The `--kubeconfig` file; when absent the in-cluster configuration is used. */
  readonly path?: string;
  /** Switch to this context instead of the file's current-context. */
  readonly context?: string;
  /** Prefix of the service-account paths (tests); default '' (the real /var/run/secrets/...). */
  readonly inClusterRoot?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function checkServer(kc: KubeConfig, source: string): void {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    const context = kc.getCurrentContext();
    throw new KubeconfigError(
      source,
      context ? `context "${context}" names no known cluster` : 'no current-context is set',
    );
  }
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new KubeconfigError(
      source,
      `cluster "${cluster.name}" has no valid server URL ("${cluster.server}")`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KubeconfigError(
      source,
      `cluster "${cluster.name}" server must be http(s), got "${cluster.server}"`,
    );
  }
}

/** Marks plain-http clusters as skipTLSVerify (see the module comment); https clusters are untouched. */
export function allowPlainHttp(kc: KubeConfig): void {
  kc.clusters = kc.clusters.map((c) =>
    c.server.startsWith('http:') && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c,
  );
}

function fromFile(path: string, context: string | undefined): KubeConfig {
  if (!readable(path)) throw new KubeconfigError(path, 'file does not exist or is not readable');
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new KubeconfigError(path, `cannot be parsed: ${message(err)}`, err);
  }
  if (context !== undefined) {
    if (kc.getContextObject(context) === null) throw new KubeconfigError(path, `has no context "${context}"`);
    kc.setCurrentContext(context);
  }
  checkServer(kc, path);
  allowPlainHttp(kc);
  return kc;
}

function inCluster(root: string): KubeConfig {
  const source = 'in-cluster';
  for (const file of ['token', 'ca.crt']) {
    if (!readable(`${root}${SERVICE_ACCOUNT_DIR}/${file}`)) {
      throw new KubeconfigError(
        source,
        `no service account ${file} at ${root}${SERVICE_ACCOUNT_DIR}/${file}: not running in a pod? Pass --kubeconfig FILE`,
      );
    }
  }
  const kc = new KubeConfig();
  kc.loadFromCluster(root);
  const server = kc.getCurrentCluster()?.server ?? '';
  if (server.includes('undefined')) {
    throw new KubeconfigError(
      source,
      'KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT are not set; pass --kubeconfig FILE',
    );
  }
  checkServer(kc, source);
  return kc;
}

/** Loads the KubeConfig; throws KubeconfigError naming the source and the problem. */
export function loadKubeConfig(options: KubeconfigOptions = {}): KubeConfig {
  return options.path !== undefined && options.path !== ''
    ? fromFile(options.path, options.context)
    : inCluster(options.inClusterRoot ?? '');
}
