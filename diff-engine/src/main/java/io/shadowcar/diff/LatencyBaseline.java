package io.shadowcar.diff;

import java.util.Locale;

/**
 * The side the candidate's latency and errors are judged against. The secondary is the fair one: it runs the
 * primary's version but is called like the candidate (same client, same moment), so what differs between it and the
 * candidate is the candidate's doing, not the path the request took.
 */
public enum LatencyBaseline {
  /** Enough secondary answers: the candidate is compared with the secondary only. */
  SECONDARY,
  /** Too few secondary answers (or no secondary): the candidate is compared with the primary. */
  PRIMARY;

  /** The API value: {@code secondary} or {@code primary}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
