#!/bin/sh
# Packages the VS Code extension: editors/vscode/package.sh [OUT.vsix]
# Installs the exact dependencies of package-lock.json (npm ci: vscode-languageclient, and
# @vscode/vsce to package), then writes the .vsix (default: editors/vscode/supc.vsix, not
# committed). Install it with `code --install-extension supc.vsix`.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/supc.vsix}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$here"
npm ci --no-audit --no-fund
npx vsce package --out "$out"
