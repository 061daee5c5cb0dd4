package io.shadowcar.tee;

/**
 * A compiled path glob: {@code ?} one character, {@code *} any run within one segment, {@code **} any run across
 * segments; a trailing {@code /**} also matches the bare prefix. Matching allocates nothing.
 */
final class PathGlob {

  private final String pattern;
  private final String base;

  PathGlob(String pattern) {
    this.pattern = pattern;
    this.base = pattern.endsWith("/**") && pattern.length() > 3 ? pattern.substring(0, pattern.length() - 3) : null;
  }

  boolean matches(String path) {
    return matches(path, path.length());
  }

  /** Matches {@code s} up to {@code end} (e.g. a request target up to its {@code ?}) without a substring. */
  boolean matches(String s, int end) {
    return match(pattern, 0, s, 0, end) || (base != null && match(base, 0, s, 0, end));
  }

  private static boolean match(String p, int pi, String s, int si, int n) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        if (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
          int next = pi + 2;
          if (next == p.length()) {
            return true;
          }
          for (int k = si; k <= n; k++) {
            if (match(p, next, s, k, n)) {
              return true;
            }
          }
          return false;
        }
        for (int k = si; ; k++) {
          if (match(p, pi + 1, s, k, n)) {
            return true;
          }
          if (k == n || s.charAt(k) == '/') {
            return false;
          }
        }
      }
      if (si >= n || (c == '?' ? s.charAt(si) == '/' : s.charAt(si) != c)) {
        return false;
      }
      pi++;
      si++;
    }
    return si == n;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
