package io.shadowcar.proxy.upstream;

/**
 * The circuit breaker kept for each primary target: a target whose recent calls failed too often is skipped for
 * {@code openMs}, then probed with {@code halfOpenCalls} calls.
 *
 * <p>A failure is a connect error, a reset before the response head, a response timeout, or a 502/503/504 from the
 * target. Other statuses (including 500) are the application's answers and count as successes: a bug that answers
 * 500 on one endpoint must not take a healthy instance out of rotation.
 *
 * @param failureRatePercent failure rate, in percent of the window, that opens the breaker
 * @param slidingWindowCalls number of most recent calls the rate is computed over
 * @param minimumCalls calls needed in the window before the rate is evaluated
 * @param openMs how long an open breaker rejects calls before letting probes through
 * @param halfOpenCalls probe calls allowed while half-open
 */
public record BreakerConfig(
    float failureRatePercent, int slidingWindowCalls, int minimumCalls, long openMs, int halfOpenCalls) {

  /** Upper bound of the window and of the minimum number of calls. */
  public static final int MAX_CALLS = 10_000;

  public BreakerConfig {
    if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
      throw new IllegalArgumentException("failureRatePercent: " + failureRatePercent + " (expected: > 0 and <= 100)");
    }
    // the window is an array of that many outcomes per target: bounded so a typo cannot size it to gigabytes
    if (slidingWindowCalls <= 0 || slidingWindowCalls > MAX_CALLS) {
      throw new IllegalArgumentException("slidingWindowCalls: " + slidingWindowCalls + " (expected: > 0 and <= "
          + MAX_CALLS + ")");
    }
    if (minimumCalls <= 0 || minimumCalls > MAX_CALLS) {
      throw new IllegalArgumentException("minimumCalls: " + minimumCalls + " (expected: > 0 and <= " + MAX_CALLS
          + ")");
    }
    if (openMs <= 0) {
      throw new IllegalArgumentException("openMs: " + openMs + " (expected: > 0)");
    }
    if (halfOpenCalls <= 0) {
      throw new IllegalArgumentException("halfOpenCalls: " + halfOpenCalls + " (expected: > 0)");
    }
  }

  /** 50 % of the last 20 calls (at least 10 seen), open for 10 s, 3 probes. */
  public static BreakerConfig defaults() {
    return new BreakerConfig(50f, 20, 10, 10_000, 3);
  }
}
