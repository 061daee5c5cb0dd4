package io.shadowcar.diff;

import io.shadowcar.common.config.InvalidValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured path template: literal segments, {@code {name}} for exactly one non-empty segment, and a final
 * {@code **} for any rest (zero or more segments).
 */
record PathTemplate(String text, List<String> segments, boolean rest) {

  static PathTemplate parse(String text) {
    if (text == null || !text.startsWith("/")) {
      throw new InvalidValueException("templates", text, "a path starting with /");
    }
    List<String> segments = new ArrayList<>(PathSegments.split(text));
    boolean rest = false;
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (s.equals("**")) {
        if (i != segments.size() - 1) {
          throw new InvalidValueException("templates", text, "** only as the last segment");
        }
        rest = true;
        segments.remove(i);
      } else if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
        if (!(s.length() > 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}'
            && s.indexOf('{', 1) < 0 && s.indexOf('}') == s.length() - 1)) {
          throw new InvalidValueException("templates", text, "{name} as a whole segment");
        }
      }
    }
    return new PathTemplate(text, List.copyOf(segments), rest);
  }

  boolean matches(List<String> path) {
    if (rest ? path.size() < segments.size() : path.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < segments.size(); i++) {
      String t = segments.get(i);
      String s = path.get(i);
      if (t.charAt(0) == '{' && t.length() > 2 && t.charAt(t.length() - 1) == '}') {
        if (s.isEmpty()) {
          return false;
        }
      } else if (!t.equals(s)) {
        return false;
      }
    }
    return true;
  }
}
