-- Password sign-ins of seeded accounts (FIRST .. FIRST+COUNT-1), each thread its own range, so
-- no account's rate limit is reached. Environment: ORIGIN, FIRST, COUNT, PASSWORD.
local first = tonumber(os.getenv("FIRST"))
local count = tonumber(os.getenv("COUNT"))
local password = string.gsub(os.getenv("PASSWORD"), " ", "+")
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Origin"] = os.getenv("ORIGIN"),
  ["Sec-Fetch-Site"] = "same-origin",
}
local threads = 0

-- Runs in the main state; `offset` becomes a global of each thread's own state.
setup = function(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local n = 0
request = function()
  n = n + 1
  local user = first + (((offset or 0) + n) % count)
  return wrk.format("POST", "/api/sign_in", headers, "username=user" .. user .. "&password=" .. password)
end
