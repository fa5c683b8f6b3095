// Proves the layering rules in .dependency-cruiser.cjs reject what docs/architecture.md forbids: a fixture
// tree (test/fixtures/depcruise) breaks each rule once and must produce exactly those violations.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const fixture = resolve(root, 'test/fixtures/depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruiseFixture(): Violation[] {
  const bin = resolve(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [bin, 'src', 'native', '--config', resolve(root, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: fixture, encoding: 'utf8' },
    );
  } catch (err) {
    // depcruise exits non-zero when it finds violations; its JSON is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('dependency rules', () => {
  const violations = cruiseFixture();
  const found = (rule: string, from: string) =>
    violations.some((v) => v.rule.name === rule && v.from === from);

  it.each([
    { rule: 'core-is-pure', from: 'src/core/uses-fs.ts' },
    { rule: 'core-is-pure', from: 'src/core/uses-k8s.ts' },
    { rule: 'k8s-only-from-apps', from: 'src/core/uses-k8s.ts' },
    { rule: 'config-is-pure', from: 'src/config/uses-net.ts' },
    { rule: 'bgp-is-self-contained', from: 'src/bgp/fsm/uses-core.ts' },
    { rule: 'bgp-pure-parts', from: 'src/bgp/fsm/uses-core.ts' },
    { rule: 'speaker-not-controller', from: 'src/speaker/uses-controller.ts' },
    { rule: 'l2-pure-parts', from: 'src/l2/wire/uses-dgram.ts' },
    { rule: 'speaker-pure-parts', from: 'src/speaker/plan.ts' },
    { rule: 'native-only-from-platform', from: 'src/cli/uses-native.ts' },
  ])('$rule rejects $from', ({ rule, from }) => {
    expect(found(rule, from)).toBe(true);
  });

  it('allows what the rules allow', () => {
    expect(violations.filter((v) => v.from === 'src/platform/uses-native.ts')).toEqual([]);
    expect(violations.filter((v) => v.from === 'src/core/ok.ts')).toEqual([]);
  });
});
