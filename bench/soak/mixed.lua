-- The soak's request mix, one request drawn per call (weights in percent):
--   40 agent GET, 40 identification POST (8 KB), 10 browser-cache GET,
--   4 bad input (encoded slash 400, outside the integration path 404, bad apiKey 400),
--   2 upstream reset, 2 upstream too slow (the proxy's timeout answers 500), 2 upstream 503.
-- Statuses are counted by value; anything but 200, 400, 404, 500 and 503 is unexpected.
local ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
local base = {
  ["Host"] = "www.example.test", ["User-Agent"] = ua, ["Origin"] = "https://www.example.test",
  ["sec-ch-ua"] = '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  ["Cookie"] = "_ga=GA1.1.1; _iidt=Xk3p9QmT0vL2aR8sW5yZ1cN4bF7hJ6dG0eU3iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6wE9rT2y==; s=1",
}
local body = string.rep("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 235):sub(1, 8192)
local requests = {}
local function add(weight, method, path, payload)
  local r = wrk.format(method, path, base, payload)
  for _ = 1, weight do requests[#requests + 1] = r end
end
add(40, "GET", "/fpjs/agent?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15")
add(40, "POST", "/fpjs/result?ci=js/3.12.15", body)
add(10, "GET", "/fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s?ci=js/3.12.15")
add(2, "GET", "/fpjs/web%2Fv4/x")
add(1, "GET", "/elsewhere/x")
add(1, "GET", "/fpjs/agent?apiKey=a/b")
add(2, "POST", "/fpjs/result?fault=reset", body)
add(2, "POST", "/fpjs/result?fault=slow", body)
add(2, "GET", "/fpjs/result/browser-cache/x?fault=5xx")

local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter * 7919) % #requests + 1]
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
init = function() statuses = {} end
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end

done = function(summary, latency)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
  end
  local parts, unexpected = {}, 0
  for status, n in pairs(totals) do
    parts[#parts + 1] = status .. "=" .. n
    if status ~= 200 and status ~= 400 and status ~= 404 and status ~= 500 and status ~= 503 then unexpected = unexpected + n end
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d socket_errors=%d unexpected_status=%d p50_ms=%.2f p99_ms=%.2f statuses=%s\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, unexpected,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ",")))
end
