import { startCluster, serviceBody } from './cluster.js';
import { createKubeClient, loadKubeConfig } from '../../../src/k8s/index.js';
const c = await startCluster();
const client = createKubeClient(loadKubeConfig({ path: c.kubeconfig }));
await c.json.request('POST', '/api/v1/namespaces/default/services', serviceBody('default', 'x'));
for (const mode of ['raw', 'rest', 'raw', 'rest']) {
  const t = performance.now();
  for (let i = 0; i < 200; i++) {
    const body = { status: { loadBalancer: { ingress: [{ ip: `10.0.0.${i % 250}` }] } } };
    if (mode === 'raw') await c.json.request('PATCH', '/api/v1/namespaces/default/services/x/status', body, 'application/merge-patch+json');
    else await client.rest.request({ method: 'PATCH', path: '/api/v1/namespaces/default/services/x/status', body, contentType: 'application/merge-patch+json' });
  }
  console.log(mode, ((performance.now() - t) / 200).toFixed(2), 'ms/req');
}
// Many services in store
const t0 = performance.now();
for (let i = 0; i < 2000; i++) await c.json.request('POST', '/api/v1/namespaces/default/services', serviceBody('default', `s${i}`));
console.log('create', ((performance.now() - t0) / 2000).toFixed(2), 'ms/req with growing store');
const t1 = performance.now();
for (let i = 0; i < 200; i++) await c.json.request('PATCH', `/api/v1/namespaces/default/services/s${i}/status`, { status: { loadBalancer: { ingress: [{ ip: `10.0.0.${i % 250}` }] } } }, 'application/merge-patch+json');
console.log('patch after 2000', ((performance.now() - t1) / 200).toFixed(2), 'ms/req');
await c.stop();
