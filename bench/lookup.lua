-- wrk script of the API benchmark: POST the lookup bodies of a file in turn.
--   wrk -s bench/lookup.lua URL -- BODIES_FILE [TOKEN]
-- Each thread reads the bodies (one JSON object per line) and cycles over them,
-- starting at its own offset; with a token every request carries it as Bearer.
-- At the end one line "BENCH_JSON {...}" gives the figures for bench.registry.

local requests = {}
local counter = 1
-- Globals: setup() runs in wrk's main Lua state and numbers the threads;
-- thread:set gives each thread's own state its number before init() runs.
threads_made = 0
thread_number = 0

function setup(thread)
  thread:set("thread_number", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  if args[2] and args[2] ~= "" then
    headers["Authorization"] = "Bearer " .. args[2]
  end
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("POST", wrk.path, headers, line)
    end
  end
  counter = (thread_number * 7919) % #requests + 1
end

function request()
  local current = requests[counter]
  counter = counter % #requests + 1
  return current
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.mean
  ))
end
