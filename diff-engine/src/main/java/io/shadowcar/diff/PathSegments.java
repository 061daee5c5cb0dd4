package io.shadowcar.diff;

import java.util.ArrayList;
import java.util.List;

/** Splits a path on {@code /}: {@code /a/b} → [a, b], {@code /} → [], {@code /a/} → [a, ""]. */
final class PathSegments {

  private PathSegments() {
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>(8);
    int start = path.startsWith("/") ? 1 : 0;
    if (start >= path.length()) {
      return out;
    }
    while (true) {
      int slash = path.indexOf('/', start);
      if (slash < 0) {
        out.add(path.substring(start));
        return out;
      }
      out.add(path.substring(start, slash));
      start = slash + 1;
    }
  }
}
