package io.shadowcar.sink.http;

import java.util.concurrent.TimeUnit;

/**
 * How many copies may wait for a shadow instance's busy connections: as many as those connections are expected to
 * serve within {@link #MAX_EXPECTED_WAIT_NANOS}, and never more than one per connection.
 *
 * <p>A waiting copy only helps a fast shadow through a burst: its connections turn over in milliseconds. In front of
 * a slow one it adds nothing: with every connection held for a second, the shadow answers as many copies a second
 * whether 64 more wait or none, and each waiting copy keeps its request, the primary's answer and its bookkeeping
 * alive for that second, through several young collections of the sidecar's heap, each of which then takes longer
 * for every caller. By Little's law the k-th copy in line waits about {@code k × hold / connections}, where
 * {@code hold} is how long a copy keeps a connection; so {@code connections × maxWait / hold} copies may wait.
 *
 * <p>{@code hold} is a moving average of the candidate's calls (from holding a connection to the call's end, answer or
 * failure), fed on the sink's loops and read at every request head: a plain volatile field, whose rare lost update
 * among loops only delays the average by one call. Until the first call ends, every connection has its waiting copy.
 */
final class WaitingCopies {

  /** How long a copy is expected to wait for a connection, at most, before it is refused at the head instead. */
  static final long MAX_EXPECTED_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Weight of the newest call in the average, 1/8: a shadow that slows or recovers shows within a few dozen calls. */
  private static final int SHIFT = 3;

  /** The average hold of a connection, in nanoseconds; 0 before the first call ends. */
  private volatile long holdNanos;

  /** A candidate's call held a connection for {@code nanos} (from holding it to the answer or failure). */
  void held(long nanos) {
    long before = holdNanos;
    holdNanos = before == 0 ? Math.max(1, nanos) : Math.max(1, before + ((nanos - before) >> SHIFT));
  }

  /** Copies that may wait for {@code connections} busy connections: 0 to {@code connections}. */
  long allowed(long connections) {
    long hold = holdNanos;
    if (hold <= MAX_EXPECTED_WAIT_NANOS) {
      return connections;
    }
    // at most 10,000 connections per instance times the instances: far from overflowing with a 0.1 s numerator
    return connections * MAX_EXPECTED_WAIT_NANOS / hold;
  }

  /** The average hold in nanoseconds, 0 before the first call ended; for the sink's status and tests. */
  long holdNanos() {
    return holdNanos;
  }
}
