package io.shadowcar.diff;

/**
 * Flags a candidate that is slower or fails more than the primary. Neither flag is raised before each side has
 * {@code minSamples}: latency samples (answers) for {@link #slower}, requests for {@link #failing}.
 */
public record LatencyComparison(double latencyFactor, int minSamples, double errorRateMargin) {

  public static LatencyComparison of(DiffConfig config) {
    return new LatencyComparison(config.latencyFactor(), config.minSamples(), config.errorRateMargin());
  }

  /** Candidate p99 &gt; factor × primary p99. */
  public boolean slower(LatencySnapshot primary, LatencySnapshot candidate) {
    return primary.count() >= minSamples && candidate.count() >= minSamples
        && candidate.p99Micros() > latencyFactor * primary.p99Micros();
  }

  /** Candidate (5xx + failure) rate &gt; primary rate + margin, in percentage points. */
  public boolean failing(LatencySnapshot primary, LatencySnapshot candidate) {
    return primary.requests() >= minSamples && candidate.requests() >= minSamples
        && candidate.errorRate() > primary.errorRate() + errorRateMargin;
  }
}
