-- post.lua - wrk script: POSTs the same conversation ($BODY_FILE) again and
-- again (POST /v1/analyze, /v1/assist); PACE_MS set: paced connections.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("common")

common.setup_request(common.body())
delay = common.pace()
setup = common.setup
init = common.init
done = common.done
