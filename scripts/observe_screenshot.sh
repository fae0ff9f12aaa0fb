#!/usr/bin/env bash
# Makes docs/images/observe.png again: runs the observer's browser test (headless chromium on
# examples/phoenix_app --serve), which saves the screenshot, and copies it into the docs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -Wno-dev >/dev/null
cmake --build "$root/build" --target phoenix_app observe_fixture -- -j"$(nproc)" >/dev/null
rm -f "$root/build/screenshots/observe.png"
ctest --test-dir "$root/build" -R '^observe\.browser$' --output-on-failure
cp "$root/build/screenshots/observe.png" "$root/docs/images/observe.png"
echo "wrote docs/images/observe.png"
