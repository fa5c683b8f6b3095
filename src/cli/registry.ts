/** The list of `herald` subcommands and the top-level dispatcher (help, version, unknown commands). */
import type { Command, CommandIo } from './command.js';
import { UsageError } from './command.js';

export const VERSION = '0.1.0';

export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'herald: bare-metal LoadBalancer addresses for Kubernetes (MetalLB-compatible API)',
    '',
    'Usage: herald <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "herald <command> --help" for the flags of one command.',
    '',
  ].join('\n');
}

export async function dispatch(
  commands: readonly Command[],
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`herald ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`herald: unknown command "${name}"\n\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`herald ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    throw err;
  }
}
