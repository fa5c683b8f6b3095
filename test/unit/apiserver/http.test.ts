// The HTTP layer against a real server on 127.0.0.1 (port 0): discovery, OpenAPI v3, verbs and Status
// bodies, watch streams (410 Expired in-stream, BOOKMARKs, timeoutSeconds), fault injection and the
// admin endpoint. kubectl and client-node are exercised in test/integration/apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../src/apiserver/index.js';
import type { JsonObject } from '../../../src/apiserver/types.js';

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    crdDir: '/nonexistent',
    watchWindow: 20,
    bookmarkIntervalMs: 100,
  });
});
afterAll(async () => {
  await server.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: JsonObject; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: (text.startsWith('{') ? JSON.parse(text) : { text }) as JsonObject,
    headers: res.headers,
  };
}

/** Reads watch lines until `count` events arrived or the stream ended. */
async function watchLines(path: string, count: number, timeoutMs = 5000): Promise<JsonObject[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const res = await fetch(`${server.url}${path}`, { signal: ac.signal });
  const out: JsonObject[] = [];
  let buf = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        out.push(JSON.parse(buf.slice(0, nl)) as JsonObject);
        buf = buf.slice(nl + 1);
      }
      if (out.length >= count) break;
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

describe('discovery and OpenAPI', () => {
  it('serves /version, /api, /apis and resource lists with status subresources', async () => {
    expect((await call('GET', '/version')).json).toMatchObject({ major: '1', minor: '32' });
    expect((await call('GET', '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call('GET', '/apis')).json.groups as JsonObject[];
    expect(groups.find((g) => g.name === 'metallb.io')).toMatchObject({
      preferredVersion: { groupVersion: 'metallb.io/v1beta2', version: 'v1beta2' },
    });
    const core = (await call('GET', '/api/v1')).json.resources as JsonObject[];
    expect(core.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'services',
        'services/status',
        'nodes',
        'nodes/status',
        'namespaces',
        'endpoints',
        'events',
      ]),
    );
    const metallb = (await call('GET', '/apis/metallb.io/v1beta1')).json.resources as JsonObject[];
    expect(metallb.filter((r) => !String(r.name).includes('/')).map((r) => r.name)).toEqual([
      'bfdprofiles',
      'bgpadvertisements',
      'bgppeers',
      'communities',
      'configurationstates',
      'ipaddresspools',
      'l2advertisements',
      'servicebgpstatuses',
      'servicel2statuses',
    ]);
    expect((await call('GET', '/apis/metallb.io')).json).toMatchObject({
      kind: 'APIGroup',
      name: 'metallb.io',
    });
    expect((await call('GET', '/apis/nope.io/v1')).status).toBe(404);
    expect((await call('GET', '/healthz')).json).toEqual({ text: 'ok' });
  });

  it('serves an OpenAPI v3 index and documents whose PATCH operations advertise fieldValidation', async () => {
    const index = (await call('GET', '/openapi/v3')).json.paths as Record<
      string,
      { serverRelativeURL: string }
    >;
    expect(Object.keys(index)).toEqual(
      expect.arrayContaining([
        'api/v1',
        'apis/metallb.io/v1beta1',
        'apis/metallb.io/v1beta2',
        'apis/discovery.k8s.io/v1',
      ]),
    );
    const doc = (await call('GET', index['api/v1']!.serverRelativeURL)).json;
    const patch = ((doc.paths as JsonObject)['/api/v1/namespaces/{namespace}/services/{name}'] as JsonObject)
      .patch as JsonObject;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Service' });
    expect((patch.parameters as JsonObject[]).map((p) => p.name)).toContain('fieldValidation');
    expect(Object.keys((patch.requestBody as JsonObject).content as JsonObject)).not.toContain(
      'application/strategic-merge-patch+json',
    );
    expect((doc.components as { schemas: JsonObject }).schemas['io.k8s.api.core.v1.Service']).toBeDefined();
    const crdDoc = (await call('GET', index['apis/metallb.io/v1beta2']!.serverRelativeURL)).json;
    expect(Object.keys(crdDoc.paths as JsonObject)).toContain(
      '/apis/metallb.io/v1beta2/namespaces/{namespace}/bgppeers/{name}/status',
    );
    expect((await call('GET', '/openapi/v2')).status).toBe(404);
  });
});

describe('resource verbs over HTTP', () => {
  it('creates (201), gets, patches, deletes and reports errors as Status objects', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'h1' },
      data: { a: '1' },
    });
    expect(created.status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/h1')).json.data).toEqual({ a: '1' });
    const patched = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/h1',
      { data: { b: '2' } },
      'application/merge-patch+json',
    );
    expect(patched.json.data).toEqual({ a: '1', b: '2' });
    const missing = await call('GET', '/api/v1/namespaces/default/configmaps/none');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "none" not found',
      reason: 'NotFound',
      details: { name: 'none', kind: 'configmaps' },
      code: 404,
    });
    expect((await call('POST', '/api/v1/namespaces/default/configmaps/h1', {})).status).toBe(405);
    expect(
      (await call('PUT', '/api/v1/namespaces/default/configmaps/h1', '{', 'application/json')).status,
    ).toBe(400);
    expect((await call('PATCH', '/api/v1/namespaces/default/configmaps/h1', {}, 'text/plain')).status).toBe(
      415,
    );
    const strict = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', {
      metadata: { name: 'h2' },
      dataz: {},
    });
    expect(strict.headers.get('warning')).toBe('299 - "unknown field \\"dataz\\""');
    expect((await call('DELETE', '/api/v1/namespaces/default/configmaps/h1')).status).toBe(200);
    expect(
      (
        await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=Sometimes', {
          metadata: { name: 'h3' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers 202 while finalizers hold a deleted object, 413 for huge bodies, and serves legacy /watch/ paths', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'fin', finalizers: ['x/y'] },
    });
    const pending = await call('DELETE', '/api/v1/namespaces/default/configmaps/fin');
    expect(pending.status).toBe(202);
    expect((pending.json.metadata as JsonObject).deletionTimestamp).toBeDefined();
    await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/fin',
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/fin')).status).toBe(404);
    const huge = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'huge' },
      data: { a: 'x'.repeat(4 * 1024 * 1024) },
    });
    expect(huge.json).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    const rv = server.resourceVersion();
    const lines = watchLines(`/api/v1/watch/namespaces/default/configmaps/legacy?resourceVersion=${rv}`, 1);
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'other' } });
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'legacy' } });
    expect(
      (await lines).map((l) => [l.type, ((l.object as JsonObject).metadata as JsonObject).name]),
    ).toEqual([['ADDED', 'legacy']]);
  });

  it('returns Tables when kubectl asks for them', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = (await res.json()) as JsonObject;
    expect(table.kind).toBe('Table');
    expect((table.rows as JsonObject[]).map((r) => (r.cells as string[])[0])).toContain('metallb-system');
  });
});

