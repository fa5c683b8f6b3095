/**
 * Network-namespace lab for integration tests. The primitives (namespaces, veth, bridges, bounded
 * commands, processes killed by PID) live in src/lab/netns.ts, shared with `npm run lab`; this module
 * re-exports them unchanged and adds what only tests need: the CI-aware root check and HERALD_KEEP_LAB=1
 * (keep temp dirs for debugging). `Lab.cleanup()` is idempotent and safe from afterAll after any failure.
 */
import { existsSync } from 'node:fs';
import { Lab as BaseLab } from '../../src/lab/netns.js';

export {
  killPid,
  listNamespaces,
  namespacePids,
  pidAlive,
  run,
  sleep,
  waitFor,
  type ExecOptions,
  type ExecResult,
  type LabProcess,
  type SpawnOptions,
} from '../../src/lab/netns.js';

/**
 * Root check for namespace tests. Returns undefined when the tests can run, or a visible skip reason
 * (not root, `ip` missing). Under CI=true it throws instead: CI must never skip them.
 */
export function requireRoot(what = 'network-namespace tests'): string | undefined {
  const isRoot = process.getuid?.() === 0;
  const hasIp = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((path) => existsSync(path));
  const reason = !isRoot ? `${what} need root` : !hasIp ? `${what} need iproute2 (ip)` : undefined;
  if (reason !== undefined && process.env.CI === 'true') {
    throw new Error(`${reason}, and CI=true forbids skipping them`);
  }
  if (reason !== undefined) console.warn(`SKIPPED: ${reason}`);
  return reason;
}

/** The shared Lab; temp dirs are kept when HERALD_KEEP_LAB=1 (debugging). */
export class Lab extends BaseLab {
  /** prefix: unique per test file, e.g. 'hmd5-' (lowercase letters, digits, '-'). */
  constructor(prefix: string) {
    super(prefix, { keepDirs: process.env.HERALD_KEEP_LAB === '1' });
  }
}
