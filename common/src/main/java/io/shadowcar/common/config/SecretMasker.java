package io.shadowcar.common.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets before configuration leaves the process: {@code /api/config}, start-up and status lines, and every
 * "unknown key" / "invalid value" message ({@link ConfigProblem} masks through it). Two nets, because neither alone
 * catches everything:
 * <ul>
 *   <li>by key: the whole value of a key that names a secret ({@code *password}, {@code *secret}, {@code *token},
 *       {@code *apiKey}, {@code *secretKey}, {@code client.secret.*}, Kafka's {@code sasl.jaas.config} and
 *       {@code basic.auth.user.info}, ...);</li>
 *   <li>by value, in any value: the password of a URL ({@code http://user:pass@host}), {@code password=...} and its
 *       kin inside JDBC URLs, query strings and JAAS lines ({@code password="..."}), and the credentials after
 *       {@code Bearer} / {@code Basic}.</li>
 * </ul>
 * Stateless and thread-safe. Not a guarantee: a secret under an innocent key in a free-form value can still pass, so
 * keep secrets in keys that say what they are (or in files named by {@code *File} keys).
 */
public final class SecretMasker {

  public static final String MASK = "******";

  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|pwd|passphrase|secret|token"
      + "|credential|(api|private|access|signing|client|secret|mask|hmac|encryption|master)[._-]?key)$");
  private static final Pattern SECRET_KEY_PART = Pattern.compile(
      "(?i)(^|.*[._-])(sasl\\.jaas\\.config|basic\\.auth\\.user\\.info|client[._-]?secret|secret|password)([._-].*|$)");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@:\\s]+):[^/@\\s]+@");
  /** {@code password=x}, {@code password="x"}, {@code ;pwd=x;}, {@code ?token=x&}: the name kept, the value masked. */
  private static final Pattern NAMED_VALUE = Pattern.compile("(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key"
      + "|access[_-]?token|client[_-]?secret|secret[_-]?key)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;&,)\"']+)");
  private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{4,}");

  private SecretMasker() {}

  /** True when the whole value of {@code key} is a secret. */
  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).matches() || SECRET_KEY_PART.matcher(key).matches();
  }

  /** {@code value} safe to show under {@code key}: all of it masked for a secret key, else its secret parts. */
  public static String mask(String key, String value) {
    if (value == null) {
      return null;
    }
    return key != null && isSecret(key) && !value.isEmpty() ? MASK : maskValue(value);
  }

  /** The secret parts of a free-form value masked (URL passwords, {@code password=...}, bearer tokens). */
  public static String maskValue(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String out = URL_PASSWORD.matcher(value).replaceAll("$1:" + MASK + "@");
    Matcher named = NAMED_VALUE.matcher(out);
    if (named.find()) {
      out = named.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + match.group(2)
          + quoted(match.group(3))));
    }
    return AUTH_SCHEME.matcher(out).replaceAll("$1 " + MASK);
  }

  private static String quoted(String original) {
    char first = original.charAt(0);
    return first == '"' || first == '\'' ? first + MASK + first : MASK;
  }

  /** A copy of {@code values} safe to show, same order. */
  public static Map<String, String> mask(Map<String, String> values) {
    Map<String, String> masked = new LinkedHashMap<>();
    values.forEach((key, value) -> masked.put(key, mask(key, value)));
    return masked;
  }
}
