#!/usr/bin/env bash
# Runs the unit suite and the CLI on Node 22 and 24 (the running Node, 20, runs the whole suite in
# `npm test`). The binaries come from the npm registry's `node` package, installed by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
for major in 22 24; do
  node_bin=".tools/node$major/node_modules/.bin/node"
  if [ ! -x "$node_bin" ]; then
    echo "test-compat: Node $major is not installed; run: bash scripts/setup.sh" >&2
    exit 1
  fi
  version=$("$node_bin" --version)
  case "$version" in v"$major".*) ;; *) echo "test-compat: $node_bin is $version, not Node $major" >&2; exit 1 ;; esac
  echo "test-compat: Node $version"
  "$node_bin" dist/src/bin/herald.js --help >/dev/null
  "$node_bin" node_modules/vitest/vitest.mjs run test/unit --reporter=dot
done
