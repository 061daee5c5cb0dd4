package io.shadowcar.sink;

import io.shadowcar.common.text.OneLine;
import io.shadowcar.tee.DropReason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Says in the log that a sink loses copies, at most one line per interval for each reason, each line with the count
 * since the previous one: {@code shadow http://127.0.0.1:9: 1,980 copies dropped in the last 60 s: circuit_open}, or
 * {@code ...: 20 copies failed in the last 60 s (last: Connection refused)}. The first loss of a reason is logged at
 * once, so a dead shadow shows within a minute; later ones wait for the interval to pass, and {@link #flush()} (call
 * it periodically) reports a count left over when the losses stop. {@link SinkAdmission} feeds it every drop and
 * failure of its sink. Safe from any thread; counting takes no lock, only writing a line does, and no write that
 * every thread shares: a dead shadow's copies are refused on every request of every event loop, and one counter all
 * loops increment would pass its cache line from core to core on each.
 *
 * <p>Not a counter: the metrics count every copy; this only makes a steady loss visible to someone reading the log.
 */
public final class DroppedCopiesLog {

  /** How often a reason is logged at most, in production. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Supplier<String> sink;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Consumer<String> out;
  private final Map<DropReason, Tally> drops = new EnumMap<>(DropReason.class);
  private final Tally failures;

  /**
   * @param sink names the sink at the start of each line, read when a line is written (targets may change)
   * @param details what to add after a reason, e.g. {@code BODY_TOO_LARGE -> "record over 1048576 bytes"}
   * @param nanoTime a monotonic clock ({@code System::nanoTime})
   * @param out where a line goes, e.g. a logger's {@code warn}
   */
  public DroppedCopiesLog(Supplier<String> sink, Map<DropReason, String> details, Duration interval,
      LongSupplier nanoTime, Consumer<String> out) {
    this.sink = sink;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.out = out;
    long now = nanoTime.getAsLong();
    for (DropReason reason : DropReason.values()) {
      String detail = details.get(reason);
      drops.put(reason, new Tally("dropped", ": " + reason.tag() + (detail == null ? "" : " (" + detail + ")"), now));
    }
    this.failures = new Tally("failed", "", now);
  }

  /** A log that writes to {@code out} at most once a {@link #INTERVAL} per reason, on the system clock. */
  public static DroppedCopiesLog of(Supplier<String> sink, Map<DropReason, String> details, Consumer<String> out) {
    return new DroppedCopiesLog(sink, details, INTERVAL, System::nanoTime, out);
  }

  /** One copy dropped for {@code reason}. */
  public void dropped(DropReason reason) {
    write(drops.get(reason).add(null));
  }

  /** One copy failed (the sink tried); {@code cause} is named on the line, the last one of the interval. */
  public void failed(Throwable cause) {
    write(failures.add(cause == null ? null : describe(cause)));
  }

  /** Logs the losses not yet logged, for every reason whose interval has passed since its last line. */
  public void flush() {
    for (Tally tally : drops.values()) {
      write(tally.flush());
    }
    write(failures.flush());
  }

  private void write(String line) {
    if (line != null) {
      out.accept(line);
    }
  }

  /**
   * The cause in a few words: its message, or its type when it has none, on one line. A message can quote what a copy
   * carried (a client refusing a header value quotes the value), so control characters are written as escapes: a
   * replayed record with a line break in a header must not forge a log line of its own.
   */
  public static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : OneLine.of(message);
  }

  /**
   * The count of one reason since its last line. Counting is lock-free: a dead or stuck shadow makes every request of
   * every event loop count here, so only the rare call that writes a line takes the lock.
   */
  private final class Tally {
    private final String outcome;
    private final String suffix;
    /** Losses since the last line, in a cell per contending thread. */
    private final LongAdder pending = new LongAdder();
    private volatile long lastLineNanos;
    private volatile boolean logged;
    private volatile String lastCause;

    Tally(String outcome, String suffix, long now) {
      this.outcome = outcome;
      this.suffix = suffix;
      this.lastLineNanos = now;
    }

    String add(String cause) {
      pending.increment();
      if (cause != null) {
        lastCause = cause;
      }
      if (logged && nanoTime.getAsLong() - lastLineNanos < intervalNanos) {
        return null;
      }
      synchronized (this) {
        return lineIfDue(!logged);
      }
    }

    synchronized String flush() {
      return pending.sum() > 0 ? lineIfDue(false) : null;
    }

    private String lineIfDue(boolean first) {
      long now = nanoTime.getAsLong();
      long elapsed = now - lastLineNanos;
      if (!first && elapsed < intervalNanos) {
        return null;
      }
      long count = pending.sumThenReset(); // each cell read and zeroed at once: no loss is dropped or counted twice
      if (count == 0) {
        return null; // another thread wrote the line for these copies a moment ago
      }
      String cause = lastCause;
      String line = sink.get() + ": " + String.format(Locale.ROOT, "%,d", count)
          + (count == 1 ? " copy " : " copies ") + outcome + " in the last " + Math.round(elapsed / 1e9) + " s"
          + suffix + (cause == null ? "" : " (last: " + cause + ")");
      lastCause = null;
      lastLineNanos = now;
      logged = true;
      return line;
    }
  }
}
