#!/usr/bin/env node
/**
 * Entry point of `npm run lab` (src/lab/main.ts): like herald.ts, the only place that reads process.argv
 * and process.env; SIGINT/SIGTERM abort the lab, which then removes everything it created.
 */
import { dispatch } from '../cli/registry.js';
import { labCommand } from '../lab/main.js';

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
}

dispatch([labCommand], ['lab', ...process.argv.slice(2)], {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`herald lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
