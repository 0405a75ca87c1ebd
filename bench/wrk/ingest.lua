-- ingest.lua - wrk script: POST /v1/conversations with the conversation(s)
-- of $BODY_FILE (one, or JSONL for a batch), every "id" replaced by a new
-- one in every request, so that each conversation is a new row.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("common")

local template = common.body()
common.setup_request(template)

local n_threads = 0
function setup(thread)
  n_threads = n_threads + 1
  thread:set("tid", n_threads)
end

local prefix, counter = "", 0
function init(args)
  prefix = string.format("bench-%d-%d-", os.time(), tid or 0)
end

function request()
  counter = counter + 1
  local k = 0
  local body = template:gsub('"id": *"[^"]*"', function()
    k = k + 1
    return '"id": "' .. prefix .. counter .. '-' .. k .. '"'
  end)
  return wrk.format(nil, nil, nil, body)
end

done = common.done