describe('watch over HTTP', () => {
  it('streams ADDED/MODIFIED/DELETED as JSON lines from a resourceVersion', async () => {
    const rv = server.resourceVersion();
    const lines = watchLines(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, 3);
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'w1' } });
    await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/w1',
      { data: { x: 'y' } },
      'application/merge-patch+json',
    );
    await call('DELETE', '/api/v1/namespaces/default/configmaps/w1');
    expect((await lines).map((l) => l.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('sends 410 Expired in the stream for a resourceVersion older than the window, then ends', async () => {
    for (let i = 0; i < 25; i++)
      await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `old${i}` } });
    const lines = await watchLines('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2', 10);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('sends BOOKMARKs when allowed and ends after timeoutSeconds', async () => {
    const started = Date.now();
    const lines = await watchLines(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${server.resourceVersion()}&allowWatchBookmarks=true&timeoutSeconds=1`,
      100,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((l) => l.type === 'BOOKMARK' && (l.object as JsonObject).kind === 'ConfigMap')).toBe(
      true,
    );
  });

  it('rejects a bad selector before streaming', async () => {
    const res = await call('GET', '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=a+in+(');
    expect(res.status).toBe(400);
  });
});

describe('fault injection', () => {
  it('fails the next N matching requests with the chosen code, then recovers', async () => {
    server.faults.set({ failNext: 1, failCode: 429 });
    const limited = await call('GET', '/api/v1/namespaces');
    expect([limited.status, limited.headers.get('retry-after'), limited.json.reason]).toEqual([
      429,
      '1',
      'TooManyRequests',
    ]);
    server.faults.set({ failNext: 2, failCode: 503, verbs: ['get'], resources: ['configmaps'] });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/x')).status).toBe(503);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/x')).json.reason).toBe(
      'ServiceUnavailable',
    );
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/x')).status).toBe(404);
    server.faults.clear();
  });

  it('adds latency and drops watches, also through the /herald/faults admin endpoint', async () => {
    expect((await call('PUT', '/herald/faults', { delayMs: 150 })).json).toEqual({ delayMs: 150 });
    const t0 = Date.now();
    await call('GET', '/api/v1/namespaces');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await call('PUT', '/herald/faults', { delayMs: -1 })).status).toBe(400);
    await call('DELETE', '/herald/faults');
    const started = Date.now();
    const lines = watchLines(
      '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=' + server.resourceVersion(),
      100,
      5000,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect((await call('POST', '/herald/faults/drop-watches')).status).toBe(200);
    await lines;
    expect(Date.now() - started).toBeLessThan(3000);
    server.faults.set({ dropWatchesAfterMs: 100 });
    const t1 = Date.now();
    await watchLines(
      '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=' + server.resourceVersion(),
      100,
      5000,
    );
    expect(Date.now() - t1).toBeLessThan(3000);
    server.faults.clear();
  });
});
