/** HttpEndpoints on loopback (port 0): /metrics from the given registry, /healthz and /readyz as JSON. */
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { HttpEndpoints, startEndpoints, type Probe } from '../../../src/platform/http-endpoints.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';

let server: HttpEndpoints | undefined;
const HEALTHY = {
  readyz: (): Probe => ({ ok: true, detail: {} }),
  healthz: (): Probe => ({ ok: true, detail: {} }),
};

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(ready: Probe, healthy: Probe): Promise<string> {
  const metrics = new ControllerMetrics({ processMetrics: false });
  metrics.leader.set(1);
  server = new HttpEndpoints({
    host: '127.0.0.1',
    port: 0,
    registry: metrics.registry,
    health: { readyz: () => ready, healthz: () => healthy },
  });
  await server.start();
  return `http://127.0.0.1:${server.port}`;
}

describe('HttpEndpoints', () => {
  it('serves the registry on /metrics', async () => {
    const base = await start({ ok: true, detail: {} }, { ok: true, detail: {} });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('herald_controller_leader 1');
  });

  it('answers the probes with 200 or 503 and their detail', async () => {
    const base = await start(
      { ok: false, detail: { role: 'leader', restored: false } },
      { ok: true, detail: { role: 'leader' } },
    );
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, role: 'leader', restored: false });
    const health = await fetch(`${base}/healthz?verbose=1`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, role: 'leader' });
  });

  it('rejects other paths and methods', async () => {
    const base = await start({ ok: true, detail: {} }, { ok: true, detail: {} });
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('fails to start on a port in use, with the error', async () => {
    const base = await start({ ok: true, detail: {} }, { ok: true, detail: {} });
    const second = new HttpEndpoints({
      host: '127.0.0.1',
      port: Number(new URL(base).port),
      registry: new ControllerMetrics({ processMetrics: false }).registry,
      health: { readyz: () => ({ ok: true, detail: {} }), healthz: () => ({ ok: true, detail: {} }) },
    });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('startEndpoints', () => {
  it('reports an address already in use, naming it, instead of throwing', async () => {
    const first = new HttpEndpoints({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      health: HEALTHY,
    });
    await first.start();
    try {
      const second = new HttpEndpoints({
        host: '127.0.0.1',
        port: first.port,
        registry: new Registry(),
        health: HEALTHY,
      });
      const lines: string[] = [];
      expect(await startEndpoints(second, (l) => lines.push(l))).toBe(false);
      expect(lines[0]).toContain(`cannot listen on 127.0.0.1:${first.port}`);
    } finally {
      await first.stop();
    }
  });
});
