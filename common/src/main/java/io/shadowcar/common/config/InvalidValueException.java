package io.shadowcar.common.config;

import java.util.Objects;

/**
 * Thrown by a config record's compact constructor for a value it does not accept. It names the record's field, not a
 * key (records never see keys); {@link ConfigView#build} turns it into a {@link ConfigProblem} on the field's key.
 * Its message keeps the house format {@code "field: value (expected: ...)"} for callers outside configuration.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private final String field;
  private final String value;
  private final String expected;

  public InvalidValueException(String field, Object value, String expected) {
    super(field + ": " + value + " (expected: " + expected + ")");
    this.field = Objects.requireNonNull(field, "field");
    this.value = value == null ? null : String.valueOf(value);
    this.expected = Objects.requireNonNull(expected, "expected");
  }

  /** Throws unless {@code ok}: the one-line guard for compact constructors. */
  public static void check(boolean ok, String field, Object value, String expected) {
    if (!ok) {
      throw new InvalidValueException(field, value, expected);
    }
  }

  public String field() {
    return field;
  }

  public String value() {
    return value;
  }

  public String expected() {
    return expected;
  }
}
