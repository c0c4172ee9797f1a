-- One wrk script for every scenario, configured through the environment by benchmarks/bench.py:
--   BENCH_MODE    get | post_json | post_image | follow_unfollow
--   BENCH_PATH    request path (get, post_json, post_image)
--   BENCH_TOKEN   JWT access token sent as `Authorization: Bearer`
--   BENCH_EXPECT  accepted status codes, e.g. "200" or "200,201,204"; anything else is an error
--   BENCH_BODY    JSON body (post_json)
--   BENCH_IMAGE   path of the JPEG to upload (post_image)
--   BENCH_TARGETS comma-separated user ids to follow then unfollow (follow_unfollow)
-- At the end it prints one line `BENCH_JSON {...}` that the harness parses.

local mode = os.getenv("BENCH_MODE") or "get"
local path = os.getenv("BENCH_PATH") or "/"

local expected = {}
for code in string.gmatch(os.getenv("BENCH_EXPECT") or "200", "%d+") do
  expected[tonumber(code)] = true
end

wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"
-- As behind the load balancer, which terminates TLS (production redirects plain HTTP otherwise).
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.path = path

if mode == "post_json" then
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY") or "{}"
  wrk.headers["Content-Type"] = "application/json"
elseif mode == "post_image" then
  local file = assert(io.open(os.getenv("BENCH_IMAGE"), "rb"))
  local jpeg = file:read("*a")
  file:close()
  local boundary = "----sns-bench-boundary-7d3f"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  wrk.body = table.concat({
    "--" .. boundary,
    'Content-Disposition: form-data; name="content"',
    "",
    "A photo from the benchmark",
    "--" .. boundary,
    'Content-Disposition: form-data; name="images"; filename="bench.jpg"',
    "Content-Type: image/jpeg",
    "",
    jpeg,
    "--" .. boundary .. "--",
    "",
  }, "\r\n")
end

-- Per-thread state: wrk gives each thread its own Lua interpreter.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local targets = {}
local sequence = 0
local stride = tonumber(os.getenv("BENCH_THREADS") or "1")
unexpected = 0
first_unexpected = 0

function init(args)
  for id in string.gmatch(os.getenv("BENCH_TARGETS") or "", "%d+") do
    table.insert(targets, id)
  end
end

if mode == "follow_unfollow" then
  -- Each thread walks its own share of the targets: follow one, unfollow it, next one.
  function request()
    local n = #targets
    local slot = math.floor(sequence / 2)
    local target = targets[((slot * stride + tid) % n) + 1]
    local method = (sequence % 2 == 0) and "POST" or "DELETE"
    sequence = sequence + 1
    return wrk.format(method, "/api/v1/users/" .. target .. "/follow/", nil, nil)
  end
end

function response(status, headers, body)
  if not expected[status] then
    unexpected = unexpected + 1
    if first_unexpected == 0 then
      first_unexpected = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    if first == 0 then
      first = thread:get("first_unexpected") or 0
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,'
      .. '"http_errors":%d,"unexpected_status":%d,"first_unexpected_status":%d,'
      .. '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.timeout,
    errors.status, bad, first,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max
  ))
end
