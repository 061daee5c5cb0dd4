package io.shadowcar.health;

/** The outcome of a TTL push ({@code PUT /api/checks/NAME/pass|warn|fail}). */
public enum TtlUpdate {
  ACCEPTED,
  /** No check of that name. */
  UNKNOWN_CHECK,
  /** The check exists but is not a TTL check: its status comes from its own runs. */
  NOT_A_TTL_CHECK
}
