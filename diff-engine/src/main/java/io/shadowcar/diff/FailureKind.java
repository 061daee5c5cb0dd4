package io.shadowcar.diff;

/** Why an instance gave no answer. */
public enum FailureKind {
  /** The connection could not be made or broke before a complete response head. */
  CONNECTION_FAILURE,
  /** No response within the deadline. */
  TIMEOUT
}
