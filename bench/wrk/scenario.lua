-- One wrk scenario, set by environment variables (bench/run.sh sets them):
--   BENCH_METHOD  GET or POST
--   BENCH_PATH    request target, e.g. /fpjs/agent?apiKey=K&version=3&loaderVersion=3.12.15
--   BENCH_BODY    body size in bytes for POST (the identification request sends 8192)
-- Every request carries the headers a Chrome page sends to a first-party proxy: a User-Agent and
-- sec-ch-ua with commas in them (an adapter that splits headers on commas would corrupt them),
-- several cookies of the site beside Fingerprint's _iidt. The request is formatted once and sent
-- as is, so wrk spends no Lua time per request.
-- At the end one line "RESULT key=value ..." gives the numbers run.sh reads.

local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local body_bytes = tonumber(os.getenv("BENCH_BODY") or "0")

local headers = {
  ["Host"] = "www.example.test",
  ["Connection"] = "keep-alive",
  ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ["sec-ch-ua"] = '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
  ["sec-ch-ua-mobile"] = "?0",
  ["sec-ch-ua-platform"] = '"Windows"',
  ["Accept"] = "*/*",
  ["Accept-Language"] = "en-US,en;q=0.9,cs;q=0.8",
  ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  ["Referer"] = "https://www.example.test/checkout?step=2",
  ["Origin"] = "https://www.example.test",
  ["Sec-Fetch-Site"] = "same-origin",
  ["Sec-Fetch-Mode"] = "cors",
  ["Sec-Fetch-Dest"] = "empty",
  ["Cookie"] = "_ga=GA1.1.1234567890.1763683200; session=eyJ1c2VyIjoiYWxpY2UiLCJjYXJ0IjpbMSwyLDNdfQ.c2lnbmF0dXJl; "
    .. "_iidt=Xk3p9QmT0vL2aR8sW5yZ1cN4bF7hJ6dG0eU3iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6wE9rT2yU5iO8pA1sD4fG==; "
    .. "_vid_t=Qw5Er7Ty9Ui1Op3As5Df7Gh9Jk1Lz3Xc5Vb7Nm9Qw1Er3Ty5; consent=analytics%3Dtrue%2Cads%3Dfalse",
}

local body = nil
if body_bytes > 0 then
  -- Deterministic base64-looking payload, like the agent's encoded identification data.
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  local chars = {}
  local x = 12345
  for i = 1, body_bytes do
    -- Park-Miller: exact in LuaJIT's doubles.
    x = (x * 16807) % 2147483647
    local k = math.floor(x / 256) % 64 + 1
    chars[i] = alphabet:sub(k, k)
  end
  body = table.concat(chars)
  headers["Content-Type"] = "text/plain"
end

local formatted = wrk.format(method, path, headers, body)

function request()
  return formatted
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
