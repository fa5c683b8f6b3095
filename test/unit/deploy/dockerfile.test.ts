/**
 * deploy/Dockerfile, checked statically (no container engine on the development machines): a supported
 * Node LTS base, a build stage that runs `npm ci` (whose `prepare` script compiles the native addon and
 * the TypeScript) before pruning dev dependencies, and a runtime stage that holds exactly what
 * `node dist/src/bin/herald.js` loads, as a non-root user.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, REPO_ROOT } from './helpers/manifests.js';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync(join(DEPLOY_DIR, 'Dockerfile'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const stages: Instruction[][] = [];
for (const i of dockerfile) {
  if (i.op === 'FROM') stages.push([]);
  stages.at(-1)?.push(i);
}
const [build, runtime] = stages;
const args = Object.fromEntries(
  dockerfile.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]),
);
const baseImage = (from: Instruction) =>
  from.args.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_m, name: string) => args[name]!);
const runs = (stage: Instruction[]) =>
  stage
    .filter((i) => i.op === 'RUN')
    .map((i) => i.args)
    .join(' && ');

describe('deploy/Dockerfile', () => {
  it('has a build stage and a runtime stage on a supported Node LTS (bookworm-slim)', () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(baseImage(stage[0]!)).toMatch(/^node:(22|24)-bookworm-slim$/);
    expect(build![0]!.args).toMatch(/ AS build$/);
  });

  it('builds with npm ci (running prepare: native addon and tsc), then prunes dev dependencies', () => {
    expect(pkg.scripts.prepare).toMatch(/build:native/);
    expect(pkg.scripts.prepare).toMatch(/tsc/);
    const script = runs(build!);
    expect(script).toMatch(/npm ci(?! --ignore-scripts)/);
    expect(script).toMatch(/apt-get install .*python3.*make.*g\+\+/);
    const ci = script.indexOf('npm ci');
    const prune = script.indexOf('npm prune --omit=dev');
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(prune).toBeGreaterThan(ci);
    expect(runs(runtime!)).not.toMatch(/npm/);
  });

  it('copies into the build stage only paths that exist and everything prepare needs', () => {
    const sources = build!
      .filter((i) => i.op === 'COPY')
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .map((p) => p.replace(/\/$/, ''));
    expect(sources.sort()).toEqual(
      [
        'native',
        'package-lock.json',
        'package.json',
        'scripts/build-native.mjs',
        'src',
        'tsconfig.build.json',
        'tsconfig.json',
      ].sort(),
    );
    for (const s of sources) expect(existsSync(join(REPO_ROOT, s)), s).toBe(true);
  });

  it('ships dist, the native addon, production node_modules and package.json, and starts the CLI', () => {
    const copies = runtime!.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies.every((c) => c.startsWith('--from=build '))).toBe(true);
    const from = copies.map((c) => c.split(/\s+/)[1]);
    expect(from).toEqual([
      '/src/package.json',
      '/src/node_modules/',
      '/src/dist/src/',
      '/src/native/build/Release/*.node',
    ]);
    // The addon loader looks for native/build/Release/herald_native.node next to dist/ (src/platform/native.ts).
    expect(readFileSync(join(REPO_ROOT, 'src/platform/native.ts'), 'utf8')).toContain(
      "'native/build/Release/herald_native.node'",
    );
    const entrypoint = runtime!.find((i) => i.op === 'ENTRYPOINT')!;
    expect(JSON.parse(entrypoint.args)).toEqual(['node', pkg.bin.herald]);
    expect(pkg.bin.herald).toBe('dist/src/bin/herald.js');
  });

  it('runs as the unprivileged node user by default', () => {
    expect(runtime!.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual(['node']);
  });

  it('keeps host build output out of the build context', () => {
    const ignore = readFileSync(join(DEPLOY_DIR, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', 'dist', 'native/build', '.git']) expect(ignore).toContain(p);
  });
});
