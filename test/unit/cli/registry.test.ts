import { describe, expect, it } from 'vitest';
import { dispatch, helpText } from '../../../src/cli/registry.js';
import { COMMANDS } from '../../../src/cli/commands.js';
import type { Command } from '../../../src/cli/command.js';
import { UsageError } from '../../../src/cli/command.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      signal: new AbortController().signal,
    },
  };
}

const echo: Command = {
  name: 'echo',
  summary: 'print the arguments',
  usage: 'Usage: herald echo ARGS\n',
  async run(args, io) {
    if (args[0] === '--bad') throw new UsageError('unknown flag --bad');
    io.stdout.write(args.join(' '));
    return 0;
  },
};

describe('herald dispatcher', () => {
  it('lists every registered command in --help', async () => {
    const c = capture();
    expect(await dispatch([...COMMANDS, echo], ['--help'], c.io)).toBe(0);
    for (const cmd of [...COMMANDS, echo]) expect(c.out.join('')).toContain(cmd.name);
  });

  it('runs a command and returns its exit code', async () => {
    const c = capture();
    expect(await dispatch([echo], ['echo', 'a', 'b'], c.io)).toBe(0);
    expect(c.out.join('')).toBe('a b');
  });

  it('prints usage and exits 2 on a usage error', async () => {
    const c = capture();
    expect(await dispatch([echo], ['echo', '--bad'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('unknown flag --bad');
    expect(c.err.join('')).toContain('Usage: herald echo');
  });

  it('rejects an unknown command with exit 2', async () => {
    const c = capture();
    expect(await dispatch([echo], ['nope'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('unknown command "nope"');
  });

  it('shows per-command usage', async () => {
    const c = capture();
    expect(await dispatch([echo], ['echo', '--help'], c.io)).toBe(0);
    expect(c.out.join('')).toBe(echo.usage);
    expect(helpText([echo])).toContain('echo  print the arguments');
  });
});
