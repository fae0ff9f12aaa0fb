#!/bin/sh
# run_nvim_test.sh LUA WORKDIR: runs the Neovim LSP test headless in a fresh WORKDIR (its
# own config, data and state directories: the user's Neovim set-up plays no part).
# Exit 77 (CTest's skip) when nvim is not installed.
set -eu
lua="$1" work="$2"
if ! command -v nvim >/dev/null 2>&1; then
  echo "SKIP: nvim is not installed (Debian package neovim; scripts/deps.sh installs it)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state"
export XDG_CACHE_HOME="$work/cache" NVIM_LOG_FILE="$work/nvim.log"
export SUPC_TEST_DIR="$work"
# The Lua script ends Neovim itself (exit status 0 when every check passed; cquit 2 when
# the script itself cannot run); the timeout is
# a last resort against a hang, far above its bounded waits.
exec timeout 100 nvim --headless --clean -n -i NONE -u NONE -c "luafile $lua" -c "cquit 2"
