#!/usr/bin/env bash
# The main job: build supc, generate C++ from examples/phoenix_app/app.sup, build the
# example and run it: a supervision tree starts, two children crash, their supervisors
# restart them (the story is told from the runtime's events), and it shuts down cleanly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -Wno-dev >/dev/null
cmake --build "$root/build" --target phoenix_app -- -j"$(nproc)" >"$root/build/demo-build.log" 2>&1 \
  || { cat "$root/build/demo-build.log" >&2; exit 1; }
echo "built build/examples/phoenix_app/phoenix_app from examples/phoenix_app/app.sup"
echo "(generated: build/examples/phoenix_app/supc_generated/phoenix_app/app.sup.{hpp,cpp})"
echo
POOL_SIZE="${POOL_SIZE:-3}" "$root/build/examples/phoenix_app/phoenix_app"
