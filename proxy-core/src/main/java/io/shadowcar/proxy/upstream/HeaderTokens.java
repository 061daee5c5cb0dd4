package io.shadowcar.proxy.upstream;

/** Reading comma-separated header values ({@code Connection}, {@code TE}, {@code Keep-Alive}). */
public final class HeaderTokens {

  private HeaderTokens() {
  }

  /** True when {@code value} lists {@code token} (case-insensitive), ignoring parameters after a {@code ;}. */
  public static boolean contains(String value, String token) {
    for (String t : value.split(",")) {
      int semicolon = t.indexOf(';');
      if ((semicolon < 0 ? t : t.substring(0, semicolon)).trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code timeout} parameter of a {@code Keep-Alive} header, in seconds, or -1 when absent or malformed. */
  public static long keepAliveTimeoutSeconds(String value) {
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("timeout")) {
        try {
          long seconds = Long.parseLong(part.substring(eq + 1).trim());
          return seconds < 0 ? -1 : seconds;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
