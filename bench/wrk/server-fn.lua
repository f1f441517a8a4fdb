-- A same-origin form post to a server function, as the portal's pages make it. Environment:
-- FUNCTION (e.g. worksite_members), COOKIE (name=value, optional), ORIGIN, and either BODY (one
-- body) or BODIES (bodies separated by "|", taken in turn: e.g. what someone types).
local bodies = {}
for body in string.gmatch(os.getenv("BODIES") or os.getenv("BODY") or "", "[^|]+") do
  table.insert(bodies, body)
end
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Origin"] = os.getenv("ORIGIN"),
  ["Sec-Fetch-Site"] = "same-origin",
}
if os.getenv("COOKIE") then headers["Cookie"] = os.getenv("COOKIE") end
local path = "/api/" .. os.getenv("FUNCTION")
local n = 0

request = function()
  n = n + 1
  return wrk.format("POST", path, headers, bodies[(n % #bodies) + 1])
end

