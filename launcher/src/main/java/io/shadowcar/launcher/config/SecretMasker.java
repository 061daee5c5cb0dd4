package io.shadowcar.launcher.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Masks secrets before configuration leaves the process ({@code /api/config}, logs): values of keys that look like
 * secrets, and passwords in URLs ({@code http://user:pass@host}).
 */
public final class SecretMasker {

  public static final String MASK = "******";

  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(password|passwd|secret|token|credential|(api|private|access|signing|client)[._-]?key)$");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@:\\s]+):[^/@\\s]+@");

  private SecretMasker() {}

  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** A copy of {@code values} safe to show, same order. */
  public static Map<String, String> mask(Map<String, String> values) {
    Map<String, String> masked = new LinkedHashMap<>();
    values.forEach((key, value) -> masked.put(key, isSecret(key) ? MASK : URL_PASSWORD.matcher(value)
        .replaceAll("$1:" + MASK + "@")));
    return masked;
  }
}
