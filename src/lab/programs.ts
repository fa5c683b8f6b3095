/**
 * How the lab starts its processes inside namespaces: `herald` itself (the build the lab runs from:
 * dist/src/bin/herald.js, or src/bin/herald.ts under tsx when the lab runs from sources in tests and
 * benches) and the lab's helper programs (backend, forwarder, prober), which are functions of modules
 * in this directory started with `node -e` so that no module reads process.argv.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** True when running from TypeScript sources (tests, benches under tsx), false from dist/. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const EXT = FROM_SOURCES ? '.ts' : '.js';

/** The repository root (the cwd for child processes, so `--import tsx` resolves). */
export const REPO_ROOT = FROM_SOURCES ? resolve(HERE, '../..') : resolve(HERE, '../../..');

function nodePrefix(): string[] {
  return FROM_SOURCES ? [process.execPath, '--import', 'tsx'] : [process.execPath];
}

/** argv for `herald ARGS...` from the same build as the lab. */
export function heraldArgv(args: readonly string[]): string[] {
  const entry = join(HERE, '..', 'bin', `herald${EXT}`);
  return [...nodePrefix(), entry, ...args];
}

/** True when this build has the `herald speaker` command (src/cli/speaker). */
export function hasSpeakerCommand(): boolean {
  return existsSync(join(HERE, '..', 'cli', `speaker${EXT}`));
}

export type LabProgram = 'backend' | 'forward' | 'probe';

/** argv that imports ./<program> and calls its `main(options)` with the options as JSON. */
export function programArgv(program: LabProgram, options: object): string[] {
  const url = pathToFileURL(join(HERE, `${program}${EXT}`)).href;
  const code = `const m = await import(${JSON.stringify(url)}); await m.main(${JSON.stringify(options)});`;
  return [...nodePrefix(), '--input-type=module', '-e', code];
}
