-- supc's language server in Neovim: add this directory to 'runtimepath' (for ftdetect/,
-- syntax/ and ftplugin/) and put this in init.lua, or `luafile` it.
-- Neovim 0.8+: vim.lsp.start; 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client.
local function root(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local marker = vim.fn.findfile('.supc-lint', dir .. ';')
  if marker == '' then marker = vim.fn.finddir('.git', dir .. ';') end
  return marker ~= '' and vim.fn.fnamemodify(marker, ':p:h:h') or dir
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sup',
  callback = function(args)
    local config = { name = 'supc', cmd = { 'supc', 'lsp' }, root_dir = root(args.buf) }
    if vim.lsp.start then
      vim.lsp.start(config)
    else
      local id = vim.lsp.start_client(config)
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end
  end,
})
