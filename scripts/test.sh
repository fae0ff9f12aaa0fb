#!/usr/bin/env bash
# Builds everything and runs every test, in three builds:
#   build/          Release, warnings as errors (SUPC_WERROR): every test (unit, lit + FileCheck,
#                   end to end, format, crosscheck)
#   build-thread/   the runtime, the libraries and the observer under ThreadSanitizer:
#                   $sanitized_labels
#   build-address/  the same under ASan+UBSan (non-recoverable), and the compiler itself:
#                   $sanitized_labels and $compiler_labels (the lit suite, with the robustness
#                   corpus and the fuzz replay of tests/robustness, through an ASan+UBSan supc;
#                   the programs built from generated code)
#   SUPC_TEST_SANITIZERS=0 scripts/test.sh   skips the sanitizer builds
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/deps.sh"

# The CTest labels run again under both sanitizers: the tests of the runtime and of
# the libraries on top of it. A component with such tests adds its label here.
sanitized_labels=(runtime stdlib observe)
# The CTest labels that exercise the compiler, run again with supc under ASan+UBSan, and the
# programs built from generated code (label generated), run again under ASan+UBSan.
compiler_labels=(compiler lit generated)

jobs=$(nproc)
build() {  # build DIR [cmake args...]
  local dir="$1"; shift
  cmake -S "$root" -B "$dir" -G Ninja -Wno-dev "$@" >/dev/null
  local rc=0
  cmake --build "$dir" -- -j"$jobs" >"$dir/build.log" 2>&1 || rc=$?
  grep -v -E '^\[[0-9]+/[0-9]+\]' "$dir/build.log" | grep -v '^ninja: ' || true
  return $rc
}
labels() { local IFS='|'; echo "$*"; }
phase_start=$SECONDS
phase() {  # phase NAME: prints how long the previous phase took, then NAME
  [[ -n "${phase_name:-}" ]] && echo "== ${phase_name}: $((SECONDS - phase_start)) s"
  phase_name="$1"; phase_start=$SECONDS
  [[ -n "$1" ]] && echo "== $1 =="
  return 0
}

phase "build (Release, SUPC_WERROR)"
build "$root/build" -DCMAKE_BUILD_TYPE=Release -DSUPC_WERROR=ON
phase "tests"
(cd "$root/build" && ctest --output-on-failure -j"$jobs")

if [[ "${SUPC_TEST_SANITIZERS:-1}" != 0 ]]; then
  export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  # Both sanitizer builds keep line tables only (-g1): a report's stack still names every
  # frame's file and line, and the builds are about a fifth faster than with full -g.
  phase "build under SUPC_SANITIZE=thread (runtime and libraries)"
  build "$root/build-thread" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
    -DSUPC_SANITIZE=thread \
    -DSUPC_BUILD_COMPILER=OFF -DSUPC_BUILD_EXAMPLES=OFF -DSUPC_BUILD_BENCH=OFF
  phase "tests under ThreadSanitizer: $(labels "${sanitized_labels[@]}")"
  (cd "$root/build-thread" && ctest --output-on-failure -j"$jobs" \
    -L "$(labels "${sanitized_labels[@]}")")

  phase "build under SUPC_SANITIZE=address (ASan+UBSan: runtime, libraries, compiler)"
  # -O1, as the sanitizers' authors advise: -O0 made the compiler's lit suites several
  # times slower (lit.fmt alone took minutes), and reports are as precise.
  build "$root/build-address" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" \
    -DSUPC_SANITIZE=address -DSUPC_BUILD_EXAMPLES=OFF -DSUPC_BUILD_BENCH=OFF
  phase "tests under ASan+UBSan: $(labels "${sanitized_labels[@]}" "${compiler_labels[@]}")"
  (cd "$root/build-address" && ctest --output-on-failure -j"$jobs" \
    -L "$(labels "${sanitized_labels[@]}" "${compiler_labels[@]}")")
fi
phase ""
echo "== all tests passed =="
