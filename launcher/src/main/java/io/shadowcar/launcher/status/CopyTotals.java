package io.shadowcar.launcher.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.tee.TeeMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The tee's counters (copies by sink and result, drops and skips by reason) as totals and as the increase over about
 * the last minute, for the admin page. {@link #sample()} reads the counters (a handful of meters, no lock) and keeps
 * one sample per call for a minute; call it every few seconds. Keys are {@code copies.SINK.RESULT},
 * {@code dropped.REASON} and {@code skipped.REASON}.
 *
 * <p>Not for alerts: Prometheus has the exact counters; this is a view for a person looking at the page.
 */
public final class CopyTotals {

  /** How far back "last minute" looks. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  private final Deque<Sample> samples = new ArrayDeque<>();

  private record Sample(long nanos, Map<String, Double> values) {}

  /** @param nanoTime a monotonic clock ({@code System::nanoTime}) */
  public CopyTotals(MeterRegistry registry, LongSupplier nanoTime) {
    this.registry = registry;
    this.nanoTime = nanoTime;
  }

  /** Takes a sample now and forgets the ones older than the window. */
  public synchronized void sample() {
    long now = nanoTime.getAsLong();
    samples.addLast(new Sample(now, read()));
    while (samples.size() > 1 && now - samples.peekFirst().nanos() > WINDOW.toNanos()) {
      samples.removeFirst();
    }
  }

  /** Every key with its total now and its increase since the oldest sample of the window. */
  public synchronized Map<String, Count> counts() {
    Map<String, Double> now = read();
    Map<String, Double> base = samples.isEmpty() ? Map.of() : samples.peekFirst().values();
    Map<String, Count> counts = new HashMap<>();
    now.forEach((key, total) -> counts.put(key,
        new Count(Math.round(total), Math.round(total - base.getOrDefault(key, 0.0)))));
    return counts;
  }

  /** Seconds the "last minute" figures cover (less than a minute just after start). */
  public synchronized long windowSeconds() {
    return samples.isEmpty() ? 0 : Math.round((nanoTime.getAsLong() - samples.peekFirst().nanos()) / 1e9);
  }

  private Map<String, Double> read() {
    Map<String, Double> values = new HashMap<>();
    for (Counter c : registry.find(TeeMetrics.COPIES).counters()) {
      values.put("copies." + c.getId().getTag(TeeMetrics.TAG_SINK) + "." + c.getId().getTag(TeeMetrics.TAG_RESULT),
          c.count());
    }
    for (Counter c : registry.find(TeeMetrics.DROPPED).counters()) {
      values.put("dropped." + c.getId().getTag(TeeMetrics.TAG_REASON), c.count());
    }
    for (Counter c : registry.find(TeeMetrics.SKIPPED).counters()) {
      values.put("skipped." + c.getId().getTag(TeeMetrics.TAG_REASON), c.count());
    }
    return values;
  }

  /** A counter's total and its increase over the window. */
  public record Count(long total, long lastMinute) {}
}
