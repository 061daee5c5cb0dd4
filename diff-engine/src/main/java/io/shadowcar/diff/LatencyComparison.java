package io.shadowcar.diff;

/**
 * Flags a candidate that is slower or fails more than its baseline: the secondary once it has {@code minSamples}
 * answers, else the primary ({@link #baseline}). The primary is measured on the caller's path and the candidate by the
 * shadow client afterwards, so their tails differ even for identical code; the secondary is measured the candidate's
 * way. Neither flag is raised before both sides compared have {@code minSamples}: latency samples (answers) for
 * {@link #slower}, requests for {@link #failing}.
 */
public record LatencyComparison(double latencyFactor, int minDeltaMillis, int minSamples, double errorRateMargin) {

  public static LatencyComparison of(DiffConfig config) {
    return new LatencyComparison(config.latencyFactor(), config.latencyMinDeltaMillis(), config.minSamples(),
        config.errorRateMargin());
  }

  /** SECONDARY when the secondary has at least {@code minSamples} answers, else PRIMARY. */
  public LatencyBaseline baseline(LatencySnapshot secondary) {
    return secondary.count() >= minSamples ? LatencyBaseline.SECONDARY : LatencyBaseline.PRIMARY;
  }

  /**
   * Candidate p99 &gt; factor × baseline p99, and more than {@code minDeltaMillis} above it: on a 10 ms endpoint a
   * factor alone reads a few milliseconds of scheduling jitter in one p99 as "slower".
   */
  public boolean slower(LatencySnapshot baseline, LatencySnapshot candidate) {
    return baseline.count() >= minSamples && candidate.count() >= minSamples
        && candidate.p99Micros() > latencyFactor * baseline.p99Micros()
        && candidate.p99Micros() - baseline.p99Micros() > minDeltaMillis * 1000L;
  }

  /** Candidate (5xx + failure) rate &gt; baseline rate + margin, in percentage points. */
  public boolean failing(LatencySnapshot baseline, LatencySnapshot candidate) {
    return baseline.requests() >= minSamples && candidate.requests() >= minSamples
        && candidate.errorRate() > baseline.errorRate() + errorRateMargin;
  }
}
