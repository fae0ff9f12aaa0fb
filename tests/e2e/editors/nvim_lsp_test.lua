-- Neovim (0.7 or later) as a real LSP client of `supc lsp`: attaches the server to a .sup
-- buffer and checks the diagnostics it publishes, a hover, a definition jump and
-- formatting. Every wait is bounded (vim.wait on the event); no fixed sleeps.
-- Run by run_nvim_test.sh with $SUPC (the supc binary) and $SUPC_TEST_DIR (a fresh dir).

local function fail(msg)
  io.stderr:write('nvim_lsp_test: FAIL: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function check(cond, msg)
  if not cond then fail(msg) end
end

local function main()
  local dir = vim.env.SUPC_TEST_DIR
  local path = dir .. '/app.sup'
  local f = assert(io.open(path, 'w'))
  f:write(table.concat({
    'worker Db = "app::Db" from "db.hpp";',
    'worker Cache(ttl: duration = 300s) = "app::Cache" from "cache.hpp" { shutdown = 10s; }',
    '',
    'application App {',
    '    child db = Db;',
    '    child cache = Cache(ttl = 60s) { restart = permanant; }',
    '}',
    '',
  }, '\n'))
  f:close()

  -- editors/vim: filetype detection and syntax, as a user's runtimepath would have them.
  vim.opt.runtimepath:prepend(vim.env.SUPC_EDITORS_VIM)
  vim.cmd('filetype off') -- on again below, with editors/vim's ftdetect/ in the path
  vim.cmd('filetype plugin on')
  vim.cmd('syntax on')
  vim.cmd('edit ' .. path)
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'sup', 'filetype is "' .. vim.bo[buf].filetype .. '", not sup')
  check(vim.bo[buf].shiftwidth == 4, 'ftplugin/sup.vim did not set shiftwidth')
  local function group(line, col)
    return vim.fn.synIDattr(vim.fn.synID(line, col, 1), 'name')
  end
  check(group(1, 1) == 'supDeclaration', 'worker is highlighted as ' .. group(1, 1))
  check(group(1, 8) == 'supDeclName', 'Db is highlighted as ' .. group(1, 8))
  check(group(1, 13) == 'supString', 'the C++ type is highlighted as ' .. group(1, 13))
  check(group(2, 30) == 'supDuration', '300s is highlighted as ' .. group(2, 30))
  check(group(6, 38) == 'supSetting', 'restart is highlighted as ' .. group(6, 38))
  local client_id = vim.lsp.start_client({
    name = 'supc',
    cmd = { vim.env.SUPC, 'lsp' },
    root_dir = dir,
  })
  check(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, client_id)
  local client
  check(vim.wait(10000, function()
    client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized
  end, 10), 'the server did not initialize within 10 s')

  -- Diagnostics: the misspelt restart type, E012, on line 6.
  local diags
  check(vim.wait(10000, function()
    diags = vim.diagnostic.get(buf)
    return #diags > 0
  end, 10), 'no diagnostics within 10 s')
  check(#diags == 1, 'expected 1 diagnostic, got ' .. #diags)
  check(diags[1].code == 'E012', 'expected E012, got ' .. tostring(diags[1].code))
  check(diags[1].lnum == 5, 'expected the diagnostic on line 6, got ' .. (diags[1].lnum + 1))
  check(diags[1].message:find("unknown restart type 'permanant'", 1, true),
        'unexpected message: ' .. diags[1].message)

  -- Fix it by typing, as a user would: the diagnostic goes away.
  vim.api.nvim_buf_set_lines(buf, 5, 6, false,
    { '    child cache = Cache(ttl = 60s) { restart = permanent; }' })
  check(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 10),
        'the diagnostic did not go away after the fix')

  -- Hover on the child `cache`: its effective settings with their origins.
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                   position = { line = 5, character = 11 } }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
  check(res and res[client_id] and res[client_id].result, 'no hover result')
  local hover = res[client_id].result.contents.value
  check(hover:find('| `shutdown` | `10s` | the kind `Cache`', 1, true),
        'hover lacks the kind default of shutdown: ' .. hover)
  check(hover:find('| `restart` | `permanent` | this child', 1, true),
        'hover lacks the child\'s restart: ' .. hover)

  -- Definition: from the use of `Cache` (line 6) to its declaration (line 2), by Neovim's
  -- own jump.
  vim.api.nvim_win_set_cursor(0, { 6, 19 })
  local dparams = vim.lsp.util.make_position_params()
  local dres = vim.lsp.buf_request_sync(buf, 'textDocument/definition', dparams, 10000)
  check(dres and dres[client_id] and dres[client_id].result, 'no definition result')
  local loc = dres[client_id].result
  if vim.tbl_islist(loc) then loc = loc[1] end
  vim.lsp.util.jump_to_location(loc, client.offset_encoding)
  local cursor = vim.api.nvim_win_get_cursor(0)
  check(cursor[1] == 2 and cursor[2] == 7,
        string.format('the jump went to %d:%d, not 2:7', cursor[1], cursor[2]))

  -- Formatting: the `supc fmt` layout applied to the buffer.
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buf, timeout_ms = 10000 })
  else
    vim.lsp.buf.formatting_sync(nil, 10000)
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  check(lines[5] == '    child db    = Db;', 'not formatted: ' .. vim.inspect(lines))
  check(lines[6] == '    child cache = Cache(ttl = 60s) { restart = permanent; }',
        'not formatted: ' .. vim.inspect(lines))

  vim.lsp.stop_client(client_id)
  check(vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10),
        'the server did not stop within 10 s')
  io.stdout:write('nvim_lsp_test: diagnostics, hover, definition and formatting passed\n')
  vim.cmd('qall!')
end

local ok, err = pcall(main)
if not ok then fail(tostring(err)) end
