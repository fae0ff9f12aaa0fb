#!/usr/bin/env bash
# The observer's cost on the runtime benchmark: supbench alone, and supbench serving a small
# tree with the observer while a page is open (an event stream of the page's kind, read by
# curl, so that the tree is sampled every second and every supervisor event is streamed).
# Runs each N times, alternating, and prints the medians and their ratio.
#
#   bench/observe_cost.sh [--runs N] [--threads N] [--build DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
threads=0
build="$root/build-bench"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    *) echo "observe_cost.sh: unknown option '$1'" >&2; exit 64 ;;
  esac
done
command -v curl >/dev/null || { echo "observe_cost.sh: needs curl" >&2; exit 1; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DSUPC_BUILD_COMPILER=OFF -DSUPC_BUILD_TESTS=OFF -DSUPC_BUILD_EXAMPLES=OFF -Wno-dev >/dev/null
cmake --build "$build" --target supbench -- -j2 >/dev/null

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
port=$((20000 + RANDOM % 20000))
for i in $(seq 1 "$runs"); do
  "$build/bench/supbench" --threads "$threads" > "$out/off.$i.json"
  "$build/bench/supbench" --threads "$threads" --observe "127.0.0.1:$port" --observe-clients 1 \
      > "$out/on.$i.json" 2>"$out/on.$i.log" &
  bench=$!
  # The page's stream: retry until the observer listens.
  for _ in $(seq 1 100); do
    curl -sN "http://127.0.0.1:$port/api/events?tree=1" > "$out/stream.$i" 2>/dev/null &
    curl_pid=$!
    sleep 0.2
    kill -0 "$curl_pid" 2>/dev/null && break
  done
  wait "$bench"
  kill "$curl_pid" 2>/dev/null || true
  wait "$curl_pid" 2>/dev/null || true
  echo "run $i: the page's stream got $(grep -c '^event: ' "$out/stream.$i") messages" >&2
done

python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
d, runs = sys.argv[1], int(sys.argv[2])
load = lambda name: [json.load(open(f"{d}/{name}.{i}.json")) for i in range(1, runs + 1)]
off, on = load("off"), load("on")
keys = ["spawn_ns", "pingpong_rtt_ns", "call_rtt_ns", "restart_latency_ns_median",
        "one_for_all_1000_restart_ns_median", "start_10k_children_ms", "stop_10k_children_ms",
        "bytes_per_idle_process"]
med = lambda rs, k: statistics.median(r[k] for r in rs)
print(f"supbench ({off[0]['threads']} scheduler threads), medians of {runs} alternating runs")
print(f"{'figure':38} {'observer off':>13} {'on, page open':>14} {'ratio':>7}")
for k in keys:
    a, b = med(off, k), med(on, k)
    print(f"{k:38} {a:13.1f} {b:14.1f} {b / a:7.2f}")
PY
