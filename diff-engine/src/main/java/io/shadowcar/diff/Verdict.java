package io.shadowcar.diff;

import java.util.Locale;

/** The result of one exchange once the aggregate has weighed its differences against the noise counters. */
public enum Verdict {
  SAME,
  DIFFERENT,
  /** Every difference is at a path classified as noise, or also differed between primary and secondary. */
  NOISE;

  /** The metric tag value: {@code same}, {@code different} or {@code noise}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
