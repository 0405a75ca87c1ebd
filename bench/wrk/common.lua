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

function M.pace()
  local ms = tonumber(os.getenv("PACE_MS") or "")
  if ms then return function() return ms end end
  return nil
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
