package io.shadowcar.sink.kafka;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says in the log that copies are being dropped for one reason, at most one line per interval, each line with the
 * count since the previous one: "kafka sink: 12 copies dropped in the last 60 s: body_too_large (record over 1048576
 * bytes)". The first drop is logged at once; later ones wait for the interval to pass, and {@link #flush()} (called
 * periodically) reports a count left over when drops stop. Safe from any thread.
 *
 * <p>Not a counter: the metrics count every drop; this only makes a steady loss visible to someone reading the log.
 */
final class DroppedCopiesLog {

  private final String reason;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Consumer<String> out;
  private long lastLineNanos;
  private boolean logged;
  private long pending;

  /**
   * @param reason what the line says after the count, e.g. {@code body_too_large (record over 1048576 bytes)}
   * @param nanoTime a monotonic clock ({@code System::nanoTime})
   * @param out where a line goes, e.g. a logger's {@code warn}
   */
  DroppedCopiesLog(String reason, Duration interval, LongSupplier nanoTime, Consumer<String> out) {
    this.reason = reason;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.out = out;
    this.lastLineNanos = nanoTime.getAsLong();
  }

  /** One copy dropped. */
  void dropped() {
    String line;
    synchronized (this) {
      pending++;
      line = lineIfDue(!logged);
    }
    write(line);
  }

  /** Logs the drops not yet logged, if the interval has passed since the last line. */
  void flush() {
    String line;
    synchronized (this) {
      line = pending > 0 ? lineIfDue(false) : null;
    }
    write(line);
  }

  private String lineIfDue(boolean first) {
    long now = nanoTime.getAsLong();
    long elapsed = now - lastLineNanos;
    if (!first && elapsed < intervalNanos) {
      return null;
    }
    String line = "kafka sink: " + pending + (pending == 1 ? " copy" : " copies") + " dropped in the last "
        + Math.round(elapsed / 1e9) + " s: " + reason;
    pending = 0;
    lastLineNanos = now;
    logged = true;
    return line;
  }

  private void write(String line) {
    if (line != null) {
      out.accept(line);
    }
  }
}
