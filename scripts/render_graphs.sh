#!/usr/bin/env bash
# Regenerates the tree pictures of the documentation:
#   docs/images/phoenix_app.dot   supc graph examples/phoenix_app/app.sup
#   docs/images/phoenix_app.svg   rendered from it by Graphviz
# tests/lit/graph/readme-picture.test checks that both are up to date.
#
#   scripts/render_graphs.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
supc=$build/compiler/supc
[[ -x "$supc" ]] || { echo "render_graphs.sh: no supc at $supc (build first)" >&2; exit 1; }
command -v dot >/dev/null || "$root/scripts/deps.sh" --docs

out=$root/docs/images
mkdir -p "$out"
# The picture shows the defaults: no env() values or stdlib from the caller's environment.
env -u POOL_SIZE -u SUPC_STDLIB "$supc" graph "$root/examples/phoenix_app/app.sup" \
  > "$out/phoenix_app.dot"
dot -Tsvg "$out/phoenix_app.dot" > "$out/phoenix_app.svg"
echo "render_graphs.sh: wrote $out/phoenix_app.dot and $out/phoenix_app.svg"
