import { startCluster, serviceBody, parallel } from './cluster.js';
import { createKubeClient, loadKubeConfig } from '../../../src/k8s/index.js';
const c = await startCluster();
const client = createKubeClient(loadKubeConfig({ path: c.kubeconfig }));
const N = 2000;
await parallel(Array.from({length: N}, (_, i) => i), 64, async (i) => { await c.json.request('POST', '/api/v1/namespaces/default/services', serviceBody('default', `s${i}`, {nodePorts: false})); });
for (const mode of ['raw', 'rest', 'raw', 'rest']) {
  const t = performance.now();
  await parallel(Array.from({length: N}, (_, i) => i), 16, async (i) => {
    const body = { status: { loadBalancer: { ingress: [{ ip: `10.0.${mode.length}.${i % 250}` }] } } };
    const path = `/api/v1/namespaces/default/services/s${i}/status`;
    if (mode === 'raw') await c.json.request('PATCH', path, body, 'application/merge-patch+json');
    else await client.rest.request({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json' });
  });
  console.log(mode, (N / ((performance.now() - t) / 1000)).toFixed(0), 'req/s at 16 in flight');
}
await c.stop();
