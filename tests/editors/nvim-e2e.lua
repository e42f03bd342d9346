-- End-to-end test with a real editor client: Neovim's built-in LSP client
-- (0.7 API: vim.lsp.start_client + buf_attach_client) runs `oie-lint server`,
-- opens the page, waits for the diagnostics, lists the code actions on
-- the OIE003 finding, picks "Fix all safe oie-lint problems" from Neovim's
-- code-action menu (its handler resolves or runs it), writes the file and
-- quits. tests/it/editors.rs compares the file with `check --fix`.
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
  local offered = {}
  for _, action in ipairs(answer.result or {}) do
    say('ACTION', action.title)
    offered[action.title] = true
  end
  if not offered['Fix all safe oie-lint problems'] then
    return fail('no fix-all action')
  end
  -- Choose "Fix all" as a user does from the menu: Neovim's own handler
  -- resolves the action (codeAction/resolve) or runs its command
  -- (workspace/executeCommand, then the server's workspace/applyEdit).
  local picked = false
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do
      local action = item[2] or item.action or item
      if action.title == 'Fix all safe oie-lint problems' then
        picked = true
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.lsp.buf.code_action()
  local edited = vim.wait(20000, function()
    return picked and vim.bo[buf].modified
  end, 50)
  if not edited then
    return fail('the fix-all action changed nothing (picked: ' .. tostring(picked) .. ')')
  end
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
