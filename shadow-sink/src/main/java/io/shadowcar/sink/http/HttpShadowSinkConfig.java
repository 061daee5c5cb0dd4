package io.shadowcar.sink.http;

/**
 * Limits and timeouts of the HTTP shadow sink. Fixed for the sink's lifetime (targets change through the
 * {@link io.shadowcar.proxy.upstream.TargetSource}; the rest needs a new sink).
 *
 * @param maxInflight copies in flight at once, {@code shadowcar.shadow.maxInflight} (default 1024); over it the copy
 *     is dropped ({@code inflight_full})
 * @param maxRatePerSecond copies started per second at most, {@code shadowcar.shadow.maxRatePerSecond} (default 0 =
 *     no cap); over it the copy is dropped ({@code rate_limited})
 * @param timeoutMs connect plus whole-exchange deadline per copy, {@code shadowcar.shadow.timeout.ms} (default 5000);
 *     on expiry the copy fails, its stream is reset and its in-flight slot freed
 * @param maxPoolSize HTTP/1.1 connections to the shadow cluster, {@code shadowcar.shadow.http.maxPoolSize} (default
 *     64); requests beyond wait in a queue bounded by {@code maxInflight}, and a full queue drops
 * @param maxCapturedResponseBytes how much of each shadow response body is kept for the listener,
 *     {@code shadowcar.shadow.maxCapturedResponseBytes} (default 64 KiB, the same key and value as the primary
 *     capture in {@code TeeConfig}); worst case held is maxInflight times this
 * @param breakerFailureRatePercent failing or timed-out share of recent copies that opens the breaker,
 *     {@code shadowcar.shadow.breaker.failureRatePercent} (default 50); 5xx answers count as failures
 * @param breakerMinimumCalls copies observed before the breaker may open, {@code shadowcar.shadow.breaker.minimumCalls}
 *     (default 20)
 * @param breakerOpenMs how long an open breaker drops copies ({@code circuit_open}) before probing again,
 *     {@code shadowcar.shadow.breaker.openMs} (default 10000)
 */
public record HttpShadowSinkConfig(
    int maxInflight,
    int maxRatePerSecond,
    long timeoutMs,
    int maxPoolSize,
    int maxCapturedResponseBytes,
    float breakerFailureRatePercent,
    int breakerMinimumCalls,
    long breakerOpenMs) {

  public HttpShadowSinkConfig {
    positive("maxInflight", maxInflight);
    if (maxRatePerSecond < 0) {
      throw new IllegalArgumentException("maxRatePerSecond: " + maxRatePerSecond + " (expected: >= 0, 0 = no cap)");
    }
    positive("timeout.ms", timeoutMs);
    positive("http.maxPoolSize", maxPoolSize);
    if (maxCapturedResponseBytes < 0) {
      throw new IllegalArgumentException(
          "maxCapturedResponseBytes: " + maxCapturedResponseBytes + " (expected: >= 0)");
    }
    if (!(breakerFailureRatePercent > 0 && breakerFailureRatePercent <= 100)) {
      throw new IllegalArgumentException(
          "breaker.failureRatePercent: " + breakerFailureRatePercent + " (expected: > 0 and <= 100)");
    }
    positive("breaker.minimumCalls", breakerMinimumCalls);
    positive("breaker.openMs", breakerOpenMs);
  }

  public static HttpShadowSinkConfig defaults() {
    return new HttpShadowSinkConfig(1024, 0, 5000, 64, 64 << 10, 50, 20, 10_000);
  }

  public HttpShadowSinkConfig withLimits(int inflight, int ratePerSecond, long timeout) {
    return new HttpShadowSinkConfig(inflight, ratePerSecond, timeout, maxPoolSize, maxCapturedResponseBytes,
        breakerFailureRatePercent, breakerMinimumCalls, breakerOpenMs);
  }

  public HttpShadowSinkConfig withBreaker(float failureRatePercent, int minimumCalls, long openMs) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, maxPoolSize, maxCapturedResponseBytes,
        failureRatePercent, minimumCalls, openMs);
  }

  public HttpShadowSinkConfig withPool(int poolSize, int capturedResponseBytes) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, poolSize, capturedResponseBytes,
        breakerFailureRatePercent, breakerMinimumCalls, breakerOpenMs);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
    }
  }
}
