package io.shadowcar.eureka;

import java.time.Duration;

/**
 * Bounded exponential back-off: {@code min}, {@code 2 min}, {@code 4 min}, ... capped at {@code max}. Deterministic on
 * purpose (one sidecar talks to Eureka; no herd to spread), and cheap enough to call on an event loop.
 */
final class RetryBackoff {

  private final long minMillis;
  private final long maxMillis;

  RetryBackoff(Duration min, Duration max) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    if (minMillis <= 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("back-off: " + minMillis + ".." + maxMillis + " ms (expected: 0 < min <= max)");
    }
  }

  /**
   * The registrar's back-off: doubling from {@code min}, capped at {@code max} or at the heartbeat interval when that
   * is shorter (but never below {@code min}). A server that comes back after a long outage then sees the instance
   * again within one heartbeat, not after a back-off that grew while it was away.
   */
  static RetryBackoff cappedAtHeartbeat(Duration min, Duration max, Duration heartbeat) {
    Duration cap = heartbeat.compareTo(max) < 0 ? heartbeat : max;
    return new RetryBackoff(min, cap.compareTo(min) < 0 ? min : cap);
  }

  /** Delay before the next try after {@code consecutiveFailures} failures in a row (1 = the first failure). */
  long delayMillis(int consecutiveFailures) {
    if (consecutiveFailures <= 1) {
      return minMillis;
    }
    int shift = Math.min(consecutiveFailures - 1, 30);
    long delay = minMillis << shift;
    return delay <= 0 || delay > maxMillis ? maxMillis : delay;
  }
}
