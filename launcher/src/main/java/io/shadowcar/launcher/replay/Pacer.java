package io.shadowcar.launcher.replay;

import io.shadowcar.launcher.replay.ReplayOptions.Pacing;

/**
 * When the next request is due, on the {@link System#nanoTime()} clock. Asked once per request, in sending order, by
 * the one thread that sends; not thread-safe.
 */
public interface Pacer {

  /** The due time of a request recorded at {@code recordedMillis}; may be in the past (send at once). */
  long dueNanos(long recordedMillis, long nowNanos);

  static Pacer of(Pacing pacing) {
    return pacing.mode() == Pacing.Mode.FIXED_RATE ? new FixedRate(pacing.value()) : new RecordedPace(pacing.value());
  }

  /**
   * A token bucket gaining {@code rate} tokens per second that holds up to 100 ms of them (at least one): requests go
   * out evenly spaced; a thread that wakes a little late keeps the schedule, and time spent waiting for a full target
   * (in-flight cap) is made up by at most 100 ms worth of requests, not by a burst of everything missed.
   */
  final class FixedRate implements Pacer {
    private static final double MAX_CATCH_UP_NANOS = 100e6;

    private final double intervalNanos;
    private final double catchUpNanos;
    private double next = Double.NaN;

    public FixedRate(double perSecond) {
      this.intervalNanos = 1e9 / perSecond;
      this.catchUpNanos = Math.max(intervalNanos, MAX_CATCH_UP_NANOS);
    }

    @Override
    public long dueNanos(long recordedMillis, long nowNanos) {
      double due = Double.isNaN(next) ? nowNanos : Math.max(next, nowNanos - catchUpNanos);
      next = due + intervalNanos;
      return (long) due;
    }
  }

  /**
   * The recorded gaps divided by {@code speed}, counted from the first request: a request recorded 10 s after the
   * first goes out 10 s / speed after it. One that is already late (it sorted before its predecessor, or the target
   * was slow) goes at once, so a slow target makes the replay catch up rather than drift.
   */
  final class RecordedPace implements Pacer {
    private final double speed;
    private long firstRecordedMillis;
    private long startNanos;
    private boolean started;

    RecordedPace(double speed) {
      this.speed = speed;
    }

    @Override
    public long dueNanos(long recordedMillis, long nowNanos) {
      if (!started) {
        started = true;
        firstRecordedMillis = recordedMillis;
        startNanos = nowNanos;
      }
      double offsetNanos = (recordedMillis - firstRecordedMillis) * 1e6 / speed;
      return startNanos + (long) Math.max(0, offsetNanos);
    }
  }
}
