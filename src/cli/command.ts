/**
 * The shape of a `herald` subcommand: a name, a one-line summary for `herald --help`, its own usage text,
 * and a run function that receives already-split argv and the process streams as ports. Subcommands never
 * read process.env or process.argv themselves; src/bin/herald.ts hands both in.
 */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Thrown by argument parsers for a bad flag; the entry point prints it with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
