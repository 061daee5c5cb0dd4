package io.shadowcar.sink.http;

import java.util.concurrent.TimeUnit;

/**
 * How many of a shadow instance's connections its copies may hold at once: all of them while its calls hold one for
 * at most {@link #HOLD_BUDGET_NANOS}, fewer in proportion past that, never fewer than {@link #MIN_CONNECTIONS}.
 *
 * <p>A copy in flight keeps its request, the primary's answer (for the diff) and its bookkeeping alive on the
 * sidecar's heap, and every young collection of that heap copies all of them once more while every caller waits:
 * what a copy costs the primary path grows with the copies alive at once, not with how long each lives. Before a fast
 * shadow a connection turns over a hundred times a second, and all of them are worth that cost. Before a shadow that
 * takes a second, 64 connections keep 64 copies alive for a mere 64 answers a second, and lengthened each collection
 * by about a tenth of a millisecond (0.67 against 0.52 ms in the median, survivors 320 against 160 KiB), at ten
 * collections a second where a 2 ms p99 lies. So past a quarter second of hold the connections in use shrink to
 * {@code connections × 0.25 s / hold}: 16 of 64 before a 1 s shadow (16 diffs a second per sidecar, and a slow,
 * probably overloaded candidate gets a quarter of the load), 8 before one that times out at 5 s. The pool keeps its
 * size: once calls end sooner the average falls and every connection is used again.
 */
final class SlowShadowConnections {

  /** The hold up to which every connection is used. */
  static final long HOLD_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  /** Connections per instance used however slow its calls, where the pool has that many. */
  static final long MIN_CONNECTIONS = 8;

  private SlowShadowConnections() {
  }

  /**
   * Connections of {@code connections} that copies may hold when a call holds one for {@code holdNanos} on average
   * (0: no call has ended yet, so all).
   */
  static long usable(long connections, long holdNanos) {
    if (holdNanos <= HOLD_BUDGET_NANOS) {
      return connections;
    }
    // at most 10,000 connections per instance times the instances: far from overflowing with a 0.25 s numerator
    return Math.max(Math.min(connections, MIN_CONNECTIONS), connections * HOLD_BUDGET_NANOS / holdNanos);
  }
}
