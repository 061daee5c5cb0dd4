package io.shadowcar.sink.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Spreads copies over time while a shadow's pool is busy, at the rate its connections serve them: one copy every
 * (recent call time ÷ connections). Without it a slow shadow synchronises its copies. A pool of N connections to a
 * 1 s shadow fills within milliseconds; a second later its N answers come back together, the next N copies are
 * captured back to back, and again a second later. Every second the event loops then do a second's worth of copy
 * work at once, and the callers in flight wait behind it (their p99 shows it). Paced, the copies leave evenly, so
 * their answers come back evenly too. The pace follows the shadow: it never holds back more copies than the pool
 * could serve, and a pool under half busy is not paced at all (a fast shadow never is).
 *
 * <p>A generic cell rate algorithm on one atomic: lock-free, safe from any event loop, never blocks. A copy may leave
 * when its theoretical departure is at most {@code burst} intervals ahead of now. Resilience4j's rate limiter does not
 * fit: it refills a whole period's permits at once, which is the very burst to avoid, and its rate is fixed.
 */
final class CopyPacer {

  /** Weight of the newest call in the moving average of call times. */
  static final double CALL_TIME_WEIGHT = 0.125;

  private final LongSupplier nanoClock;
  /** When the next copy is due if copies left exactly at the pace; behind now when the pace is not the limit. */
  private final AtomicLong nextDeparture;
  /** Moving average of the calls' times in nanoseconds; 0 until a call ended. Racy updates lose a sample at worst. */
  private volatile long callNanos;

  CopyPacer() {
    this(System::nanoTime);
  }

  /** @param nanoClock {@link System#nanoTime()}, or a test's clock */
  CopyPacer(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.nextDeparture = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * Whether a copy may leave now, taking its place in the pace if so. Reads the clock only while pacing.
   *
   * @param inflight copies in flight now
   * @param connections the pool's connections over every instance now (maxPoolSize × instances)
   */
  boolean tryDepart(int inflight, int connections) {
    long interval = interval(inflight, connections);
    if (interval == 0) {
      return true;
    }
    long nowNanos = nanoClock.getAsLong();
    long burst = Math.max(1, connections / 16);
    while (true) {
      long due = nextDeparture.get();
      long departure = due - nowNanos > 0 ? due : nowNanos;
      if (departure - nowNanos > burst * interval) {
        return false;
      }
      if (nextDeparture.compareAndSet(due, departure + interval)) {
        return true;
      }
    }
  }

  /** A call (of a copy that was sent) ended after {@code nanos}. */
  void callEnded(long nanos) {
    long average = callNanos;
    long next = average == 0 ? nanos : average + (long) ((nanos - average) * CALL_TIME_WEIGHT);
    callNanos = Math.max(1, next);
  }

  /** The time between two copies now; 0 = not paced (pool under half busy, or no call time known yet). */
  long interval(int inflight, int connections) {
    if (connections < 1 || 2L * inflight < connections) {
      return 0;
    }
    return callNanos / connections;
  }
}
