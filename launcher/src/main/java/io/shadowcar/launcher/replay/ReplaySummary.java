package io.shadowcar.launcher.replay;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a run, printed at its end as text or JSON.
 *
 * @param sent requests that got an HTTP response (any status)
 * @param failed requests that got none (connect error, timeout, reset)
 * @param failedByReason {@code failed} by reason ({@code timeout}, {@code connect}, {@code error})
 * @param skippedByReason records read but not replayed, by {@link SkipReason#tag()}; only reasons that occurred
 * @param statuses responses by status code
 * @param elapsed from the first request sent to the end of the run (the last request sent or the limit reached)
 * @param latency of sent requests, microseconds, to the response's last byte
 */
record ReplaySummary(
    long sent,
    long failed,
    Map<String, Long> failedByReason,
    Map<String, Long> skippedByReason,
    Map<Integer, Long> statuses,
    Duration elapsed,
    Latency latency) {

  /** Percentiles in microseconds (HdrHistogram, 3 significant digits). */
  record Latency(long p50, long p90, long p99, long max) {}

  long skipped() {
    return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Share of replayed requests (sent + failed) that failed, 0 to 100; 0 when none was replayed. */
  double failurePercent() {
    long replayed = sent + failed;
    return replayed == 0 ? 0 : 100.0 * failed / replayed;
  }

  /** Replayed requests per second over the run. */
  double rate() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : (sent + failed) / seconds;
  }

  String toText() {
    return String.format(Locale.ROOT, """
        replay summary: %d sent, %d failed (%.2f %%), %d skipped in %.1f s (%.1f/s)
          failed:  %s
          skipped: %s
          status:  %s
          latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms
        """, sent, failed, failurePercent(), skipped(), elapsed.toNanos() / 1e9, rate(), list(failedByReason),
        list(skippedByReason), list(statuses), latency.p50 / 1e3, latency.p90 / 1e3, latency.p99 / 1e3,
        latency.max / 1e3);
  }

  JsonObject toJson() {
    JsonObject statusCounts = new JsonObject();
    statuses.forEach((status, n) -> statusCounts.put(String.valueOf(status), n));
    return new JsonObject()
        .put("sent", sent)
        .put("failed", failed)
        .put("failedByReason", counts(failedByReason))
        .put("skipped", skipped())
        .put("skippedByReason", counts(skippedByReason))
        .put("status", statusCounts)
        .put("elapsedMillis", elapsed.toMillis())
        .put("ratePerSecond", Math.round(rate() * 100) / 100.0)
        .put("failurePercent", Math.round(failurePercent() * 100) / 100.0)
        .put("latencyMicros", new JsonObject().put("p50", latency.p50).put("p90", latency.p90)
            .put("p99", latency.p99).put("max", latency.max));
  }

  private static JsonObject counts(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    counts.forEach(json::put);
    return json;
  }

  private static String list(Map<?, Long> counts) {
    return counts.isEmpty() ? "none" : counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
