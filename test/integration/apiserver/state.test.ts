/**
 * `--state` persistence and restarts: a server stopped and started again with the same state file keeps
 * its objects and Service allocations, continues the resourceVersion sequence, and answers watches from
 * before the restart with 410 Expired (as a restarted real API server does). Also runs the CLI as a child
 * process (stopped by PID with SIGTERM) to check the state survives a process restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../src/apiserver/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hapi-state-'));
  dirs.push(d);
  return d;
}

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
    text,
  };
}

const rvOf = (o: Record<string, unknown>) =>
  Number((o.metadata as { resourceVersion: string }).resourceVersion);

describe('state file and restart', () => {
  it('restores objects and allocations, continues resourceVersions and expires pre-restart watches', async () => {
    const stateFile = join(await tempDir(), 'state.json');
    const first = await startApiServer({ port: 0, stateFile });
    const svc = await call(first.url, 'POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'kept' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    const pool = await call(
      first.url,
      'POST',
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools',
      { metadata: { name: 'p' }, spec: { addresses: ['192.0.2.0/28'] } },
    );
    expect([svc.status, pool.status]).toEqual([201, 201]);
    const lastRv = first.resourceVersion();
    await first.stop();

    const second = await startApiServer({ port: first.port, stateFile });
    try {
      expect(second.url).toBe(first.url);
      expect(second.resourceVersion()).toBe(lastRv);
      const again = await call(second.url, 'GET', '/api/v1/namespaces/default/services/kept');
      expect(again.json).toEqual(svc.json);
      expect(
        (await call(second.url, 'GET', '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/p'))
          .json,
      ).toEqual(pool.json);
      const clusterIP = (svc.json.spec as { clusterIP: string }).clusterIP;
      const clash = await call(second.url, 'POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'clash' },
        spec: { clusterIP, ports: [{ port: 80 }] },
      });
      expect(clash.status).toBe(422);
      const fresh = await call(second.url, 'POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'fresh' },
        spec: { ports: [{ port: 80 }] },
      });
      expect(rvOf(fresh.json)).toBe(lastRv + 1);
      expect((fresh.json.spec as { clusterIP: string }).clusterIP).not.toBe(clusterIP);
      const old = await call(
        second.url,
        'GET',
        `/api/v1/namespaces/default/services?watch=1&resourceVersion=${lastRv - 1}`,
      );
      expect(JSON.parse(old.text.trim())).toMatchObject({
        type: 'ERROR',
        object: { code: 410, reason: 'Expired' },
      });
    } finally {
      await second.stop();
    }
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { resourceVersion: number };
    expect(saved.resourceVersion).toBe(lastRv + 1);
  });

  it('survives a restart of the herald apiserver process (CLI, stopped by PID)', async () => {
    const dir = await tempDir();
    const stateFile = join(dir, 'state.json');
    const start = async (): Promise<{ child: ChildProcess; url: string }> => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          `${REPO}src/bin/herald.ts`,
          'apiserver',
          '--listen',
          '127.0.0.1:0',
          '--kubeconfig-out',
          join(dir, 'kubeconfig'),
          '--state',
          stateFile,
        ],
        {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout!.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
        child.stdout!.on('data', (chunk: string) => {
          out += chunk;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      return { child, url };
    };
    const stop = async (child: ChildProcess): Promise<number | null> => {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      process.kill(child.pid!, 'SIGTERM');
      return exited;
    };
    const a = await start();
    const created = await call(a.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'persisted' },
      data: { k: 'v' },
    });
    expect(created.status).toBe(201);
    expect(await stop(a.child)).toBe(0);
    const kubeconfig = await readFile(join(dir, 'kubeconfig'), 'utf8');
    expect(kubeconfig).toContain(`server: ${a.url}`);
    const b = await start();
    try {
      const got = await call(b.url, 'GET', '/api/v1/namespaces/default/configmaps/persisted');
      expect(got.json.data).toEqual({ k: 'v' });
      expect(got.json.metadata).toEqual(created.json.metadata);
    } finally {
      expect(await stop(b.child)).toBe(0);
    }
  });
});
