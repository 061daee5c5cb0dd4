package io.shadowcar.diff;

/** How the aggregate classifies a field path of an endpoint. */
public enum FieldClass {
  /** The candidate differs here more than two good instances do (the noise rule holds). */
  REAL,
  /** Differences here are explained by noise, or too few to matter. */
  NOISE,
  /** Only ignored differences were seen here. */
  IGNORED
}
