#!/usr/bin/env bash
# run.sh NODE_DIR TEST.mjs: runs one of the observer's node tests from NODE_DIR (the build's
# copy of package.json, the lock and the tests). Installs the npm packages there once (npm ci,
# quiet, offline first; one install at a time). Exit 77 (CTest: skipped) with a message when
# node or the packages cannot be had; the test itself skips parts whose tools are missing.
set -uo pipefail
dir="$1"
test="$2"
command -v node >/dev/null || { echo "SKIP: node is not installed (scripts/deps.sh installs it)"; exit 77; }
command -v npm >/dev/null || { echo "SKIP: npm is not installed (scripts/deps.sh installs it)"; exit 77; }
stamp="$dir/node_modules/.supc-installed"
if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
  (
    flock 9
    if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
      cd "$dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >npm-ci.log 2>&1 \
        && touch "$stamp"
    fi
  ) 9>"$dir/.npm-ci.lock"
fi
[[ -f "$stamp" ]] || { echo "SKIP: npm ci could not install puppeteer-core and ajv (no registry?): $dir/npm-ci.log"; exit 77; }
cd "$dir" && exec node "$test"
