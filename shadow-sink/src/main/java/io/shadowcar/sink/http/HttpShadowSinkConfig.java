package io.shadowcar.sink.http;

import static io.shadowcar.common.config.InvalidValueException.check;

import io.shadowcar.proxy.tls.UpstreamTls;
import java.util.Objects;

/**
 * Limits and timeouts of the HTTP shadow sink (keys and defaults in {@link HttpSinkSettings}). Fixed for the sink's
 * lifetime (targets change through the {@link io.shadowcar.proxy.upstream.TargetSource}; the rest needs a new sink).
 * How much of a shadow's answer is kept for exchange listeners is the tee's {@code maxCapturedResponseBytes}, given to
 * the sink in its {@link io.shadowcar.sink.SinkContext}.
 *
 * @param maxInflight copies in flight at once; over it the copy is dropped ({@code inflight_full})
 * @param maxRatePerSecond copies started per second at most, 0 = no cap; over it the copy is dropped
 *     ({@code rate_limited})
 * @param timeoutMs connect plus whole-exchange deadline per copy; on expiry the copy fails, its stream is reset and
 *     its in-flight slot freed
 * @param maxPoolSize HTTP/1.1 connections per shadow instance (for {@code http://} instances shared evenly by the
 *     event loops that send copies, each keeping its own); as many copies may wait, fewer before a slow shadow (as
 *     many as its connections are expected to serve within 0.1 s), and a copy over that is dropped
 * @param breakerFailureRatePercent failing or timed-out share of recent copies that opens the breaker; 5xx answers
 *     count as failures
 * @param breakerMinimumCalls copies observed before the breaker may open
 * @param breakerOpenMs how long an open breaker drops copies ({@code circuit_open}) before probing again
 * @param tls how {@code https://} candidates and secondaries are trusted
 * @param eventLoops event loops of the sink's own that send the copies and read the shadow's answers; 0 = the proxy's
 *     loops that took them
 */
public record HttpShadowSinkConfig(
    int maxInflight,
    int maxRatePerSecond,
    long timeoutMs,
    int maxPoolSize,
    float breakerFailureRatePercent,
    int breakerMinimumCalls,
    long breakerOpenMs,
    UpstreamTls tls,
    int eventLoops) {

  /** The most event loops the sink may have of its own. */
  public static final int MAX_EVENT_LOOPS = 16;

  public HttpShadowSinkConfig {
    check(maxInflight > 0, "maxInflight", maxInflight, "> 0");
    check(maxRatePerSecond >= 0, "maxRatePerSecond", maxRatePerSecond, ">= 0, 0 = no cap");
    check(timeoutMs > 0, "timeoutMs", timeoutMs, "> 0");
    check(maxPoolSize > 0, "maxPoolSize", maxPoolSize, "> 0");
    check(breakerFailureRatePercent > 0 && breakerFailureRatePercent <= 100, "breakerFailureRatePercent",
        breakerFailureRatePercent, "> 0 and <= 100");
    // the breaker's window holds max(minimumCalls, 50) outcomes: the upper bound keeps it small
    check(breakerMinimumCalls > 0 && breakerMinimumCalls <= 10_000, "breakerMinimumCalls", breakerMinimumCalls,
        "> 0 and <= 10000");
    check(breakerOpenMs > 0, "breakerOpenMs", breakerOpenMs, "> 0");
    Objects.requireNonNull(tls, "tls");
    check(eventLoops >= 0 && eventLoops <= MAX_EVENT_LOOPS, "eventLoops", eventLoops, ">= 0 and <= " + MAX_EVENT_LOOPS);
  }

  /** Every limit at its declared default. */
  public static HttpShadowSinkConfig defaults() {
    return new HttpShadowSinkConfig(
        HttpSinkSettings.MAX_INFLIGHT.defaultValue(),
        HttpSinkSettings.MAX_RATE_PER_SECOND.defaultValue(),
        HttpSinkSettings.TIMEOUT.defaultValue().toMillis(),
        HttpSinkSettings.MAX_POOL_SIZE.defaultValue(),
        HttpSinkSettings.BREAKER_FAILURE_RATE_PERCENT.defaultValue().floatValue(),
        HttpSinkSettings.BREAKER_MINIMUM_CALLS.defaultValue(),
        HttpSinkSettings.BREAKER_OPEN.defaultValue().toMillis(),
        UpstreamTls.defaults(),
        HttpSinkSettings.EVENT_LOOPS.defaultValue());
  }

  public HttpShadowSinkConfig withLimits(int inflight, int ratePerSecond, long timeout) {
    return new HttpShadowSinkConfig(inflight, ratePerSecond, timeout, maxPoolSize, breakerFailureRatePercent,
        breakerMinimumCalls, breakerOpenMs, tls, eventLoops);
  }

  public HttpShadowSinkConfig withBreaker(float failureRatePercent, int minimumCalls, long openMs) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, maxPoolSize, failureRatePercent,
        minimumCalls, openMs, tls, eventLoops);
  }

  public HttpShadowSinkConfig withPool(int poolSize) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, poolSize, breakerFailureRatePercent,
        breakerMinimumCalls, breakerOpenMs, tls, eventLoops);
  }

  public HttpShadowSinkConfig withTls(UpstreamTls newTls) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, maxPoolSize, breakerFailureRatePercent,
        breakerMinimumCalls, breakerOpenMs, newTls, eventLoops);
  }

  public HttpShadowSinkConfig withEventLoops(int loops) {
    return new HttpShadowSinkConfig(maxInflight, maxRatePerSecond, timeoutMs, maxPoolSize, breakerFailureRatePercent,
        breakerMinimumCalls, breakerOpenMs, tls, loops);
  }
}
