// The lab helpers' own rules, without root: the CI root check, bounded waits and commands, PID-only kills.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Lab, killPid, pidAlive, requireRoot, run, waitFor } from './netns.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('requireRoot', () => {
  it('returns a visible skip reason when not root outside CI', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireRoot('namespace tests')).toBe('namespace tests need root');
    expect(warn).toHaveBeenCalledWith('SKIPPED: namespace tests need root');
  });

  it('fails instead of skipping under CI=true', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    vi.stubEnv('CI', 'true');
    expect(() => requireRoot('namespace tests')).toThrow(/need root, and CI=true forbids skipping/);
  });

  it('lets root run', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    expect(requireRoot()).toBeUndefined();
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    expect(
      await waitFor(() => (++calls === 3 ? 'ready' : undefined), { timeoutMs: 1_000, intervalMs: 1 }),
    ).toBe('ready');
    expect(calls).toBe(3);
  });

  it('gives up after timeoutMs and reports the last error', async () => {
    const started = Date.now();
    const attempt = waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 150, intervalMs: 20, what: 'the peer' },
    );
    await expect(attempt).rejects.toThrow('timed out after 150 ms waiting for the peer: still down');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('run', () => {
  it('returns stdout and rejects with status and stderr', async () => {
    expect((await run(['sh', '-c', 'echo out'])).stdout).toBe('out\n');
    await expect(run(['sh', '-c', 'echo oops >&2; exit 3'])).rejects.toThrow(/exit 3\noops/);
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(run(['sleep', '5'], { timeoutMs: 100 })).rejects.toThrow(/sleep 5: killed after 100 ms/);
  });
});

describe('killPid and Lab', () => {
  it('kills one PID, escalating to SIGKILL when SIGTERM is ignored', async () => {
    const script = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up')";
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => child.stdout.once('data', resolve)); // the SIGTERM handler is installed
    await killPid(child.pid!, 100);
    expect(pidAlive(child.pid!)).toBe(false);
  });

  it('refuses PIDs 0 and 1 and bad prefixes', async () => {
    await expect(killPid(1)).rejects.toThrow(/refusing PID 1/);
    await expect(killPid(0)).rejects.toThrow(/refusing PID 0/);
    expect(() => new Lab('Bad Prefix')).toThrow(/bad namespace prefix/);
    expect(new Lab('hxy-').ns('a')).toBe('hxy-a');
  });

  it('cleanup of an unused lab does nothing and can repeat', async () => {
    const lab = new Lab('hxy-');
    await expect(lab.cleanup()).resolves.toBeUndefined();
    await expect(lab.cleanup()).resolves.toBeUndefined();
  });
});
