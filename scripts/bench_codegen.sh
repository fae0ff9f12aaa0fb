#!/usr/bin/env bash
# What generated code costs to build (docs/codegen.md, "Cost"; PERFORMANCE.md, "The compiler").
#
#   scripts/bench_codegen.sh [SUPC] [RUNS]     (defaults: build/compiler/supc, 3)
#
# Writes a 1,000-worker spec with scripts/gen_spec.py twice (half the children in `for` loops;
# every child written out), runs `supc compile` on every file of each, and compiles the
# generated .cpp files one after another with `$CXX -std=c++20 -O2 -c` (CXX defaults to g++;
# worker classes are one-line stubs). Prints, per spec, the median over RUNS of the wall
# time and of the CPU time (user+sys) of compiling all files, and the slowest file; then the
# median wall time of `supc compile app.sup` on a 10,000-worker spec. Also prints the
# compiler's version and the load average, since the figures are only as quiet as the machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
supc="$(realpath "${1:-$root/build/compiler/supc}")"
runs="${2:-3}"
cxx="${CXX:-g++}"
flags=(-std=c++20 -O2)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "compiler: $("$cxx" --version | head -1); flags: ${flags[*]} -c, one file at a time"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for variant in loops:0.5 flat:0; do
  name="${variant%%:*}"
  dir="$tmp/$name"
  python3 "$root/scripts/gen_spec.py" 1000 -o "$dir/spec" --loop-fraction "${variant#*:}" >/dev/null
  mkdir -p "$dir/inc/gen" "$dir/out"
  for k in 0 1 2 3 4 5 6 7 8 9; do
    cat >"$dir/inc/gen/kind$k.hpp" <<EOF
#pragma once
#include <sup/actor.hpp>
#include <chrono>
#include <cstdint>
#include <string>
namespace gen {
class Kind$k : public sup::Actor<Kind$k> {
public:
    Kind$k(std::int64_t, std::string, std::chrono::milliseconds) {}
};
}
EOF
  done
  "$supc" compile "$dir"/spec/*.sup -o "$dir/out"
  lines=$(cat "$dir"/out/*.cpp "$dir"/out/*.hpp | wc -l)
  : >"$dir/totals"
  for ((r = 0; r < runs; r++)); do
    : >"$dir/files"
    start=$(date +%s.%N)
    for cpp in "$dir"/out/*.cpp; do
      /usr/bin/time -f "%U %S $(basename "$cpp")" -a -o "$dir/files" \
        "$cxx" "${flags[@]}" -I "$root/runtime/include" -I "$dir/inc" -I "$dir/out" \
        -c "$cpp" -o "$cpp.o"
    done
    end=$(date +%s.%N)
    cpu=$(awk '{ s += $1 + $2 } END { printf "%.2f", s }' "$dir/files")
    slowest=$(awk '{ printf "%.2f %s\n", $1 + $2, $3 }' "$dir/files" | sort -g | tail -1)
    echo "$(echo "$end - $start" | bc) $cpu $slowest" >>"$dir/totals"
  done
  files=$(ls "$dir"/out/*.cpp | wc -l)
  wall=$(cut -d' ' -f1 "$dir/totals" | median)
  cpu=$(cut -d' ' -f2 "$dir/totals" | median)
  slow=$(sort -k2 -g "$dir/totals" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $3 " s (" $4 ")" }')
  printf '1,000 workers, %-6s %2d files, %6d lines: compile %6.2f s wall, %6.2f s CPU (median of %d); slowest file %s\n' \
    "$name:" "$files" "$lines" "$wall" "$cpu" "$runs" "$slow"
done

python3 "$root/scripts/gen_spec.py" 10000 -o "$tmp/spec10k" >/dev/null
: >"$tmp/supc"
for ((r = 0; r < 7; r++)); do
  start=$(date +%s.%N)
  "$supc" compile "$tmp/spec10k/app.sup" -o "$tmp/out10k"
  end=$(date +%s.%N)
  echo "$end - $start" | bc >>"$tmp/supc"
done
printf 'supc compile app.sup, 10,000 workers: %.3f s wall (median of 7)\n' "$(median <"$tmp/supc")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
