/**
 * The apps' way into the API: a KubeClient from `--kubeconfig` (or the in-cluster service account), with
 * a kubeconfig problem reported as one line instead of thrown, so `herald controller` and
 * `herald speaker` exit 1 with the reason.
 */
import { createKubeClient, type KubeClient } from './client.js';
import { KubeconfigError } from './errors.js';
import { loadKubeConfig } from './kubeconfig.js';

export function connectKube(
  kubeconfig: string | undefined,
  report: (line: string) => void,
): KubeClient | undefined {
  try {
    return createKubeClient(loadKubeConfig(kubeconfig === undefined ? {} : { path: kubeconfig }));
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    report(err.message);
    return undefined;
  }
}
