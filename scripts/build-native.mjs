#!/usr/bin/env node
// Builds Herald's Node-API addon (native/ -> native/build/Release/herald_native.node) with node-gyp,
// without downloading anything: node-gyp gets --nodedir explicitly (Node's own headers), so it never
// tries to fetch a header tarball. Run via `npm run build:native` (npm puts its bundled node-gyp on PATH).
//
// Header directory, first match wins: $HERALD_NODEDIR, npm's `nodedir` config ($npm_config_nodedir),
// then the running Node's install prefix (dirname(dirname(process.execPath))), e.g. /usr -> /usr/include/node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');

const hasHeaders = (dir) => existsSync(join(dir, 'include', 'node', 'node_api.h'));

function findNodeDir() {
  const explicit = process.env.HERALD_NODEDIR;
  if (explicit !== undefined && explicit !== '') {
    if (!hasHeaders(explicit)) {
      throw new Error(`build-native: HERALD_NODEDIR=${explicit} has no include/node/node_api.h`);
    }
    return explicit;
  }
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath))].filter(
    (dir) => typeof dir === 'string' && dir !== '',
  );
  const found = candidates.find(hasHeaders);
  if (found === undefined) {
    const tried = candidates.map((dir) => join(dir, 'include', 'node', 'node_api.h')).join(', ');
    throw new Error(
      `build-native: Node's headers were not found (looked for ${tried}). ` +
        'Install the headers of this Node (Debian: they come with the nodejs package) or set HERALD_NODEDIR ' +
        'to a directory that contains include/node/node_api.h.',
    );
  }
  return found;
}

// npm exports the path of its bundled node-gyp as npm_config_node_gyp inside scripts; outside npm, use
// the node-gyp bundled with the npm next to this Node, then `node-gyp` on PATH.
function nodeGypCommand() {
  const bundled = join(
    dirname(dirname(process.execPath)),
    'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  );
  const script = [process.env.npm_config_node_gyp, bundled].find(
    (path) => path !== undefined && existsSync(path),
  );
  if (script !== undefined) {
    return { command: process.execPath, prefix: [script] };
  }
  return { command: 'node-gyp', prefix: [] };
}

function main() {
  const nodedir = findNodeDir();
  const { command, prefix } = nodeGypCommand();
  const args = [...prefix, 'rebuild', `--nodedir=${nodedir}`, '--directory', nativeDir];
  console.log(`build-native: node-gyp rebuild --nodedir=${nodedir} (${nativeDir})`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: nativeDir });
  if (result.error !== undefined) {
    throw new Error(
      `build-native: cannot run node-gyp (${result.error.message}); run this through "npm run build:native"`,
    );
  }
  if (result.status !== 0) {
    throw new Error(`build-native: node-gyp failed with exit status ${result.status ?? result.signal}`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
