-- wrk script: POSTs JSON bodies to one Parlance route, in turn from a random start per thread.
-- The bodies are either prepared, one per line of BODIES (scripts/bench-memory's largest
-- requests), or built from the texts of CORPUS for TASK (classification | embeddings) with
-- LABELS (comma-separated, classification only). Also: TOKEN, COUNT_STATUSES (1 to count
-- responses by status; slower).
local function lines(file)
  local out = {}
  for line in io.lines(file) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

local function quote(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local bodies
if os.getenv("BODIES") then
  bodies = lines(os.getenv("BODIES"))
else
  local task = os.getenv("TASK") or "classification"
  local labels = {}
  for label in string.gmatch(os.getenv("LABELS") or "job,nature,space", "[^,]+") do
    labels[#labels + 1] = '"' .. label .. '"'
  end
  local labelJson = "[" .. table.concat(labels, ",") .. "]"
  bodies = {}
  for i, text in ipairs(lines(os.getenv("CORPUS"))) do
    if task == "embeddings" then
      bodies[i] = '{"sentences":[' .. quote(text) .. ']}'
    else
      bodies[i] = '{"text":' .. quote(text) .. ',"labels":' .. labelJson .. '}'
    end
  end
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token " .. (os.getenv("TOKEN") or "bench-token")

-- Requests are built once, in corpus order from a random start per thread, so that the load
-- generator spends its (shared) CPU on sending, not on building strings.
local requests = {}
local next_request = 1
init = function(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format(nil, nil, nil, body)
  end
  math.randomseed(os.time() + math.random(1000000))
  next_request = math.random(#requests)
end

request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

if os.getenv("COUNT_STATUSES") == "1" then
  statuses = {}
  response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for status, n in pairs(s) do
        totals[status] = (totals[status] or 0) + n
      end
    end
  end
  local counts = {}
  for status, n in pairs(totals) do
    counts[#counts + 1] = string.format('"%d":%d', status, n)
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"non_2xx":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status, table.concat(counts, ",")))
end
