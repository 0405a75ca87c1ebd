-- common.lua - shared by the wrk scripts of bench/run.sh: loads the JSON body
-- from $BODY_FILE, sets the headers (API key from $HEARD_KEY), optional
-- pacing ($PACE_MS between requests of a connection) and prints one line of
-- key=value pairs for run.sh when the run is done.
local M = {}

function M.body()
  local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
  local b = f:read("*a"):gsub("%s+$", "")
  f:close()
  return b
end

function M.setup_request(body)
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("HEARD_KEY") or "")
end

-- Connections that start together and then all wait the same time stay in
-- step: 100 of them send 100 requests at once every ~20 ms instead of one
-- every 0.2 ms. The first requests of a thread (one per connection, and a
-- few more) wait a random part of PACE_MS, which spreads the connections
-- over the period; every later request waits PACE_MS. wrk's delay() does not
-- say which connection it is for, hence the count.
function M.pace()
  local ms = tonumber(os.getenv("PACE_MS") or "")
  if not ms then return nil end
  local spread = tonumber(os.getenv("WRK_CONNS") or "") or 0
  local calls = 0
  return function()
    calls = calls + 1
    if calls <= spread then return math.random(0, ms) end
    return ms
  end
end

-- each wrk thread has its own Lua state: a seed of its own for M.pace
local n_threads = 0
function M.setup(thread)
  n_threads = n_threads + 1
  thread:set("tid", n_threads)
end

function M.init()
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function M.done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d requests=%d non2xx=%d errors=%d conns=%s\n",
    summary.requests / secs, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, os.getenv("WRK_CONNS") or "?"))
end

return M
