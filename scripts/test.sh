#!/usr/bin/env bash
# Builds everything and runs every test: unit (Catch2), compiler (lit + FileCheck),
# end-to-end, then the runtime's, the standard library's and the observer's tests again under
# ThreadSanitizer and ASan+UBSan.
#   SUPC_TEST_SANITIZERS=0 scripts/test.sh   skips the sanitizer builds
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"

jobs=$(nproc)
build() {  # build DIR [cmake args...]
  local dir="$1"; shift
  cmake -S "$root" -B "$dir" -G Ninja -Wno-dev "$@" >/dev/null
  local rc=0
  cmake --build "$dir" -- -j"$jobs" >"$dir/build.log" 2>&1 || rc=$?
  grep -v -E '^\[[0-9]+/[0-9]+\]' "$dir/build.log" | grep -v '^ninja: ' || true
  return $rc
}

echo "== build (RelWithDebInfo) =="
build "$root/build"
echo "== tests =="
(cd "$root/build" && ctest --output-on-failure -j"$jobs")

if [[ "${SUPC_TEST_SANITIZERS:-1}" != 0 ]]; then
  for san in thread address; do
    echo "== runtime tests under SUPC_SANITIZE=$san =="
    build "$root/build-$san" -DCMAKE_BUILD_TYPE=Debug -DSUPC_SANITIZE=$san \
      -DSUPC_BUILD_COMPILER=OFF -DSUPC_BUILD_EXAMPLES=OFF -DSUPC_BUILD_BENCH=OFF
    (cd "$root/build-$san" && ctest --output-on-failure -j"$jobs" -L 'runtime|stdlib|observe')
  done
fi
echo "== all tests passed =="
