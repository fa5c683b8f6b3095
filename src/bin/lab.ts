#!/usr/bin/env node
/**
 * Entry point of `npm run lab` (src/lab/main.ts): like herald.ts, the only place that reads process.argv
 * and process.env; SIGINT/SIGTERM abort the lab, which then removes everything it created (further
 * signals are reported and do not interrupt the cleanup).
 */
import { dispatch } from '../cli/registry.js';
import { labCommand } from '../lab/main.js';

const controller = new AbortController();
// `on`, not `once`: a second Ctrl-C while the lab cleans up must not kill it half-way.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (controller.signal.aborted) process.stderr.write(`herald lab: ${sig} again: still cleaning up\n`);
    controller.abort(new Error(`received ${sig}`));
  });
}

// An unexpected error anywhere still ends in the lab's cleanup (abort), and the exit code says it failed.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    process.stderr.write(`herald lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
    controller.abort(err);
  });
}

dispatch([labCommand], ['lab', ...process.argv.slice(2)], {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = process.exitCode === 1 ? 1 : code;
  },
  (err: unknown) => {
    process.stderr.write(`herald lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
