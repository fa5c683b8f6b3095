// The metallb-excludel2 ConfigMap: defaults when absent, MetalLB's shipped YAML, typed errors per field.
import { describe, expect, it } from 'vitest';

import {
  EXCLUDE_L2_KEY,
  compileExcludePatterns,
  defaultExcludePatterns,
  excludeL2FromConfigMap,
  parseExcludeL2,
} from '../../../src/speaker/exclude-l2.js';
import { DEFAULT_EXCLUDE_PATTERNS, isExcluded } from '../../../src/speaker/interfaces.js';

const sources = (result: ReturnType<typeof parseExcludeL2>): string[] =>
  result.ok ? result.patterns.map((p) => p.source) : [];

// config/native/exclude-l2-config.yaml in MetalLB (flow sequence, one line).
const METALLB_SHIPPED = `announcedInterfacesToExclude: ["^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", "^nodelocaldns.*", "^lxc.*"]\n`;

describe('parseExcludeL2', () => {
  it('reads the list MetalLB ships', () => {
    const result = parseExcludeL2(METALLB_SHIPPED);
    expect(result).toMatchObject({ ok: true, source: 'configmap' });
    expect(sources(result)).toEqual(DEFAULT_EXCLUDE_PATTERNS);
  });

  it('reads a block sequence', () => {
    const result = parseExcludeL2('announcedInterfacesToExclude:\n  - ^ens6$\n  - "^storage[0-9]+"\n');
    expect(sources(result)).toEqual(['^ens6$', '^storage[0-9]+']);
    if (!result.ok) throw new Error('expected ok');
    expect(isExcluded('storage12', result.patterns)).toBe(true);
    expect(isExcluded('ens60', result.patterns)).toBe(false);
    expect(isExcluded('docker0', result.patterns)).toBe(false); // replaces the defaults, not added to them
  });

  it('an explicit empty list excludes nothing', () => {
    expect(parseExcludeL2('announcedInterfacesToExclude: []\n')).toEqual({
      ok: true,
      patterns: [],
      source: 'configmap',
    });
  });

  it.each([
    ['no ConfigMap or key', undefined],
    ['an empty document', '  \n'],
    ['a null document', '~\n'],
    ['a document without the field', 'somethingElse: 1\n'],
    ['a null field', 'announcedInterfacesToExclude:\n'],
  ])('%s gives the defaults', (_what, text) => {
    const result = parseExcludeL2(text);
    expect(result).toMatchObject({ ok: true, source: 'default' });
    expect(sources(result)).toEqual(DEFAULT_EXCLUDE_PATTERNS);
  });

  it('turns a leading (?i) (RE2 syntax) into a case-insensitive pattern', () => {
    const result = parseExcludeL2('announcedInterfacesToExclude: ["(?i)^Storage"]');
    if (!result.ok) throw new Error('expected ok');
    expect(result.patterns[0]!.flags).toBe('i');
    expect(isExcluded('STORAGE1', result.patterns)).toBe(true);
  });
});

describe('parseExcludeL2 errors', () => {
  it('names the bad entry and the reason, and reports every bad entry', () => {
    const result = parseExcludeL2('announcedInterfacesToExclude: ["^ok", "^bad(", 7, "", "^[z-a]"]');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'announcedInterfacesToExclude[1]',
      'announcedInterfacesToExclude[2]',
      'announcedInterfacesToExclude[3]',
      'announcedInterfacesToExclude[4]',
    ]);
    expect(result.errors[0]!.reason).toMatch(/"\^bad\(" is not a valid regular expression/u);
    expect(result.errors[1]!.reason).toBe('must be a string, got number 7');
    expect(result.errors[2]!.reason).toMatch(/must not be empty/u);
  });

  it('rejects a field that is not a list', () => {
    expect(parseExcludeL2('announcedInterfacesToExclude: "^docker.*"')).toEqual({
      ok: false,
      errors: [{ field: 'announcedInterfacesToExclude', reason: 'must be a list, got string "^docker.*"' }],
    });
  });

  it('rejects a document that is not a mapping', () => {
    expect(parseExcludeL2('- ^docker.*\n')).toEqual({
      ok: false,
      errors: [{ field: 'excludel2.yaml', reason: 'must be a mapping, got a list' }],
    });
  });

  it('rejects text that is not YAML, naming the key', () => {
    const result = parseExcludeL2('announcedInterfacesToExclude: [unclosed\n');
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'excludel2.yaml' }] });
    if (!result.ok) expect(result.errors[0]!.reason).toMatch(/^not valid YAML: /u);
  });

  it('never throws on arbitrary text', () => {
    for (const text of [
      ':',
      '{',
      '[[',
      'a: b: c',
      '!!binary x',
      '\t-',
      'announcedInterfacesToExclude: {a: 1}',
    ]) {
      expect(() => parseExcludeL2(text)).not.toThrow();
    }
  });
});

describe('excludeL2FromConfigMap / helpers', () => {
  it('reads the excludel2.yaml key; an absent ConfigMap or key gives the defaults', () => {
    expect(
      sources(excludeL2FromConfigMap({ [EXCLUDE_L2_KEY]: 'announcedInterfacesToExclude: ["^x"]' })),
    ).toEqual(['^x']);
    expect(excludeL2FromConfigMap(undefined)).toMatchObject({ ok: true, source: 'default' });
    expect(excludeL2FromConfigMap({ other: 'x' })).toMatchObject({ ok: true, source: 'default' });
  });

  it('compiles the defaults and arbitrary lists', () => {
    expect(defaultExcludePatterns().map((p) => p.source)).toEqual(DEFAULT_EXCLUDE_PATTERNS);
    expect(compileExcludePatterns(['^a', null])).toEqual({
      ok: false,
      errors: [{ field: 'announcedInterfacesToExclude[1]', reason: 'must be a string, got null' }],
    });
  });
});
