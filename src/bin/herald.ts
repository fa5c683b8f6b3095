#!/usr/bin/env node
/**
 * Process entry point for every Herald binary. The only module that reads process.argv and process.env;
 * it wires signals to an AbortSignal and hands everything to the subcommand as typed ports.
 */
import { dispatch } from '../cli/registry.js';
import { COMMANDS } from '../cli/commands.js';

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
}

dispatch(COMMANDS, process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`herald: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
