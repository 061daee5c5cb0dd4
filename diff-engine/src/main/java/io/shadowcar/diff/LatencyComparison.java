package io.shadowcar.diff;

import io.shadowcar.common.config.InvalidValueException;

/**
 * Flags a candidate that is slower or fails more than its baseline: the secondary once it has {@code minSamples}
 * answers, else the primary ({@link #baseline}). The primary is measured on the caller's path and the candidate by the
 * shadow client afterwards, so their tails differ even for identical code; the secondary is measured the candidate's
 * way. Neither flag is raised before both sides compared have {@code minSamples}: latency samples (answers) for
 * {@link #slower}, requests for {@link #failing}. Immutable and validated like {@link DiffConfig}, whose part it is:
 * a bad value throws {@link InvalidValueException} naming the field as {@code latency.factor}.
 *
 * @param factor the candidate is flagged slower when its p99 exceeds this × the baseline's p99
 * @param minDeltaMillis ...and by more than this many milliseconds: a floor under the factor, so that a few
 *     milliseconds of jitter on a fast endpoint are not "slower"; 0 = the factor alone
 * @param minSamples no latency or error flag before each side compared has this many samples; the secondary is the
 *     baseline from this many answers on
 * @param errorRateMargin the candidate is flagged failing when its error rate exceeds the baseline's by more than
 *     this many percentage points
 */
public record LatencyComparison(double factor, int minDeltaMillis, int minSamples, double errorRateMargin) {

  public LatencyComparison {
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new InvalidValueException("latency.factor", factor, ">= 1.0");
    }
    DiffConfig.atLeastZero("latency.minDeltaMillis", minDeltaMillis);
    DiffConfig.atLeastOne("latency.minSamples", minSamples);
    DiffConfig.atLeastZero("latency.errorRateMargin", errorRateMargin);
  }

  /** p99 × 1.2 with no floor, 100 samples, 1 percentage point: the reference diff tool's semantics. */
  public static LatencyComparison defaults() {
    return new LatencyComparison(1.2, 0, 100, 1.0);
  }

  public LatencyComparison withMinDeltaMillis(int millis) {
    return new LatencyComparison(factor, millis, minSamples, errorRateMargin);
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
        && candidate.p99Micros() > factor * baseline.p99Micros()
        && candidate.p99Micros() - baseline.p99Micros() > minDeltaMillis * 1000L;
  }

  /** Candidate (5xx + failure) rate &gt; baseline rate + margin, in percentage points. */
  public boolean failing(LatencySnapshot baseline, LatencySnapshot candidate) {
    return baseline.requests() >= minSamples && candidate.requests() >= minSamples
        && candidate.errorRate() > baseline.errorRate() + errorRateMargin;
  }
}
