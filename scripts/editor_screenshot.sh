#!/usr/bin/env bash
# Makes docs/images/nvim-lsp.png, the screenshot in docs/editors.md: Neovim (Debian's) in a
# terminal (tmux, 110x32) editing a spec with `supc lsp` attached through editors/vim —
# highlighting, a diagnostic as it is shown while typing, and the hover over a child with
# its effective settings. The terminal's screen, colours included (tmux capture-pane -e),
# is turned into HTML (scripts/ansi_to_html.py) and rendered to PNG by headless Chromium.
#   scripts/editor_screenshot.sh [SUPC] [OUT.png]
# Needs nvim, tmux and chromium. Every wait is bounded.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
supc="${1:-$root/build/compiler/supc}"
out="${2:-$root/docs/images/nvim-lsp.png}"
for tool in nvim tmux chromium; do
  command -v "$tool" >/dev/null || { echo "editor_screenshot.sh: needs $tool" >&2; exit 1; }
done
work="$(mktemp -d)"
session="supc-shot-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

cat >"$work/app.sup" <<'SPEC'
// A payments service: the database pool must come up before the services that use it.
import "std";

const pool_size = env("POOL_SIZE", 10);

worker Db(size: int) = "pay::Db" from "pay/db.hpp" { shutdown = 30s; }
worker Ledger = "pay::Ledger" from "pay/ledger.hpp" { restart = transient; }
worker Api(port: int = 8080) = "pay::Api" from "pay/api.hpp";

supervisor Services {
    strategy = one_for_all;
    child ledger = Ledger { shutdown = 10s; }
    child api    = Api(port = 9000);
}

application Payments {
    strategy = rest_for_one;
    child db       = Db(size = pool_size);
    child registry = std.Registry(keys = unique);
    child services = Services { needs = [db]; }
}

supervisor Spare {
    child api = Api { restart = permanant; }
}
SPEC
cat >"$work/init.lua" <<INIT
vim.opt.runtimepath:prepend('$root/editors/vim')
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
vim.opt.termguicolors = true
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.laststatus = 0
vim.opt.shortmess:append('I')
vim.cmd('colorscheme default')
vim.cmd('set background=dark')
vim.cmd('highlight NormalFloat guibg=#2b2b33 guifg=#d4d4d4')
vim.cmd('highlight SignColumn guibg=NONE')
vim.cmd('highlight LineNr guifg=#6e7681')
vim.diagnostic.config({ virtual_text = { prefix = '●' }, severity_sort = true })
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sup',
  callback = function(args)
    local id = vim.lsp.start_client({ name = 'supc', cmd = { '$supc', 'lsp' }, root_dir = '$work' })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
INIT

tmux new-session -d -s "$session" -x 110 -y 32 "cd $work && TERM=tmux-256color nvim -n -i NONE -u init.lua app.sup"
wait_for() {  # wait_for TEXT: until the screen shows TEXT (20 s at most)
  for _ in $(seq 200); do
    tmux capture-pane -t "$session" -p | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "editor_screenshot.sh: '$1' did not appear on the screen" >&2
  tmux capture-pane -t "$session" -p >&2
  exit 1
}
wait_for "unknown restart type"
# The cursor on the child `ledger`, then the hover.
tmux send-keys -t "$session" ':call cursor(12, 11)' Enter
tmux send-keys -t "$session" ':lua vim.lsp.buf.hover()' Enter
wait_for 'the language default'
tmux capture-pane -t "$session" -e -p >"$work/screen.ans"
python3 "$root/scripts/ansi_to_html.py" --columns 110 <"$work/screen.ans" >"$work/screen.html"
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1000,600 --screenshot="$out" "file://$work/screen.html" >/dev/null 2>&1
echo "editor_screenshot.sh: wrote $out"
