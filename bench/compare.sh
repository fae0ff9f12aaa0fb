#!/usr/bin/env bash
# Builds supbench (Release, -O2 -DNDEBUG), runs it and OTP's benchmark (bench/otp_supbench.erl,
# a copy of the project's reference benchmark) in the same run on the
# same machine, and prints each figure side by side with the ratio supc/OTP.
# The bar (PERFORMANCE.md): every time figure at most 0.5x OTP's, at most 1024 bytes per idle
# actor. Needs Erlang/OTP (scripts/deps.sh --bench installs erlang-base).
#
#   bench/compare.sh [--runs N] [--threads N] [--build DIR]
#
# With --runs N (default 3) each program runs N times, alternating, and the medians are compared.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=3
threads=0
build="$root/build-bench"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option '$1'" >&2; exit 64 ;;
  esac
done
command -v erlc >/dev/null || { echo "compare.sh: erlc not found (scripts/deps.sh --bench)" >&2; exit 1; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DSUPC_BUILD_COMPILER=OFF -DSUPC_BUILD_TESTS=OFF -DSUPC_BUILD_EXAMPLES=OFF -Wno-dev >/dev/null
cmake --build "$build" --target supbench -- -j2 >/dev/null

otp_dir="$(mktemp -d)"
trap 'rm -rf "$otp_dir"' EXIT
cp "$root/bench/otp_supbench.erl" "$otp_dir/"
(cd "$otp_dir" && erlc otp_supbench.erl)

for i in $(seq 1 "$runs"); do
  "$build/bench/supbench" --threads "$threads" > "$otp_dir/supc.$i.json"
  (cd "$otp_dir" && erl -noshell -s otp_supbench main) > "$otp_dir/otp.$i.json"
done

python3 - "$otp_dir" "$runs" "$(c++ --version | head -1)" <<'PY'
import json, statistics, sys
d, runs, cxx = sys.argv[1], int(sys.argv[2]), sys.argv[3]
load = lambda name: [json.load(open(f"{d}/{name}.{i}.json")) for i in range(1, runs + 1)]
supc, otp = load("supc"), load("otp")
keys = ["spawn_ns", "pingpong_rtt_ns", "restart_latency_ns_median",
        "one_for_all_1000_restart_ns_median", "start_10k_children_ms", "stop_10k_children_ms",
        "bytes_per_idle_process"]
med = lambda runs, k: statistics.median(r[k] for r in runs)
print(f"supc ({supc[0]['threads']} scheduler threads, {cxx}, -O2) vs Erlang/OTP {otp[0]['otp']} "
      f"({otp[0]['schedulers']} schedulers); medians of {runs} alternating runs")
print(f"{'figure':38} {'supc':>12} {'OTP':>12} {'ratio':>7}  bar")
ok = True
for k in keys:
    s, o = med(supc, k), med(otp, k)
    ratio = s / o
    if k == "bytes_per_idle_process":
        bar, met = "<= 1024 B", s <= 1024
    else:
        bar, met = "<= 0.50x", ratio <= 0.5
    ok &= met
    print(f"{k:38} {s:12.1f} {o:12.1f} {ratio:7.3f}  {bar} {'met' if met else 'MISSED'}")
extra = {k: statistics.median(r[k] for r in supc) for k in supc[0] if k not in keys and isinstance(supc[0][k], (int, float))}
print("supc extras:", json.dumps(extra))
sys.exit(0 if ok else 1)
PY
