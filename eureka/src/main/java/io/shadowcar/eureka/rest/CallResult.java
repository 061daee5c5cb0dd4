package io.shadowcar.eureka.rest;

import java.util.Locale;

/** Outcome of one call to Eureka, as counted in metrics and shown in {@code /api/status}. */
public enum CallResult {
  /** The server answered as expected. */
  SUCCESS,
  /** The server does not know the instance (404): the registrar re-registers at once. */
  NOT_FOUND,
  /** No usable answer: connection refused, timeout, or an unexpected HTTP status. */
  FAILURE;

  /** Lower-case tag value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
