package io.shadowcar.launcher.replay;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The counts of one run, written from the sending thread and the HTTP client's event loop, read by the progress line
 * and the summary. Every record read ends in exactly one of: sent (an HTTP response, any status), failed (no
 * response), skipped (by reason).
 */
public final class ReplayStats {

  private final LongAdder sent = new LongAdder();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Histogram latencyMicros = new ConcurrentHistogram(3);
  private final AtomicLong lag = new AtomicLong(-1);
  private final AtomicLong startNanos = new AtomicLong();

  public ReplayStats() {
    for (SkipReason reason : SkipReason.values()) {
      skipped.put(reason, new LongAdder());
    }
  }

  /** Starts the rate's clock at the first request sent (not at start-up, nor while the first fetch is on its way). */
  public void sending(long nowNanos) {
    startNanos.compareAndSet(0, nowNanos);
  }

  public void sent(int status, long latencyNanos) {
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    sent.increment();
  }

  public void failed(String reason) {
    failed.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public void skipped(SkipReason reason) {
    skipped.get(reason).increment();
  }

  /** Records the consumer's lag (records behind the end, all partitions), or -1 when unknown. */
  public void lag(long records) {
    lag.set(records);
  }

  public long sent() {
    return sent.sum();
  }

  public long failed() {
    return failed.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long skipped() {
    return skipped.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Skipped records by {@link SkipReason#tag()}, only reasons that occurred. */
  public Map<String, Long> skippedByReason() {
    Map<String, Long> skips = new TreeMap<>();
    skipped.forEach((reason, n) -> {
      if (n.sum() > 0) {
        skips.put(reason.tag(), n.sum());
      }
    });
    return skips;
  }

  public long lag() {
    return lag.get();
  }

  /** From the first request sent to {@code nowNanos}; zero before the first. */
  public Duration elapsed(long nowNanos) {
    long start = startNanos.get();
    return start == 0 ? Duration.ZERO : Duration.ofNanos(nowNanos - start);
  }

  ReplaySummary summary(long nowNanos) {
    Map<String, Long> failures = new TreeMap<>();
    failed.forEach((reason, n) -> failures.put(reason, n.sum()));
    Map<String, Long> skips = skippedByReason();
    Map<Integer, Long> byStatus = new TreeMap<>();
    statuses.forEach((status, n) -> byStatus.put(status, n.sum()));
    Histogram latency = latencyMicros.copy();
    return new ReplaySummary(sent(), failed(), failures, skips, byStatus, elapsed(nowNanos),
        new ReplaySummary.Latency(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50),
            latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(90),
            latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99), latency.getMaxValue()));
  }
}
