-- wrk report: one JSON line with p50/p95 latency (microseconds), requests/s and failures, which
-- bench/measure.py parses. Non-2xx answers count as errors.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"bench": {"requests": %d, "rps": %.2f, "p50_us": %d, "p95_us": %d, "max_us": %d, "errors": %d, "timeouts": %d, "status_errors": %d}}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(95), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout, e.timeout, e.status))
end
