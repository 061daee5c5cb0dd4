package io.shadowcar.diff;

import org.HdrHistogram.Histogram;

/** Latency (microseconds, answers only) and error counts of one side of one endpoint. Not thread-safe. */
final class LatencyCounters {

  private static final int SIGNIFICANT_DIGITS = 2;

  private final Histogram histogram;
  private long requests;
  private long serverErrors;
  private long failures;

  LatencyCounters() {
    this(new Histogram(SIGNIFICANT_DIGITS), 0, 0, 0);
  }

  private LatencyCounters(Histogram histogram, long requests, long serverErrors, long failures) {
    this.histogram = histogram;
    this.requests = requests;
    this.serverErrors = serverErrors;
    this.failures = failures;
  }

  static LatencyCounters restore(SideCounters state) {
    return new LatencyCounters(HistogramCodec.decode(state.histogram()), state.requests(), state.serverErrors(),
        state.failures());
  }

  void record(SideSummary side) {
    requests++;
    if (side.failure() != null) {
      failures++;
      return;
    }
    if (side.status() >= 500) {
      serverErrors++;
    }
    histogram.recordValue(Math.max(0, side.latencyNanos() / 1000));
  }

  long p99() {
    return histogram.getValueAtPercentile(99.0);
  }

  /** Error rate in percent. */
  double errorRate() {
    return requests == 0 ? 0.0 : (serverErrors + failures) * 100.0 / requests;
  }

  LatencySnapshot snapshot() {
    return new LatencySnapshot(requests, histogram.getTotalCount(), histogram.getValueAtPercentile(50.0),
        histogram.getValueAtPercentile(90.0), p99(), histogram.getMaxValue(), serverErrors, failures, errorRate());
  }

  SideCounters export() {
    return new SideCounters(requests, serverErrors, failures, HistogramCodec.encode(histogram));
  }
}
