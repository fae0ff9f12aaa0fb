#!/usr/bin/env bash
# The main job: build supc, generate C++ from examples/phoenix_app/app.sup, build the
# example and run it: a supervision tree starts, two children crash, their supervisors
# restart them (the story is told from the runtime's events), and it shuts down cleanly.
#   scripts/demo.sh                    the story, then how to watch it live
#   scripts/demo.sh --serve [ADDR:PORT] the tree runs, hurt every few seconds, and its live page
#                                      is served (default http://127.0.0.1:9090/) until Ctrl-C
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
serve=()
if [[ "${1:-}" == "--serve" ]]; then
  serve=(--serve "${2:-127.0.0.1:9090}")
elif [[ $# -gt 0 ]]; then
  echo "usage: scripts/demo.sh [--serve [ADDR:PORT]]" >&2
  exit 64
fi
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -Wno-dev >/dev/null
cmake --build "$root/build" --target phoenix_app -- -j"$(nproc)" >"$root/build/demo-build.log" 2>&1 \
  || { cat "$root/build/demo-build.log" >&2; exit 1; }
echo "built build/examples/phoenix_app/phoenix_app from examples/phoenix_app/app.sup"
echo "(generated: build/examples/phoenix_app/supc_generated/phoenix_app/app.sup.{hpp,cpp})"
echo
if [[ ${#serve[@]} -gt 0 ]]; then
  exec env POOL_SIZE="${POOL_SIZE:-3}" "$root/build/examples/phoenix_app/phoenix_app" "${serve[@]}"
fi
POOL_SIZE="${POOL_SIZE:-3}" "$root/build/examples/phoenix_app/phoenix_app"
echo
echo "To watch the tree live in a browser (restarts as they happen, metrics, health):"
echo "  scripts/demo.sh --serve    then open http://127.0.0.1:9090/ (Ctrl-C stops it)"
echo "Any generated program does the same with SUPC_OBSERVE=127.0.0.1:9090 (docs/observe.md)."
