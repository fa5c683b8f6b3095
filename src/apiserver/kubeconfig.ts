/**
 * The kubeconfig the server hands out: one cluster at `http://HOST:PORT` (plain HTTP, no TLS; `insecure-skip-tls-verify: true` because client-node refuses http:// without it), one user
 * with a dummy bearer token (the server does not authenticate) and one context, current, with a
 * default namespace. kubectl and @kubernetes/client-node both accept it.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export const KUBECONFIG_NAME = 'herald-apiserver';
export const DUMMY_TOKEN = 'herald-apiserver-has-no-authentication';

export interface KubeconfigOptions {
  /** The context's default namespace (default "default"). */
  readonly namespace?: string;
  /** Cluster, user and context name (default "herald-apiserver"). */
  readonly name?: string;
}

export function kubeconfigText(url: string, opts: KubeconfigOptions = {}): string {
  const name = opts.name ?? KUBECONFIG_NAME;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: DUMMY_TOKEN } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, url: string, opts?: KubeconfigOptions): Promise<void> {
  await writeFile(path, kubeconfigText(url, opts), { encoding: 'utf8', mode: 0o600 });
}
