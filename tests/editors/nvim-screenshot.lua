-- Neovim set up for the screenshot in docs/editors.md (scripts/editor-screenshot.sh):
-- oie-lint server attached through the built-in client (0.7 API), the
-- diagnostics shown as signs and virtual text, the cursor on the OIE003
-- finding and the code-action menu open.
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.cmd('syntax on')
vim.diagnostic.config({ virtual_text = { prefix = '●', source = false }, severity_sort = true })
local bin = os.getenv('OIE_LINT_BIN')
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'oie-lint',
  cmd = { bin, 'server' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(buf, client_id)

local function when_ready()
  local diags = vim.diagnostic.get(buf)
  if #diags == 0 then
    return vim.defer_fn(when_ready, 100)
  end
  for _, d in ipairs(diags) do
    if d.code == 'OIE003' then
      vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    end
  end
  vim.defer_fn(function()
    vim.lsp.buf.code_action()
  end, 300)
end
vim.defer_fn(when_ready, 100)
