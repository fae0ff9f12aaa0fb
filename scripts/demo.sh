#!/usr/bin/env bash
# The main job: build supc, then check the example specs.
# (Later: compile examples/phoenix_app, run it, watch a child crash and restart.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -Wno-dev >/dev/null
cmake --build "$root/build" --target supc -- -j"$(nproc)" >"$root/build/demo-build.log" 2>&1 \
  || { cat "$root/build/demo-build.log" >&2; exit 1; }
for spec in "$root"/examples/*/*.sup; do
  "$root/build/compiler/supc" check "$spec" && echo "checked ${spec#$root/}"
done
