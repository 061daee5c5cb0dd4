package io.shadowcar.launcher.config;

/**
 * One invalid configuration value, named by its contract key so an operator can fix it without reading code.
 *
 * @param key the contract key, e.g. {@code shadowcar.shadow.maxInflight}
 * @param message what is wrong, e.g. {@code 'abc' (expected: integer > 0)}
 */
public record ConfigProblem(String key, String message) {

  /** A value that does not parse or is out of range; {@code value == null} means the key is missing. */
  public static ConfigProblem invalid(String key, String value, String expected) {
    return new ConfigProblem(key, (value == null ? "missing" : "'" + value + "'") + " (expected: " + expected + ")");
  }

  /** {@code shadowcar.shadow.maxInflight: 'abc' (expected: integer > 0)}. */
  @Override
  public String toString() {
    return key + ": " + message;
  }
}
