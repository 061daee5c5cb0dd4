package io.shadowcar.common.config;

import java.util.Objects;

/**
 * One invalid configuration value, named by its key so an operator can fix it without reading code. Structured: the
 * key, the value as given (or {@code null} when missing) and what was expected; nobody parses its text.
 *
 * @param key the full key, e.g. {@code shadowcar.shadow.maxInflight}
 * @param value the value as given, or {@code null} when the key is missing
 * @param expected what would have been accepted, e.g. {@code integer > 0}
 */
public record ConfigProblem(String key, String value, String expected) {

  public ConfigProblem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
  }

  /**
   * {@code 'abc' (expected: integer > 0)}, or {@code missing (expected: ...)}. The value is shown through
   * {@link SecretMasker}: this text goes to logs and terminals.
   */
  public String message() {
    return (value == null ? "missing" : "'" + SecretMasker.mask(key, value) + "'") + " (expected: " + expected + ")";
  }

  /** {@code shadowcar.shadow.maxInflight: 'abc' (expected: integer > 0)}. */
  @Override
  public String toString() {
    return key + ": " + message();
  }
}
