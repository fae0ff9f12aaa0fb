#!/usr/bin/env bash
# Installs the Debian packages supc needs, and nothing when they are all present.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh --bench    also Erlang/OTP, for the side-by-side benchmark
#   scripts/deps.sh --docs     also graphviz, for rendering tree pictures
set -euo pipefail

packages=(cmake ninja-build make g++ python3 antlr4 libantlr4-runtime-dev llvm-14-dev llvm-14-tools
          libfmt-dev catch2 clang-format-14
          libdtl-dev                     # supc fmt --diff's edit script (header only)
          libmicrohttpd-dev pkg-config   # the observer's HTTP server (docs/observe.md)
          chromium prometheus            # its tests: a real browser, promtool
          neovim                         # `supc lsp` driven by a real editor (tests/e2e/editors)
          python3-jsonschema             # SARIF validated against its schema (tests/sarif)
          pre-commit patch)              # the pre-commit hooks (tests/e2e/precommit); fmt --diff applied
# node and npm (the observer's browser tests): Debian's, unless the machine has its own.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(erlang-base) ;;
    --docs) packages+=(graphviz) ;;
    *) echo "deps.sh: unknown option '$arg'" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "deps.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended-upgrades, a second checkout's deps.sh) may hold dpkg's lock:
# wait for it rather than fail.
apt=($sudo apt-get -o DPkg::Lock::Timeout=900)
log=$(mktemp /tmp/supc-deps.XXXXXX.log)
if ! "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  "${apt[@]}" update -qq >>"$log" 2>&1
  "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; echo "deps.sh: apt-get failed (log: $log)" >&2; exit 1; }
fi
rm -f "$log"
