package io.shadowcar.diff;

/** The path scheme of {@link Difference}: aggregate keys and pattern matching, by hand (no regex). */
final class FieldPaths {

  private FieldPaths() {
  }

  /** {@code body.items[3].tags[0]} → {@code body.items[*].tags[*]}; quoted names {@code ["a.b"]} are kept. */
  static String key(String path) {
    int open = path.indexOf('[');
    if (open < 0) {
      return path;
    }
    StringBuilder sb = new StringBuilder(path.length());
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '[' && i + 1 < path.length() && isDigit(path.charAt(i + 1))) {
        int j = i + 1;
        while (j < path.length() && isDigit(path.charAt(j))) {
          j++;
        }
        if (j < path.length() && path.charAt(j) == ']') {
          sb.append("[*]");
          i = j + 1;
          continue;
        }
      }
      if (c == '[' && i + 1 < path.length() && path.charAt(i + 1) == '"') {
        int end = path.indexOf("\"]", i + 2);
        if (end > 0) {
          sb.append(path, i, end + 2);
          i = end + 2;
          continue;
        }
      }
      sb.append(c);
      i++;
    }
    return sb.toString();
  }

  /**
   * True when {@code pattern} matches {@code key} or a leading part of it that ends at a segment boundary
   * ({@code .} or {@code [}). In the pattern {@code *} matches any run of characters other than {@code .} and
   * {@code [}; everything else matches itself.
   */
  static boolean covers(String pattern, String key) {
    return match(pattern, 0, key, 0, true);
  }

  /** Like {@link #covers} but the whole key must match. */
  static boolean matchesExactly(String pattern, String key) {
    return match(pattern, 0, key, 0, false);
  }

  private static boolean match(String p, int pi, String s, int si, boolean prefix) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; ; k++) {
          if (match(p, pi + 1, s, k, prefix)) {
            return true;
          }
          if (k >= s.length() || s.charAt(k) == '.' || s.charAt(k) == '[') {
            return false;
          }
        }
      }
      if (si >= s.length() || s.charAt(si) != c) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length() || (prefix && (s.charAt(si) == '.' || s.charAt(si) == '['));
  }

  /** Appends {@code .name}, or {@code ["name"]} when the name would break the scheme. */
  static void appendMember(StringBuilder path, String name) {
    if (name.isEmpty() || name.indexOf('.') >= 0 || name.indexOf('[') >= 0 || name.indexOf(']') >= 0
        || name.indexOf('"') >= 0) {
      path.append("[\"").append(name.replace("\"", "\\\"")).append("\"]");
    } else {
      path.append('.').append(name);
    }
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
