package io.shadowcar.diff;

/** The comparison of one exchange on its own (before the noise counters are consulted). */
public enum ExchangeOutcome {
  /** No difference outside the ignore rules. */
  SAME,
  /** At least one difference outside the ignore rules. */
  DIFFERENT
}
