package io.shadowcar.launcher.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CopyTotalsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TeeMetrics metrics = new TeeMetrics(registry);
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final CopyTotals totals = new CopyTotals(registry, clock::get);

  @Test
  void countsTheLastMinuteFromTheOldestSampleWithinIt() {
    metrics.copies("http", TeeMetrics.RESULT_SENT).increment(10);
    metrics.count(DropReason.CIRCUIT_OPEN);
    totals.sample();
    for (int i = 0; i < 12; i++) {
      advance(5);
      totals.sample();
    }
    metrics.copies("http", TeeMetrics.RESULT_SENT).increment(3);
    metrics.count(DropReason.CIRCUIT_OPEN);
    metrics.count(DropReason.SAMPLED_OUT);

    assertEquals(new CopyTotals.Count(13, 3), totals.counts().get("copies.http.sent"));
    assertEquals(new CopyTotals.Count(2, 1), totals.counts().get("dropped.circuit_open"));
    assertEquals(new CopyTotals.Count(1, 1), totals.counts().get("skipped.sampled_out"));
    assertEquals(60, totals.windowSeconds());

    advance(5);
    totals.sample(); // the sample from before the first increments is now over a minute old
    assertEquals(new CopyTotals.Count(13, 3), totals.counts().get("copies.http.sent"));
    advance(60);
    totals.sample();
    assertEquals(new CopyTotals.Count(13, 0), totals.counts().get("copies.http.sent"));
  }

  private void advance(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
