// connectKube: a bad --kubeconfig is reported as one line (and no client), never thrown.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectKube } from '../../../src/k8s/index.js';

describe('connectKube', () => {
  it('reports a missing kubeconfig file and returns no client', () => {
    const lines: string[] = [];
    const path = join(tmpdir(), 'herald-no-such-kubeconfig.yaml');
    expect(connectKube(path, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
  });

  it('returns a client for a valid kubeconfig', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-connect-'));
    const path = join(dir, 'kubeconfig');
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    const lines: string[] = [];
    const client = connectKube(path, (l) => lines.push(l));
    expect(lines).toEqual([]);
    expect(client?.kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:1');
  });
});
