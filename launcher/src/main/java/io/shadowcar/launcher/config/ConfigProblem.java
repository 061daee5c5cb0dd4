package io.shadowcar.launcher.config;

/**
 * One invalid configuration value, named by its contract key so an operator can fix it without reading code.
 *
 * @param key the contract key, e.g. {@code shadowcar.shadow.maxInflight}
 * @param value the raw value as configured ({@code null} when a required key is missing)
 * @param expected what would have been accepted, e.g. {@code integer > 0}
 */
public record ConfigProblem(String key, String value, String expected) {

  /** {@code shadowcar.shadow.maxInflight: 'abc' (expected: integer > 0)}. */
  @Override
  public String toString() {
    return key + ": " + (value == null ? "missing" : "'" + value + "'") + " (expected: " + expected + ")";
  }
}
