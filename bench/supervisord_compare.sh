#!/usr/bin/env bash
# Process children: supc against supervisord (Debian's `supervisor`), in one run on the same
# machine, with the same supervised program (bench/proc_bench_child.cpp):
#   - the time from a child's crash (SIGSEGV) to its successor running (at the top of its main),
#     over many samples: median and p99;
#   - the supervisor's own CPU time (to start 100 children, then while they idle) and its RSS.
# supc's side is bench/procbench.cpp (a tree of sup::process children; Release, -O2); both are
# measured from outside by `procbench crash` / `procbench idle` (docs/runtime.md §12,
# "Benchmark against supervisord"). Needs supervisord (Debian's supervisor: not in scripts/deps.sh, no test
# needs it; the script says so and stops when it is missing).
#
#   bench/supervisord_compare.sh [--samples N] [--children N] [--seconds S] [--build DIR | --bin DIR]
#
# --bin DIR uses procbench and proc_bench_child already built in DIR (build/bench) instead of
# configuring and building a Release tree in --build DIR (default build-bench).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
samples=200
children=100
seconds=10
build="$root/build-bench"
bin=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --samples) samples="$2"; shift 2 ;;
    --children) children="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    *) echo "supervisord_compare.sh: unknown option '$1'" >&2; exit 64 ;;
  esac
done
command -v supervisord >/dev/null ||
  { echo "supervisord_compare.sh: supervisord not found: install Debian's supervisor (apt-get install supervisor; on a machine with systemd that also starts its service), or skip this comparison" >&2; exit 1; }

if [[ -z "$bin" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
        -DSUPC_BUILD_COMPILER=OFF -DSUPC_BUILD_TESTS=OFF -DSUPC_BUILD_EXAMPLES=OFF -Wno-dev >/dev/null
  cmake --build "$build" --target procbench proc_bench_child -- -j2 >/dev/null
  bin="$build/bench"
fi
procbench="$(cd "$bin" && pwd)/procbench"
child="$(cd "$bin" && pwd)/proc_bench_child"
[[ -x "$procbench" && -x "$child" ]] || { echo "supervisord_compare.sh: no procbench / proc_bench_child in $bin" >&2; exit 1; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
sock="$dir/probe.sock"

# supervisord as a user would configure it for this: restart always, no start delay to wait
# (startsecs=0: running once executed, as supc's Readiness::exec), output captured to its logs.
conf() { # N
  cat <<EOF
[supervisord]
nodaemon=true
user=$(id -un)
logfile=$dir/supervisord.log
pidfile=$dir/supervisord.pid
childlogdir=$dir

[program:c]
command=$child $sock
numprocs=$1
process_name=%(program_name)s_%(process_num)03d
autorestart=true
startsecs=0
startretries=1000000
stopwaitsecs=5
EOF
}
conf 1 > "$dir/one.conf"
conf "$children" > "$dir/many.conf"

supc_one=("$procbench" supervise --children 1 -- "$child" "$sock")
supc_many=("$procbench" supervise --children "$children" -- "$child" "$sock")

echo "crash to successor: supc ($samples samples)" >&2
"$procbench" crash --socket "$sock" --samples "$samples" -- "${supc_one[@]}" > "$dir/crash.supc" 2>>"$dir/supc.log"
echo "crash to successor: supervisord ($samples samples)" >&2
"$procbench" crash --socket "$sock" --samples "$samples" -- supervisord -c "$dir/one.conf" > "$dir/crash.sv" 2>>"$dir/sv.log"
echo "$children idle children: supc (${seconds} s)" >&2
"$procbench" idle --socket "$sock" --children "$children" --seconds "$seconds" -- "${supc_many[@]}" > "$dir/idle.supc" 2>>"$dir/supc.log"
echo "$children idle children: supervisord (${seconds} s)" >&2
"$procbench" idle --socket "$sock" --children "$children" --seconds "$seconds" -- supervisord -c "$dir/many.conf" > "$dir/idle.sv" 2>>"$dir/sv.log"

python3 - "$dir" "$(supervisord --version)" "$(c++ --version | head -1)" "$(nproc)" <<'PY'
import json, sys
d, sv_version, cxx, cores = sys.argv[1:5]
load = lambda name: json.load(open(f"{d}/{name}"))
crash_supc, crash_sv, idle_supc, idle_sv = (load(n) for n in ("crash.supc", "crash.sv", "idle.supc", "idle.sv"))
print(f"supc ({cxx}, -O2) vs supervisord {sv_version}; {cores} cores; one run")
print(f"{'figure':44} {'supc':>10} {'supervisord':>12} {'ratio':>8}")
rows = [
    (f"crash -> successor running, median (us)", crash_supc["median_us"], crash_sv["median_us"]),
    (f"crash -> successor running, p99 (us)", crash_supc["p99_us"], crash_sv["p99_us"]),
    (f"CPU to start {idle_supc['children']} children (ms)", idle_supc["start_cpu_ms"], idle_sv["start_cpu_ms"]),
    (f"CPU while they idle {idle_supc['idle_seconds']} s (ms)", idle_supc["idle_cpu_ms"], idle_sv["idle_cpu_ms"]),
    (f"RSS with {idle_supc['children']} children (KiB)", idle_supc["rss_kib"], idle_sv["rss_kib"]),
]
for name, s, o in rows:
    ratio = f"{s / o:.3f}" if o else "-"
    print(f"{name:44} {s:>10.1f} {o:>12.1f} {ratio:>8}")
print(f"({crash_supc['samples']} crashes each; CPU clock ticks are 10 ms: small CPU figures are coarse)")
PY
