-- End-to-end test with a real editor client: Neovim's built-in LSP client
-- (0.7 API: vim.lsp.start_client + buf_attach_client) runs `oie-lint server`,
-- opens the page, waits for the diagnostics, asks for the code actions on
-- the OIE003 finding, applies the quick fix's workspace edit, writes the
-- file and quits. tests/it/editors.rs compares the file with `check --fix`.
--
-- Run: OIE_LINT_BIN=... OIE_LINT_FILE=... OIE_LINT_LOG=... \
--      nvim --headless -u NONE -c 'luafile tests/editors/nvim-e2e.lua'
local bin = os.getenv('OIE_LINT_BIN')
local file = os.getenv('OIE_LINT_FILE')
local log = io.open(os.getenv('OIE_LINT_LOG'), 'w')

local function say(...)
  log:write(table.concat({ ... }, ' '), '\n')
  log:flush()
end

local function fail(msg)
  say('FAIL', msg)
  log:close()
  vim.cmd('cquit 3')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'oie-lint',
    cmd = { bin, 'server' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  if not client_id then
    return fail('the client did not start')
  end
  vim.lsp.buf_attach_client(buf, client_id)
  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  if not got then
    return fail('no diagnostics')
  end
  local diags = vim.diagnostic.get(buf)
  table.sort(diags, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  local target
  for _, d in ipairs(diags) do
    say('DIAG', d.code or '', d.lnum, d.col, d.message)
    if d.code == 'OIE003' then
      target = d
    end
  end
  if not target then
    return fail('no OIE003 diagnostic')
  end
  local client = vim.lsp.get_client_by_id(client_id)
  -- The cursor on the finding, as a user asking for code actions there.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local answer = client.request_sync('textDocument/codeAction', params, 10000, buf)
  if not answer or answer.err then
    return fail('codeAction: ' .. vim.inspect(answer))
  end
  local chosen
  for _, action in ipairs(answer.result or {}) do
    say('ACTION', action.title)
    if action.title:find('^Fix OIE003') then
      chosen = action
    end
  end
  if not chosen then
    return fail('no OIE003 quick fix')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd('write')
  -- The server checks the edited buffer: OIE003 is gone.
  local fixed = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'OIE003' then
        return false
      end
    end
    return true
  end, 50)
  if not fixed then
    return fail('OIE003 still reported after the fix')
  end
  say('OK')
end)

if not ok then
  fail(tostring(err))
end
log:close()
vim.cmd('qall!')
