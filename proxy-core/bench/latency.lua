-- wrk reporter: one machine-readable line with throughput, latency percentiles (microseconds) and errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50=%d p99=%d p999=%d errors=%d requests=%d\n",
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
      errors, summary.requests))
end
